/**
 * The alert rules under Prometheus' own rule test runner: for every alert, synthetic series where it must
 * fire and series where it must stay quiet. The network: one cluster, 4 validators (quorum 3), 1 RPC node,
 * 2 members, block period 5 s.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { chartValues, RECORDS_RULE } from "../infra/monitoring/chartValues";
import { METRICS } from "../infra/monitoring/names";
import { ALERT_NAMES, type AlertName, type AlertRule } from "../infra/monitoring/rules";
import { type Thresholds, thresholds } from "../infra/monitoring/thresholds";
import { planNetwork } from "../infra/plan";
import type { NetworkPlan } from "../infra/plan/types";
import { nodeManifests } from "../infra/quorum/manifests";
import { awsCluster, localCluster, stackConfig } from "./helpers/config";
import { needs, run } from "./helpers/prometheusTools";

const config = stackConfig([localCluster("a", { nodes: { validators: 4, rpc: 1, members: 2 } })], {
  blockPeriodSeconds: 5,
});
const plan = planNetwork(config).plan as NetworkPlan;
const cluster = plan.clusters[0];
const ruleMap = chartValues({ network: config.network, plan, cluster }).additionalPrometheusRulesMap;
const groups = ruleMap.goquorum.groups;
const rules = groups.flatMap((g) => g.rules);
/** The recording rules the alerts read: promtool loads them too, and evaluates them first. */
const recordGroups = ruleMap[RECORDS_RULE].groups;
const ruleFiles = (alertGroups: readonly { name: string }[], records = recordGroups) => ({
  files: { "records.yaml": { groups: records }, "rules.yaml": { groups: alertGroups } },
  header: {
    rule_files: ["records.yaml", "rules.yaml"],
    evaluation_interval: "15s",
    group_eval_order: [...records, ...alertGroups].map((g) => g.name),
  },
});

type Labels = Record<string, string>;
const nodeLabels = (job: string, node: string, role: string): Labels => ({
  job,
  network: "testnet",
  cluster: "a",
  node,
  role,
});
const NODES = [
  ...[0, 1, 2, 3].map((i) => [`a-validator-${i}`, "validator"] as const),
  ["a-rpc-0", "rpc"] as const,
  ...[0, 1].map((i) => [`a-member-${i}`, "member"] as const),
];
const seriesText = (name: string, labels: Labels): string =>
  `${name}{${Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(",")}}`;

interface Series {
  readonly series: string;
  readonly values: string;
}
const series = (name: string, labels: Labels, values: string): Series => ({
  series: seriesText(name, labels),
  values,
});
/** `name` for every GoQuorum node, with per-node values. */
const everyNode = (name: string, values: (node: string) => string): Series[] =>
  NODES.map(([node, role]) => series(name, nodeLabels("goquorum", node, role), values(node)));
const tesseraUp = (values: (node: string) => string): Series[] =>
  NODES.filter(([, role]) => role === "member").map(([node]) =>
    series("up", nodeLabels("tessera", node, "member"), values(node)),
  );

interface Expected {
  readonly labels: Labels;
  /** What `{{ $value }}` renders to in the annotations. */
  readonly value: string;
}

interface Case {
  readonly alert: AlertName;
  readonly title: string;
  readonly input: readonly Series[];
  readonly evalTime: string;
  /** Which of the rules with this name (MonitoringTargetsMissing has one per job). */
  readonly rule?: (r: AlertRule) => boolean;
  readonly fires: readonly Expected[];
  /** The threshold this case sits at: the last quiet value, or the first that fires. */
  readonly boundary?: keyof Thresholds;
}

function expand(template: string, e: Expected): string {
  return template
    .replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, k: string) => e.labels[k] ?? "")
    .replace(/\{\{ \$value \}\}/g, e.value);
}

function ruleFor(c: Case, from: readonly AlertRule[] = rules): AlertRule {
  const found = from.filter((r) => r.alert === c.alert && (c.rule?.(r) ?? true));
  assert.equal(found.length, 1, `one rule ${c.alert}`);
  return found[0];
}

const t = thresholds(config.network, plan);
const validatorDown = (down: readonly string[]) =>
  everyNode("up", (node) => (down.includes(node) ? "0x40" : "1x40")).filter((s) =>
    s.series.includes("validator"),
  );
const goquorumJob = (r: AlertRule) => r.expr.includes('job="goquorum"');
const tesseraJob = (r: AlertRule) => r.expr.includes('job="tessera"');

const restartLabels = { namespace: "goquorum", pod: "a-member-0-0" };
/** Restart counters: `n` restarts 15 s apart after 20 quiet minutes, for a container or the Tessera sidecar. */
const restartSeries = (metric: string, container: string, n: number) =>
  series(
    metric,
    { ...restartLabels, container },
    `0x80 ${Array.from({ length: n }, (_, i) => i + 1).join(" ")}x80`,
  );
/** When the last of `t.restarts` restarts happened (the series above): 20 minutes plus one sample each. */
const lastRestartSeconds = 80 * 15 + t.restarts * 15;

/**
 * Every long-running container of a member's pod as its StatefulSet defines it, with the kube-state-metrics
 * counter its restarts land in: regular containers in `kube_pod_container_status_restarts_total`, init
 * containers, native sidecars (`restartPolicy: Always`) included, only in
 * `kube_pod_init_container_status_restarts_total` (kubernetes/kube-state-metrics `internal/store/pod.go`).
 */
function memberPodContainers(): { pod: string; containers: (readonly [string, string])[] } {
  const member = cluster.nodes.find((n) => n.role === "member");
  assert.ok(member);
  const { statefulSet } = nodeManifests({
    network: config.network,
    cluster,
    node: member,
    totalNodes: NODES.length,
    genesisValidators: plan.network.genesisValidators,
    keys: { kind: "secret", keysSecret: `${member.name}-keys` },
    tesseraConfigJson: "{}",
    peerCidrs: [],
  });
  const spec = statefulSet.spec?.template.spec;
  assert.ok(spec);
  const sidecars = (spec.initContainers ?? []).filter((c) => c.restartPolicy === "Always");
  return {
    pod: `${statefulSet.metadata.name}-0`,
    containers: [
      ...spec.containers.map((c) => [c.name, METRICS.containerRestarts] as const),
      ...sidecars.map((c) => [c.name, METRICS.initContainerRestarts] as const),
    ],
  };
}

