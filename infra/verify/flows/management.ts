/**
 * The management networks (`network.connectivity.managementNetworks`) as a runner's packet meets them, from
 * the values the components register: the routes the program adds to the management VPC's listed route tables
 * (`managementPeeringPlans`) or the management VNet's side of each peering (`managementPeerings`), and the
 * network's own outbound filter, which the program does not manage (the cloud's defaults: `evaluateNsg` with
 * no custom rule on Azure, `UNMANAGED_SECURITY_GROUP_EGRESS` on AWS).
 */
import { managementPeeringPlans } from "../../aws/apiAccess";
import { UNMANAGED_SECURITY_GROUP_EGRESS } from "../../aws/behaviour";
import { eksClusterName } from "../../aws/eks";
import { awsNetworkLayout } from "../../aws/network";
import { managementPeerings } from "../../azure/apiAccess";
import { vnetAddressSpace } from "../../azure/network";
import type { ManagementNetworkConfig, StackConfig } from "../../config/schema";
import type { NetworkPlan } from "../../plan/types";
import { evaluateNsg } from "./nsg";
import type { Route } from "./routes";

export interface ManagementModel {
  readonly config: ManagementNetworkConfig;
  /** Index in `managementNetworks`, for issue paths. */
  readonly index: number;
  /** Where its runners' route tables send a packet: the peered clusters' networks. */
  readonly routes: readonly Route[];
  /** Its own outbound filter for a runner's packet. */
  readonly egress: (
    destination: string,
    port: number,
  ) => { readonly admitted: boolean; readonly rule: string };
}

function awsRoutes(config: StackConfig, plan: NetworkPlan, m: ManagementNetworkConfig): Route[] {
  return plan.clusters.flatMap((cluster) => {
    const clusterConfig = config.clusters.find((c) => c.name === cluster.name);
    if (clusterConfig?.provider !== "aws") return [];
    const layout = awsNetworkLayout(
      cluster,
      eksClusterName(config.network, clusterConfig),
      clusterConfig.natGateways,
    );
    return managementPeeringPlans(cluster, layout.routeTables, [m]).flatMap((peering) => {
      // A runner subnet routes to the cluster only where its route table holds the route.
      const destinations = [...new Set(peering.managementRoutes.map((r) => r.destination))];
      return destinations
        .filter(
          (d) =>
            m.provider === "aws" &&
            m.routeTableIds.length > 0 &&
            m.routeTableIds.every((id) =>
              peering.managementRoutes.some((r) => r.routeTable === id && r.destination === d),
            ),
        )
        .map((prefix) => ({ prefix, via: `vpc peering ${peering.name}` }));
    });
  });
}

function azureRoutes(plan: NetworkPlan, m: ManagementNetworkConfig): Route[] {
  return plan.clusters.flatMap((cluster) => {
    if (cluster.provider !== "azure") return [];
    const sides = managementPeerings(cluster, [m]).filter((p) => p.flags.allowVirtualNetworkAccess);
    // A peering carries traffic once both of its sides exist.
    const both = sides.some((p) => p.side === "cluster") && sides.some((p) => p.side === "management");
    const name = sides.find((p) => p.side === "management")?.name;
    return both ? vnetAddressSpace(cluster).map((prefix) => ({ prefix, via: `vnet peering ${name}` })) : [];
  });
}

export function managementModels(config: StackConfig, plan: NetworkPlan): Map<string, ManagementModel> {
  return new Map(
    config.network.connectivity.managementNetworks.map((m, index) => {
      const routes = m.provider === "aws" ? awsRoutes(config, plan, m) : azureRoutes(plan, m);
      // A VNet's NSG we do not manage: Azure's default rules, its VirtualNetwork tag being its own range and
      // the VNets peered with it.
      const egress: ManagementModel["egress"] =
        m.provider === "aws"
          ? () => ({ admitted: true, rule: UNMANAGED_SECURITY_GROUP_EGRESS })
          : (destination, port) => {
              const verdict = evaluateNsg(
                [],
                { direction: "Outbound", source: m.cidr.split("/")[0] as string, destination, port },
                { virtualNetwork: [m.cidr, ...routes.map((r) => r.prefix)] },
              );
              return { admitted: verdict.access === "Allow", rule: verdict.rule };
            };
      return [m.name, { config: m, index, routes, egress }];
    }),
  );
}
