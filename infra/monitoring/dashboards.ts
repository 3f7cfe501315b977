/**
 * Grafana dashboards as typed JSON (Grafana's dashboard model, schemaVersion 39), provisioned by the chart's
 * Grafana sidecar from labelled ConfigMaps. Every query is PromQL without Grafana macros in its ranges, so a
 * PromQL parser can check each one as written; `$node` and `$datasource` are Grafana variables.
 */

import { BESU_METRICS } from "../besu/metrics";
import type { NetworkConfig } from "../config/schema";
import type { NetworkPlan } from "../plan/types";
import { VOLUMES } from "../quorum/manifests/volumes";
import { ANY_NODE_JOB, JOBS, METRICS, RECORDED } from "./names";
import { thresholds } from "./thresholds";

export interface DataSourceRef {
  readonly type: "prometheus";
  readonly uid: string;
}

export interface Target {
  readonly refId: string;
  readonly expr: string;
  readonly legendFormat: string;
  readonly datasource: DataSourceRef;
}

export interface Threshold {
  readonly color: string;
  readonly value: number | null;
}

export interface Panel {
  readonly id: number;
  readonly type: "timeseries" | "stat";
  readonly title: string;
  readonly description: string;
  readonly gridPos: { readonly x: number; readonly y: number; readonly w: number; readonly h: number };
  readonly datasource: DataSourceRef;
  readonly targets: readonly Target[];
  readonly fieldConfig: {
    readonly defaults: {
      readonly unit: string;
      readonly thresholds?: { readonly mode: "absolute"; readonly steps: readonly Threshold[] };
    };
    readonly overrides: readonly never[];
  };
}

export interface Variable {
  readonly name: string;
  readonly label: string;
  readonly type: "datasource" | "query";
  readonly query: string | { readonly query: string; readonly refId: string };
  readonly datasource?: DataSourceRef;
  readonly current?: { readonly text: string; readonly value: string };
  readonly refresh?: 1 | 2;
}

export interface Dashboard {
  readonly uid: string;
  readonly title: string;
  readonly tags: readonly string[];
  readonly schemaVersion: 39;
  readonly editable: false;
  readonly refresh: "30s";
  readonly time: { readonly from: string; readonly to: string };
  readonly templating: { readonly list: readonly Variable[] };
  readonly panels: readonly Panel[];
}

/** The Grafana datasource the dashboards query: `$datasource`, by default the central Prometheus. */
const DS: DataSourceRef = { type: "prometheus", uid: "$datasource" };

const datasourceVariable: Variable = {
  name: "datasource",
  label: "Prometheus",
  type: "datasource",
  query: "prometheus",
  current: { text: "Prometheus", value: "prometheus" },
};

const nodeVariable = (network: NetworkConfig): Variable => ({
  name: "node",
  label: "Node",
  type: "query",
  datasource: DS,
  query: { query: `label_values(up{job=~"${ANY_NODE_JOB}",network="${network.name}"}, node)`, refId: "node" },
  refresh: 2,
});

interface PanelSpec {
  readonly title: string;
  readonly description: string;
  readonly unit?: string;
  readonly type?: Panel["type"];
  readonly thresholds?: readonly Threshold[];
  readonly queries: readonly (readonly [expr: string, legend: string])[];
}

/** Panels two to a row, in order. */
function layout(specs: readonly PanelSpec[]): Panel[] {
  return specs.map((s, i) => ({
    id: i + 1,
    type: s.type ?? "timeseries",
    title: s.title,
    description: s.description,
    gridPos: { x: (i % 2) * 12, y: Math.floor(i / 2) * 8, w: 12, h: 8 },
    datasource: DS,
    targets: s.queries.map(([expr, legendFormat], j) => ({
      refId: String.fromCharCode(65 + j),
      expr,
      legendFormat,
      datasource: DS,
    })),
    fieldConfig: {
      defaults: {
        unit: s.unit ?? "short",
        ...(s.thresholds ? { thresholds: { mode: "absolute" as const, steps: s.thresholds } } : {}),
      },
      overrides: [],
    },
  }));
}

function dashboard(
  uid: string,
  title: string,
  variables: readonly Variable[],
  specs: readonly PanelSpec[],
): Dashboard {
  return {
    uid,
    title,
    tags: ["goquorum"],
    schemaVersion: 39,
    editable: false,
    refresh: "30s",
    time: { from: "now-6h", to: "now" },
    templating: { list: variables },
    panels: layout(specs),
  };
}