/** Each container of the member pod, Tessera included, crash-looping where kube-state-metrics counts it. */
function memberPodRestartCase(): Case {
  const { pod, containers } = memberPodContainers();
  assert.ok(
    containers.some(([name, metric]) => name === "tessera" && metric === METRICS.initContainerRestarts),
    "Tessera runs as a native sidecar",
  );
  const labels = (container: string) => ({ namespace: cluster.namespace, pod, container });
  return {
    alert: "GoQuorumPodRestarting",
    title: `every container of ${pod} (${containers.map(([c]) => c).join(", ")}) restarting, each in its own counter`,
    input: containers.map(([container, metric]) =>
      series(
        metric,
        labels(container),
        `0x80 ${Array.from({ length: t.restarts }, (_, i) => i + 1).join(" ")}x80`,
      ),
    ),
    evalTime: "40m",
    fires: containers.map(([container]) => ({
      labels: { ...labels(container), severity: "warning" as const },
      value: "",
    })),
  };
}

function restartCases(): Case[] {
  const fires = (container: string) => [
    { labels: { ...restartLabels, container, severity: "warning" as const }, value: "" },
  ];
  const at = (seconds: number) => `${seconds}s`;
  return [
    {
      alert: "GoQuorumPodRestarting",
      title: `exactly ${t.restarts} restarts within the window`,
      boundary: "restarts",
      input: [restartSeries("kube_pod_container_status_restarts_total", "goquorum", t.restarts)],
      evalTime: "40m",
      fires: fires("goquorum"),
    },
    {
      alert: "GoQuorumPodRestarting",
      title: `${t.restarts - 1} restarts within the window`,
      boundary: "restarts",
      input: [restartSeries("kube_pod_container_status_restarts_total", "goquorum", t.restarts - 1)],
      evalTime: "40m",
      fires: [],
    },
    {
      alert: "GoQuorumPodRestarting",
      title: `the Tessera sidecar (an init container to kube-state-metrics) restarting ${t.restarts} times`,
      boundary: "restarts",
      input: [restartSeries("kube_pod_init_container_status_restarts_total", "tessera", t.restarts)],
      evalTime: "40m",
      fires: fires("tessera"),
    },
    {
      alert: "GoQuorumPodRestarting",
      title: "the restarts still inside the window by a minute",
      boundary: "restartWindowSeconds",
      input: [restartSeries("kube_pod_container_status_restarts_total", "goquorum", t.restarts)],
      evalTime: at(lastRestartSeconds - 15 * t.restarts + t.restartWindowSeconds - 60),
      fires: fires("goquorum"),
    },
    {
      alert: "GoQuorumPodRestarting",
      title: "the restarts out of the window by a minute",
      boundary: "restartWindowSeconds",
      input: [restartSeries("kube_pod_container_status_restarts_total", "goquorum", t.restarts)],
      evalTime: at(lastRestartSeconds + t.restartWindowSeconds + 60),
      fires: [],
    },
    memberPodRestartCase(),
  ];
}

/**
 * `p2p_peers` counts a probe's connection as a peer while it is open. The RPC node below is one peer short;
 * `blip(k)` puts k samples at the full count 5 minutes into the loss. Shorter than the window, a blip leaves
 * the alert's timer running; longer, it reads as the peer being back. (k equal to the window is left out:
 * promtool 2.x closes the range on both ends, Prometheus 3 opens it on the left.)
 */
function peerCases(): Case[] {
  const full = t.expectedPeers;
  const short = t.expectedPeers - 1;
  const window = t.peerCountWindowSeconds / 15;
  const peers = (rpc: string) => everyNode("p2p_peers", (n) => (n === "a-rpc-0" ? rpc : `${full}x100`));
  const blip = (k: number) => peers(`${short}x19 ${full}x${k - 1} ${short}x80`);
  const fires = [
    {
      labels: { ...nodeLabels("goquorum", "a-rpc-0", "rpc"), severity: "warning" as const },
      value: String(short),
    },
  ];
  const lostAt5m = peers(`${full}x19 ${short}x80`);
  return [
    {
      alert: "GoQuorumPeersBelowExpected",
      title: `a peer lost from the start, counted full for ${window - 1} scrapes (a probe) at 5 minutes: fires at 10 minutes`,
      boundary: "peerCountWindowSeconds",
      input: blip(window - 1),
      evalTime: "10m",
      fires,
    },
    {
      alert: "GoQuorumPeersBelowExpected",
      title: `a peer lost from the start, back for ${window + 1} scrapes at 5 minutes: the 10 minutes start again`,
      boundary: "peerCountWindowSeconds",
      input: blip(window + 1),
      evalTime: "10m",
      fires: [],
    },
    {
      alert: "GoQuorumPeersBelowExpected",
      title: "a peer lost after 5 healthy minutes: fires 10 minutes after the loss",
      input: lostAt5m,
      evalTime: "15m",
      fires,
    },
    {
      alert: "GoQuorumPeersBelowExpected",
      title: "a peer lost after 5 healthy minutes: not one scrape before 10 minutes",
      input: lostAt5m,
      evalTime: "885s",
      fires: [],
    },
  ];
}

/**
 * A volume shrinking linearly (1 MB per 15 s sample) whose remaining space at 8 h lasts `lasts` seconds at
 * that rate: predict_linear over 6 h is exact on a line, and the rule waits 1 h, so the firing case stays
 * inside the horizon for that hour.
 */
function volumeCases(): Case[] {
  const perSample = 1_000_000;
  const samplesAt8h = (8 * 3600) / 15;
  const volume = (lasts: number) =>
    series(
      "kubelet_volume_stats_available_bytes",
      { namespace: "goquorum", persistentvolumeclaim: "data-a-validator-0-0" },
      `${perSample * (samplesAt8h + lasts / 15)}-${perSample}x${samplesAt8h + 10}`,
    );
  const labels = { namespace: "goquorum", persistentvolumeclaim: "data-a-validator-0-0" };
  const horizon = t.volumeFullWithinSeconds;
  return [
    {
      alert: "GoQuorumVolumeFillingUp",
      title: `full 2 hours before the ${horizon} s horizon`,
      boundary: "volumeFullWithinSeconds",
      input: [volume(horizon - 7200)],
      evalTime: "8h",
      fires: [{ labels: { ...labels, severity: "warning" }, value: "" }],
    },
    {
      alert: "GoQuorumVolumeFillingUp",
      title: `full 1 hour after the ${horizon} s horizon`,
      boundary: "volumeFullWithinSeconds",
      input: [volume(horizon + 3600)],
      evalTime: "8h",
      fires: [],
    },
  ];
}

