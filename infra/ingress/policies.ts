/**
 * Envoy Gateway policies of a route: who may call it (SecurityPolicy: JWT or API key, client ranges) and how
 * often (BackendTrafficPolicy: per-client local rate limits).
 */
import type { PublishedRoute } from "../plan/ingressTypes";
import { clusterLabels } from "../quorum/manifests/labels";
import type { IngressInput } from "./input";
import {
  API_KEY_HEADER,
  apiKeysSecretName,
  CLIENT_HEADER,
  ENVOY_GROUP,
  GATEWAY_API_GROUP,
  routeObjectName,
} from "./names";
import { type CustomObject, ref } from "./objects";
import { routeNamespace } from "./routes";

const metadata = (input: IngressInput, route: PublishedRoute) => ({
  name: routeObjectName(route),
  namespace: routeNamespace(input, route),
  labels: clusterLabels(input.networkName, input.cluster.name),
});

const targetRefs = (route: PublishedRoute) => [ref(GATEWAY_API_GROUP, "HTTPRoute", routeObjectName(route))];

function authentication(route: PublishedRoute): Record<string, unknown> {
  const jwt = route.auth?.jwt;
  if (jwt) {
    return {
      jwt: {
        providers: [
          {
            name: "oidc",
            issuer: jwt.issuer,
            audiences: jwt.audiences,
            remoteJWKS: { uri: jwt.jwksUri },
            claimToHeaders: [{ claim: jwt.clientClaim, header: CLIENT_HEADER }],
          },
        ],
      },
    };
  }
  if (route.auth?.apiKeys) {
    return {
      apiKeyAuth: {
        credentialRefs: [{ group: "", kind: "Secret", name: apiKeysSecretName(route) }],
        extractFrom: [{ headers: [API_KEY_HEADER] }],
        forwardClientIDHeader: CLIENT_HEADER,
        // The key itself never reaches the backend.
        sanitize: true,
      },
    };
  }
  return {};
}

/**
 * The route's SecurityPolicy, or undefined when it has neither a credential nor client ranges (a Grafana
 * route on `local`, which logs users in itself). Its client ranges are the route's own (`clientRanges`):
 * the gateway's load balancer admits those of every route of its exposure, so each route narrows to its own.
 */
export function securityPolicy(input: IngressInput, route: PublishedRoute): CustomObject | undefined {
  const auth = authentication(route);
  const ranges = route.clientRanges;
  if (Object.keys(auth).length === 0 && ranges.length === 0) return undefined;
  return {
    apiVersion: `${ENVOY_GROUP}/v1alpha1`,
    kind: "SecurityPolicy",
    metadata: metadata(input, route),
    spec: {
      targetRefs: targetRefs(route),
      ...auth,
      ...(ranges.length > 0
        ? {
            authorization: {
              defaultAction: "Deny",
              rules: [
                { name: "allowed-client-ranges", action: "Allow", principal: { clientCIDRs: [...ranges] } },
              ],
            },
          }
        : {}),
    },
  };
}

/** The Secret of a route's API keys: one entry per client name, its key as the value. */
export function apiKeysSecret<T>(
  input: IngressInput,
  route: PublishedRoute,
  keys: Readonly<Record<string, T>>,
) {
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { ...metadata(input, route), name: apiKeysSecretName(route) },
    type: "Opaque",
    stringData: { ...keys },
  } as const;
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

const perSecond = (requests: number) => ({ requests, unit: "Second" });

/**
 * Per-client buckets, keyed by the client header the authentication sets: every API key client, every
 * listed JWT client, and one shared bucket for JWT clients not listed. Envoy counts per replica.
 */
function rateLimitRules(route: PublishedRoute): Record<string, unknown>[] {
  const limits = route.rateLimit;
  if (!limits || !route.auth) return [];
  const listed = route.auth.apiKeys ?? Object.keys(limits.clients);
  const perClient = listed.map((client) => ({
    clientSelectors: [{ headers: [{ name: CLIENT_HEADER, type: "Exact", value: client }] }],
    limit: perSecond(limits.clients[client] ?? limits.requestsPerSecond),
  }));
  if (route.auth.apiKeys) return perClient;
  const others =
    listed.length === 0
      ? { name: CLIENT_HEADER, type: "RegularExpression", value: ".+" }
      : {
          name: CLIENT_HEADER,
          type: "RegularExpression",
          value: `^(${listed.map(escapeRegex).join("|")})$`,
          invert: true,
        };
  return [
    ...perClient,
    { clientSelectors: [{ headers: [others] }], limit: perSecond(limits.othersRequestsPerSecond) },
  ];
}

/** Rate limits of an authenticated route; undefined for a route the gateway does not authenticate. */
export function backendTrafficPolicy(input: IngressInput, route: PublishedRoute): CustomObject | undefined {
  const rules = rateLimitRules(route);
  if (rules.length === 0) return undefined;
  return {
    apiVersion: `${ENVOY_GROUP}/v1alpha1`,
    kind: "BackendTrafficPolicy",
    metadata: metadata(input, route),
    spec: { targetRefs: targetRefs(route), rateLimit: { type: "Local", local: { rules } } },
  };
}
