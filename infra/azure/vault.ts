/**
 * The Azure Key Vault side of a cluster's node keys, as plain values: which secret holds which key file,
 * which managed identity may read which secret, and the SecretProviderClass that mounts them into the pod.
 *
 * One Key Vault secret per key file (Key Vault secrets are single values and the Azure CSI provider cannot
 * cut a JSON document into files), named `<node>-<file>`. Per node one user-assigned identity, federated
 * with exactly the node's ServiceAccount and granted Key Vault Secrets User on exactly the node's secrets.
 */
import { createHash } from "node:crypto";
import { posix } from "node:path";
import { stringify } from "yaml";
import type { ClusterPlan, NodePlan } from "../plan/types";
import {
  CSI_KEY_FILE_PERMISSION,
  FILES,
  type KeyFile,
  keysSecretName,
  nodeKeyFiles,
  nodeTesseraTls,
  SECRETS_STORE_CSI_API_VERSION,
  serviceAccountName,
} from "../quorum/manifests";
import { TESSERA_KEY_PATHS, TESSERA_TLS_PATHS } from "../quorum/peers";
import { AZURE_ROLES } from "./roles";

/** Built-in role "Key Vault Secrets User": read secret contents (data plane), nothing else. */
export const KEY_VAULT_SECRETS_USER_ROLE = AZURE_ROLES.keyVaultSecretsUser;

/** Audience Entra ID expects on Kubernetes service account tokens it exchanges (workload identity). */
export const WORKLOAD_IDENTITY_AUDIENCE = "api://AzureADTokenExchange";

/** ServiceAccount annotation naming the managed identity the account stands for. */
export const WORKLOAD_IDENTITY_CLIENT_ID_ANNOTATION = "azure.workload.identity/client-id";

/** Pod label that opts a pod into workload identity (the webhook projects the identity's token). */
export const WORKLOAD_IDENTITY_USE_LABEL = "azure.workload.identity/use";

/** Mode of the mounted key files (see CSI_KEY_FILE_PERMISSION). */
export const KEY_FILE_PERMISSION = CSI_KEY_FILE_PERMISSION;

/** Content type of each key file's secret (documentation for people browsing the vault). */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  [FILES.nodeKey]: "text/plain",
  [posix.basename(TESSERA_KEY_PATHS.privateKeyPath)]: "application/json",
  [posix.basename(TESSERA_KEY_PATHS.publicKeyPath)]: "text/plain",
  [posix.basename(TESSERA_TLS_PATHS.key)]: "application/x-pem-file",
  [posix.basename(TESSERA_TLS_PATHS.certificate)]: "application/x-pem-file",
  [posix.basename(TESSERA_TLS_PATHS.ca)]: "application/x-pem-file",
};

/** Key Vault object names: 1 to 127 characters of [0-9a-zA-Z-] (case-insensitive). */
const KEY_VAULT_NAME = /^[0-9a-zA-Z-]{1,127}$/;
/** User-assigned identity names (3 to 128) and federated credential names (3 to 120). */
const IDENTITY_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_-]{2,127}$/;
const FEDERATED_CREDENTIAL_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_-]{2,119}$/;

/** One key file of a node as a Key Vault secret. */
export interface NodeSecret {
  /** The secret's name in the vault: `<node>-<file>` with every character Key Vault refuses turned into `-`. */
  readonly name: string;
  readonly file: KeyFile;
  readonly contentType: string;
}

/** Everything the vault creates for one node, before any id is known. */
export interface NodeVaultPlan {
  readonly node: NodePlan;
  /** Name of the node's user-assigned managed identity in the cluster's resource group. */
  readonly identityName: string;
  readonly federatedCredential: {
    readonly name: string;
    /** Exactly the node's ServiceAccount: no other pod can act as this identity. */
    readonly subject: string;
    readonly audiences: readonly string[];
  };
  readonly secrets: readonly NodeSecret[];
}

export type TesseraTlsMode = "off" | "strict";

export function keyVaultSecretName(node: Pick<NodePlan, "name">, file: Pick<KeyFile, "name">): string {
  const name = `${node.name}-${file.name}`.replace(/[^0-9a-zA-Z-]/g, "-");
  if (!KEY_VAULT_NAME.test(name)) {
    throw new Error(
      `node ${node.name}: Key Vault secret name ${name} is not 1-127 characters of [0-9a-zA-Z-]`,
    );
  }
  return name;
}

export function nodeSecrets(node: NodePlan, tls: TesseraTlsMode): NodeSecret[] {
  return nodeKeyFiles(node.role, nodeTesseraTls(node, tls)).map((file) => {
    const contentType = CONTENT_TYPES[file.name];
    if (!contentType)
      throw new Error(`node ${node.name}: no Key Vault content type for key file ${file.name}`);
    return { name: keyVaultSecretName(node, file), file, contentType };
  });
}

/** `system:serviceaccount:<namespace>:<node's ServiceAccount>`, the token subject Entra ID federates. */
export const serviceAccountSubject = (namespace: string, node: Pick<NodePlan, "name">): string =>
  `system:serviceaccount:${namespace}:${serviceAccountName(node)}`;

function checkedName(pattern: RegExp, what: string, name: string): string {
  if (!pattern.test(name)) throw new Error(`${what} name ${name} is not valid in Azure`);
  return name;
}

/**
 * Per node of the cluster: its identity, federation and secrets. Throws when two files of the cluster's
 * vault would share a secret name (Key Vault names are case-insensitive), so no node can read another's.
 */