/** The head climbs to block 120 at 300 s, then stops: a stall once chainStallSeconds have passed. */
function stallCases(): Case[] {
  const stuck = everyNode("chain_head_block", () => "100+1x20 120x40");
  return [
    {
      alert: "GoQuorumChainNotAdvancing",
      title: `no new block for exactly ${t.chainStallSeconds} s`,
      boundary: "chainStallSeconds",
      input: stuck,
      evalTime: `${300 + t.chainStallSeconds}s`,
      fires: [{ labels: { severity: "critical" }, value: "" }],
    },
    {
      alert: "GoQuorumChainNotAdvancing",
      title: `no new block for ${t.chainStallSeconds - 15} s (one scrape short)`,
      boundary: "chainStallSeconds",
      input: stuck,
      evalTime: `${300 + t.chainStallSeconds - 15}s`,
      fires: [],
    },
  ];
}

const CASES: readonly Case[] = [
  {
    alert: "GoQuorumNodeDown",
    title: "a validator not scraped for 5 minutes",
    input: everyNode("up", (n) => (n === "a-validator-0" ? "0x40" : "1x40")),
    evalTime: "5m",
    fires: [
      {
        labels: { ...nodeLabels("goquorum", "a-validator-0", "validator"), severity: "critical" },
        value: "0",
      },
    ],
  },
  {
    alert: "GoQuorumNodeDown",
    title: "every node up",
    input: everyNode("up", () => "1x40"),
    evalTime: "5m",
    fires: [],
  },
  {
    alert: "GoQuorumPeersBelowExpected",
    title: `an RPC node with ${t.expectedPeers - 1} of ${t.expectedPeers} peers for 15 minutes`,
    boundary: "expectedPeers",
    input: everyNode("p2p_peers", (n) =>
      n === "a-rpc-0" ? `${t.expectedPeers - 1}x80` : `${t.expectedPeers}x80`,
    ),
    evalTime: "15m",
    fires: [
      {
        labels: { ...nodeLabels("goquorum", "a-rpc-0", "rpc"), severity: "warning" },
        value: String(t.expectedPeers - 1),
      },
    ],
  },
  {
    alert: "GoQuorumPeersBelowExpected",
    title: "every node with the full mesh",
    boundary: "expectedPeers",
    input: everyNode("p2p_peers", () => `${t.expectedPeers}x80`),
    evalTime: "15m",
    fires: [],
  },
  {
    alert: "GoQuorumVolumeFillingUp",
    title: "a volume losing 20 MB every 15 s from 100 GB (full in under 2 days)",
    input: [
      series(
        "kubelet_volume_stats_available_bytes",
        { namespace: "goquorum", persistentvolumeclaim: "data-a-validator-0-0" },
        "100000000000-20000000x2000",
      ),
    ],
    evalTime: "8h",
    fires: [
      {
        labels: { namespace: "goquorum", persistentvolumeclaim: "data-a-validator-0-0", severity: "warning" },
        value: "",
      },
    ],
  },
  {
    alert: "GoQuorumVolumeFillingUp",
    title: "a volume that does not grow",
    input: [
      series(
        "kubelet_volume_stats_available_bytes",
        { namespace: "goquorum", persistentvolumeclaim: "data-a-validator-0-0" },
        "100000000000x2000",
      ),
    ],
    evalTime: "8h",
    fires: [],
  },
  {
    alert: "GoQuorumPodRestarting",
    title: "a container restarting every minute",
    input: [
      series(
        "kube_pod_container_status_restarts_total",
        { namespace: "goquorum", pod: "a-validator-0-0", container: "goquorum" },
        "0+1x20 20x100",
      ),
    ],
    evalTime: "10m",
    fires: [
      {
        labels: { namespace: "goquorum", pod: "a-validator-0-0", container: "goquorum", severity: "warning" },
        value: "",
      },
    ],
  },
  {
    alert: "GoQuorumPodRestarting",
    title: "a container that restarted once, long ago",
    input: [
      series(
        "kube_pod_container_status_restarts_total",
        { namespace: "goquorum", pod: "a-validator-0-0", container: "goquorum" },
        "1x200",
      ),
    ],
    evalTime: "40m",
    fires: [],
  },
  ...restartCases(),
  ...peerCases(),
  ...volumeCases(),
  {
    alert: "MonitoringTargetsMissing",
    title: "a GoQuorum target gone for 15 minutes",
    rule: goquorumJob,
    input: [
      ...everyNode("up", () => "1x80").filter((s) => !s.series.includes("a-rpc-0")),
      ...tesseraUp(() => "1x80"),
    ],
    evalTime: "15m",
    fires: [{ labels: { severity: "warning" }, value: String(NODES.length - 1) }],
  },
  {
    alert: "MonitoringTargetsMissing",
    title: "every GoQuorum target present, one of them down",
    rule: goquorumJob,
    input: [...everyNode("up", (n) => (n === "a-rpc-0" ? "0x80" : "1x80")), ...tesseraUp(() => "1x80")],
    evalTime: "15m",
    fires: [],
  },
  {
    alert: "MonitoringTargetsMissing",
    title: "a Tessera target gone for 15 minutes",
    rule: tesseraJob,
    input: [...everyNode("up", () => "1x80"), ...tesseraUp(() => "1x80").slice(1)],
    evalTime: "15m",
    fires: [{ labels: { severity: "warning" }, value: "1" }],
  },
  {
    alert: "MonitoringTargetsMissing",
    title: "every Tessera target present",
    rule: tesseraJob,
    input: [...everyNode("up", () => "1x80"), ...tesseraUp(() => "1x80")],
    evalTime: "15m",
    fires: [],
  },
  {
    alert: "TesseraDown",
    title: "a member's Tessera not scraped for 5 minutes",
    input: tesseraUp((n) => (n === "a-member-1" ? "0x40" : "1x40")),
    evalTime: "5m",
    fires: [
      { labels: { ...nodeLabels("tessera", "a-member-1", "member"), severity: "critical" }, value: "0" },
    ],
  },
  {
    alert: "TesseraDown",
    title: "every Tessera up",
    input: tesseraUp(() => "1x40"),
    evalTime: "5m",
    fires: [],
  },
  {
    alert: "TesseraPeersUnreachable",
    title: "no party info received by a member for 20 minutes",
    input: [
      series(
        "tessera_P2P_POST_partyInfo_byteString_RequestCount",
        nodeLabels("tessera-p2p", "a-member-0", "member"),
        "40x100",
      ),
    ],
    evalTime: "20m",
    fires: [
      { labels: { network: "testnet", cluster: "a", node: "a-member-0", severity: "critical" }, value: "0" },
    ],
  },
  {
    alert: "TesseraPeersUnreachable",
    title: "party info arriving",
    input: [
      series(
        "tessera_P2P_POST_partyInfo_byteString_RequestCount",
        nodeLabels("tessera-p2p", "a-member-0", "member"),
        "40+3x100",
      ),
    ],
    evalTime: "20m",
    fires: [],
  },
  {
    alert: "QbftValidatorsAtQuorum",
    title: "4 validators, one down: 3 live = quorum",
    boundary: "quorum",
    input: validatorDown(["a-validator-3"]),
    evalTime: "5m",
    fires: [{ labels: { severity: "critical" }, value: "3" }],
  },
  {
    alert: "QbftValidatorsBelowQuorum",
    title: "4 validators, one down: still at quorum, not below",
    boundary: "quorum",
    input: validatorDown(["a-validator-3"]),
    evalTime: "5m",
    fires: [],
  },
  {
    alert: "QbftValidatorsBelowQuorum",
    title: "4 validators, two down: halted",
    boundary: "quorum",
    input: validatorDown(["a-validator-2", "a-validator-3"]),
    evalTime: "5m",
    fires: [{ labels: { severity: "critical" }, value: "2" }],
  },
  {
    alert: "QbftValidatorsAtQuorum",
    title: "4 validators, two down: below quorum, no longer at it",
    input: validatorDown(["a-validator-2", "a-validator-3"]),
    evalTime: "5m",
    fires: [],
  },
  {
    alert: "QbftValidatorsBelowQuorum",
    title: "no validator visible at all",
    input: [series("up", nodeLabels("goquorum", "a-rpc-0", "rpc"), "1x40")],
    evalTime: "5m",
    fires: [{ labels: { severity: "critical" }, value: "0" }],
  },
  {
    alert: "QbftValidatorsAtQuorum",
    title: "every validator up",
    input: validatorDown([]),
    evalTime: "5m",
    fires: [],
  },
  ...seesQuorumCases(),
  {
    alert: "GoQuorumChainNotAdvancing",
    title: `the head stuck at block 100 for 5 minutes (stall after ${t.chainStallSeconds} s)`,
    input: everyNode("chain_head_block", () => "100x40"),
    evalTime: "5m",
    fires: [{ labels: { severity: "critical" }, value: "" }],
  },
  {
    alert: "GoQuorumChainNotAdvancing",
    title: "a block every 5 s",
    input: everyNode("chain_head_block", () => "100+3x40"),
    evalTime: "5m",
    fires: [],
  },
  {
    alert: "GoQuorumNodeLagging",
    title: "an RPC node 50 blocks behind",
    input: everyNode("chain_head_block", (n) => (n === "a-rpc-0" ? "50+3x40" : "100+3x40")),
    evalTime: "5m",
    fires: [{ labels: { ...nodeLabels("goquorum", "a-rpc-0", "rpc"), severity: "warning" }, value: "50" }],
  },
  {
    alert: "GoQuorumNodeLagging",
    title: `an RPC node ${t.lagBlocks} blocks behind (the threshold)`,
    boundary: "lagBlocks",
    input: everyNode("chain_head_block", (n) => (n === "a-rpc-0" ? `${100 - t.lagBlocks}+3x40` : "100+3x40")),
    evalTime: "5m",
    fires: [],
  },
  {
    alert: "GoQuorumNodeLagging",
    title: `an RPC node ${t.lagBlocks + 1} blocks behind (one past the threshold)`,
    boundary: "lagBlocks",
    input: everyNode("chain_head_block", (n) =>
      n === "a-rpc-0" ? `${100 - t.lagBlocks - 1}+3x40` : "100+3x40",
    ),
    evalTime: "5m",
    fires: [
      {
        labels: { ...nodeLabels("goquorum", "a-rpc-0", "rpc"), severity: "warning" },
        value: String(t.lagBlocks + 1),
      },
    ],
  },
  ...stallCases(),
];

