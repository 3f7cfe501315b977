/**
 * The gateway's load balancer on Azure (Service annotations for the AKS cloud provider) and cert-manager's
 * Azure DNS identity (names, federation and role scope, before any id is known).
 */
import type { AcmeConfig, Exposure } from "../config/ingress";
import { internalGatewaySubnets } from "../plan/ingress";
import type { ClusterPlan } from "../plan/types";
import { azureSubnetName } from "./names";
import { AZURE_ROLES } from "./roles";
import { roleDefinitionId, WORKLOAD_IDENTITY_AUDIENCE } from "./vault";

/**
 * `internal`: a frontend of the cluster's internal Standard LB with an address from the node subnet,
 * reachable over the VNet, peering and VPN. `public`: a frontend of the cluster's public Standard LB with
 * its own public IP. Either way the Service's loadBalancerSourceRanges become NSG rules.
 */
export function azureGatewayServiceAnnotations(
  cluster: ClusterPlan,
  exposure: Exposure,
): Record<string, string> {
  if (exposure === "public") return { "service.beta.kubernetes.io/azure-load-balancer-internal": "false" };
  const [nodes] = internalGatewaySubnets(cluster);
  return {
    "service.beta.kubernetes.io/azure-load-balancer-internal": "true",
    ...(nodes
      ? { "service.beta.kubernetes.io/azure-load-balancer-internal-subnet": azureSubnetName(nodes) }
      : {}),
  };
}

/** Built-in role "DNS Zone Contributor": manage a DNS zone's record sets, not its access. */
export const DNS_ZONE_CONTRIBUTOR_ROLE = AZURE_ROLES.dnsZoneContributor;

export type AzureDnsZone = NonNullable<AcmeConfig["azureDns"]>;

/** The ARM id of the configured DNS zone: the only scope cert-manager's identity is granted. */
export const dnsZoneScope = (zone: AzureDnsZone): string =>
  `/subscriptions/${zone.subscriptionId}/resourceGroups/${zone.resourceGroup}/providers/Microsoft.Network/dnszones/${zone.zoneName}`;

/** The full id of DNS Zone Contributor in the zone's subscription. */
export const dnsZoneContributorRoleId = (zone: AzureDnsZone): string =>
  roleDefinitionId(zone.subscriptionId, DNS_ZONE_CONTRIBUTOR_ROLE);

/** cert-manager's DNS-01 identity in one cluster, before any id is known. */
export interface DnsSolverIdentityPlan {
  /** The user-assigned managed identity, in the cluster's resource group. */
  readonly identityName: string;
  readonly federatedCredential: {
    readonly name: string;
    /** Exactly cert-manager's ServiceAccount. */
    readonly subject: string;
    readonly audiences: readonly string[];
  };
  readonly scope: string;
  readonly roleDefinitionId: string;
}

export function dnsSolverIdentityPlan(
  cluster: Pick<ClusterPlan, "name">,
  serviceAccount: { readonly namespace: string; readonly name: string },
  zone: AzureDnsZone,
): DnsSolverIdentityPlan {
  return {
    identityName: `${cluster.name}-cert-manager-dns`,
    federatedCredential: {
      name: `serviceaccount-${serviceAccount.namespace}-${serviceAccount.name}`,
      subject: `system:serviceaccount:${serviceAccount.namespace}:${serviceAccount.name}`,
      audiences: [WORKLOAD_IDENTITY_AUDIENCE],
    },
    scope: dnsZoneScope(zone),
    roleDefinitionId: dnsZoneContributorRoleId(zone),
  };
}
