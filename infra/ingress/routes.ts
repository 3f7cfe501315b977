/**
 * One HTTPRoute per published route, in the namespace of its backends (so no ReferenceGrant is needed),
 * attached to its HTTPS listener only.
 */
import type { PublishedRoute } from "../plan/ingressTypes";
import { clusterLabels } from "../quorum/manifests/labels";
import { PORTS } from "../quorum/ports";
import type { IngressInput } from "./input";
import { GATEWAY_API_GROUP, gatewayName, httpsListenerName, routeObjectName } from "./names";
import type { CustomObject } from "./objects";

/** Namespace of a route's backends, where its HTTPRoute and policies live. */
export function routeNamespace(input: IngressInput, route: Pick<PublishedRoute, "kind">): string {
  return route.kind === "grafana" ? input.grafana.namespace : input.cluster.namespace;
}

const backendRefs = (nodes: readonly string[], port: number) =>
  nodes.map((name) => ({ group: "", kind: "Service", name, port, weight: 1 }));

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
              backendRefs: backendRefs(route.backends, PORTS.rpcWs),
            },
          ]
        : [];
      return [
        ...websocket,
        {
          matches: [{ path: { type: "Exact", value: "/" }, method: "POST" }],
          filters: [asLocalhost],
          backendRefs: backendRefs(route.backends, PORTS.rpcHttp),
        },
      ];
    }
    case "tessera-third-party":
      return [
        {
          matches: [{ path: { type: "PathPrefix", value: "/" } }],
          backendRefs: backendRefs(route.backends, PORTS.tesseraThirdParty),
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