/**
 * The validators' own count: each one's disruption-gate container is ready with quorum + 1 live (4 of 4
 * here, quorum 3) and unready at exactly quorum, as the gate script's own tests show under /bin/sh
 * (tests/gate-scripts.test.ts). Validator 0's gate drops at 5m15s: the alert is pending until its `for:`
 * of 2 minutes has passed, at 7m15s.
 */
function seesQuorumCases(): Case[] {
  const container = (pod: string, name: string, values: string) =>
    series(METRICS.containerReady, { namespace: "goquorum", pod, container: name }, values);
  const validators = [0, 1, 2, 3].map((i) => `a-validator-${i}-0`);
  const view = (gate: (pod: string) => string, geth: (pod: string) => string = () => "1x60") =>
    validators.flatMap((pod) => [
      container(pod, "disruption-gate", gate(pod)),
      container(pod, "goquorum", geth(pod)),
    ]);
  const atQuorumFrom5m = (pod: string) => (pod === "a-validator-0-0" ? "1x20 0x40" : "1x60");
  const firing = {
    labels: {
      namespace: "goquorum",
      pod: "a-validator-0-0",
      container: "disruption-gate",
      severity: "critical",
    },
    value: "0",
  };
  return [
    {
      alert: "QbftValidatorSeesQuorum",
      title: "every validator counts quorum + 1 live (its gate ready)",
      boundary: "quorum",
      input: view(() => "1x60"),
      evalTime: "10m",
      fires: [],
    },
    {
      alert: "QbftValidatorSeesQuorum",
      title: "a validator counting exactly quorum, 1m45s after: pending, not yet firing",
      input: view(atQuorumFrom5m),
      evalTime: "7m",
      fires: [],
    },
    {
      alert: "QbftValidatorSeesQuorum",
      title: "a validator counting exactly quorum, 2 minutes after: fires",
      boundary: "quorum",
      input: view(atQuorumFrom5m),
      evalTime: "7m15s",
      fires: [firing],
    },
    {
      alert: "QbftValidatorSeesQuorum",
      title: "a validator whose geth is down (its gate unready too): GoQuorumNodeDown's, not this",
      input: view(atQuorumFrom5m, (pod) => (pod === "a-validator-0-0" ? "1x20 0x40" : "1x60")),
      evalTime: "10m",
      fires: [],
    },
  ];
}

function promtoolTest(c: Case, from: readonly AlertRule[] = rules) {
  const rule = ruleFor(c, from);
  return {
    interval: "15s",
    input_series: c.input,
    alert_rule_test: [
      {
        eval_time: c.evalTime,
        alertname: c.alert,
        exp_alerts: c.fires.map((e) => ({
          exp_labels: e.labels,
          exp_annotations: {
            summary: expand(rule.annotations.summary, e),
            description: expand(rule.annotations.description, e),
            ...(rule.annotations.runbook_url ? { runbook_url: rule.annotations.runbook_url } : {}),
          },
        })),
      },
    ],
  };
}

