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
 * Envoy Gateway local rate limits, the same in v1.8.3 and v1.9.1 (envoyproxy/gateway api/v1alpha1/ratelimit_types.go;
 * translation in internal/gatewayapi/backendtrafficpolicy.go `buildRateLimitRule`, internal/xds/translator/local_ratelimit.go):
 * a rule applies when every header match of its selector holds, and a request matching several gets the
 * strictest. `Distinct` (no `value`, no `invert`, or the policy is refused) becomes Envoy's `request_headers`
 * action with a valueless descriptor entry: each value of the header gets a bucket of its own (at most 10000
 * per listener, `max_dynamic_descriptors`), an absent header none. `Exact`/`RegularExpression` become
 * `header_value_match` with `expect_match: !invert`, which matches only a present header (envoy
 * api/envoy/config/route/v3/route_components.proto, RateLimit.Action.HeaderValueMatch): inverted, an absent
 * header matches. Regular expressions are RE2 full matches. Rules are per route (`shared` unset).
 */
const clientHeader = {
  exact: (client: string) => ({ name: CLIENT_HEADER, type: "Exact", value: client }),
  noneOf: (clients: readonly string[]) => ({
    name: CLIENT_HEADER,
    type: "RegularExpression",
    value: `^(${clients.map(escapeRegex).join("|")})$`,
    invert: true,
  }),
  distinct: () => ({ name: CLIENT_HEADER, type: "Distinct" }),
  absent: () => ({ name: CLIENT_HEADER, type: "RegularExpression", value: ".*", invert: true }),
};

/**
 * One bucket per client, keyed by the client header the authentication sets, each request in exactly one:
 * a client of `rateLimit.clients` at its own limit; every other client (API key or JWT client claim) in a
 * bucket of its own (Distinct) at `requestsPerSecond`; with JWT, calls whose token lacks the client claim (no
 * header, which a Distinct match skips) together at `requestsPerSecond`. Envoy counts per replica.
 */
function rateLimitRules(route: PublishedRoute): Record<string, unknown>[] {
  const limits = route.rateLimit;
  if (!limits || !route.auth) return [];
  const own = Object.keys(limits.clients);
  const rule = (headers: Record<string, unknown>[], requests: number) => ({
    clientSelectors: [{ headers }],
    limit: perSecond(requests),
  });
  const apiKeys = route.auth.apiKeys;
  const othersExist = apiKeys ? apiKeys.some((client) => !own.includes(client)) : true;
  return [
    ...own.map((client) => rule([clientHeader.exact(client)], limits.clients[client])),
    ...(othersExist
      ? [
          rule(
            [...(own.length > 0 ? [clientHeader.noneOf(own)] : []), clientHeader.distinct()],
            limits.requestsPerSecond,
          ),
        ]
      : []),
    ...(apiKeys ? [] : [rule([clientHeader.absent()], limits.requestsPerSecond)]),
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
    // No `rateLimit.type`: deprecated in v1.8 ("Use Global and/or Local fields directly"); `local` alone
    // selects local rate limiting (`buildBothRateLimit`).
    spec: { targetRefs: targetRefs(route), rateLimit: { local: { rules } } },
  };
}
