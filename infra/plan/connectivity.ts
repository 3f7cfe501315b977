/**
 * How the clusters, sites and external peers of a stack connect (pure).
 *
 * - AWS–AWS: VPC peering; Azure–Azure: VNet peering; AWS–Azure: site-to-site VPN with BGP. A `local`
 *   cluster is always alone (the planner refuses mixing it), so it is joined to nothing.
 * - Routed over a link: each cluster's VPC/VNet range, and its pod range where pods have routable
 *   addresses: AWS custom networking (a secondary VPC block) and Azure pod-subnet (in the VNet's
 *   address space). Azure overlay pods are not routable; peers reach them through the nodes' internal
 *   load balancers, whose addresses are in the VNet range.
 * - VPN: a virtual private gateway per AWS VPC (no hourly charge, no Transit Gateway attachment or
 *   per-GB processing; AWS allows 10 VPN connections per gateway, which the plan checks) and an
 *   active-active VPN gateway per Azure VNet. Each Azure gateway has two public IPs, so each AWS VPC
 *   gets two customer gateways and two VPN connections per Azure VNet: four tunnels, each with its
 *   own local network gateway and connection on the Azure side.
 * - Sites connect to every cluster of the cloud that terminates them.
 * - The links are the one source of which pairs are joined and what each routes to the other: the VPC
 *   peering connections, the VNet peerings and AWS's peering quotas (`./peering`) are read off them.
 */
import type { ConfigIssue } from "../config/issue";
import type { ClusterConfig, StackConfig } from "../config/schema";
import type {
  AwsVpnConnectionPlan,
  AzureLocalGatewayPlan,
  AzureVpnGatewayPlan,
  ConnectivityPlan,
  LinkKind,
  LinkPlan,
  VpnPlan,
  VpnTunnelPlan,
} from "./connectivityTypes";
import { error, warning } from "./issues";
import { peeringQuotaIssues } from "./peering";
import { allocateTunnels, TUNNEL_CAPACITY, tunnelSlot } from "./tunnels";
import type { ClusterPlan } from "./types";
import { vpnCost } from "./vpnCost";

/** AWS: Site-to-Site VPN connections per virtual private gateway (not adjustable). */
export const MAX_VPN_CONNECTIONS_PER_AWS_GATEWAY = 10;

type Cloud = "aws" | "azure";
type Planned = Pick<ClusterPlan, "name" | "provider" | "cidr" | "podCidr" | "zones">;

/** Whether the cluster's pods have addresses other networks can route to. */
export function podsRoutable(cluster: ClusterConfig): boolean {
  if (cluster.provider === "aws") return cluster.cni.mode === "custom-networking";
  if (cluster.provider === "azure") return cluster.cni.mode === "pod-subnet";
  return false;
}

/** The ranges a cluster announces to its peers: VPC/VNet range, and the pod range when routable. */
export function routableRanges(cluster: Planned, config: ClusterConfig): string[] {
  const ranges = cluster.cidr ? [cluster.cidr] : [];
  if (cluster.podCidr && podsRoutable(config)) ranges.push(cluster.podCidr);
  return ranges;
}

function linkKind(a: Planned, b: Planned): LinkKind {
  if (a.provider === b.provider) return a.provider === "aws" ? "vpc-peering" : "vnet-peering";
  return "vpn";
}

const cloudOf = (c: Planned): Cloud | undefined =>
  c.provider === "aws" || c.provider === "azure" ? c.provider : undefined;