export function azureVaultPlan(cluster: Pick<ClusterPlan, "namespace" | "nodes">, tls: TesseraTlsMode) {
  const plans = cluster.nodes.map(
    (node): NodeVaultPlan => ({
      node,
      identityName: checkedName(IDENTITY_NAME, "managed identity", `${node.name}-keys`),
      federatedCredential: {
        name: checkedName(
          FEDERATED_CREDENTIAL_NAME,
          "federated credential",
          `serviceaccount-${serviceAccountName(node)}`,
        ),
        subject: serviceAccountSubject(cluster.namespace, node),
        audiences: [WORKLOAD_IDENTITY_AUDIENCE],
      },
      secrets: nodeSecrets(node, tls),
    }),
  );
  const owners = new Map<string, string>();
  for (const { node, secrets } of plans) {
    for (const { name } of secrets) {
      const owner = owners.get(name.toLowerCase());
      if (owner !== undefined) {
        throw new Error(`nodes ${owner} and ${node.name} would share the Key Vault secret ${name}`);
      }
      owners.set(name.toLowerCase(), node.name);
    }
  }
  return plans;
}

const KEY_VAULT_ID =
  /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.KeyVault\/vaults\/[^/]+$/i;

/** ARM id of a secret: the scope of the one role assignment that lets its node read it. */
export function secretScope(keyVaultId: string, secretName: string): string {
  const vault = keyVaultId.replace(/\/+$/, "");
  if (!KEY_VAULT_ID.test(vault)) throw new Error(`${keyVaultId} is not the ARM id of a Key Vault`);
  return `${vault}/secrets/${secretName}`;
}

/**
 * The cluster's OIDC issuer exactly as AKS reports it: Entra ID compares it with the token's `iss` byte for
 * byte, so it is passed on unchanged, only checked.
 */
export function checkedIssuerUrl(url: string): string {
  if (!/^https:\/\/[^/\s]+(\/\S*)?$/.test(url)) {
    throw new Error(`OIDC issuer "${url}" is not an https URL: is the AKS OIDC issuer enabled?`);
  }
  return url;
}

export const roleDefinitionId = (subscriptionId: string, role: string): string =>
  `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${role}`;

/** RFC 4122 name-based (version 5, SHA-1) UUID of `name` in `namespace`. */
export function uuidV5(namespace: string, name: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ""), "hex");
  if (ns.length !== 16) throw new Error(`namespace ${namespace} is not a UUID`);
  const bytes = createHash("sha1").update(ns).update(name, "utf8").digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
}

/** Namespace of this program's role assignment names. */
const ROLE_ASSIGNMENT_NAMESPACE = "2f7c56a4-6c1e-4f55-9d0b-2a4f3c8e9b17";

/**
 * The role assignment's name: Azure wants a GUID unique in the whole tenant, stable across runs so an
 * update never creates a second assignment. Derived from the scope (which names the subscription, vault
 * and secret, hence the node), the role and the principal: a replaced identity gets a new assignment
 * created next to the old one (Azure refuses to move an assignment to another principal).
 */
export const roleAssignmentName = (scope: string, role: string, principalId: string): string =>
  uuidV5(ROLE_ASSIGNMENT_NAMESPACE, [role, principalId, scope].join("@").toLowerCase());

/** What the node's identity is granted: Key Vault Secrets User on each of its own secrets, nothing else. */
export interface SecretReaderAssignment {
  readonly secretName: string;
  readonly principalId: string;
  readonly scope: string;
  readonly roleAssignmentName: string;
  readonly roleDefinitionId: string;
}

export function secretReaderAssignments(
  keyVaultId: string,
  subscriptionId: string,
  principalId: string,
  secrets: readonly Pick<NodeSecret, "name">[],
): SecretReaderAssignment[] {
  return secrets.map(({ name }) => {
    const scope = secretScope(keyVaultId, name);
    return {
      secretName: name,
      principalId,
      scope,
      roleAssignmentName: roleAssignmentName(scope, KEY_VAULT_SECRETS_USER_ROLE, principalId),
      roleDefinitionId: roleDefinitionId(subscriptionId, KEY_VAULT_SECRETS_USER_ROLE),
    };
  });
}

/**
 * The provider's `objects` parameter: YAML with an `array` of YAML documents, one per secret, each written
 * to the file the pod mounts (`objectAlias` = the key file's flat name).
 */
export function secretProviderObjects(secrets: readonly NodeSecret[]): string {
  const objects = secrets.map((s) =>
    stringify({
      objectName: s.name,
      objectAlias: s.file.name,
      objectType: "secret",
      filePermission: KEY_FILE_PERMISSION,
    }),
  );
  return stringify({ array: objects }, { blockQuote: "literal" });
}

/** Ids the SecretProviderClass needs; Outputs in the component, strings in tests. */
export interface SecretProviderIds<T> {
  readonly keyVaultName: T;
  readonly tenantId: T;
  /** Client id of the node's managed identity: the CSI driver exchanges the pod's token for it. */
  readonly clientId: T;
}

/**
 * The node's SecretProviderClass (`keysSecretName(node)`): workload identity (no pod identity, no node
 * identity), the node's secrets only, nothing synced into Kubernetes Secrets.
 */
export function secretProviderClass<T>(
  namespace: string,
  node: Pick<NodePlan, "name">,
  secrets: readonly NodeSecret[],
  ids: SecretProviderIds<T>,
) {
  return {
    apiVersion: SECRETS_STORE_CSI_API_VERSION,
    kind: "SecretProviderClass",
    metadata: { name: keysSecretName(node), namespace },
    spec: {
      provider: "azure",
      parameters: {
        usePodIdentity: "false",
        useVMManagedIdentity: "false",
        clientID: ids.clientId,
        keyvaultName: ids.keyVaultName,
        tenantID: ids.tenantId,
        objects: secretProviderObjects(secrets),
      },
    },
  };
}
