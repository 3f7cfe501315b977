/**
 * PodMonitors of one cluster, in the chart's `prometheus.additionalPodMonitors` format: the chart creates them
 * in the release namespace with its `release` label, which its Prometheus selects (see chartValues.ts).
 * Every series gets the labels network, cluster, node and role, whatever the target's pod is called, and
 * `client` (goquorum | besu): one monitor per client, since each serves its metrics at its own path.
 */
import { BESU_METRICS_PATH } from "../besu/metrics";
import { type NetworkConfig, NODE_CLIENTS, type NodeClient } from "../config/schema";
import type { ClusterPlan, NodePlan } from "../plan/types";
import { LABELS, networkSelector, roleSelector } from "../quorum/manifests/labels";
import { PORT_NAMES } from "../quorum/manifests/names";
import { nodeRunsTessera } from "../quorum/manifests/roles";
import { nodeServiceHost } from "../quorum/peers";
import {
  CLIENT_LABEL,
  JOBS,
  NODE_JOBS,
  SCRAPE_INTERVAL_SECONDS,
  TESSERA_CLIENT_TLS_SECRET,
  TLS_SECRET_KEYS,
} from "./names";

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

/** A Kubernetes label selector requirement (`matchExpressions` entry). */
export interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
  readonly values?: readonly string[];
}

export interface PodMonitorValues {
  readonly name: string;
  readonly namespaceSelector: { readonly matchNames: readonly string[] };
  readonly selector: {
    readonly matchLabels: Readonly<Record<string, string>>;
    readonly matchExpressions?: readonly LabelSelectorRequirement[];
  };
  readonly podMetricsEndpoints: readonly PodMetricsEndpoint[];
}

/** Metrics path of geth's standalone metrics server. */
export const GOQUORUM_METRICS_PATH = "/debug/metrics/prometheus";
/** Each client's metrics path, on the same container port (`metrics`, 9545). */
export const NODE_METRICS_PATHS: Readonly<Record<NodeClient, string>> = {
  goquorum: GOQUORUM_METRICS_PATH,
  besu: BESU_METRICS_PATH,
};
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
  return tesseraMembers(cluster.nodes).map((node) => ({
    ...plain,
    scheme: "https",
    tlsConfig: tesseraP2pTls(nodeServiceHost(node, cluster.namespace)),
    relabelings: [
      { action: "keep", sourceLabels: [podLabelMeta(LABELS.instance)], regex: node.name },
      ...plain.relabelings,
    ],
  }));
}

/** The clients a cluster's nodes run (GoQuorum for a cluster without nodes, as before Besu). */
export function nodeClientsOf(cluster: ClusterPlan): NodeClient[] {
  const clients = NODE_CLIENTS.filter((c) => cluster.nodes.some((n) => n.client === c));
  return clients.length > 0 ? clients : ["goquorum"];
}

/** Members that run Tessera: GoQuorum's (Besu removed Tessera privacy in 25.6.0). */
export const tesseraMembers = (nodes: readonly NodePlan[]): NodePlan[] => nodes.filter(nodeRunsTessera);

/**
 * Besu pods carry the client label; GoQuorum pods deployed before it have none, so GoQuorum's monitor selects
 * every pod that is not Besu's (`podClientLabels`).
 */
function clientRequirement(client: NodeClient): LabelSelectorRequirement {
  return client === "besu"
    ? { key: LABELS.client, operator: "In", values: ["besu"] }
    : { key: LABELS.client, operator: "NotIn", values: ["besu"] };
}

/** The `client` series label, from the monitor rather than the pod: older GoQuorum pods carry no label. */
function withClient(e: PodMetricsEndpoint, client: NodeClient): PodMetricsEndpoint {
  return { ...e, relabelings: [...e.relabelings, { targetLabel: CLIENT_LABEL, replacement: client }] };
}

export function podMonitors(
  network: NetworkConfig,
  cluster: ClusterPlan,
  scrapeTesseraP2p: boolean,
): PodMonitorValues[] {
  const namespaceSelector = { matchNames: [cluster.namespace] };
  const monitors: PodMonitorValues[] = nodeClientsOf(cluster).map((client) => ({
    name: `${client}-${cluster.name}`,
    namespaceSelector,
    selector: { matchLabels: networkSelector(network.name), matchExpressions: [clientRequirement(client)] },
    podMetricsEndpoints: [
      withClient(
        endpoint(network, cluster, PORT_NAMES.metrics, NODE_METRICS_PATHS[client], NODE_JOBS[client]),
        client,
      ),
    ],
  }));
  if (tesseraMembers(cluster.nodes).length > 0) {
    monitors.push({
      name: `tessera-${cluster.name}`,
      namespaceSelector,
      selector: {
        matchLabels: roleSelector(network.name, "member"),
        matchExpressions: [clientRequirement("goquorum")],
      },
      podMetricsEndpoints: [
        // The third-party server is plain HTTP in every TLS mode: Tessera up or down.
        endpoint(network, cluster, PORT_NAMES.tesseraThirdParty, TESSERA_METRICS_PATH, JOBS.tessera),
        ...(scrapeTesseraP2p ? tesseraP2pEndpoints(network, cluster) : []),
      ],
    });
  }
  return monitors;
}
