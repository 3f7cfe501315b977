/** The offline update preview: two renders in, what `pulumi up` would do out, with what must not be missed. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RenderedResource } from "../infra/offline/render";
import { REPLACEMENT_RULES } from "../infra/offline/replacement";
import { changedPaths, formatPreview, previewUpdate, type Step } from "../infra/offline/updatePreview";

const K8S_PROVIDER_INPUTS = { clusterIdentifier: "local-kind", enableConfigMapMutable: "true" };
const K8S_PROVIDER: RenderedResource = {
  type: "pulumi:providers:kubernetes",
  name: "kind-k8s",
  parent: "goquorum:local:Cluster::kind",
  provider: null,
  inputs: K8S_PROVIDER_INPUTS,
};
const CLUSTER: RenderedResource = {
  type: "goquorum:local:Cluster",
  name: "kind",
  parent: null,
  provider: null,
  inputs: {},
};

const k8s = (type: string, name: string, inputs: object, extra: Partial<RenderedResource> = {}) =>
  ({
    type,
    name,
    parent: "goquorum:local:Cluster::kind",
    provider: "kind-k8s",
    inputs,
    ...extra,
  }) as RenderedResource;

const statefulSet = (spec: object = {}) =>
  k8s("kubernetes:apps/v1:StatefulSet", "sts", {
    metadata: { name: "kind-validator-0", namespace: "goquorum" },
    spec: {
      selector: { matchLabels: { node: "kind-validator-0" } },
      serviceName: "goquorum",
      template: { spec: { containers: [{ name: "goquorum", image: "quorum:24.4.1" }] } },
      volumeClaimTemplates: [{ spec: { resources: { requests: { storage: "5Gi" } } } }],
      ...spec,
    },
  });
const configMap = (data: object, immutable?: boolean) =>
  k8s("kubernetes:core/v1:ConfigMap", "cm", {
    metadata: { name: "goquorum-genesis", namespace: "goquorum" },
    data,
    ...(immutable ? { immutable } : {}),
  });
const cloud = (type: string, inputs: object, options?: RenderedResource["options"]): RenderedResource => ({
  type,
  name: "r",
  parent: null,
  provider: null,
  inputs,
  ...(options ? { options } : {}),
});

/** The one step of an update from `before` to `after` (both with the provider and its component). */
function onlyStep(before: RenderedResource, after: RenderedResource, provider = K8S_PROVIDER): Step {
  const preview = previewUpdate([CLUSTER, K8S_PROVIDER, before], [CLUSTER, provider, after]);
  const steps = preview.steps.filter((s) => s.name === after.name);
  assert.equal(steps.length, 1, JSON.stringify(preview.steps));
  return steps[0];
}

