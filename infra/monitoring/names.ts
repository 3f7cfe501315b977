/** Names the monitoring objects, rules and dashboards share, defined once. */
import type { NodeClient } from "../config/schema";
import { P2P_PEERS_METRIC } from "../quorum/behaviour";
import { CLIENT_CONTAINERS } from "../quorum/manifests/gateScripts";

/** Helm release name of kube-prometheus-stack; the chart labels its own monitors and rules `release: <this>`. */
export const RELEASE_NAME = "monitoring";
/** `fullnameOverride`: Prometheus is `monitoring-prometheus`, Alertmanager `monitoring-alertmanager`. */
export const FULLNAME = "monitoring";
/** Port of the chart's Prometheus Service (and of the federation load balancer). */
export const PROMETHEUS_PORT = 9090;
/**
 * The Grafana subchart's Service: the subchart names it `grafana.fullname`, which the parent's
 * `fullnameOverride` does not reach: `<release>-grafana` (the release name does not contain "grafana"), on
 * the chart's default `service.port` 80 (charts/grafana/templates/_helpers.tpl, values.yaml).
 */
export const GRAFANA_SERVICE = `${RELEASE_NAME}-grafana`;
export const GRAFANA_SERVICE_PORT = 80;
export const GRAFANA_ADMIN_SECRET = "grafana-admin";
export const ALERTMANAGER_CONFIG_SECRET = "alertmanager-goquorum";
/**
 * kubernetes.io/tls Secret with Prometheus' client certificate for Tessera's P2P `/metrics` (strict TLS): in
 * the monitoring namespace, where the PodMonitors that refer to it live.
 */
export const TESSERA_CLIENT_TLS_SECRET = "tessera-monitoring-tls";
/** Keys of a kubernetes.io/tls Secret, with `ca.crt` as cert-manager writes it. */
export const TLS_SECRET_KEYS = { certificate: "tls.crt", key: "tls.key", ca: "ca.crt" } as const;
/** The Grafana sidecar loads ConfigMaps with this label (chart default `grafana_dashboard: "1"`). */
export const DASHBOARD_LABEL = { grafana_dashboard: "1" } as const;

/** Scrape jobs (set by relabeling, so rules and dashboards do not depend on monitor names). */
export const JOBS = {
  goquorum: "goquorum",
  besu: "besu",
  tessera: "tessera",
  tesseraP2p: "tessera-p2p",
} as const;

/** The scrape job of each client's nodes. */
export const NODE_JOBS: Readonly<Record<NodeClient, string>> = { goquorum: JOBS.goquorum, besu: JOBS.besu };
/** `job=~"goquorum|besu"`: every node, whatever its client. */
export const ANY_NODE_JOB = Object.values(NODE_JOBS).join("|");

/** The container that runs each client in a node's pod (kube-state-metrics' `container` label). */
export const NODE_CONTAINERS: Readonly<Record<NodeClient, string>> = CLIENT_CONTAINERS;

/** The series label naming a node's client (`goquorum` | `besu`), set by each client's PodMonitor. */
export const CLIENT_LABEL = "client";

/**
 * Recording rules (rules.ts) that give both clients' nodes one series per fact, with the scraped series'
 * labels (job, network, cluster, node, role, client): alerts and dashboards read these, never a client's own
 * metric, so each alert holds for both clients with the same thresholds.
 */
export const RECORDED = {
  /** Connected peers. */
  peers: "goquorum:peers",
  /** The node's head block number. */
  headBlock: "goquorum:head_block",
  /** The highest block the node knows of (a header it has, or a peer announces). */
  highestKnownBlock: "goquorum:highest_known_block",
  /** 1 when the node is scraped and (Besu) not syncing: it can take part in consensus; 0 otherwise. */
  inConsensus: "goquorum:in_consensus",
  /** Transactions executable now. */
  txpoolPending: "goquorum:txpool_pending",
  /** Transactions waiting for an earlier nonce. */
  txpoolQueued: "goquorum:txpool_queued",
} as const;

/** Seconds between scrapes of the nodes. */
export const SCRAPE_INTERVAL_SECONDS = 15;

/**
 * Metrics of GoQuorum and Tessera the rules and dashboards use; docs/monitoring.md, "Metrics used", lists each with
 * its source. GoQuorum 24.4.1 (geth 1.10.3 base)
 * exports go-ethereum metrics at `/debug/metrics/prometheus`, the registry name with `/` replaced by `_`
 * (metrics/prometheus/collector.go); meters and counters are exported as their count, timers as summaries.
 * Tessera 24.4 serves `/metrics` on each server: Jersey's per-method MBean statistics whose attribute ends in
 * `total`, as `tessera_<APP>_<HTTP method>_<java method>_<params>_<statistic>`
 * (server/server-utils/.../monitoring/MetricsEnquirer.java, PrometheusProtocolFormatter.java).
 */
export const METRICS = {
  headBlock: "chain_head_block",
  headHeader: "chain_head_header",
  /** Open p2p connections, probes included (see P2P_PEERS_METRIC). */
  peers: P2P_PEERS_METRIC,
  txpoolPending: "txpool_pending",
  txpoolQueued: "txpool_queued",
  qbftSequence: "consensus_istanbul_qbft_core_sequence",
  qbftRound: "consensus_istanbul_qbft_core_round",
  ibftSequence: "consensus_istanbul_core_sequence",
  ibftRound: "consensus_istanbul_core_round",
  /**
   * kube-state-metrics: restarts of regular containers, and of init containers, native sidecars (Tessera)
   * included, which it counts only in the second (kubernetes/kube-state-metrics `internal/store/pod.go`).
   */
  containerRestarts: "kube_pod_container_status_restarts_total",
  /**
   * kube-state-metrics: 1 while a container's readiness probe passes (`internal/store/pod.go`). For a
   * validator's `disruption-gate` container that is its own count of live validators against quorum.
   */
  containerReady: "kube_pod_container_status_ready",
  initContainerRestarts: "kube_pod_init_container_status_restarts_total",
  /** Tessera P2P: partyinfo pushes received from other members (name ends with the method's parameters). */
  tesseraPartyInfoReceived: "tessera_P2P_POST_partyInfo.*_RequestCount",
} as const;
