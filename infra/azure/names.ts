/** Names of the Azure resources of a cluster that other resources refer to by name. */
import type { SubnetPlan } from "../plan/types";

/** A planned subnet's name in the cluster's VNet; the cloud provider finds load balancer subnets by it. */
export const azureSubnetName = (subnet: Pick<SubnetPlan, "name">): string => subnet.name;
