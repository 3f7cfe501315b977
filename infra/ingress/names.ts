/** Pinned releases, namespaces and object names of the ingress layer, defined once. */
import type { Exposure } from "../config/ingress";
import type { PublishedRoute } from "../plan/ingressTypes";
import { ENVOY_GATEWAY_VERSION, pinnedLine } from "./behaviour";

/**
 * Envoy Gateway: one Gateway API implementation on every provider (kind, EKS, AKS), at ENVOY_GATEWAY_VERSION
 * (infra/ingress/behaviour.ts: why that release, and its line's support calendar). The controller's release
 * installs no CRD (`skipCrds`): they come from ENVOY_GATEWAY_CRDS, applied before it.
 */
export const ENVOY_GATEWAY = {
  releaseName: "envoy-gateway",
  chart: "oci://docker.io/envoyproxy/gateway-helm",
  version: ENVOY_GATEWAY_VERSION,
  /** The Kubernetes minors this release supports (its line's, in the compatibility matrix). */
  kubernetesMinors: pinnedLine().kubernetesMinors,
  namespace: "envoy-gateway-system",
  controllerName: "gateway.envoyproxy.io/gatewayclass-controller",
} as const;

/**
 * The Gateway API (bundle v1.6.1) and Envoy Gateway CRDs of the same release, as templates of upstream's
 * `gateway-crds-helm` chart. `gateway-helm` ships them in a `crds/` folder, which Helm installs once and never
 * upgrades ("There is no support at this time for upgrading or deleting CRDs using Helm", Helm docs, "Custom
 * Resource Definitions" best practices), so a changed `ENVOY_GATEWAY.version` alone would leave a deployed
 * cluster on the old CRDs. The program renders this chart and applies every object itself, server-side (as
 * upstream installs it: `helm template ... | kubectl apply --server-side`, `charts/gateway-crds-helm/
 * README.md`; not a Helm release, whose Secret these CRDs outgrow, helm/helm#12277), so a new version
 * here upgrades them on the next `pulumi up`, before the controller.
 */
export const ENVOY_GATEWAY_CRDS = {
  chart: "oci://docker.io/envoyproxy/gateway-crds-helm",
  version: ENVOY_GATEWAY.version,
} as const;

/** cert-manager, with its CRDs installed (and kept on uninstall) by the chart. */
export const CERT_MANAGER = {
  releaseName: "cert-manager",
  chart: "cert-manager",
  repository: "https://charts.jetstack.io",
  version: "v1.21.1",
  namespace: "cert-manager",
  serviceAccount: "cert-manager",
} as const;

/** The ports of every Gateway's listeners (and so of its load balancer): HTTPS, and HTTP that only redirects. */
export const GATEWAY_PORTS = { http: 80, https: 443 } as const;

export const GATEWAY_API_GROUP = "gateway.networking.k8s.io";
export const ENVOY_GROUP = "gateway.envoyproxy.io";
export const CERT_MANAGER_GROUP = "cert-manager.io";

/**
 * Request header naming the authenticated client (API key client name or the JWT client claim), set by the
 * gateway after authentication and used by the rate limits; a client-sent copy is removed first.
 */
export const CLIENT_HEADER = "x-goquorum-client";
/** Header carrying an API key. */
export const API_KEY_HEADER = "x-api-key";

export const gatewayClassName = (networkName: string): string => `goquorum-${networkName}`;
/** One Gateway (and load balancer) per exposure that has routes. */
export const gatewayName = (networkName: string, exposure: Exposure): string => `${networkName}-${exposure}`;
export const httpsListenerName = (route: Pick<PublishedRoute, "name">): string => `https-${route.name}`;
export const HTTP_LISTENER = "http";
export const routeObjectName = (route: Pick<PublishedRoute, "name">): string => `ingress-${route.name}`;
export const certificateSecretName = (route: Pick<PublishedRoute, "name">): string =>
  `ingress-${route.name}-tls`;
export const apiKeysSecretName = (route: Pick<PublishedRoute, "name">): string =>
  `ingress-${route.name}-api-keys`;
export const clusterIssuerName = (networkName: string): string => `${networkName}-ingress`;
/** The CA key pair of `tls.source: ca`, in cert-manager's namespace (where a ClusterIssuer reads it). */
export const caSecretName = (networkName: string): string => `${networkName}-ingress-ca`;
/** Grafana's OIDC client secret, as the env var Grafana reads, in the monitoring namespace. */
export const GRAFANA_OIDC_SECRET = "grafana-oidc";
export const GRAFANA_CLIENT_SECRET_ENV = "GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET";
