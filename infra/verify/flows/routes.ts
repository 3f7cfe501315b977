/**
 * Where each cluster's route tables send a packet, from the very values the components register: on AWS the
 * VPC's own blocks (`awsNetworkLayout`), the peering routes in every private route table (`peeringRoutes`)
 * and the routes its virtual private gateway propagates from BGP (every table, `CrossCloudVpn`); on Azure
 * the VNet's address space, its peerings (`peeringLinks`) and what its VPN gateway learns over BGP. What BGP
 * carries is `bgpRoutes`: each end's own ranges, and what the gateways pass on from their other peers.
 */

import { managementPeeringPlans } from "../../aws/apiAccess";
import { eksClusterName } from "../../aws/eks";
import { awsNetworkLayout, PUBLIC_ROUTE_TABLE } from "../../aws/network";
import { peeringRoutes } from "../../aws/peering";
import { managementPeerings } from "../../azure/apiAccess";
import { vnetAddressSpace } from "../../azure/network";
import { peeringLinks } from "../../azure/peering";
import type { ClusterConfig, NetworkConfig } from "../../config/schema";
import { peeringConnections } from "../../plan/peering";
import type { ClusterPlan, NetworkPlan } from "../../plan/types";
import { inPrefix } from "./addresses";
import type { BgpRoute } from "./bgp";

export interface Route {
  readonly prefix: string;
  readonly via: string;
}

/** The routes a cluster's VPN gateway learns over BGP (`bgpRoutes`), transit ones included. */
function vpnRoutes(cluster: ClusterPlan, bgp: ReadonlyMap<string, readonly BgpRoute[]>): Route[] {
  return (bgp.get(cluster.name) ?? []).map((r) => ({
    prefix: r.prefix,
    via: r.path.length === 1 ? `vpn to ${r.from}` : `vpn to ${r.from}, transit (AS path ${r.path.join(" ")})`,
  }));
}

/** The routes every private route table of an AWS cluster holds (nodes and pods live behind those). */
function awsRoutes(
  cluster: ClusterPlan,
  plan: NetworkPlan,
  network: NetworkConfig,
  configOf: (name: string) => ClusterConfig,
  bgp: ReadonlyMap<string, readonly BgpRoute[]>,
): Route[] {
  const layoutOf = (c: ClusterPlan) => {
    const config = configOf(c.name);
    if (config.provider !== "aws") throw new Error(`cluster ${c.name} is not an AWS cluster`);
    return awsNetworkLayout(c, eksClusterName(network, config), config.natGateways);
  };
  const layout = layoutOf(cluster);
  const privateTables = layout.routeTables.filter((t) => t.key !== PUBLIC_ROUTE_TABLE).map((t) => t.key);
  const local = [layout.vpcCidr, ...layout.secondaryCidrs].map((prefix) => ({ prefix, via: "local" }));
  const peering = peeringConnections(plan.connectivity.links, plan.clusters)
    .filter((c) => c.requester === cluster.name || c.accepter === cluster.name)
    .flatMap((connection) => {
      const routes = peeringRoutes(connection, plan.clusters, (c) => layoutOf(c).routeTables).filter(
        (r) => r.cluster === cluster.name,
      );
      const far = connection.requester === cluster.name ? connection.accepter : connection.requester;
      // A destination counts only when every private route table holds it.
      return [...new Set(routes.map((r) => r.destination))]
        .filter((d) =>
          privateTables.every((t) => routes.some((r) => r.routeTable === t && r.destination === d)),
        )
        .map((prefix) => ({ prefix, via: `vpc peering with ${far}` }));
    });
  const management = managementPeeringPlans(
    cluster,
    layout.routeTables,
    network.connectivity.managementNetworks,
  ).flatMap((peering) =>
    [...new Set(peering.clusterRoutes.map((r) => r.destination))]
      .filter((d) =>
        privateTables.every((t) =>
          peering.clusterRoutes.some((r) => r.routeTable === t && r.destination === d),
        ),
      )
      .map((prefix) => ({ prefix, via: `vpc peering ${peering.name}` })),
  );
  return [...local, ...peering, ...management, ...vpnRoutes(cluster, bgp)];
}

function azureRoutes(
  cluster: ClusterPlan,
  plan: NetworkPlan,
  network: NetworkConfig,
  bgp: ReadonlyMap<string, readonly BgpRoute[]>,
): Route[] {
  const byName = (name: string) => plan.clusters.find((c) => c.name === name) as ClusterPlan;
  const local = vnetAddressSpace(cluster).map((prefix) => ({ prefix, via: "local" }));
  const peered = peeringLinks(plan.connectivity.links)
    .filter((l) => l.from === cluster.name)
    .flatMap((l) =>
      vnetAddressSpace(byName(l.to)).map((prefix) => ({ prefix, via: `vnet peering ${l.name}` })),
    );
  // A peering carries traffic once both of its sides exist: this VNet's side routes to the management VNet.
  const management = network.connectivity.managementNetworks.flatMap((m) =>
    managementPeerings(cluster, [m]).some((p) => p.side === "cluster" && p.flags.allowVirtualNetworkAccess) &&
    managementPeerings(cluster, [m]).some((p) => p.side === "management" && p.flags.allowVirtualNetworkAccess)
      ? [{ prefix: m.cidr, via: `vnet peering ${m.name}` }]
      : [],
  );
  return [...local, ...peered, ...management, ...vpnRoutes(cluster, bgp)];
}

export function clusterRoutes(
  cluster: ClusterPlan,
  plan: NetworkPlan,
  network: NetworkConfig,
  configOf: (name: string) => ClusterConfig,
  bgp: ReadonlyMap<string, readonly BgpRoute[]>,
): Route[] {
  switch (cluster.provider) {
    case "aws":
      return awsRoutes(cluster, plan, network, configOf, bgp);
    case "azure":
      return azureRoutes(cluster, plan, network, bgp);
    case "local":
      return [];
  }
}

/** The most specific route to `address`, if any. */
export function routeTo(routes: readonly Route[], address: string): Route | undefined {
  const prefixLength = (p: string) => Number(p.split("/")[1] ?? 32);
  return routes
    .filter((r) => inPrefix(address, r.prefix))
    .sort((a, b) => prefixLength(b.prefix) - prefixLength(a.prefix))[0];
}
