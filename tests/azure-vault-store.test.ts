/**
 * The Azure Key Vault store under the mock runtime, built directly as the AKS target builds it: per node
 * its key files as secret Key Vault secrets, one identity federated with its ServiceAccount, grants on its
 * own secrets only, and a SecretProviderClass; the pod binding points at that identity.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AzureKeyVaultStore } from "../components/azure/AzureKeyVaultStore";
import { TesseraTls } from "../components/keys/TesseraTls";
import type { ClusterTarget, NodeBinding } from "../components/targets/ClusterTarget";
import { ClusterWorkloads } from "../components/workloads/ClusterWorkloads";
import { azureLoadBalancerAnnotations } from "../infra/azure/loadBalancer";
import { throwawayBytes } from "../infra/offline/mocks";
import {
  type RenderedResource,
  type RenderResult,
  renderProgram,
  SECRET_PLACEHOLDER,
} from "../infra/offline/render";
import { COMPUTED_STATE, INVOKE_RESULTS } from "../infra/offline/state";
import { planNetwork } from "../infra/plan";
import type { ClusterPlan, NetworkPlan } from "../infra/plan/types";
import { nodeKeyFromSeed } from "../infra/quorum/keys";
import { nodeKeyFiles } from "../infra/quorum/manifests";
import { azureCluster, stackConfig } from "./helpers/config";
import { clusterKeys, clusterTesseraTls } from "./helpers/keys";

const STACK = "azure-vault-test";
const VAULT_ID =
  "/subscriptions/5d0c7d2e-0000-4000-8000-000000000001/resourceGroups/rg-a/providers/Microsoft.KeyVault/vaults/kv-a";
const TENANT = "5d0c7d2e-0000-4000-8000-000000000002";
const ISSUER = "https://westeurope.oic.prod-aks.azure.com/tenant/cluster/";

const TYPES = {
  secret: "azure-native:keyvault:Secret",
  identity: "azure-native:managedidentity:UserAssignedIdentity",
  federation: "azure-native:managedidentity:FederatedIdentityCredential",
  grant: "azure-native:authorization:RoleAssignment",
  spc: "kubernetes:secrets-store.csi.x-k8s.io/v1:SecretProviderClass",
} as const;

const CONFIG = stackConfig(
  [azureCluster("a", { cidr: "10.1.0.0/16", nodes: { validators: 2, rpc: 1, members: 2 } })],
  { workloads: { tessera: { tls: "strict" } } },
);

function networkPlan(): NetworkPlan {
  const { plan, issues } = planNetwork(CONFIG);
  assert.ok(plan, JSON.stringify(issues, null, 2));
  return plan;
}

function clusterPlan(): ClusterPlan {
  const [cluster] = networkPlan().clusters;
  assert.ok(cluster);
  return cluster;
}

/** The ids an AKS target hands the store (its Key Vault, tenant and OIDC issuer). */
const AZURE_IDS = {
  resourceGroupName: "rg-a",
  location: "westeurope",
  keyVaultName: pulumi.output("kv-a"),
  keyVaultId: pulumi.output(VAULT_ID),
  tenantId: pulumi.output(TENANT),
  oidcIssuerUrl: pulumi.output(ISSUER),
  protect: true,
  retainOnDelete: true,
};

/** What the mock runtime says Azure assigned to a node's identity. */
function identityOf(node: string): { clientId: string; principalId: string } {
  const state = COMPUTED_STATE[TYPES.identity]?.({
    stack: STACK,
    name: `${node}-keys`,
    inputs: { resourceName: `${node}-keys`, resourceGroupName: AZURE_IDS.resourceGroupName },
  });
  assert.ok(state);
  return state as { clientId: string; principalId: string };
}

const ofType = (r: RenderResult, type: string) => r.resources.filter((x) => x.type === type);
// biome-ignore lint/suspicious/noExplicitAny: rendered inputs are plain JSON read field by field
const inputs = (r: RenderedResource) => r.inputs as any;

