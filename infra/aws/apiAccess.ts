/**
 * The deployer's path to an EKS API server (`clusters[].apiAccess`), as values: the cluster security group's
 * ingress for runners that reach the private endpoint, and the peering with each AWS management VPC.
 *
 * The private endpoint's network interfaces carry the EKS-created cluster security group, which admits only
 * the cluster itself: a connected network reaches it once that group admits TCP 443 from it (EKS user guide,
 * "Cluster API server endpoint", "Accessing a private only API server"). VPC peering is not transitive, so a
 * management VPC is peered with every AWS cluster's VPC, with routes on both sides.
 */
import type { ManagementNetworkConfig } from "../config/schema";
import { API_SERVER_PORT, type DeployerPath } from "../plan/apiAccess";
import type { ClusterPlan } from "../plan/types";
import type { AwsRouteTable } from "./network";

export interface ApiServerIngressRule {
  /** Unique within the cluster, e.g. `api-10-250-0-0-24`. */
  readonly key: string;
  readonly cidr: string;
  readonly port: typeof API_SERVER_PORT;
  readonly description: string;
}

/** TCP 443 on the cluster security group from each range that reaches the private endpoint, and nothing else. */
export function apiServerIngressRules(
  cluster: Pick<ClusterPlan, "name">,
  paths: readonly DeployerPath[],
): ApiServerIngressRule[] {
  const sources = paths.filter(
    (p) => p.cluster === cluster.name && p.admittedBy === "eks-cluster-security-group",
  );
  return [...new Map(sources.map((p) => [p.source, p])).values()].map((p) => ({
    key: `api-${p.source.replace(/[./]/g, "-")}`,
    cidr: p.source,
    port: API_SERVER_PORT,
    description: `Kubernetes API from deployers in ${p.source} (${p.route.kind === "site" ? `site ${p.route.site}` : p.route.kind === "management-network" ? `management network ${p.route.network}` : "the Internet"})`,
  }));
}

export interface ManagementRoute {
  /** The cluster route table (its key) or the management route table (its id). */
  readonly routeTable: string;
  readonly destination: string;
}

/** The VPC peering between a cluster's VPC (requester) and one management VPC (accepter). */
export interface ManagementPeeringPlan {
  /** Unique in the stack: `<cluster>-<management network>`. */
  readonly name: string;
  readonly network: string;
  readonly peerVpcId: string;
  readonly peerRegion: string;
  /** Across regions the accepter's region accepts; in one region the request is accepted on creation. */
  readonly crossRegion: boolean;
  /** In every route table of the cluster's VPC: the management range. */
  readonly clusterRoutes: readonly ManagementRoute[];
  /** In each listed management route table: the cluster's VPC range (where the API endpoint lives). */
  readonly managementRoutes: readonly ManagementRoute[];
}

export function managementPeeringPlans(
  cluster: Pick<ClusterPlan, "name" | "region" | "cidr">,
  routeTables: readonly AwsRouteTable[],
  networks: readonly ManagementNetworkConfig[],
): ManagementPeeringPlan[] {
  const vpcRange = cluster.cidr;
  if (!vpcRange) throw new Error(`cluster ${cluster.name} has no VPC range in the plan`);
  return networks.flatMap((m) =>
    m.provider === "aws"
      ? [
          {
            name: `${cluster.name}-${m.name}`,
            network: m.name,
            peerVpcId: m.vpcId,
            peerRegion: m.region,
            crossRegion: m.region !== cluster.region,
            clusterRoutes: routeTables.map((t) => ({ routeTable: t.key, destination: m.cidr })),
            managementRoutes: m.routeTableIds.map((id) => ({ routeTable: id, destination: vpcRange })),
          },
        ]
      : [],
  );
}
