/** What kube-prometheus-stack 88.x does with its values, as the tests model it (read from the chart's templates). */

type Selector = { matchLabels?: Record<string, string> };

/**
 * The selector the chart's Prometheus ends up with for PodMonitors or PrometheusRules, as
 * templates/prometheus/prometheus.yaml computes it: an explicit selector, else `release: <name>` when
 * `<kind>SelectorNilUsesHelmValues` (default true), else everything.
 */
export function effectiveSelector(
  prometheusSpec: Readonly<Record<string, unknown>>,
  kind: "podMonitor" | "rule",
  releaseName: string,
): Record<string, string> {
  const explicit = prometheusSpec[`${kind}Selector`] as Selector | undefined;
  if (explicit && Object.keys(explicit).length > 0) return explicit.matchLabels ?? {};
  if ((prometheusSpec[`${kind}SelectorNilUsesHelmValues`] as boolean | undefined) ?? true)
    return { release: releaseName };
  return {};
}

/** Labels the chart puts on the PodMonitors and PrometheusRules it creates from values (kube-prometheus-stack.labels). */
export function chartObjectLabels(releaseName: string): Record<string, string> {
  return {
    release: releaseName,
    "app.kubernetes.io/instance": releaseName,
    "app.kubernetes.io/managed-by": "Helm",
  };
}

/**
 * Labels of a PodMonitor the chart creates from `prometheus.additionalPodMonitors[]`
 * (templates/prometheus/additionalPodMonitors.yaml): the chart's own labels, then the entry's
 * `additionalLabels`, which may override them.
 */
export function podMonitorLabels(monitor: object, releaseName: string): Record<string, string> {
  const { additionalLabels } = monitor as { additionalLabels?: Record<string, string> };
  return { ...chartObjectLabels(releaseName), ...(additionalLabels ?? {}) };
}
