/**
 * The VNet of an Azure cluster, from the plan: its address space, its subnets exactly as planned, and the
 * NSG rules on each subnet. Peers (the other clusters of the network, in any cloud) reach this cluster on
 * TCP 30303 (devp2p) and TCP 9000 (Tessera P2P), from the same ranges the per-node internal load balancers
 * admit (`peerRanges`, less a repeated overlay pod range that is also this cluster's own), plus the
 * monitoring paths and the internal routes' clients to the internal gateway; everything else from them is
 * denied, and nothing from the Internet but the public routes' clients.
 */
import { GATEWAY_PORTS } from "../ingress/names";
import type { MonitoringPath } from "../monitoring/topology";
import { API_SERVER_PORT } from "../plan/apiAccess";
import { cidr, cidrsOverlap } from "../plan/cidr";
import { gatewayClientRanges, internalGatewaySubnets } from "../plan/ingress";
import type { ClusterPlan, SubnetPlan } from "../plan/types";
import { externalPeerPorts, type PeerRangesPlan, peerRanges, routedRanges } from "../quorum/peers";
import { PORTS } from "../quorum/ports";
import type { PrivateEndpointFence } from "./apiAccess";
import { AKS_PRIVATE_ENDPOINT_SUBNET } from "./behaviour";
import { azureSubnetName } from "./names";

/** Ports peers may open to this cluster, and nothing else. */
export const PEER_PORTS: readonly number[] = [PORTS.p2p, PORTS.tesseraP2p];

/**
 * The VNet's address prefixes: the cluster range and, when pods take addresses from a pod subnet, the
 * pod range (a subnet must lie in its VNet, and peering carries only the VNet's address space). Overlay
 * pod ranges never leave the cluster and stay out.
 */
export function vnetAddressSpace(cluster: ClusterPlan): string[] {
  if (!cluster.cidr) throw new Error(`cluster ${cluster.name} has no VNet range in the plan`);
  const pods = cluster.subnets.some((s) => s.purpose === "pods") ? cluster.podCidr : undefined;
  return pods ? [cluster.cidr, pods] : [cluster.cidr];
}

export interface AzureSubnet {
  readonly name: string;
  readonly purpose: SubnetPlan["purpose"];
  readonly cidr: string;
  /**
   * Service endpoints: node and pod subnets reach Key Vault through one, so the vault's firewall can
   * admit exactly these subnets.
   */
  readonly serviceEndpoints: readonly string[];
  /** Node subnets of a private API server: its private endpoint meets their NSG (`privateEndpointFence`). */
  readonly privateEndpointNetworkPolicies?: PrivateEndpointFence["privateEndpointNetworkPolicies"];
}

const KEY_VAULT_SERVICE = "Microsoft.KeyVault";

export function azureSubnets(cluster: ClusterPlan, fence?: PrivateEndpointFence): AzureSubnet[] {
  return cluster.subnets.map((s) => ({
    name: azureSubnetName(s),
    purpose: s.purpose,
    cidr: s.cidr,
    // The VPN gateway's subnet takes nothing but the gateway.
    serviceEndpoints: s.purpose === "endpoints" || s.purpose === "gateway" ? [] : [KEY_VAULT_SERVICE],
    // AKS puts the API server's private endpoint on the node subnet (`AKS_PRIVATE_ENDPOINT_SUBNET`).
    ...(fence && s.purpose === AKS_PRIVATE_ENDPOINT_SUBNET
      ? { privateEndpointNetworkPolicies: fence.privateEndpointNetworkPolicies }
      : {}),
  }));
}

/** Subnets whose traffic (nodes, pods, the CSI driver's Key Vault reads) leaves from VNet addresses. */
export const workloadSubnets = (cluster: ClusterPlan): AzureSubnet[] =>
  azureSubnets(cluster).filter((s) => s.serviceEndpoints.includes(KEY_VAULT_SERVICE));