export function planConnectivity(
  config: StackConfig,
  clusters: readonly Planned[],
): { connectivity: ConnectivityPlan; issues: ConfigIssue[] } {
  const { sites } = config.network.connectivity;
  const configOf = (name: string) => config.clusters.find((c) => c.name === name) as ClusterConfig;
  const routes = (c: Planned) => routableRanges(c, configOf(c.name));
  const cloud = clusters.filter((c) => cloudOf(c));
  const links: LinkPlan[] = [];
  // Pairs ordered by the later cluster: appending a cluster appends its links (and tunnels).
  cloud.forEach((b, j) => {
    for (const a of cloud.slice(0, j)) {
      links.push({
        between: [a.name, b.name],
        kind: linkKind(a, b),
        routes: { [a.name]: routes(a), [b.name]: routes(b) },
      });
    }
  });
  for (const site of sites) {
    for (const c of cloud.filter((x) => x.provider === site.terminatesIn)) {
      links.push({
        between: [c.name, site.name],
        kind: "vpn",
        routes: { [c.name]: routes(c), [site.name]: site.ranges },
      });
    }
  }
  const notes = [
    ...clusters
      .filter((c) => c.provider === "local")
      .map((c) => `cluster ${c.name} (local) is joined to nothing: local clusters cannot peer or run a VPN`),
    ...cloud
      .filter((c) => c.podCidr && !podsRoutable(configOf(c.name)))
      .map(
        (c) =>
          `cluster ${c.name}: pods (${c.podCidr}) are not routable (${configOf(c.name).provider === "azure" ? "Azure CNI overlay" : "pods on node subnets"}); peers reach its nodes through internal load balancers`,
      ),
  ];
  const { vpn, issues } = planVpn(config, cloud);
  const routedRanges = Object.fromEntries(cloud.map((c) => [c.name, routes(c)]));
  return {
    connectivity: { routedRanges, links, notes, ...(vpn ? { vpn } : {}) },
    issues: [...issues, ...peeringQuotaIssues(links)],
  };
}

/** The pins of `vpn.insideCidrs` that name a planned tunnel with a free /30 of the APIPA range. */
function pinnedTunnels(
  pins: Readonly<Record<string, string>>,
  names: readonly string[],
  issues: ConfigIssue[],
): Map<string, number> {
  const pinned = new Map<string, number>();
  const owner = new Map<number, string>();
  for (const [name, text] of Object.entries(pins)) {
    const path = `network.connectivity.vpn.insideCidrs.${name}`;
    const slot = tunnelSlot(text);
    if (!names.includes(name)) {
      issues.push(
        error(
          path,
          `no tunnel is named ${name}: npm run plan lists the tunnels (${names.slice(0, 2).join(", ")}, ...).`,
        ),
      );
    } else if (slot === undefined) {
      issues.push(
        error(path, `${text} is not a /30 in 169.254.21.0-169.254.22.255, the range both clouds accept.`),
      );
    } else if (owner.has(slot)) {
      issues.push(
        error(path, `${text} is already pinned for tunnel ${owner.get(slot)}: no two tunnels share a /30.`),
      );
    } else {
      pinned.set(name, slot);
      owner.set(slot, name);
    }
  }
  return pinned;
}

interface TunnelSpec {
  readonly connection: Omit<AwsVpnConnectionPlan, "tunnels">;
  readonly names: readonly [string, string];
}

