/**
 * Facts about Envoy Gateway and the Gateway API that the ingress layer relies on, each with its upstream
 * source. Facts only: this module imports nothing from the project, so every pure layer may read it.
 */

/** One minor line of Envoy Gateway, as its compatibility matrix lists it. */
export interface EnvoyGatewayLine {
  /** The Gateway API bundle the line is built and tested with; its chart installs these CRDs. */
  readonly gatewayApi: string;
  /** The Kubernetes minors the line supports. */
  readonly kubernetesMinors: readonly string[];
  /** The last day of support (ISO date): from this day on the line gets no fixes, security ones included. */
  readonly endOfLife: string;
}

/**
 * Envoy Gateway's support calendar, by minor line. Source: envoyproxy/gateway
 * `site/content/en/news/releases/matrix.md` ("Compatibility Matrix", the same table as
 * gateway.envoyproxy.io/news/releases/matrix; read on 2026-12-06 at commit d32f2829 of 2026-08-21, whose newest
 * line is v1.9, and no v1.10 on the Go module proxy that day). A line is supported for six months after its
 * `.0` (v1.9.0 of 2026-08-14, `release-notes/v1.9.0.yaml`, ends 2027-02-14); the end-of-life day is the first
 * day without support.
 */
export const ENVOY_GATEWAY_LINES: Readonly<Record<string, EnvoyGatewayLine>> = {
  "v1.8": {
    gatewayApi: "v1.5.1",
    kubernetesMinors: ["1.32", "1.33", "1.34", "1.35"],
    endOfLife: "2026-11-08",
  },
  "v1.9": {
    gatewayApi: "v1.6.1",
    kubernetesMinors: ["1.33", "1.34", "1.35", "1.36"],
    endOfLife: "2027-02-14",
  },
};

/**
 * The Envoy Gateway release the program installs (chart and CRDs). v1.9.1 (2026-08-28) is the newest release
 * the Go module proxy serves for github.com/envoyproxy/gateway, and carries security fixes over v1.9.0
 * (`release-notes/v1.9.1.yaml`); v1.8.3, the previous pin, reached end of life on 2026-11-08.
 */
export const ENVOY_GATEWAY_VERSION = "v1.9.1";

/** The day ENVOY_GATEWAY_LINES was read; a plan without a date of its own is made on it. */
export const ENVOY_GATEWAY_CALENDAR_READ = "2026-12-06";

/** The minor line of a release tag: `v1.9.1` → `v1.9`. */
export const envoyGatewayLine = (version: string): string => version.split(".").slice(0, 2).join(".");

/** The calendar entry of a release; a release whose line the calendar lacks is a defect of this module. */
export function lineOf(version: string): EnvoyGatewayLine {
  const line = ENVOY_GATEWAY_LINES[envoyGatewayLine(version)];
  if (!line) throw new Error(`Envoy Gateway ${version}: its line is not in ENVOY_GATEWAY_LINES`);
  return line;
}

/** The line of the pinned release. */
export const pinnedLine = (): EnvoyGatewayLine => lineOf(ENVOY_GATEWAY_VERSION);

/**
 * The Gateway API CRD channel Envoy Gateway's chart installs: `experimental` (the bundle in
 * `charts/gateway-helm/charts/crds/crds/gatewayapi-crds.yaml` carries `gateway.networking.k8s.io/channel:
 * experimental` in v1.8.3 and v1.9.1). The program keeps it, so upgrading the CRDs drops no CRD (TCPRoute,
 * UDPRoute, ...) and no field a running cluster stores.
 */
export const GATEWAY_API_CHANNEL = "experimental";

/**
 * Envoy Gateway v1.8.3 and v1.9.1 take at most 16 local rate-limit rules per BackendTrafficPolicy
 * (envoyproxy/gateway `api/v1alpha1/ratelimit_types.go`, `LocalRateLimit.Rules`
 * `+kubebuilder:validation:MaxItems=16`, unchanged in v1.9.1).
 */
export const MAX_LOCAL_RATE_LIMIT_RULES = 16;