export interface NsgRule {
  readonly name: string;
  readonly priority: number;
  readonly direction: "Inbound" | "Outbound";
  readonly access: "Allow" | "Deny";
  readonly protocol: "Tcp" | "*";
  readonly sourceAddressPrefixes?: readonly string[];
  readonly sourceAddressPrefix?: string;
  readonly destinationAddressPrefixes?: readonly string[];
  readonly destinationAddressPrefix?: string;
  readonly sourcePortRange: "*";
  readonly destinationPortRanges?: readonly string[];
  readonly destinationPortRange?: string;
  readonly description: string;
}

/** Priorities of the rules: lower numbers first; everything the allows leave to the peers is then denied. */
const PRIORITY = {
  peers: 100,
  monitoring: 105,
  internalRoutes: 107,
  apiDeployers: 108,
  denyPeers: 110,
  ownNetwork: 120,
  denyOtherNetworks: 130,
  publicRoutes: 3800,
  probes: 3900,
  denyInternet: 4000,
} as const;

/**
 * The rules of every subnet's NSG. Azure's default rules allow all traffic from the "VirtualNetwork" tag,
 * which includes peered VNets and VPN ranges: the deny rules close that for the peers' ranges, after the
 * allow rules for the two ports and for the monitoring paths (`monitoringPaths`: the central cluster's
 * Prometheus and Grafana to this cluster's monitoring endpoint, or from this central cluster to the
 * others'). Without peers there are no peer rules; the explicit Internet deny holds either way.
 */
