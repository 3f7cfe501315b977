/** Alertmanager's configuration from `network.monitoring.receivers` and their credentials (secret). */
import type { AlertReceiverConfig, MonitoringConfig } from "../config/schema";

/** Receiver that drops alerts; the route's default when no receiver is configured. */
export const NULL_RECEIVER = "null";

/** Alerts of the chart's default rules that fire by design. */
export const SILENT_ALERTS = ["Watchdog", "InfoInhibitor"] as const;

/** `alertmanager.yaml`, with each receiver's credential from `credentials` (by receiver name). */
export function alertmanagerConfig(
  monitoring: Pick<MonitoringConfig, "receivers">,
  credentials: Readonly<Record<string, string>>,
): Record<string, unknown> {
  const receivers = monitoring.receivers.map((r) => receiver(r, credentialOf(r, credentials)));
  return {
    route: {
      // Reached only when no receiver is configured: every receiver's route below matches every alert.
      receiver: NULL_RECEIVER,
      group_by: ["alertname", "network", "cluster"],
      group_wait: "30s",
      group_interval: "5m",
      repeat_interval: "4h",
      routes: [
        // The chart's always-firing heartbeat and its inhibition helper notify nobody (route Watchdog to a
        // dead man's switch yourself if you have one).
        { receiver: NULL_RECEIVER, matchers: [`alertname=~"${SILENT_ALERTS.join("|")}"`] },
        ...monitoring.receivers.map((r) => ({ receiver: r.name, continue: true })),
      ],
    },
    receivers: [{ name: NULL_RECEIVER }, ...receivers],
  };
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
