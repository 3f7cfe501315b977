/**
 * The gateways of a cluster: one GatewayClass, and per exposure that has routes one Gateway with its own
 * load balancer (EnvoyProxy), an HTTPS listener per route, an HTTP listener that only redirects, and the
 * client traffic settings (TLS 1.2+, the client header stripped before authentication sets it).
 */
import type { Exposure } from "../config/ingress";
import { publicClientRanges } from "../plan/ingress";
import { clusterLabels } from "../quorum/manifests/labels";
import type { IngressInput } from "./input";
import {
  CLIENT_HEADER,
  certificateSecretName,
  ENVOY_GATEWAY,
  ENVOY_GROUP,
  GATEWAY_API_GROUP,
  GATEWAY_PORTS,
  gatewayClassName,
  gatewayName,
  HTTP_LISTENER,
  httpsListenerName,
} from "./names";
import { type CustomObject, ref } from "./objects";
import { routeNamespace } from "./routes";

/** Envoy proxy replicas per gateway: one may drain during a node upgrade while the other serves. */
const PROXY_REPLICAS = 2;

const EXPOSURES: readonly Exposure[] = ["internal", "public"];

/** The exposures that have at least one route, in a fixed order. */
export function exposuresInUse(input: IngressInput): Exposure[] {
  return EXPOSURES.filter((e) => input.ingress.routes.some((r) => r.exposure === e));
}

export function gatewayClass(input: IngressInput): CustomObject {
  return {
    apiVersion: `${GATEWAY_API_GROUP}/v1`,
    kind: "GatewayClass",
    metadata: { name: gatewayClassName(input.networkName), labels: labels(input) },
    spec: { controllerName: ENVOY_GATEWAY.controllerName },
  };
}

export function gateway(input: IngressInput, exposure: Exposure): CustomObject {
  const name = gatewayName(input.networkName, exposure);
  const routes = input.ingress.routes.filter((r) => r.exposure === exposure);
  return {
    apiVersion: `${GATEWAY_API_GROUP}/v1`,
    kind: "Gateway",
    metadata: { name, namespace: input.ingress.namespace, labels: labels(input) },
    spec: {
      gatewayClassName: gatewayClassName(input.networkName),
      infrastructure: { parametersRef: { group: ENVOY_GROUP, kind: "EnvoyProxy", name } },
      listeners: [
        // Plain HTTP only carries the redirect route of this namespace.
        {
          name: HTTP_LISTENER,
          protocol: "HTTP",
          port: GATEWAY_PORTS.http,
          allowedRoutes: { namespaces: { from: "Same" } },
        },
        ...routes.map((route) => ({
          name: httpsListenerName(route),
          protocol: "HTTPS",
          port: GATEWAY_PORTS.https,
          hostname: route.hostname,
          tls: {
            mode: "Terminate",
            certificateRefs: [{ group: "", kind: "Secret", name: certificateSecretName(route) }],
          },
          allowedRoutes: {
            namespaces: {
              from: "Selector",
              selector: { matchLabels: { "kubernetes.io/metadata.name": routeNamespace(input, route) } },
            },
            kinds: [{ group: GATEWAY_API_GROUP, kind: "HTTPRoute" }],
          },
        })),
      ],
    },
  };
}

/** Every HTTP request is answered with a permanent redirect to HTTPS; nothing is served over HTTP. */
export function httpsRedirect(input: IngressInput, exposure: Exposure): CustomObject {
  const name = gatewayName(input.networkName, exposure);
  return {
    apiVersion: `${GATEWAY_API_GROUP}/v1`,
    kind: "HTTPRoute",
    metadata: { name: `${name}-https-redirect`, namespace: input.ingress.namespace, labels: labels(input) },
    spec: {
      parentRefs: [{ ...ref(GATEWAY_API_GROUP, "Gateway", name), sectionName: HTTP_LISTENER }],
      rules: [
        { filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }] },
      ],
    },
  };
}

/**
 * The gateway's data plane: its load balancer Service (annotations from the cluster target per exposure;
 * none on `local`, where the Service stays ClusterIP and is reached with `kubectl port-forward`). Client
 * addresses are kept (externalTrafficPolicy Local) so the routes' client ranges apply to the real client.
 */
export function envoyProxy(input: IngressInput, exposure: Exposure): CustomObject {
  const annotations = input.serviceAnnotations?.(exposure);
  const sourceRanges = exposure === "public" ? publicClientRanges(input.ingress) : [];
  const envoyService = annotations
    ? {
        type: "LoadBalancer",
        annotations,
        externalTrafficPolicy: "Local",
        ...(sourceRanges.length > 0 ? { loadBalancerSourceRanges: sourceRanges } : {}),
      }
    : { type: "ClusterIP" };
  return {
    apiVersion: `${ENVOY_GROUP}/v1alpha1`,
    kind: "EnvoyProxy",
    metadata: {
      name: gatewayName(input.networkName, exposure),
      namespace: input.ingress.namespace,
      labels: labels(input),
    },
    spec: {
      provider: {
        type: "Kubernetes",
        kubernetes: {
          envoyDeployment: { replicas: PROXY_REPLICAS },
          envoyPDB: { maxUnavailable: 1 },
          envoyService,
        },
      },
    },
  };
}

export function clientTrafficPolicy(input: IngressInput, exposure: Exposure): CustomObject {
  const name = gatewayName(input.networkName, exposure);
  return {
    apiVersion: `${ENVOY_GROUP}/v1alpha1`,
    kind: "ClientTrafficPolicy",
    metadata: { name, namespace: input.ingress.namespace, labels: labels(input) },
    spec: {
      targetRefs: [ref(GATEWAY_API_GROUP, "Gateway", name)],
      tls: { minVersion: "1.2" },
      headers: { earlyRequestHeaders: { remove: [CLIENT_HEADER] } },
    },
  };
}

export const labels = (input: IngressInput) => clusterLabels(input.networkName, input.cluster.name);