export function nsgRules(
  cluster: ClusterPlan,
  plan: PeerRangesPlan,
  monitoring: readonly MonitoringPath[],
  /** The Azure management networks' ranges (`managementRanges`): peered, so denied like the peers. */
  management: readonly string[] = [],
  /** A private API server's fence: its deployers reach the private endpoint on the node subnet. */
  fence?: PrivateEndpointFence,
): NsgRule[] {
  const own = vnetAddressSpace(cluster);
  // Overlay pod ranges may repeat across clusters; overlay pods talk across nodes from their own range, so
  // a peer's copy of it must not be denied here.
  const ownRanges = [...own, cluster.podCidr].filter((r): r is string => r !== undefined).map(cidr);
  const notOwn = (r: string) => !ownRanges.some((o) => cidrsOverlap(o, cidr(r)));
  const peers = peerRanges(cluster, plan).filter(notOwn);
  // Sites' ranges reach the VNet over the VPN, management networks' over their peerings: denied with the
  // peers', after what the peers need.
  const routed = [...new Set([...routedRanges(cluster, plan), ...management])].filter(notOwn);
  const ports = PEER_PORTS.map(String);
  // Our nodes dial external parties on their own ports, which may not be ours.
  const outboundPorts = [
    ...new Set([
      ...ports,
      ...plan.externalPeers.flatMap((p) => Object.values(externalPeerPorts(p)).map(String)),
    ]),
  ];
  const denyInternet: NsgRule = {
    name: "deny-internet-inbound",
    priority: PRIORITY.denyInternet,
    direction: "Inbound",
    access: "Deny",
    protocol: "*",
    sourceAddressPrefix: "Internet",
    destinationAddressPrefix: "*",
    sourcePortRange: "*",
    destinationPortRange: "*",
    description: "Nothing else inbound from the Internet: only the public routes' gateway faces it.",
  };
  // The load balancers' health probes come from 168.63.129.16, which the Internet tag may cover: admit
  // them before the Internet deny, or every internal load balancer marks its node down.
  const allowProbes: NsgRule = {
    name: "allow-load-balancer-probes",
    priority: PRIORITY.probes,
    direction: "Inbound",
    access: "Allow",
    protocol: "*",
    sourceAddressPrefix: "AzureLoadBalancer",
    destinationAddressPrefix: "*",
    sourcePortRange: "*",
    destinationPortRange: "*",
    description: "Health probes of the cluster's internal load balancer.",
  };
  const peerRules: NsgRule[] =
    peers.length === 0
      ? []
      : [
          {
            name: "allow-peers-p2p-inbound",
            priority: PRIORITY.peers,
            direction: "Inbound",
            access: "Allow",
            protocol: "Tcp",
            sourceAddressPrefixes: peers,
            destinationAddressPrefixes: own,
            sourcePortRange: "*",
            destinationPortRanges: ports,
            description: "GoQuorum devp2p and Tessera P2P from the peer clusters.",
          },
          ...monitoringRules(cluster, monitoring),
          {
            name: "allow-peers-p2p-outbound",
            priority: PRIORITY.peers,
            direction: "Outbound",
            access: "Allow",
            protocol: "Tcp",
            sourceAddressPrefixes: own,
            destinationAddressPrefixes: peers,
            sourcePortRange: "*",
            destinationPortRanges: outboundPorts,
            description: "GoQuorum devp2p and Tessera P2P to the peer clusters and external parties.",
          },
        ];
  const denyRouted: NsgRule[] =
    routed.length === 0
      ? []
      : [
          {
            name: "deny-peers-inbound",
            priority: PRIORITY.denyPeers,
            direction: "Inbound",
            access: "Deny",
            protocol: "*",
            sourceAddressPrefixes: routed,
            destinationAddressPrefix: "*",
            sourcePortRange: "*",
            destinationPortRange: "*",
            description:
              "Nothing else from the peer clusters, external parties, sites and management networks.",
          },
          {
            name: "deny-peers-outbound",
            priority: PRIORITY.denyPeers,
            direction: "Outbound",
            access: "Deny",
            protocol: "*",
            sourceAddressPrefix: "*",
            destinationAddressPrefixes: routed,
            sourcePortRange: "*",
            destinationPortRange: "*",
            description:
              "Nothing else to the peer clusters, external parties, sites and management networks.",
          },
        ];
  const apiRules: NsgRule[] =
    fence && fence.deployers.length > 0
      ? [
          {
            name: "allow-deployers-api-server",
            priority: PRIORITY.apiDeployers,
            direction: "Inbound",
            access: "Allow",
            protocol: "Tcp",
            sourceAddressPrefixes: fence.deployers,
            destinationAddressPrefixes: azureSubnets(cluster)
              .filter((s) => s.purpose === AKS_PRIVATE_ENDPOINT_SUBNET)
              .map((s) => s.cidr),
            sourcePortRange: "*",
            destinationPortRange: String(API_SERVER_PORT),
            description:
              "The Kubernetes API server's private endpoint from the deployers (apiAccess.privateRanges).",
          },
        ]
      : [];
  return [
    ...peerRules,
    ...internalRouteRules(cluster, plan),
    ...apiRules,
    ...denyRouted,
    // Without peers or a VPN, the VirtualNetwork tag is the VNet's own space: nothing to fence.
    ...(routed.length > 0 ? otherNetworkRules(cluster) : []),
    ...publicRouteRules(cluster),
    allowProbes,
    denyInternet,
  ];
}

const GATEWAY_LISTENER_PORTS = [GATEWAY_PORTS.https, GATEWAY_PORTS.http].map(String);

/**
 * Everything the `VirtualNetwork` tag brings in but the VNet's own traffic, denied both ways after the
 * admitted flows. The tag covers every range the VPN gateway learns over BGP (`virtualNetworkTag`), which is
 * more than the plan's links: Azure's and AWS's gateways pass routes on between their peers
 * (`VPN_GATEWAY_READVERTISES_LEARNED_ROUTES`, `VGW_READVERTISES_LEARNED_ROUTES`), so a site that terminates
 * on AWS is learned here too, and so is anything a site's device announces. Sites do not transit between
 * clouds: this, and the security groups on AWS (which admit no range the config does not name), keep a site
 * to the clusters of its own cloud. The cluster's own address space (and its overlay pod range, whose
 * pod-to-pod traffic meets these NSGs) is admitted first, as `AllowVnetInBound` did.
 */