/** Every dashboard of the network, by file slug. */
export function dashboards(network: NetworkConfig, plan: NetworkPlan): Readonly<Record<string, Dashboard>> {
  const t = thresholds(network, plan);
  // Client-neutral series (RECORDED, recorded per cluster and federated) carry every node, whatever its client.
  const all = `{network="${network.name}"}`;
  const up = `{job=~"${ANY_NODE_JOB}",network="${network.name}"}`;
  const gqValidators = `{job="${JOBS.goquorum}",network="${network.name}",role="validator"}`;
  const validators = `{network="${network.name}",role="validator"}`;
  const sequence = network.consensus === "qbft" ? METRICS.qbftSequence : METRICS.ibftSequence;
  const round = network.consensus === "qbft" ? METRICS.qbftRound : METRICS.ibftRound;
  const node = `{network="${network.name}",node="$node"}`;
  const besuAll = `{job="${JOBS.besu}",network="${network.name}"}`;
  const besuNode = `{job="${JOBS.besu}",network="${network.name}",node="$node"}`;
  const pod = `{pod="$node-0",container!=""}`;
  const claim = `{persistentvolumeclaim="${VOLUMES.data}-$node-0"}`;
  const tesseraUp = `{job="${JOBS.tessera}",network="${network.name}"}`;
  const partyInfo = `{__name__=~"${METRICS.tesseraPartyInfoReceived}",job="${JOBS.tesseraP2p}",network="${network.name}"}`;
  const thirdParty = `{__name__=~"tessera_THIRD_PARTY_.*_RequestCount",job="${JOBS.tessera}",network="${network.name}"}`;

  return {
    "network-overview": dashboard(
      "goquorum-overview",
      `GoQuorum ${network.name}: network`,
      [datasourceVariable],
      [
        {
          title: "Live validators",
          description: `Validators up (and, on Besu, not syncing), against QBFT's quorum of ${t.quorum} of ${t.validators}: red below quorum (halted), orange at quorum (one failure from halting).`,
          type: "stat",
          thresholds: [
            { color: "red", value: null },
            { color: "orange", value: t.quorum },
            { color: "green", value: Math.min(t.quorum + 1, t.validators) },
          ],
          queries: [[`count(${RECORDED.inConsensus}${validators} == 1) or vector(0)`, "live validators"]],
        },
        {
          title: "Head block per node",
          description: "Current head block of every node of every cluster, GoQuorum and Besu.",
          queries: [[`${RECORDED.headBlock}${all}`, "{{cluster}} {{node}} ({{client}})"]],
        },
        {
          title: "Block time",
          description: `Seconds per block over 5 minutes (blockPeriodSeconds ${network.blockPeriodSeconds}, longest expected gap ${t.blockIntervalSeconds} s).`,
          unit: "s",
          queries: [[`1 / max(rate(${RECORDED.headBlock}${all}[5m]))`, "seconds per block"]],
        },
        {
          title: "Validators sealing",
          description:
            "Blocks each GoQuorum validator's consensus core completed per minute; a validator at 0 takes no part in consensus. Besu exports no consensus metric: see 'Taking part in consensus'.",
          queries: [
            [`rate(${sequence}${gqValidators}[5m]) * 60`, "{{node}}"],
            [`rate(${round}${gqValidators}[5m]) * 60`, "round changes {{node}}"],
          ],
        },
        {
          title: "Peers per node",
          description: `Connected devp2p peers; every node should have ${t.expectedPeers} (the static full mesh). Besu counts only peers it shares an eth version with.`,
          queries: [
            [`${RECORDED.peers}${all}`, "{{cluster}} {{node}} ({{client}})"],
            [`vector(${t.expectedPeers})`, "expected"],
          ],
        },
        {
          title: "Transaction pool",
          description:
            "Executable (pending) and future (queued) transactions per node; on Besu the prioritized and ready layers, and the sparse layer.",
          queries: [
            [`${RECORDED.txpoolPending}${all}`, "pending {{node}}"],
            [`${RECORDED.txpoolQueued}${all}`, "queued {{node}}"],
          ],
        },
        {
          title: "Sync state",
          description:
            "Blocks each node knows of but has not imported yet (GoQuorum: headers it holds; Besu: the best head its peers announce), and its distance to the network's head.",
          queries: [
            [`${RECORDED.highestKnownBlock}${all} - ${RECORDED.headBlock}${all}`, "to import {{node}}"],
            [
              `scalar(max(${RECORDED.headBlock}${all})) - ${RECORDED.headBlock}${all}`,
              "behind head {{node}}",
            ],
          ],
        },
        {
          title: "Nodes up",
          description: "1 when Prometheus scrapes the node.",
          queries: [[`up${up}`, "{{cluster}} {{node}} ({{client}})"]],
        },
        {
          title: "Head block age (Besu)",
          description: `Seconds since the timestamp of each Besu node's head block; it climbs past the longest expected gap (${t.blockIntervalSeconds} s) when the chain or the node stalls. GoQuorum exports no head timestamp.`,
          unit: "s",
          queries: [[`time() - ${BESU_METRICS.headTimestamp}${besuAll}`, "{{cluster}} {{node}}"]],
        },
        {
          title: "Taking part in consensus",
          description:
            "1 when the node is scraped and, on Besu, not syncing: a syncing Besu validator makes no blocks and casts no votes. GoQuorum exports no sync state, so a scraped GoQuorum node counts.",
          queries: [[`${RECORDED.inConsensus}${all}`, "{{cluster}} {{node}} ({{client}})"]],
        },
      ],
    ),
    "node-detail": dashboard(
      "goquorum-node",
      `GoQuorum ${network.name}: node`,
      [datasourceVariable, nodeVariable(network)],
      [
        {
          title: "CPU",
          description:
            "CPU cores used per container of the node's pod (pick the node's cluster as Prometheus).",
          queries: [
            [`sum by (container) (rate(container_cpu_usage_seconds_total${pod}[5m]))`, "{{container}}"],
          ],
        },
        {
          title: "Memory",
          description: "Working-set memory per container.",
          unit: "bytes",
          queries: [[`sum by (container) (container_memory_working_set_bytes${pod})`, "{{container}}"]],
        },
        {
          title: "Disk use",
          description: "Used and total bytes of the node's data volume.",
          unit: "bytes",
          queries: [
            [`kubelet_volume_stats_used_bytes${claim}`, "used"],
            [`kubelet_volume_stats_capacity_bytes${claim}`, "capacity"],
          ],
        },
        {
          title: "Disk growth",
          description: "Bytes per day the data volume grows, over the last 6 hours.",
          unit: "bytes",
          queries: [[`deriv(kubelet_volume_stats_used_bytes${claim}[6h]) * 86400`, "per day"]],
        },
        {
          title: "Restarts",
          description: "Container restarts in the last hour.",
          queries: [
            [`increase(kube_pod_container_status_restarts_total{pod="$node-0"}[1h])`, "{{container}}"],
          ],
        },
        {
          title: "Head and peers",
          description: "The node's head block and peer count.",
          queries: [
            [`${RECORDED.headBlock}${node}`, "head"],
            [`${RECORDED.peers}${node}`, "peers"],
          ],
        },
        {
          title: "JVM heap (Besu)",
          description:
            "Heap used against the JVM's maximum. Besu only: GoQuorum is a Go program and exports no JVM metrics.",
          unit: "bytes",
          queries: [
            [`${BESU_METRICS.jvmMemoryUsed}${besuNode.replace("}", ',area="heap"}')}`, "heap used"],
            [`${BESU_METRICS.jvmMemoryMax}${besuNode.replace("}", ',area="heap"}')}`, "heap max"],
          ],
        },
        {
          title: "JVM garbage collection (Besu)",
          description: "Share of time the node's JVM spent in garbage collection, over 5 minutes. Besu only.",
          unit: "percentunit",
          queries: [[`sum(rate(${BESU_METRICS.jvmGcSeconds}_sum${besuNode}[5m]))`, "in GC"]],
        },
      ],
    ),
    tessera: dashboard(
      "goquorum-tessera",
      `GoQuorum ${network.name}: Tessera`,
      [datasourceVariable],
      [
        {
          title: "Tessera up",
          description: "1 when Prometheus scrapes the member's Tessera.",
          queries: [[`up${tesseraUp}`, "{{cluster}} {{node}}"]],
        },
        {
          title: "Party info received",
          description: `Party info pushes per second from the other ${Math.max(t.members - 1, 0)} members (P2P, plain HTTP only).`,
          queries: [[`sum by (node) (rate(${partyInfo}[5m]))`, "{{node}}"]],
        },
        {
          title: "Third-party API requests",
          description: "Requests per second to each member's third-party API.",
          queries: [[`sum by (node) (rate(${thirdParty}[5m]))`, "{{node}}"]],
        },
      ],
    ),
    volumes: dashboard(
      "goquorum-volumes",
      `GoQuorum ${network.name}: volumes`,
      [datasourceVariable],
      [
        {
          title: "Volume use",
          description: "Share of each volume claim in use (pick the cluster's Prometheus).",
          unit: "percentunit",
          queries: [
            [
              "kubelet_volume_stats_used_bytes / kubelet_volume_stats_capacity_bytes",
              "{{namespace}} {{persistentvolumeclaim}}",
            ],
          ],
        },
        {
          title: "Days until full",
          description: `At the growth of the last 6 hours; the alert fires below ${network.monitoring.volumeFullWithinDays} days.`,
          unit: "d",
          queries: [
            [
              "kubelet_volume_stats_available_bytes / clamp_min(-deriv(kubelet_volume_stats_available_bytes[6h]), 1) / 86400",
              "{{namespace}} {{persistentvolumeclaim}}",
            ],
          ],
        },
        {
          title: "Free bytes",
          description: "Bytes left on each volume claim.",
          unit: "bytes",
          queries: [["kubelet_volume_stats_available_bytes", "{{namespace}} {{persistentvolumeclaim}}"]],
        },
      ],
    ),
  };
}

/** Every PromQL query of the dashboards (panel targets), for checks. */
export function dashboardQueries(d: Dashboard): string[] {
  return d.panels.flatMap((p) => p.targets.map((t) => t.expr));
}
