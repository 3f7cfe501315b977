/**
 * `npm run plan -- --stack <name> [--json]`: validate a stack file and print its network plan and cost.
 * Exit code 1, with every error, when the config is invalid; 2 for a usage error (see `args.ts`).
 * `--previous <dir of an earlier render>` also plans the update of the deployment that render describes (its
 * outputs.json): the Besu rolling upgrade (legacy QBFT flag, refusals) and the nodes that sync from genesis.
 */
import { LEGACY_BFT_ENCODING_FLAG } from "../besu/behaviour";
import { NODE_CLIENTS_OUTPUT, type UpgradePlan } from "../besu/rollingUpgrade";
import { formatIssues } from "../config/errors";
import { StackFileError } from "../config/load";
import type { StackConfig } from "../config/schema";
import { planCost } from "../costFacts";
import { describeSuggestion } from "../plan/faultTolerance";
import { hasErrors } from "../plan/issues";
import { peeringConnections, peeringMeshSize } from "../plan/peering";
import type { ClusterPlan, NetworkPlan, NodePlan } from "../plan/types";
import { planStackFile, planUpgradeFor } from "../stackPlan";
import { cliArgs } from "./args";
import { clientText } from "./clientText";
import { describeConnectivity, describeDeployerPaths } from "./connectivityText";
import { describeCost } from "./costText";
import { describeFlows } from "./flowsText";
import { readPreviousRender } from "./previousRender";
import { describeSchedulability } from "./schedulabilityText";

const pct = (x: number) => `${Math.round(x * 100)}%`;

function describeCluster(c: ClusterPlan, client: (node: NodePlan) => string): string[] {
  const lines = [`cluster ${c.name} (${c.provider}, ${c.region}) namespace ${c.namespace}`];
  if (c.cidr)
    lines.push(
      `  vpc/vnet ${c.cidr}   services ${c.serviceCidr ?? "-"}${c.podCidr ? `   pods ${c.podCidr}` : ""}`,
    );
  lines.push(`  zones ${c.zones.length > 0 ? c.zones.join(", ") : "(regional)"}`);
  for (const s of c.subnets) {
    lines.push(
      `  subnet ${s.name.padEnd(28)} ${s.cidr.padEnd(18)} ${String(s.usableAddresses).padStart(6)} usable`,
    );
  }
  if (c.capacity) {
    const k = c.capacity;
    lines.push(
      `  capacity: ${k.nodes} nodes x ${k.podsPerNode} pods, ${k.podAddresses} pod addresses; ` +
        `${k.plannedPods} pods planned, headroom ${pct(k.headroom)} (bound by ${k.bindingLimit})`,
    );
  }
  for (const n of c.nodes) {
    lines.push(
      `  node ${n.name.padEnd(30)} ${n.role.padEnd(9)} ${client(n).padEnd(14)} zone ${n.zone ?? "-"}  endpoint ${n.endpointIp ?? "in-cluster DNS"}`,
    );
  }
  if (c.monitoringEndpointIp)
    lines.push(`  monitoring endpoint (Prometheus federation) ${c.monitoringEndpointIp}`);
  for (const r of c.ingress?.routes ?? []) {
    const auth = r.auth?.jwt ? "jwt" : r.auth?.apiKeys ? "api keys" : "grafana oidc";
    const from =
      r.allowedCidrs.length > 0
        ? r.allowedCidrs.join(", ")
        : r.clientRanges.length > 0
          ? `private networks (${r.clientRanges.join(", ")})`
          : "kubectl port-forward";
    lines.push(
      `  publishes ${r.kind.padEnd(19)} https://${r.hostname}/  ${r.exposure.toUpperCase()}  from ${from}  auth ${auth}`,
    );
  }
  return lines;
}

function describePeering(plan: NetworkPlan): string[] {
  const connections = peeringConnections(plan.connectivity.links, plan.clusters);
  const { perVpc, routesPerTable } = peeringMeshSize(plan.connectivity.links);
  if (connections.length === 0) return [];
  return [
    "",
    `vpc peering: ${connections.length} connection${connections.length === 1 ? "" : "s"} (n(n-1)/2), ${perVpc} per VPC, ${routesPerTable} peer route${routesPerTable === 1 ? "" : "s"} per route table`,
    ...connections.map((c) => `  ${c.requester} -> ${c.accepter}${c.crossRegion ? " (cross-region)" : ""}`),
  ];
}

