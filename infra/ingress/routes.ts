/**
 * One HTTPRoute per published route, in the namespace of its backends (so no ReferenceGrant is needed),
 * attached to its HTTPS listener only, and for a route to GoQuorum nodes the Service it balances over.
 */
import type { IService } from "kubernetes-models/v1/Service";
import type { PublishedRoute } from "../plan/ingressTypes";
import { clusterLabels, nodeSelector, rolesSelector } from "../quorum/manifests/labels";
import type { Named } from "../quorum/manifests/objects";
import { servicePort } from "../quorum/manifests/servicePorts";
import { PORTS } from "../quorum/ports";
import type { IngressInput } from "./input";
import { GATEWAY_API_GROUP, gatewayName, httpsListenerName, routeObjectName } from "./names";
import type { CustomObject } from "./objects";

/** Namespace of a route's backends, where its HTTPRoute and policies live. */
export function routeNamespace(input: IngressInput, route: Pick<PublishedRoute, "kind">): string {
  return route.kind === "grafana" ? input.grafana.namespace : input.cluster.namespace;
}

/**
 * The Service a route to GoQuorum nodes balances over: the route's nodes, and of those only the pods that are
 * ready. The nodes' own Services publish pods before they are ready (peers must reach a starting node), so
 * a syncing node behind them would get requests; this one leaves `publishNotReadyAddresses` off. Undefined for
 * Grafana, whose Service is the monitoring release's.
 */
export function routeService(input: IngressInput, route: PublishedRoute): Named<IService> | undefined {
  if (route.kind === "grafana") return undefined;
  const [member] = route.backends;
  const selector =
    route.kind === "tessera-third-party" && member !== undefined
      ? nodeSelector(input.networkName, member)
      : rolesSelector(input.networkName, route.backendRoles);
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: {
      name: routeObjectName(route),
      namespace: routeNamespace(input, route),
      labels: clusterLabels(input.networkName, input.cluster.name),
    },
    spec: {
      type: "ClusterIP",
      selector,
      ports:
        route.kind === "rpc"
          ? [servicePort("rpcHttp"), ...(input.rpcWebsocket ? [servicePort("rpcWs")] : [])]
          : [servicePort("tesseraThirdParty")],
    },
  };
}

const backendRefs = (route: PublishedRoute, port: number) => [
  { group: "", kind: "Service", name: routeObjectName(route), port },
];

/**
 * geth accepts only the Host names of `--http.vhosts` (the node's own Service names and localhost): the
 * route presents requests to it as localhost, so the public hostname never has to be added on the node.
 */
const asLocalhost = { type: "URLRewrite", urlRewrite: { hostname: "localhost" } };

function rules(input: IngressInput, route: PublishedRoute): Record<string, unknown>[] {
  switch (route.kind) {
    case "rpc": {
      // JSON-RPC is a POST to /; a WebSocket upgrade on / goes to the WebSocket port when the nodes serve it.
      const websocket = input.rpcWebsocket
        ? [
            {
              matches: [
                {
                  path: { type: "Exact", value: "/" },
                  headers: [{ type: "RegularExpression", name: "Upgrade", value: "(?i)websocket" }],
                },
              ],
              filters: [asLocalhost],
              backendRefs: backendRefs(route, PORTS.rpcWs),
            },
          ]
        : [];
      return [
        ...websocket,
        {
          matches: [{ path: { type: "Exact", value: "/" }, method: "POST" }],
          filters: [asLocalhost],
          backendRefs: backendRefs(route, PORTS.rpcHttp),
        },
      ];
    }
    case "tessera-third-party":
      return [
        {
          matches: [{ path: { type: "PathPrefix", value: "/" } }],
          backendRefs: backendRefs(route, PORTS.tesseraThirdParty),
        },
      ];
    case "grafana":
      return [
        {
          matches: [{ path: { type: "PathPrefix", value: "/" } }],
          backendRefs: [
            { group: "", kind: "Service", name: input.grafana.service, port: input.grafana.port },
          ],
        },
      ];
  }
}

export function httpRoute(input: IngressInput, route: PublishedRoute): CustomObject {
  return {
    apiVersion: `${GATEWAY_API_GROUP}/v1`,
    kind: "HTTPRoute",
    metadata: {
      name: routeObjectName(route),
      namespace: routeNamespace(input, route),
      labels: clusterLabels(input.networkName, input.cluster.name),
    },
    spec: {
      parentRefs: [
        {
          group: GATEWAY_API_GROUP,
          kind: "Gateway",
          name: gatewayName(input.networkName, route.exposure),
          namespace: input.ingress.namespace,
          sectionName: httpsListenerName(route),
        },
      ],
      hostnames: [route.hostname],
      rules: rules(input, route),
    },
  };
}
