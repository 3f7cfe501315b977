/**
 * Same-cluster Tessera dials through an AWS NLB that preserves client addresses fail when the two pods run on
 * one node (`NLB_HAIRPIN`). Whether they can is the scheduler's choice: pods pinned to different zones never
 * share a node, nor do pods a required anti-affinity term on the hostname keeps apart. Every other pair of
 * such members is a warning: the flow works on most placements and fails, intermittently, on the rest.
 */
import { NLB_HAIRPIN } from "../../aws/behaviour";
import type { ConfigIssue } from "../../config/issue";
import { warning } from "../../plan/issues";
import { nodeRunsTessera } from "../../quorum/manifests/roles";
import { PORTS } from "../../quorum/ports";
import { dialsLoadBalancer } from "./catalog";
import type { NetworkModel, NodeModel } from "./model";
import { selectorMatches } from "./networkPolicy";

const keptApart = (a: NodeModel, b: NodeModel) =>
  a.separateNodesFrom.some((s) => selectorMatches(s, b.pod.labels)) ||
  b.separateNodesFrom.some((s) => selectorMatches(s, a.pod.labels));

/** Whether the scheduler may put the two nodes' pods on one node. */
export function mayShareNode(a: NodeModel, b: NodeModel): boolean {
  const zonesDiffer = a.node.zone !== undefined && b.node.zone !== undefined && a.node.zone !== b.node.zone;
  return !zonesDiffer && !keptApart(a, b);
}

export function hairpinWarnings(model: NetworkModel): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const cluster of model.clusters.values()) {
    if (cluster.plan.provider !== "aws") continue;
    const members = cluster.nodes.filter((n) => nodeRunsTessera(n.node));
    members.forEach((a, i) => {
      for (const b of members.slice(i + 1)) {
        const through = [a, b].filter(
          (to) =>
            to.loadBalancer?.preservesClientIp &&
            dialsLoadBalancer(cluster, cluster, to.node, PORTS.tesseraP2p),
        );
        if (through.length === 0 || !mayShareNode(a, b)) continue;
        issues.push(
          warning(
            `clusters[${cluster.index}]`,
            `members ${a.node.name} and ${b.node.name} may run on one node (same zone, anti-affinity only preferred), where their Tessera dials through ${through.map((n) => n.loadBalancer?.service).join(" and ")} fail: ${NLB_HAIRPIN}. Keep at most one member per zone (nodes.members no more than zones).`,
          ),
        );
      }
    });
  }
  return issues;
}