function describePlan(plan: NetworkPlan, config: StackConfig): string {
  const client = clientText(config, plan);
  const ft = plan.faultTolerance;
  const lines = [
    `network ${plan.network.name}: chain id ${plan.network.chainId}, ${plan.network.consensus.toUpperCase()}`,
    "",
  ];
  for (const c of plan.clusters) lines.push(...describeCluster(c, client), "");
  lines.push(
    ...describeConnectivity(
      plan.clusters.map((c) => c.name),
      plan.connectivity,
      plan.externalPeers,
    ),
    "",
  );
  const paths = describeDeployerPaths(plan.deployerPaths);
  if (paths.length > 0) lines.push(...paths, "");
  const margin = (m: number) => (m < 0 ? "HALTS" : `survives, ${m} to spare${m === 0 ? " (AT QUORUM)" : ""}`);
  lines.push(
    `fault tolerance: ${ft.validators} validators, quorum ${ft.quorum}, tolerates ${ft.tolerates} down`,
    `  loss of any cluster: ${margin(ft.marginAfterClusterLoss)}`,
    `  loss of any zone:    ${margin(ft.marginAfterZoneLoss)}`,
  );
  const validators = (k: number) => `${k} validator${k === 1 ? "" : "s"}`;
  for (const v of ft.clusterLoss) {
    lines.push(
      `    cluster ${v.cluster.padEnd(22)} ${validators(v.validators)}, margin after losing it ${v.margin}`,
    );
  }
  for (const v of ft.zoneLoss) {
    const where = v.zone ? `zone ${v.zone} of ${v.cluster}` : `cluster ${v.cluster} (no zones)`;
    lines.push(`    ${where.padEnd(30)} ${validators(v.validators)}, margin after losing it ${v.margin}`);
  }
  if (ft.externalLoss.length > 0) {
    lines.push(
      `  loss of any external validator: ${ft.survivesLossOfAnyExternalParty ? "survives" : "HALTS"}`,
    );
  }
  for (const v of [...ft.clusterLoss, ...ft.zoneLoss].filter((x) => !x.survives)) {
    lines.push(
      `  losing ${v.zone ? `zone ${v.zone} of ${v.cluster}` : `cluster ${v.cluster}`} takes ${v.validators} validators: halts`,
    );
  }
  if (ft.suggestion) lines.push(`  suggestion: ${describeSuggestion(ft.suggestion)}`);
  if (plan.maintenance.length > 0) {
    lines.push("", "maintenance windows (UTC, weekly; AKS upgrades on its own only inside them):");
    for (const w of plan.maintenance) {
      const what = w.kind === "kubernetes" ? "Kubernetes version" : "node OS image";
      lines.push(
        `  ${w.cluster.padEnd(16)} ${what.padEnd(18)} ${w.day} ${w.startTime} for ${w.durationHours} h`,
      );
    }
  }
  lines.push(...describePeering(plan));
  return lines.join("\n");
}

/** The update of an earlier render's deployment: the legacy QBFT flag and the nodes that sync. */
function describeUpgrade(upgrade: UpgradePlan, syncMinutes: number, dir: string): string {
  const syncing = upgrade.syncingNodes;
  return [
    `update of the deployment rendered in ${dir}:`,
    `  ${LEGACY_BFT_ENCODING_FLAG}: ${upgrade.legacyBftEncoding ? "on every Besu node (kept)" : "off"}`,
    syncing.length > 0
      ? `  syncing from genesis (pulumi up waits up to ${syncMinutes} min each): ${syncing.join(", ")}`
      : "  no node syncs from genesis",
    "",
  ].join("\n");
}

function main(): number {
  const args = cliArgs({ command: "plan", json: true, previous: true });
  let planned: ReturnType<typeof planStackFile>;
  try {
    // Planned for today: the pinned releases' support is judged on the day the plan is read.
    planned = planStackFile(args.stack, args["stacks-dir"], new Date().toISOString().slice(0, 10));
  } catch (e) {
    if (!(e instanceof StackFileError)) throw e;
    console.error(e.message);
    return 1;
  }
  const { config, plan, schedulability, flows = [], issues } = planned;
  if (!plan || !config) {
    console.error(formatIssues(issues));
    return 1;
  }
  const cost = planCost(config, plan);
  if (args.previous) {
    const { outputs } = readPreviousRender(args.previous);
    const deployed = { deployed: true, nodeClients: outputs[NODE_CLIENTS_OUTPUT] };
    const upgrade = planUpgradeFor(config, plan, deployed).plan;
    console.log(describeUpgrade(upgrade, config.network.workloads.syncTimeoutMinutes, args.previous));
    if (upgrade.issues.length > 0) console.error(formatIssues(upgrade.issues));
    if (hasErrors(upgrade.issues)) return 1;
  }
  if (args.json) console.log(JSON.stringify({ ...plan, schedulability, flows, cost }, null, 2));
  else
    console.log(
      [
        describePlan(plan, config),
        ...(schedulability ? ["", ...describeSchedulability(schedulability)] : []),
        "",
        ...describeFlows(flows, plan),
        "",
        ...describeCost(cost),
      ].join("\n"),
    );
  if (issues.length > 0) console.error(formatIssues(issues));
  return 0;
}

process.exitCode = main();
