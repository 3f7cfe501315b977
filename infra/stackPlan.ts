/** Planning a stack from its raw config map: the one path shared by `pulumi up`, `npm run plan` and render. */

import {
  type NodeClientsOutput,
  nodeClientsOutput,
  type PreviousNodeClients,
  planUpgrade,
  type UpgradePlan,
} from "./besu/rollingUpgrade";
import type { ConfigIssue } from "./config/issue";
import { parseStackConfig, projectKeys, readStackFile, stackFilePath } from "./config/load";
import { standInConfig, touchesTainted } from "./config/salvage";
import type { StackConfig } from "./config/schema";
import { ENVOY_GATEWAY_CALENDAR_READ } from "./ingress/behaviour";
import { planNetwork } from "./plan";
import { besuImage } from "./plan/besuImage";
import { envoyGatewaySupportIssues } from "./plan/envoyGatewaySupport";
import { hasErrors } from "./plan/issues";
import { monitoringWarnings } from "./plan/monitoring";
import type { NetworkPlan } from "./plan/types";
import { besuReleaseIssues } from "./verify/besuReleases";
import { type Flow, verifyFlows } from "./verify/flows";
import { kubernetesVersionIssues } from "./verify/kubernetesVersions";
import { policyEnforcement, policyEnforcementIssues } from "./verify/policyEnforcement";
import { checkSchedulability, type SchedulabilityReport } from "./verify/schedulability";

export interface StackPlan {
  readonly config?: StackConfig;
  readonly plan?: NetworkPlan;
  /** Where each pod the program creates may run; absent when planning failed. */
  readonly schedulability?: SchedulabilityReport;
  readonly issues: readonly ConfigIssue[];
  /** Every flow the network needs or must keep closed, with its verdict (once the network is planned). */
  readonly flows?: readonly Flow[];
}

/**
 * `day` (ISO date) is the day the plan is made for: the program and `npm run plan` pass today's, so a pinned
 * release past its end of life is reported; left out, the day its calendar was read (a pure, repeatable plan).
 */
export function planRawConfig(
  raw: Record<string, unknown>,
  day: string = ENVOY_GATEWAY_CALENDAR_READ,
): StackPlan {
  const { values, issues: keyIssues } = projectKeys(raw);
  const parsed = parseStackConfig(values);
  if (!parsed.config) return { issues: [...keyIssues, ...parsed.issues, ...crossKeyIssues(values)] };
  const { plan, issues } = planNetwork(parsed.config);
  const checked = [...keyIssues, ...issues];
  if (!plan || hasErrors(checked)) return { config: parsed.config, issues: checked };
  // The verifiers read a plan without errors; their issues join the plan's.
  const schedulability = checkSchedulability(parsed.config, plan);
  const verified = verifyFlows(parsed.config, plan);
  const all = [
    ...checked,
    ...schedulability.issues,
    ...monitoringWarnings(parsed.config),
    ...policyEnforcementIssues(policyEnforcement(parsed.config, plan)),
    ...kubernetesVersionIssues(parsed.config),
    ...envoyGatewaySupportIssues(parsed.config, day),
    ...besuReleaseIssues(parsed.config, plan),
    ...verified.issues,
  ];
  return {
    config: parsed.config,
    plan: hasErrors(all) ? undefined : plan,
    schedulability: schedulability.report,
    issues: all,
    flows: verified.flows,
  };
}

/** Cross-key problems of a config the schema rejected, found on a stand-in without the rejected values. */
function crossKeyIssues(values: Record<string, unknown>): ConfigIssue[] {
  const standIn = standInConfig(values);
  if (!standIn) return [];
  return planNetwork(standIn.config).issues.filter((issue) => !touchesTainted(issue.path, standIn.tainted));
}

export function planStackFile(stack: string, dir?: string, day?: string): StackPlan {
  return planRawConfig(readStackFile(stackFilePath(stack, dir)), day);
}

/**
 * What this update does to the running nodes, from what the last deployment ran (`previous`): the legacy QBFT
 * flag, the nodes that sync, the checks; and the `nodeClients` output it leaves for the next update.
 */
export function planUpgradeFor(
  config: StackConfig,
  plan: NetworkPlan,
  previous: PreviousNodeClients,
): { plan: UpgradePlan; output: NodeClientsOutput } {
  const nodes = plan.clusters.flatMap((c) => c.nodes);
  const choice = besuImage(config.network.workloads.images, plan);
  const upgrade = planUpgrade({
    previous,
    nodes,
    externalPeers: config.network.connectivity.externalPeers,
    besuImage: choice.image,
    besuImageKey: `network.workloads.images.${choice.key}`,
  });
  return { plan: upgrade, output: nodeClientsOutput(nodes, choice.image, upgrade.legacyBftEncoding) };
}
