/**
 * The deployer's path to an AKS API server (`clusters[].apiAccess`), as values: the API server profile, the
 * private DNS zone of a private cluster and its links, the peerings with the management VNets.
 *
 * A private cluster (Private Link) answers on a private endpoint in the cluster's VNet, under a name in a
 * private DNS zone that resolves only in VNets linked to it (AKS private clusters doc, "Hub and spoke with
 * custom DNS": the zone is linked only to the cluster's VNet). The program brings the zone itself, one
 * subzone per cluster (`<sub>.privatelink.<region>.azmk8s.io`, the format that doc gives for a custom zone),
 * links it to every management VNet so runners there resolve the API server, and turns off the public FQDN
 * that would publish the private address in public DNS. A custom zone needs the cluster identity to hold
 * Private DNS Zone Contributor on the zone and Network Contributor on the VNet (same doc), granted in
 * `roles.ts`.
 */

import type { AzureClusterConfig, ManagementNetworkConfig, NetworkConfig } from "../config/schema";
import { aksApiServerIsPrivate, type DeployerPath } from "../plan/apiAccess";
import { peeringName } from "./names";
import { PEERING_FLAGS } from "./peering";

export type ApiServerAccess =
  | { readonly enablePrivateCluster: false; readonly authorizedIPRanges: readonly string[] }
  | {
      readonly enablePrivateCluster: true;
      readonly enablePrivateClusterPublicFQDN: false;
      /** Created by the program; the component passes its id as `privateDNSZone`. */
      readonly privateDnsZone: string;
    };

/** The private DNS zone of a private AKS cluster: unique per network and cluster, in the cluster's region. */
export const aksPrivateDnsZoneName = (
  network: Pick<NetworkConfig, "name">,
  cluster: Pick<AzureClusterConfig, "name" | "region">,
): string => `${network.name}-${cluster.name}.privatelink.${cluster.region}.azmk8s.io`;

/** Public for `apiAccess.publicRanges` only, or private: never open to every address. */
export function apiServerAccess(
  network: Pick<NetworkConfig, "name">,
  config: AzureClusterConfig,
): ApiServerAccess {
  if (aksApiServerIsPrivate(config)) {
    return {
      enablePrivateCluster: true,
      enablePrivateClusterPublicFQDN: false,
      privateDnsZone: aksPrivateDnsZoneName(network, config),
    };
  }
  const ranges = config.apiAccess.publicRanges;
  if (ranges.length === 0) {
    throw new Error(`cluster ${config.name}: a public API server needs apiAccess.publicRanges`);
  }
  return { enablePrivateCluster: false, authorizedIPRanges: [...ranges] };
}

/**
 * How the private endpoint of a private API server is fenced: it sits on the node subnet, whose NSG filters
 * it only with the subnet's private-endpoint network policies on (`nsgFiltersPrivateEndpoints`; off by
 * default, and then every network routed to the VNet, peer clusters and sites included, reaches it). So the
 * node subnets turn them on (`NetworkSecurityGroupEnabled`: the NSG, not the route tables) and their NSG admits
 * TCP 443 from the deployers' private ranges before it denies the peers, management networks and sites.
 */
export interface PrivateEndpointFence {
  readonly privateEndpointNetworkPolicies: "NetworkSecurityGroupEnabled";
  /** The ranges admitted to the API server: the cluster's private deployer paths. */
  readonly deployers: readonly string[];
}

export function privateEndpointFence(
  config: Pick<AzureClusterConfig, "name" | "apiAccess">,
  paths: readonly DeployerPath[],
): PrivateEndpointFence | undefined {
  if (!aksApiServerIsPrivate(config)) return undefined;
  const deployers = paths
    .filter((p) => p.cluster === config.name && p.admittedBy === "aks-private-endpoint")
    .map((p) => p.source);
  return {
    privateEndpointNetworkPolicies: "NetworkSecurityGroupEnabled",
    deployers: [...new Set(deployers)],
  };
}

/**
 * The ranges of the Azure management networks, which the program peers with every Azure cluster's VNet. A
 * peered VNet is in the cluster's `VirtualNetwork` tag, so Azure's `AllowVnetInBound` would admit it to every
 * node and port: the NSGs deny these ranges like the peers' (`nsgRules`), after admitting the deployers to a
 * private API server's endpoint (`privateEndpointFence`).
 */
export const managementRanges = (networks: readonly ManagementNetworkConfig[]): string[] =>
  networks.flatMap((m) => (m.provider === "azure" ? [m.cidr] : []));

/** An Azure management network: its VNet's resource group and name, read off its resource id. */
export interface ManagementVnet {
  readonly network: string;
  readonly virtualNetworkId: string;
  readonly resourceGroupName: string;
  readonly virtualNetworkName: string;
}

export function managementVnets(networks: readonly ManagementNetworkConfig[]): ManagementVnet[] {
  return networks.flatMap((m) => {
    if (m.provider !== "azure") return [];
    const parts = /\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Network\/virtualNetworks\/([^/]+)$/.exec(
      m.virtualNetworkId,
    );
    if (!parts) throw new Error(`managementNetworks ${m.name}: not a VNet resource id`);
    return [
      {
        network: m.name,
        virtualNetworkId: m.virtualNetworkId,
        resourceGroupName: parts[1] as string,
        virtualNetworkName: parts[2] as string,
      },
    ];
  });
}

/**
 * The VNets a private API server's DNS zone is linked to, beside the cluster's own (which AKS links itself):
 * every Azure management VNet, so runners there resolve the private endpoint. None for a public API server.
 */
export const apiZoneLinks = (
  access: ApiServerAccess,
  networks: readonly ManagementNetworkConfig[],
): ManagementVnet[] => (access.enablePrivateCluster ? managementVnets(networks) : []);

/** One side of the peering between a cluster's VNet and a management VNet. */
export interface ManagementPeering {
  readonly name: string;
  /** Where the peering resource lives: the cluster's VNet, or the management VNet. */
  readonly side: "cluster" | "management";
  readonly management: ManagementVnet;
  readonly flags: typeof PEERING_FLAGS;
}

/**
 * Both directions of the peering with each management VNet (a one-sided peering carries nothing), with the
 * flags of the cluster mesh: no forwarded traffic and no gateway transit, so a runner reaches this cluster's
 * VNet and nothing beyond it.
 */
export function managementPeerings(
  cluster: Pick<AzureClusterConfig, "name">,
  networks: readonly ManagementNetworkConfig[],
): ManagementPeering[] {
  return managementVnets(networks).flatMap((management) => [
    {
      name: peeringName(cluster.name, management.network),
      side: "cluster",
      management,
      flags: PEERING_FLAGS,
    },
    {
      name: peeringName(management.network, cluster.name),
      side: "management",
      management,
      flags: PEERING_FLAGS,
    },
  ]);
}
