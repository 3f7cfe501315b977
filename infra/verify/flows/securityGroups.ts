/**
 * An AWS security group's inbound rules, evaluated as AWS does: rules only allow, any matching rule admits,
 * and what none admits is dropped (Amazon VPC user guide, "Security group rules"). A rule admits a range
 * (the packet's source address) or a security group (a member of it sent the packet).
 */
import type { SecurityGroupRule } from "../../aws/behaviour";
import { inPrefix } from "./addresses";

export interface SecurityGroupPacket {
  readonly source: string;
  /** Security groups the sender belongs to (its ENI's groups, or the load balancer's backend group). */
  readonly sourceGroups: readonly string[];
  readonly port: number;
}

export interface SecurityGroupVerdict {
  readonly admitted: boolean;
  readonly rule: string;
}

export function evaluateSecurityGroup(
  rules: readonly SecurityGroupRule[],
  packet: SecurityGroupPacket,
): SecurityGroupVerdict {
  const match = rules.find(
    (r) =>
      packet.port >= r.fromPort &&
      packet.port <= r.toPort &&
      ("cidr" in r.source
        ? inPrefix(packet.source, r.source.cidr)
        : packet.sourceGroups.includes(r.source.securityGroup)),
  );
  return match
    ? { admitted: true, rule: match.name }
    : { admitted: false, rule: `no inbound rule admits ${packet.source} to ${packet.port}` };
}
