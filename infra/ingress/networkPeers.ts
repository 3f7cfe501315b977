/**
 * Who the gateway is, for the NetworkPolicies of the GoQuorum namespace: the Envoy proxy pods Envoy Gateway
 * runs (in its own namespace) for the Gateways of this network's ingress namespace.
 */
import type { INetworkPolicyPeer } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer";
import type { RouteKind } from "../config/ingress";
import type { IngressPlan } from "../plan/ingressTypes";
import { ENVOY_GATEWAY } from "./names";

/** Labels Envoy Gateway puts on the proxy pods of the Gateways of `ingressNamespace`. */
export const envoyProxyPodLabels = (ingressNamespace: string): Record<string, string> => ({
  "app.kubernetes.io/name": "envoy",
  "app.kubernetes.io/component": "proxy",
  "app.kubernetes.io/managed-by": "envoy-gateway",
  "gateway.envoyproxy.io/owning-gateway-namespace": ingressNamespace,
});

function gatewayPeer(ingressNamespace: string): INetworkPolicyPeer {
  return {
    namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ENVOY_GATEWAY.namespace } },
    podSelector: { matchLabels: envoyProxyPodLabels(ingressNamespace) },
  };
}

/** The gateway as an extra source of a port, for each kind of route that reaches the GoQuorum pods. */
interface RoutedSources {
  readonly rpc: readonly INetworkPolicyPeer[];
  readonly tesseraThirdParty: readonly INetworkPolicyPeer[];
}

export function routedSources(ingress: IngressPlan | undefined): RoutedSources {
  const has = (kind: RouteKind) => Boolean(ingress?.routes.some((r) => r.kind === kind));
  const peer = ingress ? [gatewayPeer(ingress.namespace)] : [];
  return {
    rpc: has("rpc") ? peer : [],
    tesseraThirdParty: has("tessera-third-party") ? peer : [],
  };
}
