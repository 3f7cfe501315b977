/**
 * One view across clusters: the central cluster's Prometheus federates the GoQuorum and Tessera series of
 * every other cluster through that cluster's monitoring endpoint (an internal load balancer on an address the
 * planner reserved), and its Grafana also queries each cluster's Prometheus directly for the Kubernetes
 * metrics that stay local (CPU, memory, volumes).
 */
import type { IService } from "kubernetes-models/v1/Service";
import type { NetworkConfig } from "../config/schema";
import { centralClusterName as centralCluster } from "../plan/monitoring";
import type { ClusterPlan, EndpointPlacement, NetworkPlan } from "../plan/types";
import { clusterLabels } from "../quorum/manifests/labels";
import type { Named } from "../quorum/manifests/objects";
import { FULLNAME, JOBS, PROMETHEUS_PORT } from "./names";

export const centralClusterName = (network: NetworkConfig, plan: NetworkPlan): string =>
  centralCluster(network.monitoring, plan.clusters);

export interface RemotePrometheus {
  readonly cluster: string;
  /** `<endpoint ip>:9090` */
  readonly address: string;
}

/** Prometheus of every other cluster that the central one can reach (clusters with a monitoring endpoint). */
export function remotePrometheuses(central: string, plan: NetworkPlan): RemotePrometheus[] {
  return plan.clusters
    .filter((c) => c.name !== central && c.monitoringEndpointIp !== undefined)
    .map((c) => ({ cluster: c.name, address: `${c.monitoringEndpointIp}:${PROMETHEUS_PORT}` }));
}

/**
 * Source ranges allowed to the monitoring endpoint of `cluster`: the ranges the central cluster routes to
 * it (its VPC/VNet range, and its pod range where pods are routable; `connectivity.routedRanges`).
 */
export function monitoringEndpointSourceRanges(
  cluster: Pick<ClusterPlan, "name">,
  central: string,
  plan: Pick<NetworkPlan, "connectivity">,
): string[] {
  return cluster.name === central ? [] : [...(plan.connectivity.routedRanges[central] ?? [])];
}

/**
 * A path the central cluster's Prometheus (federation) and Grafana (its data sources) take to another
 * cluster's monitoring endpoint. Every firewall rule of these paths derives from this list, so the rules
 * admit exactly what the scrape targets need, in whichever cloud the central cluster runs.
 */
export interface MonitoringPath {
  /** The central cluster. */
  readonly from: string;
  readonly to: string;
  /** The remote cluster's monitoring endpoint (its internal load balancer's reserved address). */
  readonly endpointIp: string;
  readonly port: number;
  /** What the central cluster's pods come from, as the endpoint's load balancer admits it. */
  readonly sourceRanges: readonly string[];
}

export function monitoringPaths(
  network: Pick<NetworkConfig, "monitoring">,
  plan: Pick<NetworkPlan, "clusters" | "connectivity">,
): MonitoringPath[] {
  if (!network.monitoring.enabled) return [];
  const central = centralCluster(network.monitoring, plan.clusters);
  return plan.clusters.flatMap((cluster) =>
    cluster.name === central || cluster.monitoringEndpointIp === undefined
      ? []
      : [
          {
            from: central,
            to: cluster.name,
            endpointIp: cluster.monitoringEndpointIp,
            port: PROMETHEUS_PORT,
            sourceRanges: monitoringEndpointSourceRanges(cluster, central, plan),
          },
        ],
  );
}

/** The series the central Prometheus pulls from each remote one: everything of this network's jobs. */
export function federationMatch(network: NetworkConfig): string {
  const jobs = Object.values(JOBS).join("|");
  return `{job=~${JSON.stringify(jobs)},network=${JSON.stringify(network.name)}}`;
}

/** Scrape job of the central Prometheus that federates `cluster`. */
export const federationJobName = (cluster: string): string => `federate-${cluster}`;

/** `additionalScrapeConfigs` of the central Prometheus (Prometheus' own snake_case configuration). */
export function federationScrapeConfigs(network: NetworkConfig, remotes: readonly RemotePrometheus[]) {
  return remotes.map((r) => ({
    job_name: federationJobName(r.cluster),
    honor_labels: true,
    metrics_path: "/federate",
    params: { "match[]": [federationMatch(network)] },
    scrape_interval: "30s",
    static_configs: [{ targets: [r.address], labels: { federated_from: r.cluster } }],
  }));
}

/** Pods of the chart's Prometheus (the selector of the chart's own Prometheus Service). */
export const PROMETHEUS_POD_SELECTOR = {
  "app.kubernetes.io/name": "prometheus",
  "operator.prometheus.io/name": `${FULLNAME}-prometheus`,
} as const;

/**
 * The monitoring endpoint placed like a node, for the cluster target's load balancer annotations (which need
 * a zone and an address): the first endpoints subnet's zone and the reserved address.
 */
export function monitoringEndpointPlacement(cluster: ClusterPlan): EndpointPlacement | undefined {
  const subnet = cluster.subnets.find((s) => s.purpose === "endpoints");
  if (!subnet || cluster.monitoringEndpointIp === undefined) return undefined;
  return {
    name: `${cluster.name}-prometheus`,
    ...(subnet.zone === undefined ? {} : { zone: subnet.zone }),
    endpointIp: cluster.monitoringEndpointIp,
  };
}

/** The ports of the federation endpoint: Prometheus' web port only. */
export const FEDERATION_PORTS = [
  { name: "web", port: PROMETHEUS_PORT, targetPort: PROMETHEUS_PORT, protocol: "TCP" },
] as const;

/** The internal load balancer in front of a non-central cluster's Prometheus (annotations added by the target). */
export function federationService(
  network: NetworkConfig,
  cluster: ClusterPlan,
  plan: NetworkPlan,
): Named<IService> | undefined {
  const central = centralClusterName(network, plan);
  if (cluster.name === central || cluster.monitoringEndpointIp === undefined) return undefined;
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: {
      name: "prometheus-federation",
      namespace: network.workloads.monitoringNamespace,
      labels: clusterLabels(network.name, cluster.name),
    },
    spec: {
      type: "LoadBalancer",
      loadBalancerSourceRanges: monitoringEndpointSourceRanges(cluster, central, plan),
      selector: { ...PROMETHEUS_POD_SELECTOR },
      ports: [...FEDERATION_PORTS],
    },
  };
}
