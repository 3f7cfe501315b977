/** The gateway's load balancer on AWS (Service annotations for the AWS Load Balancer Controller) and cert-manager's Route 53 permissions. */
import type { Exposure } from "../config/ingress";
import { internalGatewaySubnets } from "../plan/ingress";
import type { ClusterPlan } from "../plan/types";
import type { PolicyDocument } from "./iam";
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
  const subnets = (
    exposure === "public"
      ? cluster.subnets.filter((s) => s.purpose === "public")
      : internalGatewaySubnets(cluster)
  ).map((s) => awsSubnetName(cluster, s));
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

/**
 * What cert-manager's role may do in Route 53 for ACME DNS-01: change only TXT records, and list records, in
 * the configured hosted zone; follow its own changes; find the zone by name (ListHostedZonesByName has no
 * resource-level permissions).
 */
export function dnsSolverPolicy(partition: string, hostedZoneId: string): PolicyDocument {
  const zone = `arn:${partition}:route53:::hostedzone/${hostedZoneId}`;
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "TxtRecordsOfTheZone",
        Effect: "Allow",
        Action: "route53:ChangeResourceRecordSets",
        Resource: zone,
        Condition: {
          "ForAllValues:StringEquals": { "route53:ChangeResourceRecordSetsRecordTypes": ["TXT"] },
        },
      },
      {
        Sid: "ListRecordsOfTheZone",
        Effect: "Allow",
        Action: "route53:ListResourceRecordSets",
        Resource: zone,
      },
      {
        Sid: "OwnChanges",
        Effect: "Allow",
        Action: "route53:GetChange",
        Resource: `arn:${partition}:route53:::change/*`,
      },
      { Sid: "FindZones", Effect: "Allow", Action: "route53:ListHostedZonesByName", Resource: "*" },
    ],
  };
}
