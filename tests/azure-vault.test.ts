/**
 * The Azure Key Vault values of a cluster, without Pulumi: secret names, per-node identities and their
 * federation, per-secret role assignments, and the SecretProviderClass that mounts the key files.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { parse } from "yaml";
import {
  azureVaultPlan,
  checkedIssuerUrl,
  KEY_FILE_PERMISSION,
  KEY_VAULT_SECRETS_USER_ROLE,
  keyVaultSecretName,
  nodeSecrets,
  roleAssignmentName,
  secretProviderClass,
  secretProviderObjects,
  secretReaderAssignments,
  secretScope,
  type TesseraTlsMode,
  uuidV5,
  WORKLOAD_IDENTITY_AUDIENCE,
} from "../infra/azure/vault";
import type { NodeRole } from "../infra/config/schema";
import { planNetwork } from "../infra/plan";
import type { ClusterPlan, NodePlan } from "../infra/plan/types";
import { nodeKeyFiles, serviceAccountName } from "../infra/quorum/manifests";
import { azureCluster, stackConfig } from "./helpers/config";

const ROLES: readonly NodeRole[] = ["validator", "rpc", "member"];
const TLS_MODES: readonly TesseraTlsMode[] = ["off", "strict"];
const VAULT_ID =
  "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-a/providers/Microsoft.KeyVault/vaults/kv-a";
const SUBSCRIPTION = "00000000-0000-0000-0000-000000000001";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function azurePlan(): ClusterPlan {
  const { plan, issues } = planNetwork(
    stackConfig([azureCluster("a", { cidr: "10.1.0.0/16", nodes: { validators: 4, rpc: 1, members: 2 } })]),
  );
  assert.ok(plan, JSON.stringify(issues, null, 2));
  const [cluster] = plan.clusters;
  assert.ok(cluster);
  return cluster;
}

/** A stand-in principal id per node. */
const principalOf = (node: string) => uuidV5("6ba7b811-9dad-11d1-80b4-00c04fd430c8", node);

const node = (name: string, role: NodeRole = "member"): NodePlan => ({
  name,
  cluster: "a",
  role,
  index: 0,
  client: "goquorum",
});

/** The provider's parse of `objects`: a YAML `array` of YAML documents. */
function parsedObjects(objects: string): Record<string, string>[] {
  const { array } = parse(objects) as { array: string[] };
  return array.map((doc) => parse(doc) as Record<string, string>);
}

/** Node names as the planner makes them: lowercase DNS labels. */
const nodeName = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,40}[a-z0-9])?$/);

describe("Key Vault secrets of a node", () => {
  it("one secret per key file, named <node>-<file> in Key Vault's alphabet", () => {
    assert.deepEqual(
      nodeSecrets(node("a-member-0"), "strict").map((s) => [s.name, s.file.name, s.contentType]),
      [
        ["a-member-0-nodekey", "nodekey", "text/plain"],
        ["a-member-0-tm-key", "tm.key", "application/json"],
        ["a-member-0-tm-pub", "tm.pub", "text/plain"],
        ["a-member-0-tls-key", "tls.key", "application/x-pem-file"],
        ["a-member-0-tls-crt", "tls.crt", "application/x-pem-file"],
        ["a-member-0-ca-crt", "ca.crt", "application/x-pem-file"],
      ],
    );
    assert.deepEqual(
      nodeSecrets(node("a-validator-0", "validator"), "strict").map((s) => s.name),
      ["a-validator-0-nodekey"],
    );
  });

  it("rejects a name Key Vault would refuse", () => {
    assert.throws(() => keyVaultSecretName(node("n".repeat(125)), { name: "nodekey" }), /1-127 characters/);
  });

  it("names are valid and unique across any cluster's nodes and files (case-insensitively)", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(nodeName, { minLength: 1, maxLength: 12 }),
        fc.constantFrom(...TLS_MODES),
        (names, tls) => {
          const nodes = names.map((name, i) => node(name, ROLES[i % ROLES.length]));
          const secrets = azureVaultPlan({ namespace: "goquorum", nodes }, tls).flatMap((p) => p.secrets);
          for (const { name } of secrets) assert.match(name, /^[0-9a-zA-Z-]{1,127}$/);
          assert.equal(new Set(secrets.map((s) => s.name.toLowerCase())).size, secrets.length);
        },
      ),
    );
  });

  it("refuses a cluster where two nodes would share a secret", () => {
    assert.throws(
      () => azureVaultPlan({ namespace: "goquorum", nodes: [node("x-tm"), node("X-TM")] }, "off"),
      /nodes x-tm and X-TM would share the Key Vault secret X-TM-nodekey/,
    );
  });
});

