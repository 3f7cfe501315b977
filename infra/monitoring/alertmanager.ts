/** Alertmanager's configuration from `network.monitoring.receivers` and their credentials (secret). */
import { type AlertReceiverConfig, heartbeatSecretKey, type MonitoringConfig } from "../config/schema";

/** Receiver that drops alerts; the route's default when no receiver is configured. */
export const NULL_RECEIVER = "null";

/**
 * The chart's always-firing alert (kube-prometheus-stack default rules, group `general.rules`), meant to
 * prove the whole alerting pipeline works: an outside service must complain when it stops arriving
 * (runbooks.prometheus-operator.dev, "Watchdog").
 */
export const WATCHDOG = "Watchdog";
/** Alerts of the chart's default rules that fire by design. */
export const SILENT_ALERTS = [WATCHDOG, "InfoInhibitor"] as const;

/**
 * Alertmanager flushes a group every `group_interval` and re-sends a still-firing alert at the first flush
 * after `repeat_interval` (prometheus/alertmanager docs, "Configuration", route; a repeat shorter than the
 * group interval repeats once per group interval: grafana/grafana#69413). The heartbeat route flushes every
 * minute, so the ping period is `repeatInterval`, in whole minutes.
 */
const HEARTBEAT_GROUP_INTERVAL = "1m";

/** `alertmanager.yaml` of cluster `cluster`, with each receiver's credential from `credentials` (by name). */
export function alertmanagerConfig(
  monitoring: Pick<MonitoringConfig, "receivers" | "heartbeat">,
  cluster: string,
  credentials: Readonly<Record<string, string>>,
): Record<string, unknown> {
  const receivers = monitoring.receivers.map((r) => receiver(r, credentialOf(r, credentials)));
  const heartbeat = monitoring.heartbeat && {
    name: heartbeatSecretKey(cluster),
    repeatInterval: monitoring.heartbeat.repeatInterval,
  };
  const silenced = heartbeat ? SILENT_ALERTS.filter((a) => a !== WATCHDOG) : SILENT_ALERTS;
  return {
    route: {
      // Reached only when no receiver is configured: every receiver's route below matches every alert.
      receiver: NULL_RECEIVER,
      group_by: ["alertname", "network", "cluster"],
      group_wait: "30s",
      group_interval: "5m",
      repeat_interval: "4h",
      routes: [
        // Watchdog, always firing, to this cluster's heartbeat and nowhere else: when the pings stop, this
        // cluster's Prometheus or Alertmanager (in the central cluster: the network-wide alerts) is down.
        ...(heartbeat
          ? [
              {
                receiver: heartbeat.name,
                matchers: [`alertname="${WATCHDOG}"`],
                group_wait: "0s",
                group_interval: HEARTBEAT_GROUP_INTERVAL,
                repeat_interval: heartbeat.repeatInterval,
              },
            ]
          : []),
        // The chart's inhibition helper (and, without a heartbeat, Watchdog) notify nobody.
        { receiver: NULL_RECEIVER, matchers: [`alertname=~"${silenced.join("|")}"`] },
        ...monitoring.receivers.map((r) => ({ receiver: r.name, continue: true })),
      ],
    },
    receivers: [
      { name: NULL_RECEIVER },
      ...(heartbeat ? [heartbeatReceiver(heartbeat.name, credentials)] : []),
      ...receivers,
    ],
  };
}

/**
 * A webhook to the heartbeat URL. No resolved notifications: a "resolved" POST when Watchdog stops would
 * count as a ping at the very moment the pipeline fails.
 */
function heartbeatReceiver(name: string, credentials: Readonly<Record<string, string>>) {
  const url = credentials[name];
  if (!url) {
    throw new Error(
      `network.monitoring.heartbeat is set, but the secret config alertingSecrets.${name} is not ` +
        `(pulumi config set --secret --path 'alertingSecrets.${name}' <heartbeat URL>)`,
    );
  }
  // Never echo the value: it is a secret.
  if (!/^https?:\/\//.test(url))
    throw new Error(`alertingSecrets.${name} must be an http(s) URL (the heartbeat URL)`);
  return { name, webhook_configs: [{ url, send_resolved: false }] };
}

function credentialOf(r: AlertReceiverConfig, credentials: Readonly<Record<string, string>>): string {
  const value = credentials[r.name];
  if (!value) {
    throw new Error(
      `network.monitoring.receivers names ${r.name}, but the secret config alertingSecrets.${r.name} is not set ` +
        `(pulumi config set --secret --path 'alertingSecrets.${r.name}' <value>)`,
    );
  }
  if ((r.type === "webhook" || r.type === "slack") && !/^https?:\/\//.test(value)) {
    // Never echo the value: it is a secret.
    throw new Error(`alertingSecrets.${r.name} must be an http(s) URL (the ${r.type} receiver's URL)`);
  }
  return value;
}

function receiver(r: AlertReceiverConfig, credential: string): Record<string, unknown> {
  switch (r.type) {
    case "webhook":
      return { name: r.name, webhook_configs: [{ url: credential, send_resolved: true }] };
    case "slack":
      return {
        name: r.name,
        slack_configs: [
          {
            api_url: credential,
            channel: r.channel,
            send_resolved: true,
            title: "{{ .CommonAnnotations.summary }}",
            text: "{{ range .Alerts }}{{ .Annotations.description }}\n{{ end }}",
          },
        ],
      };
    case "email":
      return {
        name: r.name,
        email_configs: [
          {
            to: r.to,
            from: r.from,
            smarthost: r.smarthost,
            auth_username: r.username,
            auth_password: credential,
            send_resolved: true,
          },
        ],
      };
    case "pagerduty":
      return { name: r.name, pagerduty_configs: [{ routing_key: credential, send_resolved: true }] };
  }
}
