/**
 * The AWS vault under the mock runtime, built directly from a planned cluster: what it registers per node
 * (secret, version, role, policy, SecretProviderClass), that every key stays secret and the render masks
 * it, and how a node's pod is bound to it.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { AwsSecretsVault } from "../components/aws/AwsSecretsVault";
import { TesseraTls } from "../components/keys/TesseraTls";
import type { ClusterTarget, NodeBinding } from "../components/targets/ClusterTarget";
import { ClusterWorkloads } from "../components/workloads/ClusterWorkloads";
import type { PolicyDocument } from "../infra/aws/iam";
import { awsLoadBalancerAnnotations } from "../infra/aws/loadBalancer";
import type { AscpObject } from "../infra/aws/secretsStore";
import { throwawayBytes } from "../infra/offline/mocks";
import {
  type RenderedResource,
  type RenderResult,
  renderProgram,
  SECRET_PLACEHOLDER,
} from "../infra/offline/render";
import { planNetwork } from "../infra/plan";
import type { ClusterPlan } from "../infra/plan/types";
import { nodeKeyFiles } from "../infra/quorum/manifests";
import { awsCluster, stackConfig } from "./helpers/config";
import { clusterKeys, clusterTesseraTls } from "./helpers/keys";

const STACK = "vault-test";
const REGION = "eu-west-1";
const ACCOUNT = "210987654321";
const ISSUER = "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
const OIDC_PROVIDER = `arn:aws:iam::${ACCOUNT}:oidc-provider/${ISSUER}`;
const KMS_KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/0b8e3f4c-1d2a-4e5f-9a8b-7c6d5e4f3a2b`;

interface VaultOptions {
  readonly tls: boolean;
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
  readonly region?: string;
}

interface VaultRender {
  readonly cluster: ClusterPlan;
  readonly result: RenderResult;
  /** The SecretVersions' secretString inputs, as the component handed them over (before masking). */
  readonly secretStrings: pulumi.Output<string>[];
}

function planCluster(tls: boolean): ClusterPlan {
  const config = stackConfig(
    [awsCluster("euw1", { cidr: "10.20.0.0/16", nodes: { validators: 2, rpc: 1, members: 2 } })],
    { workloads: { tessera: { tls: tls ? "strict" : "off" } } },
  );
  const { plan, issues } = planNetwork(config);
  assert.ok(plan, JSON.stringify(issues));
  const [cluster] = plan.clusters;
  assert.ok(cluster);
  return cluster;
}

async function renderVault(options: VaultOptions): Promise<VaultRender> {
  const cluster = planCluster(options.tls);
  const secretStrings: pulumi.Output<string>[] = [];
  const result = await renderProgram(STACK, {}, async () => {
    pulumi.runtime.registerStackTransformation((args) => {
      if (args.type === "aws:secretsmanager/secretVersion:SecretVersion")
        secretStrings.push(args.props.secretString);
      return undefined;
    });
    const keys = clusterKeys(cluster);
    const members = cluster.nodes.filter((n) => n.role === "member");
    const tesseraTls = options.tls
      ? new TesseraTls("testnet-tessera-tls", {
          networkName: "testnet",
          members: members.map((node) => ({ node, namespace: cluster.namespace })),
        })
      : undefined;
    const provider = new k8s.Provider("euw1-k8s", { clusterIdentifier: "euw1" });
    const namespace = new k8s.core.v1.Namespace(
      "euw1-namespace",
      { metadata: { name: cluster.namespace } },
      { provider },
    );
    const vault = new AwsSecretsVault("euw1-vault", {
      cluster,
      keys,
      tesseraTls,
      dependsOn: [namespace],
      provider,
      awsProvider: new aws.Provider("euw1-aws", { region: REGION }),
      region: options.region ?? REGION,
      kmsKeyArn: KMS_KEY,
      oidcProviderArn: pulumi.output(OIDC_PROVIDER),
      oidcIssuer: pulumi.output(ISSUER),
      protect: options.protect,
      retainOnDelete: options.retainOnDelete,
    });
    return { bindings: Object.fromEntries(cluster.nodes.map((node) => [node.name, vault.binding(node)])) };
  });
  return { cluster, result, secretStrings };
}

const ofType = (r: RenderResult, type: string) => r.resources.filter((x) => x.type === type);
const named = (r: RenderResult, type: string, name: string): RenderedResource => {
  const found = ofType(r, type).find((x) => x.name === name);
  assert.ok(found, `${type} ${name}`);
  return found;
};
const inputs = (r: RenderedResource) => r.inputs as Record<string, unknown>;
/** Matches the ARN of the role named `name`, in whatever account the mocks put it. */
const roleArnPattern = (name: unknown) => new RegExp(`^arn:aws:iam::\\d{12}:role/${String(name)}$`);

