/**
 * The flow matrix of `npm run plan`: flows grouped by where they come from and go to, their port, and the
 * layer and rule that decided them, one line per group. A needed flow denied or a closed flow admitted is
 * marked `!!` (the plan fails on it).
 */

import { GATEWAY_PORTS } from "../ingress/names";
import { KUBELET_PORT, NODE_PORT_RANGE } from "../kubernetes/behaviour";
import { PROMETHEUS_PORT } from "../monitoring/names";
import type { NetworkPlan } from "../plan/types";
import { PORTS } from "../quorum/ports";
import type { Flow } from "../verify/flows";

const PORT_NAMES: ReadonlyMap<number, string> = new Map([
  ...Object.entries(PORTS).map(([name, port]) => [port, name] as const),
  [PROMETHEUS_PORT, "prometheus"],
  [GATEWAY_PORTS.https, "https"],
  [GATEWAY_PORTS.http, "http"],
  [KUBELET_PORT, "kubelet"],
  [NODE_PORT_RANGE.from, "nodeport"],
]);

const portLabel = (port: number) => `${PORT_NAMES.get(port) ?? "tcp"}/${port}`;

export function describeFlows(flows: readonly Flow[], plan: Pick<NetworkPlan, "clusters">): string[] {
  const clusterOfNode = new Map(plan.clusters.flatMap((c) => c.nodes.map((n) => [n.name, c.name] as const)));
  const group = (endpoint: string) => {
    const cluster = clusterOfNode.get(endpoint);
    if (cluster) return `${cluster} nodes`;
    return endpoint.endsWith(" health check") ? `${endpoint.split("/")[0]} load balancers` : endpoint;
  };
  const rows = new Map<string, { flow: Flow; from: string; to: string; count: number }>();
  for (const flow of flows) {
    const from = group(flow.from);
    const to = group(flow.to);
    const key = [flow.required, from, to, flow.port, flow.verdict, flow.layer, flow.rule].join("\u0000");
    const row = rows.get(key) ?? { flow, from, to, count: 0 };
    row.count += 1;
    rows.set(key, row);
  }
  const needed = flows.filter((f) => f.required);
  const closed = flows.filter((f) => !f.required);
  const summary = (list: readonly Flow[], ok: Flow["verdict"]) =>
    list.every((f) => f.verdict === ok)
      ? `all ${ok}`
      : `${list.filter((f) => f.verdict !== ok).length} ${ok === "admitted" ? "denied" : "admitted"}`;
  const width = Math.max(...[...rows.values()].map((r) => `${r.from} -> ${r.to}`.length));
  return [
    `flows: ${needed.length} needed, ${summary(needed, "admitted")}; ${closed.length} closed, ${summary(closed, "denied")}`,
    ...[...rows.values()].map(({ flow, from, to, count }) => {
      const wrong = flow.required !== (flow.verdict === "admitted");
      return [
        wrong ? "!!" : "  ",
        (flow.required ? "needed" : "closed").padEnd(7),
        `${from} -> ${to}`.padEnd(width),
        portLabel(flow.port).padEnd(22),
        `x${count}`.padStart(4),
        ` ${flow.verdict.padEnd(9)}`,
        `${flow.layer ?? "-"}: ${flow.rule ?? "-"}`,
      ].join(" ");
    }),
  ];
}
