/**
 * Alert rules (PrometheusRule groups) as pure functions of the config and plan. Each cluster's Prometheus
 * records its own nodes' metrics as client-neutral series (GoQuorum's and Besu's names differ) and evaluates
 * the rules about its own nodes and volumes; the central cluster, which sees every node's series
 * (federation), evaluates the network-wide ones: quorum, chain stall and lag behind the network's head.
 */
import { BESU_METRICS, BESU_TXPOOL_LAYERS } from "../besu/metrics";
import { alertRunbookUrl, runbookUrl } from "../config/runbook";
import type { NetworkConfig, NodeClient } from "../config/schema";
import type { ClusterPlan, NetworkPlan } from "../plan/types";
import { disruptionGate } from "../quorum/manifests/disruptionGate";
import { GATE_CONTAINER } from "../quorum/manifests/gateScripts";
import { LABELS } from "../quorum/manifests/labels";
import { nodeClientsOf } from "./monitors";
import { ANY_NODE_JOB, JOBS, METRICS, NODE_CONTAINERS, NODE_JOBS, RECORDED } from "./names";
import { expectedTargets, type Thresholds, thresholds } from "./thresholds";
import { centralClusterName, federationJobName, remotePrometheuses } from "./topology";

export type Severity = "critical" | "warning";

export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly labels: { readonly severity: Severity };
  /** `runbook_url`: the annotation Prometheus' own alerts and Alertmanager integrations read as the runbook link. */
  readonly annotations: {
    readonly summary: string;
    readonly description: string;
    readonly runbook_url?: string;
  };
}

export interface RuleGroup {
  readonly name: string;
  readonly rules: readonly AlertRule[];
}

/** A recording rule: `expr`'s result stored as the series `record`, with `expr`'s labels. */
export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
}

export interface RecordingGroup {
  readonly name: string;
  readonly rules: readonly RecordingRule[];
}

export const isAlertRule = (r: AlertRule | RecordingRule): r is AlertRule => "alert" in r;

/** Every alert this project defines; the runbook (docs/alerts.md) has a section for each. */
export const ALERT_NAMES = [
  "GoQuorumNodeDown",
  "GoQuorumPeersBelowExpected",
  "GoQuorumVolumeFillingUp",
  "GoQuorumPodRestarting",
  "MonitoringTargetsMissing",
  "TesseraDown",
  "TesseraPeersUnreachable",
  "QbftValidatorsAtQuorum",
  "QbftValidatorSeesQuorum",
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

/** `{job=~"goquorum|besu",…}`: every node's target, whatever its client, with `labels`. */
function anyNode(labels: Readonly<Record<string, string>>): string {
  return selector(labels).replace(
    "{",
    `{job=~${JSON.stringify(ANY_NODE_JOB)}${Object.keys(labels).length ? "," : ""}`,
  );
}

const CLIENT_NAMES: Readonly<Record<NodeClient, string>> = { goquorum: "GoQuorum", besu: "Besu" };

/**
 * Each client's metrics as the series the alerts and dashboards read (names.ts RECORDED), for this cluster's
 * own nodes only: another cluster's series arrive here federated with their own records, which the
 * `cluster` matcher keeps from being recorded twice under the same labels.
 */
function clientRecords(client: NodeClient, own: Readonly<Record<string, string>>): RecordingRule[] {
  const of = selector({ job: NODE_JOBS[client], ...own });
  const record = (name: string, expr: string): RecordingRule => ({ record: name, expr });
  if (client === "goquorum") {
    return [
      record(RECORDED.peers, `${METRICS.peers}${of}`),
      record(RECORDED.headBlock, `${METRICS.headBlock}${of}`),
      record(RECORDED.highestKnownBlock, `${METRICS.headHeader}${of}`),
      // GoQuorum exports no sync state: a scraped node counts as taking part.
      record(RECORDED.inConsensus, `up${of}`),
      record(RECORDED.txpoolPending, `${METRICS.txpoolPending}${of}`),
      record(RECORDED.txpoolQueued, `${METRICS.txpoolQueued}${of}`),
    ];
  }
  // No record of QBFT sequence or round: Besu registers no consensus metric (infra/besu/metrics.ts).
  const layers = (names: readonly string[]) =>
    `sum without (layer) (${BESU_METRICS.txpoolTransactions}${of.replace("}", `,layer=~${JSON.stringify(names.join("|"))}}`)})`;
  return [
    record(RECORDED.peers, `${BESU_METRICS.peers}${of}`),
    record(RECORDED.headBlock, `${BESU_METRICS.headBlock}${of}`),
    record(RECORDED.highestKnownBlock, `${BESU_METRICS.bestKnownBlock}${of}`),
    // 0 when down (`up`) or syncing (`in_sync`, during which a Besu validator makes no blocks and casts no
    // votes), else 1: the lower of the two per target. Grouping by every label but the name pairs each
    // target's two series; a Besu without the gauge counts as up.
    record(
      RECORDED.inConsensus,
      `min without () ({__name__=~${JSON.stringify(`up|${BESU_METRICS.inSync}`)},${of.slice(1)})`,
    ),
    record(RECORDED.txpoolPending, layers(BESU_TXPOOL_LAYERS.executable)),
    record(RECORDED.txpoolQueued, layers(BESU_TXPOOL_LAYERS.future)),
  ];
}

