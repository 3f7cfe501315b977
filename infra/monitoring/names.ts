/** Names the monitoring objects, rules and dashboards share, defined once. */

/** Helm release name of kube-prometheus-stack; the chart labels its own monitors and rules `release: <this>`. */
export const RELEASE_NAME = "monitoring";
/** `fullnameOverride`: Prometheus is `monitoring-prometheus`, Alertmanager `monitoring-alertmanager`. */
export const FULLNAME = "monitoring";
export const PROMETHEUS_SERVICE = `${FULLNAME}-prometheus`;
/** Port of the chart's Prometheus Service (and of the federation load balancer). */
export const PROMETHEUS_PORT = 9090;
/** The Grafana subchart names its Service `<release>-grafana`. */
export const GRAFANA_SERVICE = `${RELEASE_NAME}-grafana`;
export const GRAFANA_ADMIN_SECRET = "grafana-admin";
export const ALERTMANAGER_CONFIG_SECRET = "alertmanager-goquorum";
/** The Grafana sidecar loads ConfigMaps with this label (chart default `grafana_dashboard: "1"`). */
export const DASHBOARD_LABEL = { grafana_dashboard: "1" } as const;

/** Scrape jobs (set by relabeling, so rules and dashboards do not depend on monitor names). */
export const JOBS = { goquorum: "goquorum", tessera: "tessera", tesseraP2p: "tessera-p2p" } as const;

/** Labels every GoQuorum and Tessera series carries. */
export const SERIES_LABELS = ["network", "cluster", "node", "role"] as const;

/** Seconds between scrapes of the nodes. */
export const SCRAPE_INTERVAL_SECONDS = 15;

/**
 * Metrics the rules and dashboards use, with where they come from. GoQuorum 24.4.1 (geth 1.10.3 base)
 * exports go-ethereum metrics at `/debug/metrics/prometheus`, the registry name with `/` replaced by `_`
 * (metrics/prometheus/collector.go); meters and counters are exported as their count, timers as summaries.
 * Tessera 24.4 serves `/metrics` on each server: Jersey's per-method MBean statistics whose attribute ends in
 * `total`, as `tessera_<APP>_<HTTP method>_<java method>_<params>_<statistic>`
 * (server/server-utils/.../monitoring/MetricsEnquirer.java, PrometheusProtocolFormatter.java).
 */
export const METRICS = {
  headBlock: "chain_head_block",
  headHeader: "chain_head_header",
  peers: "p2p_peers",
  txpoolPending: "txpool_pending",
  txpoolQueued: "txpool_queued",
  qbftSequence: "consensus_istanbul_qbft_core_sequence",
  qbftRound: "consensus_istanbul_qbft_core_round",
  ibftSequence: "consensus_istanbul_core_sequence",
  ibftRound: "consensus_istanbul_core_round",
  /** Tessera P2P: partyinfo pushes received from other members (name ends with the method's parameters). */
  tesseraPartyInfoReceived: "tessera_P2P_POST_partyInfo.*_RequestCount",
} as const;

/** Where each metric name comes from (README: "Metrics"). */
export const METRIC_SOURCES: Readonly<Record<string, string>> = {
  up: "Prometheus itself: 1 when the last scrape of a target succeeded",
  chain_head_block: "GoQuorum core/blockchain.go `chain/head/block` gauge: number of the current head block",
  chain_head_header:
    "GoQuorum core/blockchain.go `chain/head/header` gauge: number of the highest known header",
  p2p_peers: "GoQuorum p2p/metrics.go `p2p/peers` gauge: connected devp2p peers",
  txpool_pending: "GoQuorum core/tx_pool.go `txpool/pending` gauge: executable transactions in the pool",
  txpool_queued: "GoQuorum core/tx_pool.go `txpool/queued` gauge: non-executable (future) transactions",
  consensus_istanbul_qbft_core_sequence:
    "GoQuorum consensus/istanbul/qbft/core/core.go `consensus/istanbul/qbft/core/sequence` meter: sequences (blocks) this validator's QBFT core completed",
  consensus_istanbul_qbft_core_round:
    "GoQuorum consensus/istanbul/qbft/core/core.go `consensus/istanbul/qbft/core/round` meter: round changes",
  consensus_istanbul_core_sequence:
    "GoQuorum consensus/istanbul/ibft/core/core.go: the same meter for legacy IBFT",
  consensus_istanbul_core_round:
    "GoQuorum consensus/istanbul/ibft/core/core.go: round changes under legacy IBFT",
  "tessera_P2P_POST_partyInfo*_RequestCount":
    "Tessera P2P server `/metrics`: Jersey request count (`RequestCount_total`) of the partyinfo resource, which every other member POSTs to periodically",
  kubelet_volume_stats_available_bytes:
    "kubelet (scraped by the chart): free bytes of each mounted PersistentVolumeClaim",
  kubelet_volume_stats_capacity_bytes: "kubelet: capacity of each mounted PersistentVolumeClaim",
  kubelet_volume_stats_used_bytes: "kubelet: used bytes of each mounted PersistentVolumeClaim",
  kube_pod_container_status_restarts_total: "kube-state-metrics (part of the chart): container restarts",
  container_cpu_usage_seconds_total:
    "cAdvisor through the kubelet (scraped by the chart): CPU seconds per container",
  container_memory_working_set_bytes: "cAdvisor through the kubelet: working-set memory per container",
};
