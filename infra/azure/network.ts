/**
 * The VNet of an Azure cluster, from the plan: its address space, its subnets exactly as planned, and the
 * NSG rules on each subnet. Peers (the other clusters of the network, in any cloud) reach this cluster on
 * TCP 30303 (devp2p) and TCP 9000 (Tessera P2P) only, from the same ranges the per-node internal load
 * balancers admit (`peerRanges`, less a repeated overlay pod range that is also this cluster's own);
 * everything else from them is denied, and nothing from the Internet.
 */

import { GATEWAY_PORTS } from "../ingress/names";
import type { MonitoringPath } from "../monitoring/topology";
import { cidr, cidrsOverlap } from "../plan/cidr";
import { publicClientRanges } from "../plan/ingress";
import type { ClusterPlan, SubnetPlan } from "../plan/types";
import { externalPeerPorts, type PeerRangesPlan, peerRanges, routedRanges } from "../quorum/peers";
import { PORTS } from "../quorum/ports";
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
}

const KEY_VAULT_SERVICE = "Microsoft.KeyVault";

export function azureSubnets(cluster: ClusterPlan): AzureSubnet[] {
  return cluster.subnets.map((s) => ({
    name: azureSubnetName(s),
    purpose: s.purpose,
    cidr: s.cidr,
    // The VPN gateway's subnet takes nothing but the gateway.
    serviceEndpoints: s.purpose === "endpoints" || s.purpose === "gateway" ? [] : [KEY_VAULT_SERVICE],
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
  denyPeers: 110,
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
): NsgRule[] {
  const own = vnetAddressSpace(cluster);
  // Overlay pod ranges may repeat across clusters; overlay pods talk across nodes from their own range, so
  // a peer's copy of it must not be denied here.
  const ownRanges = [...own, cluster.podCidr].filter((r): r is string => r !== undefined).map(cidr);
  const notOwn = (r: string) => !ownRanges.some((o) => cidrsOverlap(o, cidr(r)));
  const peers = peerRanges(cluster, plan).filter(notOwn);
  // Sites' ranges reach the VNet over the VPN too: denied with the peers', after what the peers need.
  const routed = routedRanges(cluster, plan).filter(notOwn);
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
            description: "Nothing else from the peer clusters, external parties and sites.",
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
            description: "Nothing else to the peer clusters, external parties and sites.",
          },
        ];
  return [...peerRules, ...denyRouted, ...publicRouteRules(cluster), allowProbes, denyInternet];
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
  const clients = publicClientRanges(cluster.ingress);
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
      destinationPortRanges: [GATEWAY_PORTS.https, GATEWAY_PORTS.http].map(String),
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