describe("update preview: which changes replace a resource", () => {
  const cases: [string, RenderedResource, RenderedResource, "update" | "replace", string[]][] = [
    [
      "a StatefulSet's image",
      statefulSet(),
      statefulSet({ template: { spec: { containers: [{ name: "goquorum", image: "quorum:24.4.2" }] } } }),
      "update",
      [],
    ],
    [
      "a StatefulSet's selector",
      statefulSet(),
      statefulSet({ selector: { matchLabels: { node: "x" } } }),
      "replace",
      ["spec.selector.matchLabels.node"],
    ],
    [
      "a StatefulSet's serviceName",
      statefulSet(),
      statefulSet({ serviceName: "quorum" }),
      "replace",
      ["spec.serviceName"],
    ],
    [
      "a StatefulSet's volume claim size",
      statefulSet(),
      statefulSet({ volumeClaimTemplates: [{ spec: { resources: { requests: { storage: "50Gi" } } } }] }),
      "replace",
      ["spec.volumeClaimTemplates[0].spec.resources.requests.storage"],
    ],
    [
      "an immutable ConfigMap's data",
      configMap({ a: "1" }, true),
      configMap({ a: "2" }, true),
      "replace",
      ["data.a"],
    ],
    [
      "a mutable ConfigMap's data under enableConfigMapMutable",
      configMap({ a: "1" }),
      configMap({ a: "2" }),
      "update",
      [],
    ],
    [
      "any object's namespace",
      k8s("kubernetes:networking.k8s.io/v1:NetworkPolicy", "np", { metadata: { name: "p", namespace: "a" } }),
      k8s("kubernetes:networking.k8s.io/v1:NetworkPolicy", "np", { metadata: { name: "p", namespace: "b" } }),
      "replace",
      ["metadata.namespace"],
    ],
    [
      "a Secret's type",
      k8s("kubernetes:core/v1:Secret", "s", {
        metadata: { name: "s" },
        type: "Opaque",
        stringData: "[secret]",
      }),
      k8s("kubernetes:core/v1:Secret", "s", {
        metadata: { name: "s" },
        type: "kubernetes.io/tls",
        stringData: "[secret]",
      }),
      "replace",
      ["type"],
    ],
    [
      "a VPC's CIDR",
      cloud("aws:ec2/vpc:Vpc", { cidrBlock: "10.64.0.0/16" }),
      cloud("aws:ec2/vpc:Vpc", { cidrBlock: "10.80.0.0/16" }),
      "replace",
      ["cidrBlock"],
    ],
    [
      "a VPC's tags",
      cloud("aws:ec2/vpc:Vpc", { tags: { a: "1" } }),
      cloud("aws:ec2/vpc:Vpc", { tags: { a: "2" } }),
      "update",
      [],
    ],
    [
      "a subnet's CIDR",
      cloud("aws:ec2/subnet:Subnet", { cidrBlock: "10.64.1.0/24" }),
      cloud("aws:ec2/subnet:Subnet", { cidrBlock: "10.64.2.0/24" }),
      "replace",
      ["cidrBlock"],
    ],
    [
      "a KMS key's usage",
      cloud("aws:kms/key:Key", { keyUsage: "ENCRYPT_DECRYPT" }),
      cloud("aws:kms/key:Key", { keyUsage: "SIGN_VERIFY" }),
      "replace",
      ["keyUsage"],
    ],
    [
      "a KMS key's policy",
      cloud("aws:kms/key:Key", { policy: "{}" }),
      cloud("aws:kms/key:Key", { policy: '{"a":1}' }),
      "update",
      [],
    ],
    [
      "a secret's name",
      cloud("aws:secretsmanager/secret:Secret", { name: "a" }),
      cloud("aws:secretsmanager/secret:Secret", { name: "b" }),
      "replace",
      ["name"],
    ],
    [
      "an EKS cluster's service range",
      cloud("eks:index:Cluster", { kubernetesServiceIpAddressRange: "172.20.0.0/16" }),
      cloud("eks:index:Cluster", { kubernetesServiceIpAddressRange: "172.21.0.0/16" }),
      "replace",
      ["kubernetesServiceIpAddressRange"],
    ],
    [
      "an EKS cluster's version",
      cloud("eks:index:Cluster", { version: "1.32" }),
      cloud("eks:index:Cluster", { version: "1.33" }),
      "update",
      [],
    ],
    [
      "EKS envelope encryption turned off",
      cloud("eks:index:Cluster", { encryptionConfigKeyArn: "arn:a" }),
      cloud("eks:index:Cluster", {}),
      "replace",
      ["encryptionConfigKeyArn"],
    ],
    [
      "an AKS pod CIDR",
      cloud("azure-native:containerservice:ManagedCluster", { networkProfile: { podCidr: "10.244.0.0/16" } }),
      cloud("azure-native:containerservice:ManagedCluster", { networkProfile: { podCidr: "10.245.0.0/16" } }),
      "replace",
      ["networkProfile.podCidr"],
    ],
    [
      "a VNet's address space",
      cloud("azure-native:network:VirtualNetwork", { addressSpace: { addressPrefixes: ["10.66.0.0/16"] } }),
      cloud("azure-native:network:VirtualNetwork", {
        addressSpace: { addressPrefixes: ["10.66.0.0/16", "10.67.0.0/16"] },
      }),
      "update",
      [],
    ],
    [
      "a Key Vault's name",
      cloud("azure-native:keyvault:Vault", { vaultName: "a" }),
      cloud("azure-native:keyvault:Vault", { vaultName: "b" }),
      "replace",
      ["vaultName"],
    ],
    [
      "a node key's length",
      cloud("random:index/randomBytes:RandomBytes", { length: 32 }),
      cloud("random:index/randomBytes:RandomBytes", { length: 64 }),
      "replace",
      ["length"],
    ],
  ];
  for (const [what, before, after, action, because] of cases) {
    it(`${what}: ${action}`, () => {
      const s = onlyStep(before, after);
      assert.equal(s.action, action);
      assert.deepEqual(s.replaceBecause ?? [], because);
    });
  }

  it("replaces every ConfigMap when the provider does not make them mutable", () => {
    const strict = { ...K8S_PROVIDER, inputs: { clusterIdentifier: "local-kind" } };
    const s = previewUpdate(
      [CLUSTER, strict, configMap({ a: "1" })],
      [CLUSTER, strict, configMap({ a: "2" })],
    ).steps;
    assert.deepEqual(
      s.map((x) => [x.action, x.replaceBecause]),
      [["replace", ["data.a"]]],
    );
  });

  it("replaces everything a provider manages when the provider is replaced (new clusterIdentifier)", () => {
    const moved = { ...K8S_PROVIDER, inputs: { ...K8S_PROVIDER_INPUTS, clusterIdentifier: "other" } };
    const preview = previewUpdate([CLUSTER, K8S_PROVIDER, statefulSet()], [CLUSTER, moved, statefulSet()]);
    assert.deepEqual(
      preview.steps.map((s) => [s.action, s.type, s.replaceBecause]),
      [
        ["replace", "kubernetes:apps/v1:StatefulSet", ["provider"]],
        ["replace", "pulumi:providers:kubernetes", ["clusterIdentifier"]],
      ],
    );
    assert.ok(
      preview.flags.some((f) => /replace \(stateful\) kubernetes:apps\/v1:StatefulSet sts: provider/.test(f)),
    );
  });

  it("moves a resource to another, identically configured provider without replacing it", () => {
    const twin = { ...K8S_PROVIDER, name: "kind-k8s-2" };
    const preview = previewUpdate(
      [CLUSTER, K8S_PROVIDER, statefulSet()],
      [CLUSTER, twin, { ...statefulSet(), provider: "kind-k8s-2" }],
    );
    assert.equal(preview.counts.replace, 0);
  });
});