describe("AzureKeyVaultStore under the mock runtime", () => {
  const cluster = clusterPlan();
  const members = cluster.nodes.filter((n) => n.role === "member");
  let result: RenderResult;
  let secretValuesAreSecret: boolean[];

  before(async () => {
    result = await renderProgram(STACK, {}, async () => {
      const values: pulumi.Input<string>[] = [];
      pulumi.runtime.registerStackTransformation((args) => {
        if (args.type === TYPES.secret)
          values.push((args.props.properties as { value: pulumi.Input<string> }).value);
        return undefined;
      });
      const keys = clusterKeys(cluster);
      const tesseraTls = new TesseraTls("testnet-tessera-tls", {
        networkName: "testnet",
        members: members.map((node) => ({ node, namespace: cluster.namespace })),
      });
      const provider = new k8s.Provider("a-k8s", { kubeconfig: "{}" });
      const namespace = new k8s.core.v1.Namespace(
        "a-namespace",
        { metadata: { name: cluster.namespace } },
        { provider },
      );
      const store = new AzureKeyVaultStore("a-vault", {
        cluster,
        keys,
        tesseraTls,
        dependsOn: [namespace],
        provider,
        ...AZURE_IDS,
      });
      const bindings: Record<string, NodeBinding> = Object.fromEntries(
        cluster.nodes.map((node) => [node.name, store.binding(node)]),
      );
      secretValuesAreSecret = await Promise.all(values.map((v) => pulumi.isSecret(pulumi.output(v))));
      return { bindings };
    });
  });

  it("stores every key file of every node as its own secret, values secret and masked", () => {
    const secrets = ofType(result, TYPES.secret);
    const expected = cluster.nodes.flatMap((node) =>
      nodeKeyFiles(node.role, "strict").map((file) => `${node.name}-${file.name.replace(/\./g, "-")}`),
    );
    assert.deepEqual(secrets.map((s) => inputs(s).secretName).sort(), [...expected].sort());
    assert.equal(secretValuesAreSecret.length, expected.length);
    assert.ok(secretValuesAreSecret.every(Boolean), "every secret value is a Pulumi secret");
    for (const secret of secrets) {
      assert.equal(inputs(secret).properties.value, SECRET_PLACEHOLDER);
      assert.equal(typeof inputs(secret).properties.contentType, "string");
      assert.equal(inputs(secret).vaultName, "kv-a");
      assert.equal(inputs(secret).resourceGroupName, "rg-a");
      // Written only after what the vault was told to wait for (the deployer's write grant, in a cluster).
      assert.deepEqual(secret.options, {
        protect: true,
        retainOnDelete: true,
        dependsOn: ["kubernetes:core/v1:Namespace::a-namespace"],
      });
    }
    const text = JSON.stringify(result);
    for (const node of cluster.nodes) {
      const nodeKey = nodeKeyFromSeed(throwawayBytes(`${STACK}:${node.name}-nodekey`));
      assert.ok(!text.includes(nodeKey), `${node.name}'s node key leaked`);
    }
    assert.ok(!text.includes("PRIVATE KEY"), "a Tessera TLS key leaked");
  });

  it("gives each node one identity, federated with exactly its ServiceAccount", () => {
    const identities = ofType(result, TYPES.identity).map(inputs);
    assert.deepEqual(
      identities.map((i) => i.resourceName).sort(),
      cluster.nodes.map((n) => `${n.name}-keys`).sort(),
    );
    for (const identity of identities) {
      assert.equal(identity.location, "westeurope");
      assert.equal(identity.resourceGroupName, "rg-a");
    }
    const federations = ofType(result, TYPES.federation).map(inputs);
    assert.equal(federations.length, cluster.nodes.length);
    for (const node of cluster.nodes) {
      const mine = federations.filter((f) => f.resourceName === `${node.name}-keys`);
      assert.equal(mine.length, 1, node.name);
      assert.deepEqual(mine[0], {
        resourceGroupName: "rg-a",
        resourceName: `${node.name}-keys`,
        federatedIdentityCredentialResourceName: `serviceaccount-${node.name}`,
        issuer: ISSUER,
        subject: `system:serviceaccount:${cluster.namespace}:${node.name}`,
        audiences: ["api://AzureADTokenExchange"],
      });
    }
  });

  it("lets each identity read its own secrets and nothing else", () => {
    const subscription = INVOKE_RESULTS["azure-native:authorization:getClientConfig"]?.(
      {},
      STACK,
      {},
    ).subscriptionId;
    const grants = ofType(result, TYPES.grant);
    assert.equal(grants.length, ofType(result, TYPES.secret).length);
    const scopes = new Set<string>();
    for (const node of cluster.nodes) {
      const mine = grants.filter((g) => inputs(g).principalId === identityOf(node.name).principalId);
      assert.deepEqual(
        mine.map((g) => inputs(g).scope).sort(),
        nodeKeyFiles(node.role, "strict")
          .map((f) => `${VAULT_ID}/secrets/${node.name}-${f.name.replace(/\./g, "-")}`)
          .sort(),
      );
      for (const grant of mine) {
        assert.equal(
          inputs(grant).roleDefinitionId,
          `/subscriptions/${subscription}/providers/Microsoft.Authorization/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6`,
        );
        assert.equal(inputs(grant).principalType, "ServicePrincipal");
        assert.match(
          inputs(grant).roleAssignmentName,
          /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
        );
        const secret = inputs(grant).scope.split("/").at(-1);
        assert.deepEqual(grant.options?.dependsOn, [`${TYPES.secret}::${secret}`]);
        assert.ok(!scopes.has(inputs(grant).scope), `${inputs(grant).scope} granted twice`);
        scopes.add(inputs(grant).scope);
      }
    }
    assert.equal(scopes.size, grants.length);
  });

  it("creates one SecretProviderClass per node, with the node's identity, after the namespace", () => {
    const classes = ofType(result, TYPES.spc);
    assert.equal(classes.length, cluster.nodes.length);
    for (const node of cluster.nodes) {
      const spc = classes.find((c) => inputs(c).metadata.name === `${node.name}-keys`);
      assert.ok(spc, node.name);
      assert.equal(inputs(spc).metadata.namespace, cluster.namespace);
      assert.equal(spc.provider, "a-k8s");
      assert.deepEqual(spc.options?.dependsOn, ["kubernetes:core/v1:Namespace::a-namespace"]);
      const { parameters } = inputs(spc).spec;
      assert.equal(parameters.clientID, identityOf(node.name).clientId);
      assert.equal(parameters.keyvaultName, "kv-a");
      assert.equal(parameters.tenantID, TENANT);
      assert.equal(parameters.usePodIdentity, "false");
      assert.equal(inputs(spc).spec.secretObjects, undefined);
      for (const file of nodeKeyFiles(node.role, "strict")) assert.ok(parameters.objects.includes(file.name));
    }
  });

  it("binds each node's pod to its identity through the ServiceAccount and the CSI volume", () => {
    const bindings = result.outputs.bindings as Record<string, NodeBinding>;
    for (const node of cluster.nodes) {
      assert.deepEqual(bindings[node.name], {
        keys: { kind: "csi", secretProviderClass: `${node.name}-keys` },
        serviceAccountAnnotations: { "azure.workload.identity/client-id": identityOf(node.name).clientId },
        podLabels: { "azure.workload.identity/use": "true" },
      });
    }
    const clientIds = cluster.nodes.map((n) => identityOf(n.name).clientId);
    assert.equal(new Set(clientIds).size, clientIds.length);
  });
});

