/**
 * PodMonitors of one cluster, in the chart's `prometheus.additionalPodMonitors` format: the chart creates them
 * in the release namespace with its `release` label, which its Prometheus selects (see chartValues.ts).
 * Every series gets the labels network, cluster, node and role, whatever the target's pod is called.
 */
import type { NetworkConfig } from "../config/schema";
import type { ClusterPlan } from "../plan/types";
import { networkSelector, roleSelector } from "../quorum/manifests/labels";
import { PORT_NAMES } from "../quorum/manifests/names";
import { JOBS, SCRAPE_INTERVAL_SECONDS } from "./names";

export interface Relabeling {
  readonly sourceLabels?: readonly string[];
  readonly targetLabel: string;
  readonly replacement?: string;
}

export interface PodMetricsEndpoint {
  readonly port: string;
  readonly path: string;
  readonly interval: string;
  readonly relabelings: readonly Relabeling[];
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

function endpoint(network: NetworkConfig, cluster: ClusterPlan, port: string, path: string, job: string) {
  return {
    port,
    path,
    interval: `${SCRAPE_INTERVAL_SECONDS}s`,
    relabelings: [
      { targetLabel: "job", replacement: job },
      { targetLabel: "network", replacement: network.name },
      { targetLabel: "cluster", replacement: cluster.name },
      { sourceLabels: [podLabelMeta("app.kubernetes.io/instance")], targetLabel: "node" },
      { sourceLabels: [podLabelMeta("app.kubernetes.io/component")], targetLabel: "role" },
    ],
  } satisfies PodMetricsEndpoint;
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
        ...(scrapeTesseraP2p
          ? [endpoint(network, cluster, PORT_NAMES.tesseraP2p, TESSERA_METRICS_PATH, JOBS.tesseraP2p)]
          : []),
      ],
    });
  }
  return monitors;
}