describe("update preview: what it flags", () => {
  it("flags a stateful replacement, naming the inputs that force it", () => {
    const preview = previewUpdate(
      [CLUSTER, K8S_PROVIDER, statefulSet()],
      [CLUSTER, K8S_PROVIDER, statefulSet({ serviceName: "x" })],
    );
    assert.deepEqual(preview.flags, [
      "replace (stateful) kubernetes:apps/v1:StatefulSet sts: spec.serviceName cannot change in place",
    ]);
  });

  it("flags changes the cloud does not apply in place (AKS inline pools, Key Vault key operations)", () => {
    const aks = onlyStep(
      cloud("azure-native:containerservice:ManagedCluster", { agentPoolProfiles: [{ count: 3 }] }),
      cloud("azure-native:containerservice:ManagedCluster", { agentPoolProfiles: [{ count: 4 }] }),
    );
    assert.equal(aks.action, "update");
    assert.deepEqual(Object.keys(aks.notApplied ?? {}), ["agentPoolProfiles"]);
    const key = onlyStep(
      cloud("azure-native:keyvault:Key", { properties: { keyOps: ["wrapKey", "unwrapKey"] } }),
      cloud("azure-native:keyvault:Key", { properties: { keyOps: ["encrypt", "decrypt"] } }),
    );
    assert.match(key.notApplied?.properties ?? "", /never updates an existing key/);
    const kms = onlyStep(
      cloud("eks:index:Cluster", { encryptionConfigKeyArn: "arn:a" }),
      cloud("eks:index:Cluster", { encryptionConfigKeyArn: "arn:b" }),
    );
    assert.deepEqual([kms.action, Object.keys(kms.notApplied ?? {})], ["update", ["encryptionConfigKeyArn"]]);
  });

  it("flags an immutable ConfigMap made mutable in place, which the API server refuses", () => {
    const unlocked = onlyStep(configMap({ a: "1" }, true), configMap({ a: "2" }));
    assert.equal(unlocked.action, "update");
    assert.deepEqual(Object.keys(unlocked.notApplied ?? {}).sort(), ["data", "immutable"]);
    assert.match(unlocked.notApplied?.immutable ?? "", /immutable ConfigMap: give it a new name/);
    const mutable = onlyStep(configMap({ a: "1" }), configMap({ a: "2" }));
    assert.equal(mutable.notApplied, undefined);
  });

  it("flags deletions of stateful resources and of protected ones, and not of the others", () => {
    const key = cloud("random:index/randomBytes:RandomBytes", { length: 32 }, { protect: true });
    const vpc = { ...cloud("aws:ec2/vpc:Vpc", { cidrBlock: "10.0.0.0/16" }), name: "vpc" };
    const role = { ...cloud("aws:iam/role:Role", {}), name: "role" };
    const preview = previewUpdate([key, vpc, role], []);
    assert.deepEqual(preview.counts, { create: 0, update: 0, replace: 0, delete: 3, same: 0 });
    assert.deepEqual(preview.flags, [
      "delete (stateful) aws:ec2/vpc:Vpc vpc",
      "delete random:index/randomBytes:RandomBytes r: protected, so pulumi up stops here until it is unprotected",
    ]);
  });

  it("treats a new parent type as a delete and a create (a new URN), a new parent of the same type as the same resource", () => {
    const other: RenderedResource = {
      type: "goquorum:k8s:ClusterWorkloads",
      name: "kind",
      parent: null,
      provider: null,
      inputs: {},
    };
    const moved = { ...statefulSet(), parent: "goquorum:k8s:ClusterWorkloads::kind" };
    const preview = previewUpdate(
      [CLUSTER, other, K8S_PROVIDER, statefulSet()],
      [CLUSTER, other, K8S_PROVIDER, moved],
    );
    assert.deepEqual(
      preview.steps.map((s) => [s.action, s.name]),
      [
        ["delete", "sts"],
        ["create", "sts"],
      ],
    );
  });

  it("says when it cannot tell an update from a replacement", () => {
    const role = (policy: string) => cloud("aws:iam/role:Role", { assumeRolePolicy: policy });
    const s = onlyStep(role("{}"), role('{"a":1}'));
    assert.deepEqual([s.action, s.modelled], ["update", false]);
    const text = formatPreview(previewUpdate([role("{}")], [role('{"a":1}')]));
    assert.match(text, /1 update\(s\) of types without a replacement rule/);
  });

  it("sees no change where both renders mask a secret", () => {
    const secret = k8s("kubernetes:core/v1:Secret", "s", { metadata: { name: "s" }, stringData: "[secret]" });
    assert.equal(
      previewUpdate([CLUSTER, K8S_PROVIDER, secret], [CLUSTER, K8S_PROVIDER, secret]).counts.same,
      3,
    );
  });

  it("refuses a render that registers one URN twice", () => {
    assert.throws(
      () => previewUpdate([CLUSTER, CLUSTER], []),
      /registers goquorum:local:Cluster::kind twice/,
    );
  });

  it("prints counts, flags and each step with its changed inputs", () => {
    const text = formatPreview(
      previewUpdate(
        [CLUSTER, K8S_PROVIDER, statefulSet()],
        [CLUSTER, K8S_PROVIDER, statefulSet({ serviceName: "x" }), configMap({})],
      ),
    );
    assert.match(
      text,
      /^Update preview: 1 to create, 0 to update, 1 to replace, 0 to delete, 2 unchanged\.$/m,
    );
    assert.match(text, /^ {2}! replace \(stateful\) kubernetes:apps\/v1:StatefulSet sts: spec\.serviceName/m);
    assert.match(text, /^ {2}\+- kubernetes:apps\/v1:StatefulSet sts: spec\.serviceName$/m);
    assert.match(text, /^ {2}\+ kubernetes:core\/v1:ConfigMap cm$/m);
  });
});

