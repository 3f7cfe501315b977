/** The connectivity part of the network plan: links, VPN gateways and tunnels, external peers. */
import type { NodeClient } from "../config/schema";

/** How two clusters (or a cluster and a site) are joined. */
export type LinkKind = "vpc-peering" | "vnet-peering" | "vpn";

export interface LinkPlan {
  /** Cluster or site names, in config order (clusters before sites). */
  readonly between: readonly [string, string];
  readonly kind: LinkKind;
  /** The ranges each end routes to the other over the link, by end name. */
  readonly routes: Readonly<Record<string, readonly string[]>>;
}

export interface VpnTunnelPlan {
  /** Unique in the stack; the allocator hashes it. */
  readonly name: string;
  /** The tunnel's /30 in 169.254.21.0-169.254.22.255. */
  readonly insideCidr: string;
  /** AWS's end of the tunnel (first host): the BGP peer address the far end dials. */
  readonly awsInsideAddress: string;
  /** The far end (second host): an Azure gateway's custom APIPA BGP address, or a site's device. */
  readonly peerInsideAddress: string;
}

/** One AWS Site-to-Site VPN connection: a customer gateway on the far side and two tunnels. */
export interface AwsVpnConnectionPlan {
  /** `<aws cluster>-<azure cluster>-<instance>` or `<aws cluster>-<site>`. */
  readonly name: string;
  readonly awsCluster: string;
  /** The far end: one public IP of an Azure VPN gateway (instance 0 or 1), or a site's device. */
  readonly customerGateway:
    | { readonly azureCluster: string; readonly instance: 0 | 1 }
    | { readonly site: string; readonly ipAddress: string };
  readonly customerGatewayAsn: number;
  readonly tunnels: readonly [VpnTunnelPlan, VpnTunnelPlan];
}

/** A local network gateway of an Azure VPN gateway, with the connection to it. */
export interface AzureLocalGatewayPlan {
  readonly name: string;
  /** An AWS tunnel (its outside address exists once the AWS connection does), or a site's device. */
  readonly peer:
    | { readonly awsConnection: string; readonly tunnel: 1 | 2 }
    | { readonly site: string; readonly ipAddress: string; readonly addressPrefixes: readonly string[] };
  readonly bgpPeerAddress: string;
  readonly asn: number;
  /**
   * The custom APIPA BGP address the connection uses on gateway instance 0 and 1 (AWS tunnels only):
   * the tunnel's own on the instance it ends at, a sibling tunnel's on the other.
   */
  readonly customBgpAddresses?: readonly [string, string];
}

/** An active-active, zone-redundant, route-based VPN gateway in an Azure cluster's GatewaySubnet. */
export interface AzureVpnGatewayPlan {
  readonly cluster: string;
  readonly sku: string;
  readonly asn: number;
  /** Zones of its two Standard public IPs (zone-redundant); empty in a region without zones. */
  readonly zones: readonly string[];
  /** Custom APIPA BGP addresses of instance 0 and 1: the Azure ends of the AWS tunnels there. */
  readonly instanceBgpAddresses: readonly [readonly string[], readonly string[]];
  readonly localGateways: readonly AzureLocalGatewayPlan[];
}

/** What the VPN costs and how long it takes, so a reviewer sees it before `pulumi up`. */
export interface VpnCostPlan {
  readonly awsVpnConnections: number;
  readonly tunnels: number;
  readonly azureGateways: number;
  readonly azurePublicIps: number;
  /** Approximate list prices in USD per hour (pay-as-you-go, US regions), before data transfer. */
  readonly hourlyUsd: {
    readonly awsVpnConnections: number;
    readonly azureGateways: number;
    readonly azurePublicIps: number;
    readonly total: number;
  };
  /** Minutes an Azure VPN gateway takes to create (and to resize); they are created in parallel. */
  readonly azureGatewayCreationMinutes: number;
}

export interface VpnPlan {
  readonly awsAsn: number;
  readonly azureAsn: number;
  readonly gatewaySku: string;
  /** AWS clusters that get a virtual private gateway (with route propagation into every route table). */
  readonly awsGateways: readonly string[];
  readonly awsConnections: readonly AwsVpnConnectionPlan[];
  readonly azureGateways: readonly AzureVpnGatewayPlan[];
  readonly cost: VpnCostPlan;
}

export interface ConnectivityPlan {
  /** Ranges each cloud cluster announces to its peers (VPC/VNet range, routable pod range). */
  readonly routedRanges: Readonly<Record<string, readonly string[]>>;
  /** Every pair of clusters, and every site with every cluster it connects to. */
  readonly links: readonly LinkPlan[];
  /** What is not joined or not routable, and why. */
  readonly notes: readonly string[];
  /** Absent when nothing needs a VPN. */
  readonly vpn?: VpnPlan;
}

/** A GoQuorum node outside the stack (`network.connectivity.externalPeers`). */
export interface ExternalPeerPlan {
  readonly name: string;
  /** The enode URL's parts; the static peer lists write it in the same form as our nodes'. */
  readonly enodeId: string;
  readonly host: string;
  readonly port: number;
  readonly tesseraUrl?: string;
  readonly tesseraPublicKey?: string;
  /** PEM request for its Tessera TLS certificate, checked by the plan; the network CA signs it. */
  readonly tesseraCsr?: string;
  /** The range it connects from: admitted by every cluster's p2p rules. */
  readonly range: string;
  readonly validatorAddress?: string;
  /** The client it runs (`externalPeers[].client`). */
  readonly client: NodeClient;
  /** Clusters with a route to `range` planned here (through a site); others need a route of your own. */
  readonly routedFrom: readonly string[];
}
