/**
 * Every object of a cluster's ingress, from its plan: pure, so each is tested (and validated against its
 * CRD) without a cluster. Secrets are built separately (`apiKeysSecret`, `suppliedCertificateSecret`,
 * `caSecret`, `grafanaOidcSecret`) because their values are Pulumi secrets.
 */

import type { IService } from "kubernetes-models/v1/Service";
import type { Named } from "../quorum/manifests/objects";
import { type AzureDnsSolverIdentity, certificate, clusterIssuer } from "./certificates";
import {
  clientTrafficPolicy,
  envoyProxy,
  exposuresInUse,
  gateway,
  gatewayClass,
  httpsRedirect,
} from "./gateway";
import type { IngressInput } from "./input";
import type { CustomObject } from "./objects";
import { backendTrafficPolicy, securityPolicy } from "./policies";
import { httpRoute, routeService } from "./routes";

export { caSecret, suppliedCertificateSecret } from "./certificates";
export { grafanaOidcSecret, grafanaOidcValues, kubePrometheusGrafana } from "./grafana";
export { certManagerValues, envoyGatewayCrdsValues, envoyGatewayValues } from "./helmValues";
export type { GrafanaBackend, IngressInput } from "./input";
export { CERT_MANAGER, ENVOY_GATEWAY, ENVOY_GATEWAY_CRDS } from "./names";
export { routedSources } from "./networkPeers";
export type { CustomObject } from "./objects";
export { apiKeysSecret } from "./policies";

export interface IngressManifests {
  /** Cluster-scoped: the GatewayClass and the ClusterIssuer. */
  readonly clusterScoped: CustomObject[];
  /** Gateways, their EnvoyProxy and ClientTrafficPolicy, and the HTTP redirect routes. */
  readonly gateways: CustomObject[];
  /** Per route: HTTPRoute, SecurityPolicy, BackendTrafficPolicy. */
  readonly routes: CustomObject[];
  /** Per route to GoQuorum nodes: the Service of its ready backends, in the nodes' namespace. */
  readonly routeServices: Named<IService>[];
  /** cert-manager Certificates (none for supplied certificates). */
  readonly certificates: CustomObject[];
}

export function ingressManifests<T = string>(
  input: IngressInput,
  azure?: AzureDnsSolverIdentity<T>,
): IngressManifests {
  const exposures = exposuresInUse(input);
  const issuer = clusterIssuer(input, azure);
  const present = <X>(x: X | undefined): x is X => x !== undefined;
  return {
    clusterScoped: [gatewayClass(input), ...(issuer ? [issuer] : [])],
    gateways: exposures.flatMap((e) => [
      envoyProxy(input, e),
      gateway(input, e),
      clientTrafficPolicy(input, e),
      httpsRedirect(input, e),
    ]),
    routes: input.ingress.routes.flatMap((route) =>
      [httpRoute(input, route), securityPolicy(input, route), backendTrafficPolicy(input, route)].filter(
        present,
      ),
    ),
    routeServices: input.ingress.routes.map((route) => routeService(input, route)).filter(present),
    certificates:
      input.ingress.tls.source === "secret" ? [] : input.ingress.routes.map((r) => certificate(input, r)),
  };
}