/** Two cloud clusters, west central: the federation rule exists only there. */
function federationCases() {
  const multi = stackConfig(
    [awsCluster("east", { nodes: { validators: 2 } }), awsCluster("west", { nodes: { validators: 2 } })],
    { monitoring: { centralCluster: "west" } },
  );
  const multiPlan = planNetwork(multi).plan as NetworkPlan;
  const west = multiPlan.clusters.find((c) => c.name === "west");
  assert.ok(west);
  const federationGroups = chartValues({ network: multi.network, plan: multiPlan, cluster: west })
    .additionalPrometheusRulesMap.goquorum.groups;
  const federation = federationGroups.flatMap((g) => g.rules).filter((r) => r.expr.includes("federate-"));
  assert.equal(federation.length, 1);
  const up = (values: string) => [series("up", { job: "federate-east", federated_from: "east" }, values)];
  const test = (values: string, fires: boolean) => ({
    interval: "15s",
    input_series: up(values),
    alert_rule_test: [
      {
        eval_time: "10m",
        alertname: "MonitoringTargetsMissing",
        exp_alerts: fires
          ? [
              {
                exp_labels: { job: "federate-east", federated_from: "east", severity: "critical" },
                exp_annotations: federation[0].annotations,
              },
            ]
          : [],
      },
    ],
  });
  // Only the federation rule: the west cluster's own target counts are covered above.
  return {
    groups: [{ name: "federation", rules: federation }],
    tests: [test("0x60", true), test("1x60", false)],
  };
}

/**
 * The same network in migration: validator 3, the RPC node and member 1 run Besu, the rest GoQuorum (private
 * transactions stopped). Each node reports its own client's metrics under its own job, as its PodMonitor
 * labels them; the alerts read the recorded series both clients' metrics become.
 */
const mixedConfig = stackConfig(
  [
    localCluster("a", {
      nodes: { validators: 4, rpc: 1, members: 2 },
      nodeClients: { "a-validator-3": "besu", "a-rpc-0": "besu", "a-member-1": "besu" },
    }),
  ],
  { blockPeriodSeconds: 5, privateTransactions: "stopped" },
);
const mixedPlan = planNetwork(mixedConfig).plan as NetworkPlan;
const mixedRuleMap = chartValues({
  network: mixedConfig.network,
  plan: mixedPlan,
  cluster: mixedPlan.clusters[0],
}).additionalPrometheusRulesMap;
const mixedGroups = mixedRuleMap.goquorum.groups;
const mixedRules = mixedGroups.flatMap((g) => g.rules);
const mixedRecordGroups = mixedRuleMap[RECORDS_RULE].groups;
const mixedT = thresholds(mixedConfig.network, mixedPlan);

type Client = "goquorum" | "besu";
const MIXED_NODES = mixedPlan.clusters[0].nodes.map((n) => [n.name, n.role, n.client] as const);
const BESU_NODE = "a-rpc-0";
const BESU_VALIDATOR = "a-validator-3";
const clientLabels = (node: string, role: string, client: Client): Labels => ({
  ...nodeLabels(client, node, role),
  client,
});
const besuLabels = (node: string, role: string) => clientLabels(node, role, "besu");

/** What each client calls a fact (infra/besu/metrics.ts, infra/monitoring/names.ts). */
const NATIVE: Record<"peers" | "head", Record<Client, string>> = {
  peers: { goquorum: "p2p_peers", besu: "ethereum_peer_count" },
  head: { goquorum: "chain_head_block", besu: "ethereum_blockchain_height" },
};
/** `fact` for every node under its own client's metric name, with per-node values. */
const everyMixedNode = (
  fact: keyof typeof NATIVE | "up",
  values: (node: string) => string,
  only: (client: Client) => boolean = () => true,
): Series[] =>
  MIXED_NODES.filter(([, , client]) => only(client)).map(([node, role, client]) =>
    series(fact === "up" ? "up" : NATIVE[fact][client], clientLabels(node, role, client), values(node)),
  );
/** Besu's sync gauge for every Besu node: 1 in sync, 0 while it has a sync target. */
const besuInSync = (values: (node: string) => string): Series[] =>
  MIXED_NODES.filter(([, , client]) => client === "besu").map(([node, role]) =>
    series("besu_synchronizer_in_sync", besuLabels(node, role), values(node)),
  );
const fires = (labels: Labels, value: string, severity = "warning"): Expected => ({
  labels: { ...labels, severity },
  value,
});
const besuJob = (r: AlertRule) => r.expr.includes('job="besu"');
/** The one Tessera left (member 0's), present so that only the Besu target count can fire. */
const tesseraUpOfMember0 = series("up", nodeLabels("tessera", "a-member-0", "member"), "1x80");

function besuPeerCases(): Case[] {
  const full = mixedT.expectedPeers;
  const short = full - 1;
  const window = mixedT.peerCountWindowSeconds / 15;
  const besuShort = (values: string) =>
    everyMixedNode("peers", (n) => (n === BESU_NODE ? values : `${full}x100`));
  const rpcFires = [fires(besuLabels(BESU_NODE, "rpc"), String(short))];
  return [
    {
      alert: "GoQuorumPeersBelowExpected",
      title: `a Besu RPC node with ${short} of ${full} peers for 15 minutes`,
      boundary: "expectedPeers",
      input: besuShort(`${short}x80`),
      evalTime: "15m",
      fires: rpcFires,
    },
    {
      alert: "GoQuorumPeersBelowExpected",
      title: "a Besu RPC node with the full mesh, every GoQuorum node too",
      boundary: "expectedPeers",
      input: besuShort(`${full}x80`),
      evalTime: "15m",
      fires: [],
    },
    {
      alert: "GoQuorumPeersBelowExpected",
      title: `a Besu node a peer short, full for ${window - 1} scrapes at 5 minutes: fires at 10 minutes`,
      boundary: "peerCountWindowSeconds",
      input: besuShort(`${short}x19 ${full}x${window - 2} ${short}x80`),
      evalTime: "10m",
      fires: rpcFires,
    },
    {
      alert: "GoQuorumPeersBelowExpected",
      title: `a Besu node a peer short, back for ${window + 1} scrapes at 5 minutes: the 10 minutes start again`,
      boundary: "peerCountWindowSeconds",
      input: besuShort(`${short}x19 ${full}x${window} ${short}x80`),
      evalTime: "10m",
      fires: [],
    },
    {
      alert: "GoQuorumPeersBelowExpected",
      title: "the mesh split between clients: a GoQuorum and a Besu node each lose the other",
      input: everyMixedNode("peers", (n) =>
        n === "a-validator-0" || n === BESU_NODE ? `${short}x80` : `${full}x80`,
      ),
      evalTime: "15m",
      fires: [
        fires(clientLabels("a-validator-0", "validator", "goquorum"), String(short)),
        fires(besuLabels(BESU_NODE, "rpc"), String(short)),
      ],
    },
  ];
}

