/** Planner checks of `network.monitoring`: a central cluster that exists, receivers named once, alerts that reach someone. */
import type { ConfigIssue } from "../config/issue";
import { heartbeatSecretKey, type StackConfig } from "../config/schema";
import { error, warning } from "./issues";

export function monitoringIssues(config: StackConfig): ConfigIssue[] {
  const monitoring = config.network.monitoring;
  if (!monitoring.enabled) return [];
  const issues: ConfigIssue[] = [];
  const names = config.clusters.map((c) => c.name);
  if (monitoring.centralCluster !== undefined && !names.includes(monitoring.centralCluster)) {
    issues.push(
      error(
        "network.monitoring.centralCluster",
        `names cluster "${monitoring.centralCluster}", which is not in clusters (${names.join(", ")})`,
      ),
    );
  }
  const seen = new Set<string>();
  const heartbeats = new Set(config.clusters.map((c) => heartbeatSecretKey(c.name)));
  monitoring.receivers.forEach((r, i) => {
    if (seen.has(r.name)) {
      issues.push(
        error(`network.monitoring.receivers[${i}].name`, `receiver name "${r.name}" is used twice`),
      );
    }
    if (heartbeats.has(r.name)) {
      issues.push(
        error(
          `network.monitoring.receivers[${i}].name`,
          `"${r.name}" is the name of a cluster's heartbeat receiver and of its secret (network.monitoring.heartbeat): rename the receiver`,
        ),
      );
    }
    seen.add(r.name);
  });
  return issues;
}

/** The cluster that runs Grafana and federates the others: `network.monitoring.centralCluster`, else the first. */
export function centralClusterName(
  monitoring: Pick<StackConfig["network"]["monitoring"], "centralCluster">,
  clusters: readonly { readonly name: string }[],
): string {
  const name = monitoring.centralCluster ?? clusters[0]?.name;
  if (!name) throw new Error("the network has no cluster");
  return name;
}

/** A `grafana` route publishes the central cluster's Grafana: refused where no Grafana runs. */
export function grafanaRouteIssues(config: StackConfig): ConfigIssue[] {
  const monitoring = config.network.monitoring;
  const central = config.clusters.length > 0 ? centralClusterName(monitoring, config.clusters) : undefined;
  return config.clusters.flatMap((cluster, i) =>
    cluster.ingress.routes.flatMap((route, j) => {
      if (route.kind !== "grafana") return [];
      const at = `clusters[${i}].ingress.routes[${j}].kind`;
      if (!monitoring.enabled) {
        return [error(at, "network.monitoring.enabled is false: no Grafana runs to publish")];
      }
      if (cluster.name !== central) {
        return [
          error(
            at,
            `Grafana runs only in the central cluster ${central} (network.monitoring.centralCluster): publish it there`,
          ),
        ];
      }
      return [];
    }),
  );
}

/**
 * Alerts that reach nobody, or a pipeline whose death nobody notices: a warning of the stack's plan (`npm run
 * plan`, `pulumi up`), given only when the config has no errors, which matter first.
 */
export function monitoringWarnings(config: StackConfig): ConfigIssue[] {
  const monitoring = config.network.monitoring;
  if (!monitoring.enabled) return [];
  if (monitoring.receivers.length === 0) {
    return [
      warning(
        "network.monitoring.receivers",
        "no alert receiver is configured: alerts fire in Prometheus and Alertmanager but notify nobody (add a webhook, Slack, email or PagerDuty receiver)",
      ),
    ];
  }
  if (monitoring.heartbeat) return [];
  return [
    warning(
      "network.monitoring.heartbeat",
      "no dead man's switch: if a cluster's Prometheus or Alertmanager stops (in the central cluster: every network-wide alert), nobody is told; set a heartbeat (README, runbook: Watchdog)",
    ),
  ];
}