describe("identity per node", () => {
  const cluster = azurePlan();
  const plans = azureVaultPlan(cluster, "strict");

  it("one identity per node, federated with exactly the node's own ServiceAccount", () => {
    assert.equal(plans.length, cluster.nodes.length);
    assert.equal(new Set(plans.map((p) => p.identityName)).size, plans.length);
    for (const plan of plans) {
      assert.equal(plan.identityName, `${plan.node.name}-keys`);
      assert.equal(plan.federatedCredential.subject, `system:serviceaccount:goquorum:${plan.node.name}`);
      assert.equal(serviceAccountName(plan.node), plan.node.name);
      assert.deepEqual(plan.federatedCredential.audiences, [WORKLOAD_IDENTITY_AUDIENCE]);
      assert.deepEqual(plan.federatedCredential.audiences, ["api://AzureADTokenExchange"]);
    }
    assert.equal(new Set(plans.map((p) => p.federatedCredential.subject)).size, plans.length);
  });

  it("grants Key Vault Secrets User on each of the node's secrets and nothing else", () => {
    for (const plan of plans) {
      const grants = secretReaderAssignments(
        VAULT_ID,
        SUBSCRIPTION,
        principalOf(plan.node.name),
        plan.secrets,
      );
      assert.deepEqual(
        grants.map((g) => g.scope),
        plan.secrets.map((s) => `${VAULT_ID}/secrets/${s.name}`),
      );
      for (const grant of grants) {
        assert.equal(
          grant.roleDefinitionId,
          `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6`,
        );
        assert.match(grant.roleAssignmentName, UUID);
        assert.equal(grant.principalId, principalOf(plan.node.name));
        assert.ok(grant.scope.startsWith(`${VAULT_ID}/secrets/${plan.node.name}-`));
      }
    }
  });

  it("no two nodes share a secret scope or a role assignment name, in any cluster", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(nodeName, { minLength: 2, maxLength: 10 }),
        fc.constantFrom(...TLS_MODES),
        (names, tls) => {
          const nodes = names.map((name, i) => node(name, ROLES[i % ROLES.length]));
          const owner = new Map<string, string>();
          for (const plan of azureVaultPlan({ namespace: "ns", nodes }, tls)) {
            for (const grant of secretReaderAssignments(
              VAULT_ID,
              SUBSCRIPTION,
              principalOf(plan.node.name),
              plan.secrets,
            )) {
              for (const key of [grant.scope.toLowerCase(), grant.roleAssignmentName]) {
                assert.equal(
                  owner.get(key),
                  undefined,
                  `${key} of ${plan.node.name} is also ${owner.get(key)}'s`,
                );
                owner.set(key, plan.node.name);
              }
            }
          }
        },
      ),
    );
  });
});

describe("ids from the cluster target", () => {
  it("scopes need a Key Vault's ARM id", () => {
    assert.equal(secretScope(`${VAULT_ID}/`, "s"), `${VAULT_ID}/secrets/s`);
    assert.throws(() => secretScope("kv-a", "s"), /kv-a is not the ARM id of a Key Vault/);
    assert.throws(
      () => secretScope(VAULT_ID.replace("Microsoft.KeyVault", "Microsoft.Storage"), "s"),
      /ARM id/,
    );
  });

  it("the OIDC issuer passes unchanged, and must be an https URL", () => {
    const issuer = "https://westeurope.oic.prod-aks.azure.com/00000000-0000-0000-0000-000000000000/1111/";
    assert.equal(checkedIssuerUrl(issuer), issuer);
    for (const bad of ["", "http://issuer.example/", "https://"]) {
      assert.throws(() => checkedIssuerUrl(bad), /is not an https URL: is the AKS OIDC issuer enabled/);
    }
  });
});

