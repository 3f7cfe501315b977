/**
 * Where each cluster's route tables send a packet, from the very values the components register: on AWS the
 * VPC's own blocks (`awsNetworkLayout`), the peering routes in every private route table (`peeringRoutes`)
 * and the routes its virtual private gateway propagates from BGP (every table, `CrossCloudVpn`); on Azure
 * the VNet's address space, its peerings (`peeringLinks`) and what its VPN gateway learns over BGP. What BGP
 * carries over a VPN link is what each end announces: the link's routes.
 */

import { eksClusterName } from "../../aws/eks";
import { awsNetworkLayout, PUBLIC_ROUTE_TABLE } from "../../aws/network";
import { peeringRoutes } from "../../aws/peering";
import { vnetAddressSpace } from "../../azure/network";
import { peeringLinks } from "../../azure/peering";
import type { ClusterConfig, NetworkConfig } from "../../config/schema";
import type { LinkPlan } from "../../plan/connectivityTypes";
import { peeringConnections } from "../../plan/peering";
import type { ClusterPlan, NetworkPlan } from "../../plan/types";
import { inPrefix } from "./addresses";

export interface Route {
  readonly prefix: string;
  readonly via: string;
}

const farEnd = (link: LinkPlan, name: string) =>
  link.between[0] === name ? link.between[1] : link.between[0];

function vpnRoutes(cluster: ClusterPlan, plan: NetworkPlan, hasGateway: boolean): Route[] {
  if (!hasGateway) return [];
  return plan.connectivity.links
    .filter((l) => l.kind === "vpn" && l.between.includes(cluster.name))
    .flatMap((l) =>
      (l.routes[farEnd(l, cluster.name)] ?? []).map((prefix) => ({
        prefix,
        via: `vpn to ${farEnd(l, cluster.name)}`,
      })),
    );
}

/** The routes every private route table of an AWS cluster holds (nodes and pods live behind those). */
function awsRoutes(
  cluster: ClusterPlan,
  plan: NetworkPlan,
  network: NetworkConfig,
  configOf: (name: string) => ClusterConfig,
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
  const propagated = vpnRoutes(
    cluster,
    plan,
    plan.connectivity.vpn?.awsGateways.includes(cluster.name) ?? false,
  );
  return [...local, ...peering, ...propagated];
}

function azureRoutes(cluster: ClusterPlan, plan: NetworkPlan): Route[] {
  const byName = (name: string) => plan.clusters.find((c) => c.name === name) as ClusterPlan;
  const local = vnetAddressSpace(cluster).map((prefix) => ({ prefix, via: "local" }));
  const peered = peeringLinks(plan.connectivity.links)
    .filter((l) => l.from === cluster.name)
    .flatMap((l) =>
      vnetAddressSpace(byName(l.to)).map((prefix) => ({ prefix, via: `vnet peering ${l.name}` })),
    );
  const hasGateway = plan.connectivity.vpn?.azureGateways.some((g) => g.cluster === cluster.name) ?? false;
  return [...local, ...peered, ...vpnRoutes(cluster, plan, hasGateway)];
}

export function clusterRoutes(
  cluster: ClusterPlan,
  plan: NetworkPlan,
  network: NetworkConfig,
  configOf: (name: string) => ClusterConfig,
): Route[] {
  switch (cluster.provider) {
    case "aws":
      return awsRoutes(cluster, plan, network, configOf);
    case "azure":
      return azureRoutes(cluster, plan);
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