const TYPES = {
  secret: "aws:secretsmanager/secret:Secret",
  version: "aws:secretsmanager/secretVersion:SecretVersion",
  role: "aws:iam/role:Role",
  policy: "aws:iam/rolePolicy:RolePolicy",
  spc: "kubernetes:secrets-store.csi.x-k8s.io/v1:SecretProviderClass",
  release: "kubernetes:helm.sh/v3:Release",
} as const;

describe("the AWS vault of a cluster with strict Tessera TLS, protected and retained", () => {
  let vault: VaultRender;
  before(async () => {
    vault = await renderVault({ tls: true, protect: true, retainOnDelete: true });
  });

  it("registers per node exactly one secret, version, role, policy and SecretProviderClass", () => {
    const nodes = vault.cluster.nodes.map((n) => n.name).sort();
    assert.equal(nodes.length, 5);
    for (const type of Object.values(TYPES).filter((t) => t !== TYPES.release)) {
      assert.deepEqual(
        ofType(vault.result, type)
          .map((r) => r.name.replace(/-keys(-reader)?$/, ""))
          .sort(),
        nodes,
        type,
      );
    }
  });

  it("hands every secret value over as a Pulumi secret, and the render masks it", async () => {
    assert.equal(vault.secretStrings.length, 5);
    for (const value of vault.secretStrings) assert.ok(await pulumi.isSecret(value));
    for (const version of ofType(vault.result, TYPES.version)) {
      assert.equal(inputs(version).secretString, SECRET_PLACEHOLDER);
    }
    const text = JSON.stringify(vault.result);
    assert.ok(!text.includes("PRIVATE KEY"), "a private key in the render");
    for (const node of vault.cluster.nodes) {
      const seed = throwawayBytes(`${STACK}:${node.name}-nodekey`).toString("hex");
      assert.ok(!text.includes(seed), `${node.name}'s node key leaked`);
    }
  });

  it("stores each node's key files as one JSON document, one field per file", async () => {
    const [value] = vault.secretStrings;
    assert.ok(value);
    const document = await new Promise<string>((done) => value.apply(done));
    const node = vault.cluster.nodes[0];
    assert.ok(node);
    assert.deepEqual(
      Object.keys(JSON.parse(document)),
      nodeKeyFiles(node.role, "strict").map((f) => f.name),
    );
  });

  it("encrypts each secret with the cluster's key, in its region, protected and kept on delete", () => {
    for (const node of vault.cluster.nodes) {
      const secret = named(vault.result, TYPES.secret, `${node.name}-keys`);
      assert.equal(inputs(secret).kmsKeyId, KMS_KEY);
      assert.equal(inputs(secret).region, REGION);
      assert.equal(inputs(secret).recoveryWindowInDays, 30);
      assert.equal(secret.provider, "euw1-aws");
      assert.deepEqual(secret.options?.protect, true);
      assert.deepEqual(secret.options?.retainOnDelete, true);
      // The version is replaced when a certificate is renewed: never protected.
      const version = named(vault.result, TYPES.version, `${node.name}-keys`);
      assert.equal(version.options?.protect, undefined);
      assert.equal(version.options?.retainOnDelete, true);
      assert.match(
        String(inputs(version).secretId),
        new RegExp(`^arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${node.name}-keys-`),
      );
    }
  });

  it("lets only the node's ServiceAccount assume its role, and the role read only its secret", () => {
    const secretArns = new Set<string>();
    for (const node of vault.cluster.nodes) {
      const secretArn = String(inputs(named(vault.result, TYPES.version, `${node.name}-keys`)).secretId);
      secretArns.add(secretArn);
      const role = named(vault.result, TYPES.role, `${node.name}-keys-reader`);
      assert.equal(role.provider, "euw1-aws");
      const trust = JSON.parse(String(inputs(role).assumeRolePolicy)) as PolicyDocument;
      assert.equal(trust.Statement.length, 1);
      assert.deepEqual(trust.Statement[0]?.Principal, { Federated: OIDC_PROVIDER });
      assert.deepEqual(trust.Statement[0]?.Condition, {
        StringEquals: {
          [`${ISSUER}:sub`]: `system:serviceaccount:goquorum:${node.name}`,
          [`${ISSUER}:aud`]: "sts.amazonaws.com",
        },
      });

      const policy = named(vault.result, TYPES.policy, `${node.name}-keys-reader`);
      assert.match(String(inputs(policy).role), new RegExp(`^${node.name}-keys-reader-[0-9a-f]{7}$`));
      const document = JSON.parse(String(inputs(policy).policy)) as PolicyDocument;
      assert.deepEqual(
        document.Statement.map((s) => [s.Action, s.Resource]),
        [
          [["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"], secretArn],
          ["kms:Decrypt", KMS_KEY],
        ],
      );
      assert.deepEqual(document.Statement[1]?.Condition, {
        StringEquals: {
          "kms:ViaService": `secretsmanager.${REGION}.amazonaws.com`,
          "kms:EncryptionContext:SecretARN": secretArn,
        },
      });
    }
    assert.equal(secretArns.size, vault.cluster.nodes.length, "every node has its own secret");
  });

  it("gives each node a SecretProviderClass that yields exactly its key files from its secret", () => {
    for (const node of vault.cluster.nodes) {
      const spc = named(vault.result, TYPES.spc, `${node.name}-keys`);
      const { metadata, spec } = inputs(spc) as {
        metadata: { name: string; namespace: string };
        spec: { provider: string; parameters: { region: string; objects: string } };
      };
      assert.deepEqual([metadata.name, metadata.namespace], [`${node.name}-keys`, "goquorum"]);
      assert.equal(spec.provider, "aws");
      assert.equal(spec.parameters.region, REGION);
      assert.ok(!("secretObjects" in spec));
      const [object, ...rest] = parse(spec.parameters.objects) as AscpObject[];
      assert.deepEqual(rest, []);
      assert.equal(
        object?.objectName,
        inputs(named(vault.result, TYPES.version, `${node.name}-keys`)).secretId,
        "mounts its own secret",
      );
      assert.deepEqual(
        object?.jmesPath.map((j) => j.objectAlias),
        nodeKeyFiles(node.role, "strict").map((f) => f.name),
      );
      assert.deepEqual(
        spc.options?.dependsOn,
        [
          "kubernetes:core/v1:Namespace::euw1-namespace",
          `${TYPES.release}::euw1-vault-secrets-store-csi-driver`,
          `${TYPES.release}::euw1-vault-secrets-store-provider-aws`,
        ].sort(),
      );
    }
  });

  it("binds each node's pod to its SecretProviderClass and its ServiceAccount to its role", () => {
    const bindings = vault.result.outputs.bindings as Record<string, NodeBinding>;
    for (const node of vault.cluster.nodes) {
      const roleName = inputs(named(vault.result, TYPES.policy, `${node.name}-keys-reader`)).role;
      const binding = bindings[node.name];
      assert.deepEqual(binding?.keys, { kind: "csi", secretProviderClass: `${node.name}-keys` });
      assert.deepEqual(Object.keys(binding?.serviceAccountAnnotations ?? {}), ["eks.amazonaws.com/role-arn"]);
      assert.match(
        String(binding?.serviceAccountAnnotations?.["eks.amazonaws.com/role-arn"]),
        roleArnPattern(roleName),
      );
    }
  });

  it("installs the driver, then the AWS provider, in kube-system after the namespace, pinned", () => {
    const releases = ofType(vault.result, TYPES.release);
    assert.deepEqual(
      releases.map((r) => {
        const { chart, version, namespace, name } = inputs(r) as Record<string, string>;
        return [name, chart, version, namespace, r.options?.dependsOn];
      }),
      [
        [
          "secrets-store-csi-driver",
          "secrets-store-csi-driver",
          "1.6.0",
          "kube-system",
          ["kubernetes:core/v1:Namespace::euw1-namespace"],
        ],
        [
          "secrets-store-provider-aws",
          "secrets-store-csi-driver-provider-aws",
          "3.1.1",
          "kube-system",
          [
            "kubernetes:core/v1:Namespace::euw1-namespace",
            `${TYPES.release}::euw1-vault-secrets-store-csi-driver`,
          ],
        ],
      ],
    );
    const driver = inputs(named(vault.result, TYPES.release, "euw1-vault-secrets-store-csi-driver"));
    assert.deepEqual((driver.values as { syncSecret: unknown }).syncSecret, { enabled: false });
  });
});