function besuQuorumCases(): Case[] {
  const validatorsUp = (down: readonly string[]) =>
    everyMixedNode("up", (n) => (down.includes(n) ? "0x40" : "1x40")).filter((s) =>
      s.series.includes('role="validator"'),
    );
  const syncing = (nodes: readonly string[]) => besuInSync((n) => (nodes.includes(n) ? "0x40" : "1x40"));
  return [
    {
      alert: "QbftValidatorsAtQuorum",
      title: "the Besu validator up but syncing (it makes no blocks): 3 of 4 live = quorum",
      boundary: "quorum",
      input: [...validatorsUp([]), ...syncing([BESU_VALIDATOR])],
      evalTime: "5m",
      fires: [{ labels: { severity: "critical" }, value: String(mixedT.quorum) }],
    },
    {
      alert: "QbftValidatorsAtQuorum",
      title: "the Besu validator up and in sync: 4 of 4 live",
      boundary: "quorum",
      input: [...validatorsUp([]), ...syncing([])],
      evalTime: "5m",
      fires: [],
    },
    {
      alert: "QbftValidatorsAtQuorum",
      title: "the Besu validator down (its sync gauge gone with it): 3 of 4 live",
      input: [...validatorsUp([BESU_VALIDATOR])],
      evalTime: "5m",
      fires: [{ labels: { severity: "critical" }, value: String(mixedT.quorum) }],
    },
    {
      alert: "QbftValidatorsBelowQuorum",
      title: "the Besu validator syncing and a GoQuorum validator down: 2 of 4, halted",
      boundary: "quorum",
      input: [...validatorsUp(["a-validator-0"]), ...syncing([BESU_VALIDATOR])],
      evalTime: "5m",
      fires: [{ labels: { severity: "critical" }, value: String(mixedT.quorum - 1) }],
    },
    {
      alert: "QbftValidatorsBelowQuorum",
      title: "the Besu validator syncing, the rest up: at quorum, not below",
      boundary: "quorum",
      input: [...validatorsUp([]), ...syncing([BESU_VALIDATOR])],
      evalTime: "5m",
      fires: [],
    },
  ];
}

/** The Besu validator's gate container, next to its `besu` container (NODE_CONTAINERS). */
function besuSeesQuorumCases(): Case[] {
  const pod = `${BESU_VALIDATOR}-0`;
  const view = (gate: string, besu: string) => [
    series(METRICS.containerReady, { namespace: "goquorum", pod, container: "disruption-gate" }, gate),
    series(METRICS.containerReady, { namespace: "goquorum", pod, container: "besu" }, besu),
  ];
  return [
    {
      alert: "QbftValidatorSeesQuorum",
      title: "a Besu validator counting exactly quorum for 2 minutes, Besu ready: fires",
      boundary: "quorum",
      input: view("1x20 0x40", "1x60"),
      evalTime: "7m15s",
      fires: [fires({ namespace: "goquorum", pod, container: "disruption-gate" }, "0", "critical")],
    },
    {
      alert: "QbftValidatorSeesQuorum",
      title: "a Besu validator counting quorum + 1 (its gate ready)",
      boundary: "quorum",
      input: view("1x60", "1x60"),
      evalTime: "7m15s",
      fires: [],
    },
    {
      alert: "QbftValidatorSeesQuorum",
      title: "a Besu validator whose Besu is not ready: GoQuorumNodeDown's, not this",
      input: view("1x20 0x40", "1x20 0x40"),
      evalTime: "10m",
      fires: [],
    },
  ];
}

function besuChainCases(): Case[] {
  const besuOnly = (client: Client) => client === "besu";
  const stuck = everyMixedNode("head", () => "100+1x20 120x40", besuOnly);
  const lag = (behind: number) =>
    everyMixedNode("head", (n) => (n === BESU_NODE ? `${100 - behind}+3x40` : "100+3x40"));
  return [
    {
      alert: "GoQuorumChainNotAdvancing",
      title: `Besu heads only, no new block for exactly ${mixedT.chainStallSeconds} s`,
      boundary: "chainStallSeconds",
      input: stuck,
      evalTime: `${300 + mixedT.chainStallSeconds}s`,
      fires: [{ labels: { severity: "critical" }, value: "" }],
    },
    {
      alert: "GoQuorumChainNotAdvancing",
      title: `Besu heads only, no new block for ${mixedT.chainStallSeconds - 15} s (one scrape short)`,
      boundary: "chainStallSeconds",
      input: stuck,
      evalTime: `${300 + mixedT.chainStallSeconds - 15}s`,
      fires: [],
    },
    {
      alert: "GoQuorumChainNotAdvancing",
      title: "every GoQuorum head stuck, the Besu heads advancing: the chain moves",
      input: [
        ...everyMixedNode(
          "head",
          () => "100x40",
          (c) => c === "goquorum",
        ),
        ...everyMixedNode("head", () => "100+1x40", besuOnly),
      ],
      evalTime: "5m",
      fires: [],
    },
    {
      alert: "GoQuorumNodeLagging",
      title: `the Besu RPC node ${mixedT.lagBlocks + 1} blocks behind the GoQuorum validators`,
      boundary: "lagBlocks",
      input: lag(mixedT.lagBlocks + 1),
      evalTime: "5m",
      fires: [fires(besuLabels(BESU_NODE, "rpc"), String(mixedT.lagBlocks + 1))],
    },
    {
      alert: "GoQuorumNodeLagging",
      title: `the Besu RPC node ${mixedT.lagBlocks} blocks behind (the threshold)`,
      boundary: "lagBlocks",
      input: lag(mixedT.lagBlocks),
      evalTime: "5m",
      fires: [],
    },
  ];
}

function besuPodCases(): Case[] {
  const pod = { namespace: "goquorum", pod: `${BESU_NODE}-0`, container: "besu" };
  const restarts = (n: number) =>
    series(METRICS.containerRestarts, pod, `0x80 ${Array.from({ length: n }, (_, i) => i + 1).join(" ")}x80`);
  const claim = { namespace: "goquorum", persistentvolumeclaim: `data-${BESU_NODE}-0` };
  const samplesAt8h = (8 * 3600) / 15;
  const volume = (lasts: number) =>
    series(
      "kubelet_volume_stats_available_bytes",
      claim,
      `${1_000_000 * (samplesAt8h + lasts / 15)}-1000000x${samplesAt8h + 10}`,
    );
  return [
    {
      alert: "GoQuorumPodRestarting",
      title: `the besu container restarting ${mixedT.restarts} times`,
      boundary: "restarts",
      input: [restarts(mixedT.restarts)],
      evalTime: "40m",
      fires: [fires(pod, "")],
    },
    {
      alert: "GoQuorumPodRestarting",
      title: `the besu container restarting ${mixedT.restarts - 1} times`,
      boundary: "restarts",
      input: [restarts(mixedT.restarts - 1)],
      evalTime: "40m",
      fires: [],
    },
    {
      alert: "GoQuorumVolumeFillingUp",
      title: "a Besu node's volume full 2 hours before the horizon",
      boundary: "volumeFullWithinSeconds",
      input: [volume(mixedT.volumeFullWithinSeconds - 7200)],
      evalTime: "8h",
      fires: [fires(claim, "")],
    },
    {
      alert: "GoQuorumVolumeFillingUp",
      title: "a Besu node's volume full 1 hour after the horizon",
      boundary: "volumeFullWithinSeconds",
      input: [volume(mixedT.volumeFullWithinSeconds + 3600)],
      evalTime: "8h",
      fires: [],
    },
  ];
}