function otherNetworkRules(cluster: ClusterPlan): NsgRule[] {
  const own = [...vnetAddressSpace(cluster), ...(cluster.podCidr ? [cluster.podCidr] : [])];
  const ownRanges = [...new Set(own)];
  const rule = (
    name: string,
    priority: number,
    direction: NsgRule["direction"],
    access: NsgRule["access"],
    ends: Pick<
      NsgRule,
      | "sourceAddressPrefix"
      | "sourceAddressPrefixes"
      | "destinationAddressPrefix"
      | "destinationAddressPrefixes"
    >,
    description: string,
  ): NsgRule => ({
    name,
    priority,
    direction,
    access,
    protocol: "*",
    ...ends,
    sourcePortRange: "*",
    destinationPortRange: "*",
    description,
  });
  return [
    rule(
      "allow-own-network-inbound",
      PRIORITY.ownNetwork,
      "Inbound",
      "Allow",
      { sourceAddressPrefixes: ownRanges, destinationAddressPrefix: "*" },
      "The cluster's own VNet (and pod range).",
    ),
    rule(
      "deny-other-networks-inbound",
      PRIORITY.denyOtherNetworks,
      "Inbound",
      "Deny",
      { sourceAddressPrefix: "VirtualNetwork", destinationAddressPrefix: "*" },
      "Nothing else the VNet's peerings and VPN gateway bring in: no site transits from the other cloud.",
    ),
    rule(
      "allow-own-network-outbound",
      PRIORITY.ownNetwork,
      "Outbound",
      "Allow",
      { sourceAddressPrefix: "*", destinationAddressPrefixes: ownRanges },
      "The cluster's own VNet (and pod range).",
    ),
    rule(
      "deny-other-networks-outbound",
      PRIORITY.denyOtherNetworks,
      "Outbound",
      "Deny",
      { sourceAddressPrefix: "*", destinationAddressPrefix: "VirtualNetwork" },
      "Nothing else over the VNet's peerings and VPN gateway.",
    ),
  ];
}

/**
 * The internal routes' clients to this cluster's internal gateway, and this cluster's clients to the other
 * clusters' internal gateways that admit it, on the listener ports only, before the peer denies would drop
 * them. The clients are the internal gateway's own (`gatewayClientRanges`: what its load balancer admits).
 * The destination is the subnet the gateway's frontend takes its address from: AKS's load balancing rules
 * use floating IP unless a Service disables it (kubernetes-sigs/cloud-provider-azure
 * `pkg/provider/azure_loadbalancer.go`: `EnableFloatingIP` false and the NodePort as backend port only with
 * `azure-disable-load-balancer-floating-ip`; its own security rules take the Service port and the load
 * balancer's IPs as destination), so packets reach the node still addressed to the frontend on 443 or 80.
 * Elsewhere the internal gateways sit in the private subnets too (`internalGatewaySubnets`).
 */
function internalRouteRules(cluster: ClusterPlan, plan: PeerRangesPlan): NsgRule[] {
  const own = vnetAddressSpace(cluster).map(cidr);
  const clients = gatewayClientRanges(cluster.ingress, "internal");
  const admitsUs = (other: ClusterPlan) =>
    gatewayClientRanges(other.ingress, "internal").some((r) => own.some((o) => cidrsOverlap(o, cidr(r))));
  const gateways = plan.clusters
    .filter((other) => other.name !== cluster.name && admitsUs(other))
    .flatMap((other) => internalGatewaySubnets(other).map((s) => s.cidr));
  return [
    ...(clients.length > 0
      ? [
          {
            name: "allow-internal-routes-inbound",
            priority: PRIORITY.internalRoutes,
            direction: "Inbound",
            access: "Allow",
            protocol: "Tcp",
            sourceAddressPrefixes: clients,
            destinationAddressPrefixes: internalGatewaySubnets(cluster).map((s) => s.cidr),
            sourcePortRange: "*",
            destinationPortRanges: GATEWAY_LISTENER_PORTS,
            description:
              "The internal routes' clients to the internal gateway's HTTPS and HTTP (redirect) listeners.",
          } as const,
        ]
      : []),
    ...(gateways.length > 0
      ? [
          {
            name: "allow-internal-routes-outbound",
            priority: PRIORITY.internalRoutes,
            direction: "Outbound",
            access: "Allow",
            protocol: "Tcp",
            sourceAddressPrefixes: vnetAddressSpace(cluster),
            destinationAddressPrefixes: gateways,
            sourcePortRange: "*",
            destinationPortRanges: GATEWAY_LISTENER_PORTS,
            description:
              "This cluster's clients to the internal gateways of the other clusters that admit it.",
          } as const,
        ]
      : []),
  ];
}

