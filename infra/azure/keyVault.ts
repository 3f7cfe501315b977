/**
 * The two Key Vaults of an Azure cluster and the KMS key.
 *
 * AKS KMS etcd encryption talks to its vault from the control plane; with a public vault AKS supports
 * only a vault open to all networks (a firewall that admits chosen VNets and IP ranges is documented as
 * unsupported: it blocks the KMS plugin), and a private vault needs API Server VNet Integration and a
 * delegated subnet the plan does not have. So the KMS key lives in its own vault (`kms`) that holds
 * nothing else, is reachable from every network but usable only by the cluster identity (RBAC, Crypto
 * User on that one key), while the nodes' keys live in a second vault (`keys`) whose firewall admits only
 * the cluster's node and pod subnets and `apiAccess.publicRanges`. Both: RBAC authorization (no access policies),
 * soft delete for 90 days and purge protection.
 */
import type { AzureClusterConfig } from "../config/schema";
import { cidr, formatAddress } from "../plan/cidr";
import { AKS_KMS_KEY_OPERATIONS } from "./behaviour";
import type { KeyVaultPurpose } from "./names";

/** The longest soft-delete retention Azure allows. */
export const SOFT_DELETE_DAYS = 90;

export interface VaultNetwork {
  readonly publicNetworkAccess: "Enabled" | "Disabled";
  readonly networkAcls: {
    readonly defaultAction: "Allow" | "Deny";
    readonly bypass: "None" | "AzureServices";
    readonly ipRules: readonly { readonly value: string }[];
    /** Planned subnet names; the component turns them into subnet ids. */
    readonly subnets: readonly string[];
  };
}

/**
 * Key Vault IP rules take addresses or ranges, but a /32 (and /31) only as single addresses.
 */
export function keyVaultIpRules(ranges: readonly string[]): { value: string }[] {
  return ranges.flatMap((text) => {
    const range = cidr(text);
    if (range.prefix === 32) return [{ value: formatAddress(range.base) }];
    if (range.prefix === 31) return [range.base, range.base + 1].map((a) => ({ value: formatAddress(a) }));
    return [{ value: text }];
  });
}

export function vaultNetwork(
  purpose: KeyVaultPurpose,
  config: AzureClusterConfig,
  subnets: readonly string[],
): VaultNetwork {
  if (purpose === "kms") {
    return {
      publicNetworkAccess: "Enabled",
      networkAcls: { defaultAction: "Allow", bypass: "None", ipRules: [], subnets: [] },
    };
  }
  return {
    publicNetworkAccess: "Enabled",
    networkAcls: {
      defaultAction: "Deny",
      // Secrets are written through Azure Resource Manager (a trusted service); RBAC still gates every caller.
      bypass: "AzureServices",
      ipRules: keyVaultIpRules(config.apiAccess.publicRanges),
      subnets: [...subnets],
    },
  };
}

/** Settings both vaults share. */
export const VAULT_PROTECTION = {
  enableRbacAuthorization: true,
  enableSoftDelete: true,
  softDeleteRetentionInDays: SOFT_DELETE_DAYS,
  enablePurgeProtection: true,
  enabledForDeployment: false,
  enabledForDiskEncryption: false,
  enabledForTemplateDeployment: false,
} as const;

/**
 * The KMS key encryption key: RSA 2048 (what the AKS KMS plugin supports), allowing only the operations the
 * plugin calls (`AKS_KMS_KEY_OPERATIONS`: encrypt and decrypt), without expiry (an expired version would stop
 * the API server from reading Secrets). Rotate it by adding a version and pointing the cluster at it (its
 * keyId is versioned), never by deleting the old one.
 */
export const KMS_KEY = { kty: "RSA", keySize: 2048, keyOps: AKS_KMS_KEY_OPERATIONS } as const;