function planVpn(
  config: StackConfig,
  clusters: readonly Planned[],
): { vpn?: VpnPlan; issues: ConfigIssue[] } {
  const { vpn: settings, sites } = config.network.connectivity;
  const aws = clusters.filter((c) => c.provider === "aws");
  const azure = clusters.filter((c) => c.provider === "azure");
  const awsSites = sites.filter((s) => s.terminatesIn === "aws");
  const azureSites = sites.filter((s) => s.terminatesIn === "azure");
  const needsVpn = (aws.length > 0 && azure.length > 0) || sites.length > 0;
  if (!needsVpn) return { issues: [] };

  // Cluster pairs in link order (by the later cluster), then sites in config order.
  const specs: TunnelSpec[] = [];
  clusters.forEach((b, j) => {
    for (const a of clusters.slice(0, j)) {
      if (a.provider === b.provider) continue;
      const [awsSide, azureSide] = a.provider === "aws" ? [a, b] : [b, a];
      for (const instance of [0, 1] as const) {
        const name = `${awsSide.name}-${azureSide.name}-${instance}`;
        specs.push({
          connection: {
            name,
            awsCluster: awsSide.name,
            customerGateway: { azureCluster: azureSide.name, instance },
            customerGatewayAsn: settings.azureAsn,
          },
          names: [`${name}-1`, `${name}-2`],
        });
      }
    }
  });
  for (const site of awsSites) {
    for (const c of aws) {
      const name = `${c.name}-${site.name}`;
      specs.push({
        connection: {
          name,
          awsCluster: c.name,
          customerGateway: { site: site.name, ipAddress: site.publicIp },
          customerGatewayAsn: site.asn,
        },
        names: [`${name}-1`, `${name}-2`],
      });
    }
  }
  const names = specs.flatMap((s) => s.names);
  const issues: ConfigIssue[] = [];
  const pinned = pinnedTunnels(settings.insideCidrs, names, issues);
  const allocation = allocateTunnels(names, pinned);
  if ("exhausted" in allocation) {
    return {
      issues: [
        ...issues,
        error(
          "network.connectivity",
          `${allocation.exhausted} VPN tunnels do not fit the ${TUNNEL_CAPACITY} /30s of 169.254.21.0-169.254.22.255 (the APIPA range both clouds accept): fewer AWS–Azure cluster pairs or AWS-terminated sites.`,
        ),
      ],
    };
  }
  const tunnel = (name: string): VpnTunnelPlan => {
    const addresses = allocation.tunnels.get(name);
    if (!addresses) throw new Error(`tunnel ${name} was not allocated`);
    return { name, ...addresses };
  };
  const awsConnections: AwsVpnConnectionPlan[] = specs.map((s) => ({
    ...s.connection,
    tunnels: [tunnel(s.names[0]), tunnel(s.names[1])],
  }));
  for (const { name, by } of allocation.displaced) {
    issues.push(
      warning(
        `network.connectivity.vpn.insideCidrs.${name}`,
        `tunnel ${name} got ${tunnel(name).insideCidr} because tunnel ${by} holds the /30 it prefers, so it would move if ${by} went away (both ends would need new addresses). Pin it: insideCidrs: { ${name}: ${tunnel(name).insideCidr} }.`,
      ),
    );
  }

  for (const c of aws) {
    const count = awsConnections.filter((x) => x.awsCluster === c.name).length;
    if (count > MAX_VPN_CONNECTIONS_PER_AWS_GATEWAY) {
      issues.push(
        error(
          "network.connectivity",
          `cluster ${c.name} would need ${count} VPN connections (2 per Azure cluster, 1 per AWS-terminated site), more than the ${MAX_VPN_CONNECTIONS_PER_AWS_GATEWAY} AWS allows per virtual private gateway: terminate some sites in Azure.`,
        ),
      );
    }
  }

  const azureGateways = azure
    .filter(() => aws.length > 0 || azureSites.length > 0)
    .map((c): AzureVpnGatewayPlan => {
      const ending = awsConnections.filter(
        (x) => "azureCluster" in x.customerGateway && x.customerGateway.azureCluster === c.name,
      );
      const at = (instance: 0 | 1) =>
        ending
          .filter((x) => "instance" in x.customerGateway && x.customerGateway.instance === instance)
          .flatMap((x) => x.tunnels.map((t) => t.peerInsideAddress));
      const siblingOf = (x: AwsVpnConnectionPlan, n: 0 | 1) =>
        ending.find((y) => y.awsCluster === x.awsCluster && y !== x)?.tunnels[n].peerInsideAddress as string;
      const awsTunnels = ending.flatMap((x) =>
        x.tunnels.map((t, n): AzureLocalGatewayPlan => {
          const instance = "instance" in x.customerGateway ? x.customerGateway.instance : 0;
          const own = t.peerInsideAddress;
          const other = siblingOf(x, n as 0 | 1);
          return {
            name: t.name,
            peer: { awsConnection: x.name, tunnel: (n + 1) as 1 | 2 },
            bgpPeerAddress: t.awsInsideAddress,
            asn: settings.awsAsn,
            customBgpAddresses: instance === 0 ? [own, other] : [other, own],
          };
        }),
      );
      // A site on Azure without its BGP address is an error of its own (siteIssues).
      const siteGateways = azureSites.flatMap((site): AzureLocalGatewayPlan[] =>
        site.bgpPeerAddress
          ? [
              {
                name: `${c.name}-${site.name}`,
                peer: { site: site.name, ipAddress: site.publicIp, addressPrefixes: site.ranges },
                bgpPeerAddress: site.bgpPeerAddress,
                asn: site.asn,
              },
            ]
          : [],
      );
      return {
        cluster: c.name,
        sku: settings.gatewaySku,
        asn: settings.azureAsn,
        zones: c.zones,
        instanceBgpAddresses: [at(0), at(1)],
        localGateways: [...awsTunnels, ...siteGateways],
      };
    });
  const awsGateways = aws
    .filter((c) => awsConnections.some((x) => x.awsCluster === c.name))
    .map((c) => c.name);
  const vpn: VpnPlan = {
    awsAsn: settings.awsAsn,
    azureAsn: settings.azureAsn,
    gatewaySku: settings.gatewaySku,
    awsGateways,
    awsConnections,
    azureGateways,
    cost: vpnCost(settings.gatewaySku, awsConnections.length, azureGateways),
  };
  return { vpn, issues };
}