const BESU_CASES: readonly Case[] = [
  {
    alert: "GoQuorumNodeDown",
    title: "the Besu validator not scraped for 5 minutes",
    input: everyMixedNode("up", (n) => (n === BESU_VALIDATOR ? "0x40" : "1x40")),
    evalTime: "5m",
    fires: [fires(besuLabels(BESU_VALIDATOR, "validator"), "0", "critical")],
  },
  {
    alert: "GoQuorumNodeDown",
    title: "every node of both clients up",
    input: everyMixedNode("up", () => "1x40"),
    evalTime: "5m",
    fires: [],
  },
  {
    alert: "MonitoringTargetsMissing",
    title: "a Besu target gone for 15 minutes",
    rule: besuJob,
    input: [
      ...everyMixedNode("up", () => "1x80").filter((s) => !s.series.includes(BESU_NODE)),
      tesseraUpOfMember0,
    ],
    evalTime: "15m",
    fires: [{ labels: { severity: "warning" }, value: "2" }],
  },
  {
    alert: "MonitoringTargetsMissing",
    title: "every Besu target present, one of them down",
    rule: besuJob,
    input: [...everyMixedNode("up", (n) => (n === BESU_NODE ? "0x80" : "1x80")), tesseraUpOfMember0],
    evalTime: "15m",
    fires: [],
  },
  ...besuPeerCases(),
  ...besuQuorumCases(),
  ...besuSeesQuorumCases(),
  ...besuChainCases(),
  ...besuPodCases(),
];

/** Alerts about Tessera, which Besu nodes do not run. */
const TESSERA_ONLY: readonly AlertName[] = ["TesseraDown", "TesseraPeersUnreachable"];

describe("alert rules on Besu series, and on GoQuorum and Besu side by side", () => {
  it("covers every alert that applies to Besu with a firing and a quiet case, each threshold at its boundary", () => {
    for (const name of ALERT_NAMES.filter((n) => !TESSERA_ONLY.includes(n))) {
      assert.ok(
        BESU_CASES.some((c) => c.alert === name && c.fires.length > 0),
        `${name} fires on Besu`,
      );
      assert.ok(
        BESU_CASES.some((c) => c.alert === name && c.fires.length === 0),
        `${name} stays quiet on Besu`,
      );
    }
    const keys: (keyof Thresholds)[] = [
      "quorum",
      "chainStallSeconds",
      "lagBlocks",
      "expectedPeers",
      "peerCountWindowSeconds",
      "volumeFullWithinSeconds",
      "restarts",
    ];
    for (const key of keys) {
      const cases = BESU_CASES.filter((c) => c.boundary === key);
      assert.ok(cases.some((c) => c.fires.length > 0) && cases.some((c) => c.fires.length === 0), key);
    }
  });

  it("expects each client's scrape targets in the cluster, and records Besu's metrics only where Besu runs", () => {
    const targetRules = mixedRules.filter((r) => r.alert === "MonitoringTargetsMissing");
    assert.deepEqual(
      targetRules.map((r) => `${r.expr.match(/job="([^"]+)"/)?.[1]} ${r.expr.match(/< (\d+)$/)?.[1]}`),
      ["goquorum 4", "besu 3", "tessera 1"],
    );
    assert.ok(!JSON.stringify(recordGroups).includes("ethereum_"));
    assert.ok(JSON.stringify(mixedRecordGroups).includes("ethereum_peer_count"));
  });

  it("records only its own cluster's nodes; the central one counts another cluster's Besu validator from its records", () => {
    const { records } = federatedMixedCase();
    for (const r of records.flatMap((g) => g.rules)) assert.match(r.expr, /cluster="west"/, r.expr);
  });

  it(
    "in the central cluster: a federated Besu validator that syncs leaves the network at quorum",
    needs("promtool"),
    () => {
      const { records, groups: alertGroups, tests } = federatedMixedCase();
      const { files, header } = ruleFiles(alertGroups, records);
      const result = run("promtool", ["test", "rules", "tests.yaml"], {
        ...files,
        "tests.yaml": { ...header, tests },
      });
      assert.equal(result.status, 0, result.output);
    },
  );

  it("passes promtool check rules", needs("promtool"), () => {
    const { files } = ruleFiles(mixedGroups, mixedRecordGroups);
    const result = run("promtool", ["check", "rules", "records.yaml", "rules.yaml"], files);
    assert.equal(result.status, 0, result.output);
  });

  it("fires and stays quiet exactly as the cases say", needs("promtool"), () => {
    const { files, header } = ruleFiles(mixedGroups, mixedRecordGroups);
    const result = run("promtool", ["test", "rules", "tests.yaml"], {
      ...files,
      "tests.yaml": { ...header, tests: BESU_CASES.map((c) => promtoolTest(c, mixedRules)) },
    });
    assert.equal(result.status, 0, result.output);
  });
});

/**
 * Two cloud clusters, west central, with east's second validator on Besu. The central Prometheus holds its
 * own raw series and, federated (with `federated_from`), every series of east's jobs: raw and recorded. It
 * records only its own cluster's, so east's records arrive once, and the quorum alerts count east's Besu
 * validator as east recorded it: down while it syncs.
 */