describe("the AWS vault without Tessera TLS, neither protected nor retained", () => {
  let vault: VaultRender;
  before(async () => {
    vault = await renderVault({ tls: false, protect: false, retainOnDelete: false });
  });

  it("mounts only the node keys and Tessera key pairs", () => {
    for (const node of vault.cluster.nodes) {
      const { spec } = inputs(named(vault.result, TYPES.spc, `${node.name}-keys`)) as {
        spec: { parameters: { objects: string } };
      };
      const [object] = parse(spec.parameters.objects) as AscpObject[];
      const expected = node.role === "member" ? ["nodekey", "tm.key", "tm.pub"] : ["nodekey"];
      assert.deepEqual(
        object?.jmesPath.map((j) => j.objectAlias),
        expected,
      );
    }
  });

  it("leaves the secrets unprotected and deletable, as the config says", () => {
    for (const secret of ofType(vault.result, TYPES.secret)) assert.equal(secret.options?.protect, undefined);
    for (const secret of ofType(vault.result, TYPES.secret))
      assert.equal(secret.options?.retainOnDelete, undefined);
  });
});

describe("the AWS vault's checks", () => {
  it("refuses a region other than the cluster's", async () => {
    await assert.rejects(
      renderVault({ tls: false, protect: false, retainOnDelete: false, region: "us-east-1" }),
      /clusters\[euw1\]\.region is eu-west-1, but its vault was given us-east-1/,
    );
  });
});

