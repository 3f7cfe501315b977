/** The gateway's load balancer on Azure, as Service annotations for the AKS cloud provider. */
import type { Exposure } from "../config/ingress";
import type { ClusterPlan } from "../plan/types";
import { azureSubnetName } from "./names";

/**
 * `internal`: a frontend of the cluster's internal Standard LB with an address from the node subnet,
 * reachable over the VNet, peering and VPN. `public`: a frontend of the cluster's public Standard LB with
 * its own public IP. Either way the Service's loadBalancerSourceRanges become NSG rules.
 */
export function azureGatewayServiceAnnotations(
  cluster: ClusterPlan,
  exposure: Exposure,
): Record<string, string> {
  if (exposure === "public") return { "service.beta.kubernetes.io/azure-load-balancer-internal": "false" };
  const nodes = cluster.subnets.find((s) => s.purpose === "private");
  return {
    "service.beta.kubernetes.io/azure-load-balancer-internal": "true",
    ...(nodes
      ? { "service.beta.kubernetes.io/azure-load-balancer-internal-subnet": azureSubnetName(nodes) }
      : {}),
  };
}
