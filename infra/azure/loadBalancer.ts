/** The per-node internal load balancer frontend of an Azure cluster, as Service annotations. */
import { endpointSubnetOf } from "../plan/nodes";
import type { ClusterPlan, EndpointPlacement } from "../plan/types";
import { azureSubnetName } from "./names";

/** A frontend of the cluster's internal Standard LB on the node's reserved address in the endpoints subnet. */
export function azureLoadBalancerAnnotations(
  cluster: ClusterPlan,
  node: EndpointPlacement,
): Record<string, string> {
  return {
    "service.beta.kubernetes.io/azure-load-balancer-internal": "true",
    "service.beta.kubernetes.io/azure-load-balancer-ipv4": `${node.endpointIp}`,
    "service.beta.kubernetes.io/azure-load-balancer-internal-subnet": azureSubnetName(
      endpointSubnetOf(cluster, node),
    ),
  };
}
