/** Names of the Azure resources of a cluster that other resources refer to by name. */
import type { SubnetPlan } from "../plan/types";

/** A planned subnet's name in the cluster's VNet; the cloud provider finds load balancer subnets by it. */
export const azureSubnetName = (subnet: Pick<SubnetPlan, "name">): string => subnet.name;

/** The cluster's resource group: everything of the cluster but the nodes (AKS keeps those in its own). */
export const resourceGroupName = (cluster: string): string => `${cluster}-rg`;

export const virtualNetworkName = (cluster: string): string => `${cluster}-vnet`;

/** The NSG attached to one planned subnet. */
export const securityGroupName = (cluster: string, subnet: Pick<SubnetPlan, "name">): string =>
  `${cluster}-${azureSubnetName(subnet)}-nsg`;

/** The peering from `from`'s VNet to `to`'s, created in `from`'s VNet. */
export const peeringName = (from: string, to: string): string => `${from}-to-${to}`;

/** Key Vault names: 3-24 letters, digits and single hyphens, starting with a letter. */
const KEY_VAULT_NAME_MAX = 24;
export type KeyVaultPurpose = "kms" | "keys";

/**
 * A Key Vault's name: the cluster name cut to fit, the vault's purpose, and a random suffix. Vault names
 * are global, and a deleted vault keeps its name for the soft-delete period (purge protection forbids
 * freeing it early), so a re-created cluster needs a fresh suffix.
 */
export function keyVaultName(cluster: string, purpose: KeyVaultPurpose, suffix: string): string {
  if (!/^[a-z0-9]{1,8}$/.test(suffix)) throw new Error(`key vault suffix "${suffix}" must be 1-8 a-z0-9`);
  const room = KEY_VAULT_NAME_MAX - purpose.length - suffix.length - 2;
  // Key Vault refuses consecutive hyphens, which cluster names allow.
  const head = cluster.replace(/-+/g, "-").slice(0, room).replace(/-+$/, "");
  return `${head}-${purpose}-${suffix}`;
}
