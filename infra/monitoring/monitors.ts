/**
 * PodMonitors of one cluster, in the chart's `prometheus.additionalPodMonitors` format: the chart creates them
 * in the release namespace with its `release` label, which its Prometheus selects (see chartValues.ts).
 * Every series gets the labels network, cluster, node and role, whatever the target's pod is called.
 */
import type { NetworkConfig } from "../config/schema";
import type { ClusterPlan } from "../plan/types";
import { LABELS, networkSelector, roleSelector } from "../quorum/manifests/labels";
import { PORT_NAMES } from "../quorum/manifests/names";
import { nodeServiceHost } from "../quorum/peers";
import { JOBS, SCRAPE_INTERVAL_SECONDS, TESSERA_CLIENT_TLS_SECRET, TLS_SECRET_KEYS } from "./names";

/** A Prometheus relabeling: `replace` (the default) sets `targetLabel`, `keep` drops targets `regex` misses. */
export interface Relabeling {
  readonly action?: "keep";
  readonly sourceLabels?: readonly string[];
  readonly targetLabel?: string;
  readonly replacement?: string;
  readonly regex?: string;
}

/** A key of a Secret in the PodMonitor's own namespace (Prometheus Operator `SafeTLSConfig` refers to no other). */
export interface SecretKeyRef {
  readonly name: string;
  readonly key: string;
}

/** Prometheus Operator `SafeTLSConfig`, the TLS settings a PodMonitor endpoint may carry. */
export interface SafeTlsConfig {
  readonly ca: { readonly secret: SecretKeyRef };
  readonly cert: { readonly secret: SecretKeyRef };
  readonly keySecret: SecretKeyRef;
  readonly serverName: string;
  readonly insecureSkipVerify: false;
}

export interface PodMetricsEndpoint {
  readonly port: string;
  readonly path: string;
  readonly interval: string;
  readonly relabelings: readonly Relabeling[];
  readonly scheme?: "https";
  readonly tlsConfig?: SafeTlsConfig;
}

export interface PodMonitorValues {
  readonly name: string;
  readonly namespaceSelector: { readonly matchNames: readonly string[] };
  readonly selector: { readonly matchLabels: Readonly<Record<string, string>> };
  readonly podMetricsEndpoints: readonly PodMetricsEndpoint[];
}

/** Metrics path of geth's standalone metrics server. */
export const GOQUORUM_METRICS_PATH = "/debug/metrics/prometheus";
/** Tessera's MetricsResource, on every server. */
export const TESSERA_METRICS_PATH = "/metrics";

/** Prometheus' name for a pod label: `__meta_kubernetes_pod_label_` and the label with every other character as `_`. */
export const podLabelMeta = (label: string): string =>
  `__meta_kubernetes_pod_label_${label.replace(/[^a-zA-Z0-9_]/g, "_")}`;

function endpoint(
  network: NetworkConfig,
  cluster: ClusterPlan,
  port: string,
  path: string,
  job: string,
): PodMetricsEndpoint {
  return {
    port,
    path,
    interval: `${SCRAPE_INTERVAL_SECONDS}s`,
    relabelings: [
      { targetLabel: "job", replacement: job },
      { targetLabel: "network", replacement: network.name },
      { targetLabel: "cluster", replacement: cluster.name },
      { sourceLabels: [podLabelMeta(LABELS.instance)], targetLabel: "node" },
      { sourceLabels: [podLabelMeta(LABELS.component)], targetLabel: "role" },
    ],
  };
}

/** Prometheus' client certificate and the CA that signs every member's certificate, from one Secret. */
function tesseraP2pTls(serverName: string): SafeTlsConfig {
  const ref = (key: string) => ({ name: TESSERA_CLIENT_TLS_SECRET, key });
  return {
    ca: { secret: ref(TLS_SECRET_KEYS.ca) },
    cert: { secret: ref(TLS_SECRET_KEYS.certificate) },
    keySecret: ref(TLS_SECRET_KEYS.key),
    serverName,
    insecureSkipVerify: false,
  };
}

/**
 * Tessera's P2P `/metrics`. Plain HTTP with `tessera.tls: off`. With strict TLS the server asks for a client
 * certificate of the network CA and presents a certificate naming the member's Service, not its pod IP,
 * which Prometheus dials; `serverName` is one name per scrape job, so each member gets its own endpoint that
 * keeps only its pod and verifies its Service name.
 */
function tesseraP2pEndpoints(network: NetworkConfig, cluster: ClusterPlan): PodMetricsEndpoint[] {
  const plain = endpoint(network, cluster, PORT_NAMES.tesseraP2p, TESSERA_METRICS_PATH, JOBS.tesseraP2p);
  if (network.workloads.tessera.tls === "off") return [plain];
  return cluster.nodes
    .filter((node) => node.role === "member")
    .map((node) => ({
      ...plain,
      scheme: "https",
      tlsConfig: tesseraP2pTls(nodeServiceHost(node, cluster.namespace)),
      relabelings: [
        { action: "keep", sourceLabels: [podLabelMeta(LABELS.instance)], regex: node.name },
        ...plain.relabelings,
      ],
    }));
}

export function podMonitors(
  network: NetworkConfig,
  cluster: ClusterPlan,
  scrapeTesseraP2p: boolean,
): PodMonitorValues[] {
  const namespaceSelector = { matchNames: [cluster.namespace] };
  const monitors: PodMonitorValues[] = [
    {
      name: `goquorum-${cluster.name}`,
      namespaceSelector,
      selector: { matchLabels: networkSelector(network.name) },
      podMetricsEndpoints: [
        endpoint(network, cluster, PORT_NAMES.metrics, GOQUORUM_METRICS_PATH, JOBS.goquorum),
      ],
    },
  ];
  if (cluster.nodes.some((n) => n.role === "member")) {
    monitors.push({
      name: `tessera-${cluster.name}`,
      namespaceSelector,
      selector: { matchLabels: roleSelector(network.name, "member") },
      podMetricsEndpoints: [
        // The third-party server is plain HTTP in every TLS mode: Tessera up or down.
        endpoint(network, cluster, PORT_NAMES.tesseraThirdParty, TESSERA_METRICS_PATH, JOBS.tessera),
        ...(scrapeTesseraP2p ? tesseraP2pEndpoints(network, cluster) : []),
      ],
    });
  }
  return monitors;
}
