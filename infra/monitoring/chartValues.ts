/**
 * Helm values of kube-prometheus-stack for one cluster. Prometheus loads the PodMonitors and rules of this
 * release: with `*SelectorNilUsesHelmValues: true` and no explicit selector, the chart's templates select
 * `release: <release name>`, the label the chart puts on everything it creates, `additionalPodMonitors` and
 * `additionalPrometheusRulesMap` included (templates/prometheus/prometheus.yaml, podmonitors.yaml).
 */
import type { NetworkConfig } from "../config/schema";
import { grafanaOidcValues } from "../ingress/grafana";
import type { ClusterPlan, NetworkPlan } from "../plan/types";
import { podMonitors } from "./monitors";
import { ALERTMANAGER_CONFIG_SECRET, DASHBOARD_LABEL, FULLNAME, GRAFANA_ADMIN_SECRET } from "./names";
import { clusterRuleGroups, networkRuleGroups, recordingRuleGroups, scrapesTesseraP2p } from "./rules";
import { thresholds } from "./thresholds";
import { centralClusterName, federationScrapeConfigs, remotePrometheuses } from "./topology";

export const GRAFANA_ADMIN_USER = "admin";
/** The PrometheusRule (a key of `additionalPrometheusRulesMap`) holding the recording rules. */
export const RECORDS_RULE = "goquorum-records";
export const GRAFANA_SECRET_KEYS = { user: "admin-user", password: "admin-password" } as const;

export interface ChartValuesInput {
  readonly network: NetworkConfig;
  readonly plan: NetworkPlan;
  readonly cluster: ClusterPlan;
  /** StorageClass of the monitoring volumes; the cluster default when absent. */
  readonly storageClass?: string;
}

const volumeClaim = (size: string, storageClass: string | undefined) => ({
  ...(storageClass ? { storageClassName: storageClass } : {}),
  accessModes: ["ReadWriteOnce"],
  resources: { requests: { storage: size } },
});

export function isCentral(network: NetworkConfig, plan: NetworkPlan, cluster: ClusterPlan): boolean {
  return centralClusterName(network, plan) === cluster.name;
}

/** With strict Tessera TLS and monitoring, the P2P scrapes need Prometheus' client certificate (monitors.ts). */
export function networkNeedsTesseraClientCertificate(network: NetworkConfig, plan: NetworkPlan): boolean {
  return (
    network.monitoring.enabled &&
    network.workloads.tessera.tls === "strict" &&
    scrapesTesseraP2p(thresholds(network, plan))
  );
}

/** Whether this cluster's Prometheus scrapes a member's P2P port with the client certificate. */
export function needsTesseraClientCertificate(
  network: NetworkConfig,
  plan: NetworkPlan,
  cluster: ClusterPlan,
): boolean {
  return (
    networkNeedsTesseraClientCertificate(network, plan) &&
    cluster.nodes.some((node) => node.role === "member")
  );
}

/** Alertmanager's volume (silences and the notification log). */
export const ALERTMANAGER_VOLUME = "2Gi";

export function chartValues({ network, plan, cluster, storageClass }: ChartValuesInput) {
  const monitoring = network.monitoring;
  const central = isCentral(network, plan, cluster);
  const remotes = central ? remotePrometheuses(cluster.name, plan) : [];
  const groups = [
    ...clusterRuleGroups(network, plan, cluster),
    ...(central ? networkRuleGroups(network, plan) : []),
  ];
  return {
    fullnameOverride: FULLNAME,
    crds: { enabled: true },
    defaultRules: { create: true },
    // Managed control planes (EKS, AKS) and kind do not expose these to pods; their default rules would
    // fire forever. The program watches the nodes and workloads it runs, not control planes it does not run.
    kubeControllerManager: { enabled: false },
    kubeScheduler: { enabled: false },
    kubeEtcd: { enabled: false },
    kubeProxy: { enabled: false },
    prometheus: {
      service: { type: "ClusterIP" },
      additionalPodMonitors: podMonitors(network, cluster, scrapesTesseraP2p(thresholds(network, plan))),
      prometheusSpec: {
        retention: monitoring.retention,
        // Added to alerts and to federated series: which network and cluster a series comes from.
        externalLabels: { network: network.name, cluster: cluster.name },
        serviceMonitorSelectorNilUsesHelmValues: true,
        podMonitorSelectorNilUsesHelmValues: true,
        ruleSelectorNilUsesHelmValues: true,
        storageSpec: { volumeClaimTemplate: { spec: volumeClaim(monitoring.storageSize, storageClass) } },
        additionalScrapeConfigs: federationScrapeConfigs(network, remotes),
      },
    },
    // Two PrometheusRules: the series each client's metrics are recorded as, and the alerts that read them.
    additionalPrometheusRulesMap: {
      [RECORDS_RULE]: { groups: recordingRuleGroups(network, cluster) },
      goquorum: { groups },
    },
    alertmanager: {
      service: { type: "ClusterIP" },
      alertmanagerSpec: {
        // The configuration holds receiver credentials: a Secret of this program, never Helm values.
        useExistingSecret: true,
        configSecret: ALERTMANAGER_CONFIG_SECRET,
        storage: { volumeClaimTemplate: { spec: volumeClaim(ALERTMANAGER_VOLUME, storageClass) } },
      },
    },
    grafana: central
      ? mergeValues(
          {
            enabled: true,
            admin: {
              existingSecret: GRAFANA_ADMIN_SECRET,
              userKey: GRAFANA_SECRET_KEYS.user,
              passwordKey: GRAFANA_SECRET_KEYS.password,
            },
            service: { type: "ClusterIP" },
            // The volume is ReadWriteOnce: the old pod must let go of it before the new one starts.
            deploymentStrategy: { type: "Recreate" },
            persistence: {
              enabled: true,
              size: monitoring.grafanaStorageSize,
              ...(storageClass ? { storageClassName: storageClass } : {}),
            },
            sidecar: {
              dashboards: {
                enabled: true,
                label: Object.keys(DASHBOARD_LABEL)[0],
                labelValue: Object.values(DASHBOARD_LABEL)[0],
                searchNamespace: network.workloads.monitoringNamespace,
              },
            },
            additionalDataSources: remotes.map((r) => ({
              name: `Prometheus ${r.cluster}`,
              uid: `prometheus-${r.cluster}`,
              type: "prometheus",
              access: "proxy",
              url: `http://${r.address}`,
            })),
          },
          grafanaLogin(cluster),
        )
      : { enabled: false },
  };
}

export type ChartValues = ReturnType<typeof chartValues>;

/** Grafana's OIDC login when the cluster publishes it (a `grafana` route); nothing otherwise. */
function grafanaLogin(cluster: ClusterPlan): Record<string, unknown> {
  const route = cluster.ingress?.routes.find((r) => r.kind === "grafana");
  const oidc = cluster.ingress?.grafanaOidc;
  return route && oidc ? grafanaOidcValues(route.hostname, oidc).grafana : {};
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * `base` with `extra` merged in, objects key by key (as Helm merges values); `extra` wins elsewhere. Typed
 * as `base`: `extra` adds settings the program does not read back.
 */
export function mergeValues<T extends Record<string, unknown>>(base: T, extra: Record<string, unknown>): T {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const current = merged[key];
    merged[key] = isPlainObject(current) && isPlainObject(value) ? mergeValues(current, value) : value;
  }
  return merged as T;
}