describe("role assignment names", () => {
  it("are RFC 4122 version 5 UUIDs", () => {
    // Python's uuid.uuid5(uuid.NAMESPACE_DNS, "python.org").
    assert.equal(
      uuidV5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "python.org"),
      "886313e1-3b8a-5372-9b90-0c9aee199e5d",
    );
  });

  it("are stable, and differ per secret, vault (so per stack), role and principal", () => {
    const scope = `${VAULT_ID}/secrets/a-member-0-nodekey`;
    const principal = principalOf("a-member-0");
    const name = roleAssignmentName(scope, KEY_VAULT_SECRETS_USER_ROLE, principal);
    assert.match(name, UUID);
    assert.equal(roleAssignmentName(scope, KEY_VAULT_SECRETS_USER_ROLE, principal), name);
    for (const other of [
      roleAssignmentName(`${VAULT_ID}/secrets/a-member-1-nodekey`, KEY_VAULT_SECRETS_USER_ROLE, principal),
      roleAssignmentName(scope.replace("kv-a", "kv-b"), KEY_VAULT_SECRETS_USER_ROLE, principal),
      roleAssignmentName(scope, "12338af0-0e69-4776-bea7-57ae8d297424", principal),
      // A replaced identity: a new assignment, since Azure cannot move one to another principal.
      roleAssignmentName(scope, KEY_VAULT_SECRETS_USER_ROLE, principalOf("replaced")),
    ]) {
      assert.notEqual(other, name);
    }
    // ARM ids are case-insensitive: the same secret written differently is the same assignment.
    assert.equal(roleAssignmentName(scope.toUpperCase(), KEY_VAULT_SECRETS_USER_ROLE, principal), name);
  });
});

describe("SecretProviderClass per node", () => {
  for (const role of ROLES) {
    for (const tls of TLS_MODES) {
      it(`mounts exactly the key files of a ${role} (TLS ${tls}) under their flat names`, () => {
        const n = node(`a-${role}-0`, role);
        const secrets = nodeSecrets(n, tls);
        const objects = parsedObjects(secretProviderObjects(secrets));
        assert.deepEqual(
          objects.map((o) => o.objectAlias),
          nodeKeyFiles(role, tls).map((f) => f.name),
        );
        assert.deepEqual(
          objects,
          secrets.map((s) => ({
            objectName: s.name,
            objectAlias: s.file.name,
            objectType: "secret",
            filePermission: "0444",
          })),
        );
      });
    }
  }

  it("uses workload identity with the node's identity, its vault and tenant, and syncs no Secret", () => {
    const n = node("a-member-0");
    const secrets = nodeSecrets(n, "off");
    const spc = secretProviderClass("goquorum", n, secrets, {
      keyVaultName: "kv-a",
      tenantId: "tenant",
      clientId: "client",
    });
    assert.deepEqual(spc, {
      apiVersion: "secrets-store.csi.x-k8s.io/v1",
      kind: "SecretProviderClass",
      metadata: { name: "a-member-0-keys", namespace: "goquorum" },
      spec: {
        provider: "azure",
        parameters: {
          usePodIdentity: "false",
          useVMManagedIdentity: "false",
          clientID: "client",
          keyvaultName: "kv-a",
          tenantID: "tenant",
          objects: secretProviderObjects(secrets),
        },
      },
    });
    // The provider reads the permission as an octal string; a YAML integer would lose the leading zero.
    assert.match(secretProviderObjects(secrets), /filePermission: "0444"/);
    assert.equal(Number.parseInt(KEY_FILE_PERMISSION, 8) & 0o004, 0o004, "uid 1000 reads root-owned files");
    assert.equal(Number.parseInt(KEY_FILE_PERMISSION, 8) & 0o222, 0, "nobody writes them");
  });
});