/**
 * The public routes' clients to the public gateway, on its listener ports only, before the Internet deny
 * would drop them. The destination is any address: the frontend's public IP is assigned by Azure when the
 * gateway's Service is created, and AKS's load balancing rules use floating IP by default (cloud-provider-
 * azure: `service.beta.kubernetes.io/azure-disable-load-balancer-floating-ip` "If omitted, the default value
 * is false"), so packets reach the node still addressed to that frontend IP. Nothing else in these subnets
 * is reachable from the Internet (no node has a public IP), and AKS's own NSG rules for the Service's
 * loadBalancerSourceRanges narrow the frontend to the same ranges.
 */
function publicRouteRules(cluster: ClusterPlan): NsgRule[] {
  const clients = gatewayClientRanges(cluster.ingress, "public");
  if (clients.length === 0) return [];
  return [
    {
      name: "allow-public-routes-inbound",
      priority: PRIORITY.publicRoutes,
      direction: "Inbound",
      access: "Allow",
      protocol: "Tcp",
      sourceAddressPrefixes: clients,
      destinationAddressPrefix: "*",
      sourcePortRange: "*",
      destinationPortRanges: GATEWAY_LISTENER_PORTS,
      description: "The public routes' clients to the public gateway's HTTPS and HTTP (redirect) listeners.",
    },
  ];
}

/**
 * The monitoring paths through this cluster: inbound, the central cluster's ranges to this cluster's
 * monitoring endpoint (the ranges its load balancer admits); outbound, from this central cluster to every
 * other cluster's endpoint. Both before the peer denies, which would close them.
 */
function monitoringRules(cluster: ClusterPlan, paths: readonly MonitoringPath[]): NsgRule[] {
  const inbound = paths.filter((p) => p.to === cluster.name);
  const outbound = paths.filter((p) => p.from === cluster.name);
  const portsOf = (list: readonly MonitoringPath[]) => [...new Set(list.map((p) => String(p.port)))];
  return [
    ...(inbound.length > 0
      ? [
          {
            name: "allow-monitoring-inbound",
            priority: PRIORITY.monitoring,
            direction: "Inbound",
            access: "Allow",
            protocol: "Tcp",
            sourceAddressPrefixes: [...new Set(inbound.flatMap((p) => p.sourceRanges))],
            destinationAddressPrefixes: inbound.map((p) => p.endpointIp),
            sourcePortRange: "*",
            destinationPortRanges: portsOf(inbound),
            description: `The central cluster's Prometheus and Grafana to this cluster's monitoring endpoint.`,
          } as const,
        ]
      : []),
    ...(outbound.length > 0
      ? [
          {
            name: "allow-monitoring-outbound",
            priority: PRIORITY.monitoring,
            direction: "Outbound",
            access: "Allow",
            protocol: "Tcp",
            sourceAddressPrefixes: vnetAddressSpace(cluster),
            destinationAddressPrefixes: outbound.map((p) => p.endpointIp),
            sourcePortRange: "*",
            destinationPortRanges: portsOf(outbound),
            description:
              "Prometheus and Grafana of this central cluster to the other clusters' monitoring endpoints.",
          } as const,
        ]
      : []),
  ];
}