function federatedMixedCase() {
  const multi = stackConfig(
    [
      awsCluster("east", { nodes: { validators: 2 }, nodeClients: { "east-validator-1": "besu" } }),
      awsCluster("west", { nodes: { validators: 2 } }),
    ],
    { monitoring: { centralCluster: "west" } },
  );
  const multiPlan = planNetwork(multi).plan as NetworkPlan;
  const west = multiPlan.clusters.find((c) => c.name === "west");
  assert.ok(west);
  const map = chartValues({
    network: multi.network,
    plan: multiPlan,
    cluster: west,
  }).additionalPrometheusRulesMap;
  const alertRules = map.goquorum.groups.flatMap((g) => g.rules);
  const labels = (cluster: string, node: string, client: Client, federated: boolean): Labels => ({
    job: client,
    network: "testnet",
    cluster,
    node,
    role: "validator",
    client,
    ...(federated ? { federated_from: cluster } : {}),
  });
  const eastBesu = labels("east", "east-validator-1", "besu", true);
  const eastGoQuorum = labels("east", "east-validator-0", "goquorum", true);
  const input = (besuInSync: string) => [
    ...["west-validator-0", "west-validator-1"].map((n) =>
      series("up", labels("west", n, "goquorum", false), "1x40"),
    ),
    // east's raw series, federated: the central cluster must not record these itself.
    series("up", eastGoQuorum, "1x40"),
    series("up", eastBesu, "1x40"),
    series("besu_synchronizer_in_sync", eastBesu, `${besuInSync}x40`),
    // east's records, federated.
    series("goquorum:in_consensus", eastGoQuorum, "1x40"),
    series("goquorum:in_consensus", eastBesu, `${besuInSync}x40`),
  ];
  const quorumTest = (besuInSync: string, fires: boolean) => {
    const rule = alertRules.find((r) => r.alert === "QbftValidatorsAtQuorum");
    assert.ok(rule);
    return {
      interval: "15s",
      input_series: input(besuInSync),
      alert_rule_test: [
        {
          eval_time: "5m",
          alertname: "QbftValidatorsAtQuorum",
          exp_alerts: fires
            ? [
                {
                  exp_labels: { severity: "critical" },
                  exp_annotations: {
                    summary: expand(rule.annotations.summary, { labels: {}, value: "3" }),
                    description: expand(rule.annotations.description, { labels: {}, value: "3" }),
                    ...(rule.annotations.runbook_url ? { runbook_url: rule.annotations.runbook_url } : {}),
                  },
                },
              ]
            : [],
        },
      ],
    };
  };
  return {
    records: map[RECORDS_RULE].groups,
    groups: map.goquorum.groups,
    tests: [quorumTest("0", true), quorumTest("1", false)],
  };
}

describe("alert rules under promtool test rules", () => {
  it("covers every alert with a firing and a quiet case", () => {
    for (const name of ALERT_NAMES) {
      assert.ok(
        CASES.some((c) => c.alert === name && c.fires.length > 0),
        `${name} fires somewhere`,
      );
      assert.ok(
        CASES.some((c) => c.alert === name && c.fires.length === 0),
        `${name} stays quiet somewhere`,
      );
    }
    assert.deepEqual([...new Set(rules.map((r) => r.alert))].sort(), [...ALERT_NAMES].sort());
  });

  it("tests every alert threshold at its boundary, or says where its structural effect is tested", () => {
    const structural: Partial<Record<keyof Thresholds, string>> = {
      validators: "with no spare validator there is no at-quorum alert (below)",
      members: "with one member no Tessera peer alert (below)",
      blockIntervalSeconds: "sets chainStallSeconds (below)",
    };
    for (const key of Object.keys(t) as (keyof Thresholds)[]) {
      if (structural[key]) continue;
      const cases = CASES.filter((c) => c.boundary === key);
      assert.ok(
        cases.some((c) => c.fires.length > 0),
        `${key}: no case fires at its boundary`,
      );
      assert.ok(
        cases.some((c) => c.fires.length === 0),
        `${key}: no case stays quiet at its boundary`,
      );
    }
  });

  it("deploys the at-quorum alert only with a spare validator, the Tessera peer alert only with two members", () => {
    const alertsOf = (nodes: { validators: number; members?: number }, network = {}) => {
      const c = stackConfig([localCluster("a", { nodes })], network);
      const p = planNetwork(c).plan as NetworkPlan;
      const values = chartValues({ network: c.network, plan: p, cluster: p.clusters[0] });
      return new Set(
        values.additionalPrometheusRulesMap.goquorum.groups.flatMap((g) => g.rules.map((r) => r.alert)),
      );
    };
    // 2 validators need both (quorum 2); 3 have one to spare (quorum 2).
    assert.equal(alertsOf({ validators: 2 }).has("QbftValidatorsAtQuorum"), false);
    assert.equal(alertsOf({ validators: 3 }).has("QbftValidatorsAtQuorum"), true);
    assert.equal(alertsOf({ validators: 4, members: 1 }).has("TesseraPeersUnreachable"), false);
    assert.equal(alertsOf({ validators: 4, members: 2 }).has("TesseraPeersUnreachable"), true);
  });

  it("stalls after 3 block intervals, never sooner than 4 scrapes, with the longer empty-block period", () => {
    const stall = (network: Record<string, unknown>) => {
      const c = stackConfig([localCluster("a", { nodes: { validators: 4 } })], network);
      return thresholds(c.network, planNetwork(c).plan as NetworkPlan).chainStallSeconds;
    };
    assert.equal(stall({ blockPeriodSeconds: 20 }), 60);
    assert.equal(stall({ blockPeriodSeconds: 21 }), 63);
    assert.equal(stall({ blockPeriodSeconds: 5, emptyBlockPeriodSeconds: 30 }), 90);
  });

  it(
    "alerts when the central Prometheus cannot federate another cluster, and not otherwise",
    needs("promtool"),
    () => {
      const { groups: federationGroups, tests } = federationCases();
      const result = run("promtool", ["test", "rules", "tests.yaml"], {
        "rules.yaml": { groups: federationGroups },
        "tests.yaml": { rule_files: ["rules.yaml"], evaluation_interval: "15s", tests },
      });
      assert.equal(result.status, 0, result.output);
    },
  );

  it("are the same rules, TesseraPeersUnreachable included, with strict Tessera TLS", () => {
    const strict = structuredClone(config);
    strict.network.workloads.tessera.tls = "strict";
    const strictGroups = chartValues({ network: strict.network, plan, cluster }).additionalPrometheusRulesMap
      .goquorum.groups;
    assert.ok(strictGroups.flatMap((g) => g.rules).some((r) => r.alert === "TesseraPeersUnreachable"));
    assert.deepEqual(strictGroups, groups);
  });

  it("passes promtool check rules", needs("promtool"), () => {
    const { files } = ruleFiles(groups);
    const result = run("promtool", ["check", "rules", "records.yaml", "rules.yaml"], files);
    assert.equal(result.status, 0, result.output);
  });

  it("fires and stays quiet exactly as the cases say", needs("promtool"), () => {
    const { files, header } = ruleFiles(groups);
    const result = run("promtool", ["test", "rules", "tests.yaml"], {
      ...files,
      "tests.yaml": { ...header, tests: CASES.map((c) => promtoolTest(c)) },
    });
    assert.equal(result.status, 0, result.output);
  });
});
