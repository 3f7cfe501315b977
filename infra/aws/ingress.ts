/** The gateway's load balancer on AWS, as Service annotations for the AWS Load Balancer Controller. */
import type { Exposure } from "../config/ingress";
import type { ClusterPlan } from "../plan/types";
import { awsSubnetName } from "./names";

/**
 * An NLB sending straight to the Envoy pods' IPs: `internal` in the private (node) subnets, reachable over the
 * VPC, peering and VPN; `public` internet-facing in the public subnets. Client IP preservation keeps the
 * caller's address, which the routes' client ranges are matched against; the Service's
 * loadBalancerSourceRanges become the NLB security group's inbound rules.
 */
export function awsGatewayServiceAnnotations(
  cluster: ClusterPlan,
  exposure: Exposure,
): Record<string, string> {
  const purpose = exposure === "public" ? "public" : "private";
  const subnets = cluster.subnets.filter((s) => s.purpose === purpose).map((s) => awsSubnetName(cluster, s));
  return {
    "service.beta.kubernetes.io/aws-load-balancer-type": "external",
    "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
    "service.beta.kubernetes.io/aws-load-balancer-scheme":
      exposure === "public" ? "internet-facing" : "internal",
    "service.beta.kubernetes.io/aws-load-balancer-subnets": subnets.join(","),
    "service.beta.kubernetes.io/aws-load-balancer-target-group-attributes": "preserve_client_ip.enabled=true",
    "service.beta.kubernetes.io/aws-load-balancer-attributes": "load_balancing.cross_zone.enabled=true",
  };
}