describe("a node's pod with its keys in Key Vault", () => {
  const plan = networkPlan();
  const cluster = clusterPlan();
  let result: RenderResult;

  before(async () => {
    result = await renderProgram(STACK, {}, async () => {
      const keys = clusterKeys(cluster);
      const tesseraTls = clusterTesseraTls(cluster);
      const provider = new k8s.Provider("a-k8s", { kubeconfig: "{}" });
      // What the AKS target does: its Kubernetes provider, and the Key Vault store as the nodes' vault.
      const target: ClusterTarget = {
        kubernetes: provider,
        crdKubernetes: () => provider,
        enforcesNetworkPolicies: true,
        prerequisites: [],
        loadBalancerAnnotations: (node) => azureLoadBalancerAnnotations(cluster, node),
        createVault: (name, args, opts) =>
          new AzureKeyVaultStore(name, { ...args, provider, ...AZURE_IDS }, opts),
      };
      new ClusterWorkloads("a", {
        network: CONFIG.network,
        plan,
        cluster,
        keys,
        tesseraTls,
        genesisJson: pulumi.output("{}"),
        target,
      });
      return {};
    });
  });

  it("runs as the node's ServiceAccount bound to its identity, and mounts the node's SecretProviderClass", () => {
    for (const node of cluster.nodes) {
      const account = ofType(result, "kubernetes:core/v1:ServiceAccount").find(
        (a) => inputs(a).metadata.name === node.name,
      );
      assert.ok(account, node.name);
      assert.deepEqual(inputs(account).metadata.annotations, {
        "azure.workload.identity/client-id": identityOf(node.name).clientId,
      });
      const sts = ofType(result, "kubernetes:apps/v1:StatefulSet").find(
        (s) => inputs(s).metadata.name === node.name,
      );
      assert.ok(sts, node.name);
      const template = inputs(sts).spec.template;
      assert.equal(template.metadata.labels["azure.workload.identity/use"], "true");
      assert.equal(template.spec.serviceAccountName, node.name);
      assert.deepEqual(
        template.spec.volumes.filter((v: { csi?: unknown }) => v.csi),
        [
          {
            name: "keys",
            csi: {
              driver: "secrets-store.csi.k8s.io",
              readOnly: true,
              volumeAttributes: { secretProviderClass: `${node.name}-keys` },
            },
          },
        ],
      );
      assert.ok(
        sts.options?.dependsOn?.includes("goquorum:azure:KeyVaultStore::a-vault"),
        "pod waits for the vault",
      );
    }
    assert.equal(ofType(result, "kubernetes:core/v1:Secret").length, 0, "no key in a Kubernetes Secret");
  });
});
