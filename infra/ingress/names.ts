/** Pinned releases, namespaces and object names of the ingress layer, defined once. */
import type { Exposure } from "../config/ingress";
import type { PublishedRoute } from "../plan/ingressTypes";

/**
 * Envoy Gateway: one Gateway API implementation on every provider (kind, EKS, AKS). Its chart installs the
 * Gateway API CRDs it is tested with (bundle v1.5.1) and its own policy CRDs, from the chart's `crds/`
 * folder, which Helm installs with a release and never upgrades (envoyproxy/gateway v1.9.0
 * `site/content/en/latest/install/install-helm.md`, "Upgrading from the previous version"). v1.8 reached end
 * of life on 2026-11-08 (`site/content/en/news/releases/matrix.md`); moving to v1.9 needs its Gateway API v1.6
 * CRDs applied before the controller, which a changed `version` here does not do on a deployed cluster
 * (docs/deployer-path.md, "The Envoy Gateway release").
 */
export const ENVOY_GATEWAY = {
  releaseName: "envoy-gateway",
  chart: "oci://docker.io/envoyproxy/gateway-helm",
  version: "v1.8.3",
  /** The Kubernetes minors this release supports (envoyproxy/gateway `site/content/en/news/releases/matrix.md`). */
  kubernetesMinors: ["1.32", "1.33", "1.34", "1.35"],
  namespace: "envoy-gateway-system",
  controllerName: "gateway.envoyproxy.io/gatewayclass-controller",
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
