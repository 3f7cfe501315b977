/**
 * Alert rules (PrometheusRule groups) as pure functions of the config and plan. Each cluster's Prometheus
 * evaluates the rules about its own nodes and volumes; the central cluster, which sees every node's series
 * (federation), evaluates the network-wide ones: quorum, chain stall and lag behind the network's head.
 */
import type { NetworkConfig } from "../config/schema";
import type { ClusterPlan, NetworkPlan } from "../plan/types";
import { JOBS, METRICS } from "./names";
import { expectedTargets, type Thresholds, thresholds } from "./thresholds";
import { centralClusterName, federationJobName, remotePrometheuses } from "./topology";

export type Severity = "critical" | "warning";

export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly labels: { readonly severity: Severity };
  readonly annotations: { readonly summary: string; readonly description: string; readonly runbook: string };
}

export interface RuleGroup {
  readonly name: string;
  readonly rules: readonly AlertRule[];
}

/** Every alert this project defines; the README's runbook has a section for each. */
export const ALERT_NAMES = [
  "GoQuorumNodeDown",
  "GoQuorumPeersBelowExpected",
  "GoQuorumVolumeFillingUp",
  "GoQuorumPodRestarting",
  "MonitoringTargetsMissing",
  "TesseraDown",
  "TesseraPeersUnreachable",
  "QbftValidatorsAtQuorum",
  "QbftValidatorsBelowQuorum",
  "GoQuorumChainNotAdvancing",
  "GoQuorumNodeLagging",
] as const;
export type AlertName = (typeof ALERT_NAMES)[number];

const seconds = (s: number): string => `${s}s`;

/** `{job="goquorum",network="n",cluster="c"}` from label pairs. */
function selector(labels: Readonly<Record<string, string>>): string {
  return `{${Object.entries(labels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(",")}}`;
}

function rule(
  alert: AlertName,
  expr: string,
  forDuration: string,
  severity: Severity,
  summary: string,
  description: string,
): AlertRule {
  const anchor = alert.toLowerCase();
  return {
    alert,
    expr,
    for: forDuration,
    labels: { severity },
    annotations: { summary, description, runbook: `README.md#${anchor}` },
  };
}

/** Rules about the nodes, Tessera and volumes of one cluster, evaluated by that cluster's Prometheus. */
export function clusterRuleGroups(
  network: NetworkConfig,
  plan: NetworkPlan,
  cluster: ClusterPlan,
): RuleGroup[] {
  const t = thresholds(network, plan);
  const own = { network: network.name, cluster: cluster.name };
  const goquorum = selector({ job: JOBS.goquorum, ...own });
  const tessera = selector({ job: JOBS.tessera, ...own });
  const namespace = selector({ namespace: cluster.namespace });
  const expected = expectedTargets(cluster);
  const volumeDays = network.monitoring.volumeFullWithinDays;
  const restartMetrics = [METRICS.containerRestarts, METRICS.initContainerRestarts];

  const rules: AlertRule[] = [
    rule(
      "GoQuorumNodeDown",
      `up${goquorum} == 0`,
      "2m",
      "critical",
      "GoQuorum node {{ $labels.node }} ({{ $labels.role }}) is down",
      "Prometheus cannot scrape {{ $labels.node }} in cluster {{ $labels.cluster }} for 2 minutes: the pod is not running, not ready, or its metrics port is blocked.",
    ),
    rule(
      "GoQuorumPeersBelowExpected",
      // The fewest over a window: a probe's connection counted as a peer for one scrape must not reset `for`.
      `min_over_time(${METRICS.peers}${goquorum}[${seconds(t.peerCountWindowSeconds)}]) < ${t.expectedPeers}`,
      "10m",
      "warning",
      `{{ $labels.node }} has {{ $value }} peers, expected ${t.expectedPeers}`,
      `Every node peers statically with every other node of the network (${t.expectedPeers} peers). {{ $labels.node }} has had fewer for 10 minutes: a peer is down, or the path to it (Service, load balancer, peering, NetworkPolicy) is broken.`,
    ),
    rule(
      "GoQuorumVolumeFillingUp",
      `predict_linear(kubelet_volume_stats_available_bytes${namespace}[6h], ${t.volumeFullWithinSeconds}) < 0`,
      "1h",
      "warning",
      `Volume {{ $labels.persistentvolumeclaim }} will be full within ${volumeDays} days`,
      `At the growth of the last 6 hours, volume claim {{ $labels.persistentvolumeclaim }} in namespace {{ $labels.namespace }} runs out of space within ${volumeDays} days (network.monitoring.volumeFullWithinDays). geth stops when its disk is full.`,
    ),
    rule(
      "GoQuorumPodRestarting",
      // kube-state-metrics counts init containers, and so the Tessera sidecar, in a metric of their own.
      restartMetrics
        .map(
          (metric) => `increase(${metric}${namespace}[${seconds(t.restartWindowSeconds)}]) >= ${t.restarts}`,
        )
        .join(" or "),
      "0s",
      "warning",
      "Container {{ $labels.container }} of {{ $labels.pod }} is restarting",
      `Container {{ $labels.container }} of pod {{ $labels.pod }} restarted at least ${t.restarts} times in ${t.restartWindowSeconds / 60} minutes (crash loop, failing probe or out of memory).`,
    ),
    rule(
      "MonitoringTargetsMissing",
      `(count(up${goquorum}) or vector(0)) < ${expected.goquorum}`,
      "10m",
      "warning",
      `Fewer GoQuorum scrape targets than the ${expected.goquorum} nodes of cluster ${cluster.name}`,
      `Prometheus discovers {{ $value }} GoQuorum targets in cluster ${cluster.name}, but the plan has ${expected.goquorum} nodes there: a StatefulSet is missing or scaled down, or its pod lost the labels the PodMonitor selects.`,
    ),
  ];
  if (expected.tessera > 0) {
    rules.push(
      rule(
        "MonitoringTargetsMissing",
        `(count(up${tessera}) or vector(0)) < ${expected.tessera}`,
        "10m",
        "warning",
        `Fewer Tessera scrape targets than the ${expected.tessera} members of cluster ${cluster.name}`,
        `Prometheus discovers {{ $value }} Tessera targets in cluster ${cluster.name}, but the plan has ${expected.tessera} members there.`,
      ),
      rule(
        "TesseraDown",
        `up${tessera} == 0`,
        "2m",
        "critical",
        "Tessera of {{ $labels.node }} is down",
        "Prometheus cannot scrape Tessera of member {{ $labels.node }} for 2 minutes. geth cannot send or read private transactions without it.",
      ),
    );
    if (scrapesTesseraP2p(t)) {
      // The metric's name ends with the Java method's parameter types, so it is matched by name pattern.
      const p2p = selector({ job: JOBS.tesseraP2p, ...own }).replace(
        "{",
        `{__name__=~${JSON.stringify(METRICS.tesseraPartyInfoReceived)},`,
      );
      rules.push(
        rule(
          "TesseraPeersUnreachable",
          `sum by (network, cluster, node) (rate(${p2p}[10m])) == 0`,
          "5m",
          "critical",
          "No other Tessera has reached {{ $labels.node }} for 15 minutes",
          `Each of the ${t.members} members pushes its party info to every other member every few seconds. Tessera of {{ $labels.node }} has received none for 15 minutes: the other members cannot reach its P2P port (load balancer, peering, NetworkPolicy), or they are all down.`,
        ),
      );
    }
  }
  return [{ name: `goquorum-cluster-${cluster.name}`, rules }];
}