/** The recording rules of one cluster, for the clients its nodes run. */
export function recordingRuleGroups(network: NetworkConfig, cluster: ClusterPlan): RecordingGroup[] {
  const own = { network: network.name, cluster: cluster.name };
  return [
    {
      name: `goquorum-records-${cluster.name}`,
      rules: nodeClientsOf(cluster).flatMap((client) => clientRecords(client, own)),
    },
  ];
}

function rule(
  alert: AlertName,
  expr: string,
  forDuration: string,
  severity: Severity,
  summary: string,
  description: string,
): AlertRule {
  return { alert, expr, for: forDuration, labels: { severity }, annotations: { summary, description } };
}

/** Each rule's link to its runbook section, when the stack has a runbook URL. */
function withRunbooks(network: NetworkConfig, groups: RuleGroup[]): RuleGroup[] {
  const base = runbookUrl(network);
  if (base === undefined) return groups;
  return groups.map((group) => ({
    ...group,
    rules: group.rules.map((r) => ({
      ...r,
      annotations: { ...r.annotations, runbook_url: alertRunbookUrl(base, r.alert) },
    })),
  }));
}

/** Rules about the nodes, Tessera and volumes of one cluster, evaluated by that cluster's Prometheus. */
export function clusterRuleGroups(
  network: NetworkConfig,
  plan: NetworkPlan,
  cluster: ClusterPlan,
): RuleGroup[] {
  const t = thresholds(network, plan);
  const own = { network: network.name, cluster: cluster.name };
  const nodes = anyNode(own);
  const recorded = selector(own);
  const tessera = selector({ job: JOBS.tessera, ...own });
  const namespace = selector({ namespace: cluster.namespace });
  const expected = expectedTargets(cluster);
  const volumeDays = network.monitoring.volumeFullWithinDays;
  const restartMetrics = [METRICS.containerRestarts, METRICS.initContainerRestarts];

  const rules: AlertRule[] = [
    rule(
      "GoQuorumNodeDown",
      `up${nodes} == 0`,
      "2m",
      "critical",
      "Node {{ $labels.node }} ({{ $labels.role }}, {{ $labels.client }}) is down",
      "Prometheus cannot scrape {{ $labels.node }} in cluster {{ $labels.cluster }} for 2 minutes: the pod is not running, not ready, or its metrics port is blocked.",
    ),
    rule(
      "GoQuorumPeersBelowExpected",
      // The fewest over a window: a probe's connection counted as a peer for one scrape must not reset `for`.
      // GoQuorum's count includes probes; Besu's only peers it shares an eth version with (BESU_METRICS.peers).
      `min_over_time(${RECORDED.peers}${recorded}[${seconds(t.peerCountWindowSeconds)}]) < ${t.expectedPeers}`,
      "10m",
      "warning",
      `{{ $labels.node }} has {{ $value }} peers, expected ${t.expectedPeers}`,
      `Every node peers statically with every other node of the network (${t.expectedPeers} peers). {{ $labels.node }} ({{ $labels.client }}) has had fewer for 10 minutes: a peer is down, the path to it (Service, load balancer, peering, NetworkPolicy) is broken, or (Besu) the peer speaks no eth version this node speaks.`,
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
    ...nodeClientsOf(cluster)
      .filter((client) => expected[client] > 0)
      .map((client) =>
        rule(
          "MonitoringTargetsMissing",
          `(count(up${selector({ job: NODE_JOBS[client], ...own })}) or vector(0)) < ${expected[client]}`,
          "10m",
          "warning",
          `Fewer ${CLIENT_NAMES[client]} scrape targets than the ${expected[client]} ${CLIENT_NAMES[client]} nodes of cluster ${cluster.name}`,
          `Prometheus discovers {{ $value }} ${CLIENT_NAMES[client]} targets in cluster ${cluster.name}, but the plan has ${expected[client]} ${CLIENT_NAMES[client]} nodes there: a StatefulSet is missing or scaled down, or its pod lost the labels the PodMonitor selects (the client label ${LABELS.client} decides which monitor scrapes it).`,
        ),
      ),
  ];
  if (disruptionGate(plan.faultTolerance) && cluster.nodes.some((n) => n.role === "validator")) {
    // The network at quorum as the validators themselves count it (DISRUPTION_GATE_SCRIPT: the set at their
    // head, and which of its members each one is peered with), where QbftValidatorsAtQuorum counts scrape
    // targets. The gate container is unready exactly while its validator sees quorum ≤ live < quorum + 1
    // (below quorum it is ready again, so as not to hold up a repair; the node not answering is unready too,
    // so the rule asks for the node's own container ready, geth's or Besu's). kube-state-metrics reports each
    // container's readiness as kube_pod_container_status_ready (kubernetes/kube-state-metrics
    // `internal/store/pod.go`). A validator pod without a gate container has no series here.
    const ready = `${METRICS.containerReady}${selector({ namespace: cluster.namespace, container: GATE_CONTAINER })}`;
    const nodeReady = `${METRICS.containerReady}${selector({ namespace: cluster.namespace }).replace(
      "}",
      `,container=~${JSON.stringify(Object.values(NODE_CONTAINERS).join("|"))}}`,
    )}`;
    rules.push(
      rule(
        "QbftValidatorSeesQuorum",
        `(${ready} == 0) and on (namespace, pod) (${nodeReady} == 1)`,
        "2m",
        "critical",
        "Validator {{ $labels.pod }} sees the network at quorum: one more failure halts the chain",
        `The ${GATE_CONTAINER} container of {{ $labels.pod }} (cluster ${cluster.name}) has counted exactly quorum live validators among its peers for 2 minutes. Blocks are still made, but the next validator lost (as it sees the network) halts the chain, and every drain, node upgrade and validator rollout waits (the disruption gate).`,
      ),
    );
  }
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
  return withRunbooks(network, [{ name: `goquorum-cluster-${cluster.name}`, rules }]);
}

