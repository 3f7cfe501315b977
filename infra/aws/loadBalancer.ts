/** The per-node internal NLB of an AWS cluster, as Service annotations for the AWS Load Balancer Controller. */
import { endpointSubnetOf } from "../plan/nodes";
import type { ClusterPlan, EndpointPlacement } from "../plan/types";
import { LBC_TARGET_GROUP_ATTRIBUTES } from "./behaviour";
import { awsSubnetName } from "./names";

/**
 * An internal NLB sending straight to the pod IP, on the node's reserved address in its zone's endpoints
 * subnet. Client IP preservation keeps the peer's address as the source, which the NetworkPolicy's peer
 * ranges are matched against.
 */
export function awsLoadBalancerAnnotations(
  cluster: ClusterPlan,
  node: EndpointPlacement,
): Record<string, string> {
  const subnet = endpointSubnetOf(cluster, node);
  return {
    "service.beta.kubernetes.io/aws-load-balancer-type": "external",
    "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
    "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
    "service.beta.kubernetes.io/aws-load-balancer-private-ipv4-addresses": `${node.endpointIp}`,
    "service.beta.kubernetes.io/aws-load-balancer-subnets": awsSubnetName(cluster, subnet),
    [LBC_TARGET_GROUP_ATTRIBUTES]: "preserve_client_ip.enabled=true",
  };
}