/** Network-wide rules, evaluated in the central cluster where every validator's series are visible. */
export function networkRuleGroups(network: NetworkConfig, plan: NetworkPlan): RuleGroup[] {
  const t = thresholds(network, plan);
  const all = selector({ job: JOBS.goquorum, network: network.name });
  const validators = selector({ job: JOBS.goquorum, network: network.name, role: "validator" });
  const live = `(count(up${validators} == 1) or vector(0))`;
  const rules: AlertRule[] = [];
  if (t.validators > t.quorum) {
    // With no spare validator (1 or 2 validators) the network is always one failure from halting: the plan says so.
    rules.push(
      rule(
        "QbftValidatorsAtQuorum",
        `${live} == ${t.quorum}`,
        "1m",
        "critical",
        `Only ${t.quorum} of ${t.validators} validators are live: one more failure halts the chain`,
        `QBFT needs ⌈2n/3⌉ = ${t.quorum} of the ${t.validators} validators to make blocks. Exactly ${t.quorum} are up: the next validator lost stops block production.`,
      ),
    );
  }
  rules.push(
    rule(
      "QbftValidatorsBelowQuorum",
      `${live} < ${t.quorum}`,
      "1m",
      "critical",
      `Fewer than ${t.quorum} of ${t.validators} validators are live: the chain has halted`,
      `QBFT needs ${t.quorum} live validators; {{ $value }} are up. No block is made until enough validators are back.`,
    ),
    rule(
      "GoQuorumChainNotAdvancing",
      `max(${METRICS.headBlock}${all}) <= max(${METRICS.headBlock}${all} offset ${seconds(t.chainStallSeconds)})`,
      "0s",
      "critical",
      `No new block in ${t.chainStallSeconds} seconds`,
      `The network's highest block has not moved for ${t.chainStallSeconds} s, ${Math.round(t.chainStallSeconds / t.blockIntervalSeconds)} block intervals of ${t.blockIntervalSeconds} s (blockPeriodSeconds / emptyBlockPeriodSeconds).`,
    ),
    rule(
      "GoQuorumNodeLagging",
      `scalar(max(${METRICS.headBlock}${all})) - ${METRICS.headBlock}${all} > ${t.lagBlocks}`,
      seconds(t.chainStallSeconds),
      "warning",
      "{{ $labels.node }} is {{ $value }} blocks behind the network's head",
      `{{ $labels.node }} in cluster {{ $labels.cluster }} has been more than ${t.lagBlocks} blocks behind the highest head for ${t.chainStallSeconds} s: it is syncing, cut off from its peers, or too slow to import blocks.`,
    ),
  );
  for (const remote of remotePrometheuses(centralClusterName(network, plan), plan)) {
    rules.push(
      rule(
        "MonitoringTargetsMissing",
        `up${selector({ job: federationJobName(remote.cluster) })} == 0`,
        "5m",
        "critical",
        `The central Prometheus cannot federate cluster ${remote.cluster}`,
        `Federation from ${remote.address} has failed for 5 minutes: the network-wide view has none of cluster ${remote.cluster}'s nodes, so its validators count as down in the quorum alerts. Check its monitoring endpoint, the peering and Prometheus in ${remote.cluster}.`,
      ),
    );
  }
  return [{ name: "goquorum-network", rules }];
}

/**
 * Tessera's P2P `/metrics` is scraped when there are peers to hear from: over plain HTTP, or with strict TLS
 * over HTTPS with Prometheus' client certificate of the network CA (see monitors.ts).
 */
export function scrapesTesseraP2p(t: Thresholds): boolean {
  return t.members > 1;
}
