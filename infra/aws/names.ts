/** Names of the AWS resources of a cluster that other resources refer to by name. */
import type { ClusterPlan, SubnetPlan } from "../plan/types";

/** The `Name` tag of a planned subnet; the load balancer controller finds subnets by it. */
export const awsSubnetName = (cluster: Pick<ClusterPlan, "name">, subnet: Pick<SubnetPlan, "name">): string =>
  `${cluster.name}-${subnet.name}`;