/** Network-wide rules, evaluated in the central cluster where every validator's series are visible. */
export function networkRuleGroups(network: NetworkConfig, plan: NetworkPlan): RuleGroup[] {
  const t = thresholds(network, plan);
  const all = selector({ network: network.name });
  const validators = selector({ network: network.name, role: "validator" });
  // Scraped and, for Besu, not syncing (RECORDED.inConsensus): a syncing Besu validator makes no blocks.
  const live = `(count(${RECORDED.inConsensus}${validators} == 1) or vector(0))`;
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
        `QBFT needs ⌈2n/3⌉ = ${t.quorum} of the ${t.validators} validators to make blocks. Exactly ${t.quorum} are up (and, on Besu, not syncing): the next validator lost stops block production.`,
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
      `QBFT needs ${t.quorum} live validators; {{ $value }} are up (and, on Besu, not syncing). No block is made until enough validators are back.`,
    ),
    rule(
      "GoQuorumChainNotAdvancing",
      `max(${RECORDED.headBlock}${all}) <= max(${RECORDED.headBlock}${all} offset ${seconds(t.chainStallSeconds)})`,
      "0s",
      "critical",
      `No new block in ${t.chainStallSeconds} seconds`,
      `The network's highest block has not moved for ${t.chainStallSeconds} s, ${Math.round(t.chainStallSeconds / t.blockIntervalSeconds)} block intervals of ${t.blockIntervalSeconds} s (blockPeriodSeconds / emptyBlockPeriodSeconds).`,
    ),
    rule(
      "GoQuorumNodeLagging",
      `scalar(max(${RECORDED.headBlock}${all})) - ${RECORDED.headBlock}${all} > ${t.lagBlocks}`,
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
  return withRunbooks(network, [{ name: "goquorum-network", rules }]);
}

/**
 * Tessera's P2P `/metrics` is scraped when there are peers to hear from: over plain HTTP, or with strict TLS
 * over HTTPS with Prometheus' client certificate of the network CA (see monitors.ts).
 */
export function scrapesTesseraP2p(t: Thresholds): boolean {
  return t.members > 1;
}