describe("update preview: changed paths and the rule table", () => {
  it("lists leaves, array indices and one-sided keys", () => {
    assert.deepEqual(changedPaths({ a: { b: [1, 2] }, c: 1 }, { a: { b: [1, 3, 4] }, d: 1 }), [
      "a.b[1]",
      "a.b[2]",
      "c",
      "d",
    ]);
    assert.deepEqual(changedPaths({ a: 1 }, { a: 1 }), []);
  });

  it("marks the resources whose loss loses keys, data or addresses as stateful", () => {
    const stateful = Object.entries(REPLACEMENT_RULES)
      .filter(([, rule]) => rule.stateful)
      .map(([type]) => type);
    for (const type of [
      "kubernetes:apps/v1:StatefulSet",
      "kubernetes:core/v1:PersistentVolumeClaim",
      "aws:kms/key:Key",
      "aws:secretsmanager/secret:Secret",
      "aws:ec2/vpc:Vpc",
      "eks:index:Cluster",
      "azure-native:containerservice:ManagedCluster",
      "azure-native:keyvault:Key",
      "random:index/randomBytes:RandomBytes",
    ])
      assert.ok(stateful.includes(type), type);
    assert.ok(!stateful.includes("kubernetes:core/v1:ConfigMap"));
  });
});