describe("the workloads of a cluster on the AWS vault", () => {
  let result: RenderResult;
  let cluster: ClusterPlan;
  before(async () => {
    const config = stackConfig(
      [awsCluster("euw1", { cidr: "10.20.0.0/16", nodes: { validators: 1, members: 1 } })],
      { workloads: { tessera: { tls: "strict" } } },
    );
    const { plan } = planNetwork(config);
    assert.ok(plan?.clusters[0]);
    const planned = plan;
    cluster = plan.clusters[0];
    result = await renderProgram(STACK, {}, async () => {
      const keys = clusterKeys(cluster);
      const tesseraTls = clusterTesseraTls(cluster);
      const kubernetes = new k8s.Provider("euw1-k8s", { clusterIdentifier: "euw1" });
      // The AWS target's vault part; the cluster itself comes from the cluster target.
      const target: ClusterTarget = {
        kubernetes,
        crdKubernetes: () => kubernetes,
        enforcesNetworkPolicies: true,
        prerequisites: [],
        loadBalancerAnnotations: (node) => awsLoadBalancerAnnotations(cluster, node),
        createVault: (name, args, opts) =>
          new AwsSecretsVault(
            name,
            {
              ...args,
              provider: kubernetes,
              awsProvider: new aws.Provider("euw1-aws", { region: REGION }),
              region: REGION,
              kmsKeyArn: KMS_KEY,
              oidcProviderArn: OIDC_PROVIDER,
              oidcIssuer: ISSUER,
              protect: true,
              retainOnDelete: true,
            },
            opts,
          ),
      };
      new ClusterWorkloads("euw1", {
        network: config.network,
        plan: planned,
        cluster,
        keys,
        tesseraTls,
        genesisJson: pulumi.output("{}"),
        target,
      });
      return {};
    });
  });

  it("creates no Kubernetes Secret: keys only reach pods through the CSI driver", () => {
    assert.deepEqual(ofType(result, "kubernetes:core/v1:Secret"), []);
  });

  it("mounts each node's SecretProviderClass, annotates its ServiceAccount and starts it after the vault", () => {
    for (const node of cluster.nodes) {
      const sts = named(result, "kubernetes:apps/v1:StatefulSet", `euw1-statefulset-goquorum-${node.name}`);
      const pod = (inputs(sts) as { spec: { template: { spec: { volumes: unknown[] } } } }).spec.template
        .spec;
      assert.ok(
        pod.volumes.some(
          (v) =>
            JSON.stringify(v) ===
            JSON.stringify({
              csi: {
                driver: "secrets-store.csi.k8s.io",
                readOnly: true,
                volumeAttributes: { secretProviderClass: `${node.name}-keys` },
              },
              name: "keys",
            }),
        ),
        `${node.name} mounts its SecretProviderClass`,
      );
      assert.ok(sts.options?.dependsOn?.includes("goquorum:aws:SecretsVault::euw1-vault"));
      const sa = named(
        result,
        "kubernetes:core/v1:ServiceAccount",
        `euw1-serviceaccount-goquorum-${node.name}`,
      );
      const roleName = inputs(named(result, TYPES.policy, `${node.name}-keys-reader`)).role;
      const { annotations } = (inputs(sa) as { metadata: { annotations: Record<string, string> } }).metadata;
      assert.deepEqual(Object.keys(annotations), ["eks.amazonaws.com/role-arn"]);
      assert.match(String(annotations["eks.amazonaws.com/role-arn"]), roleArnPattern(roleName));
    }
  });
});
