/**
 * Config of a cluster's published endpoints (`clusters[].ingress`): which routes exist, how they are exposed,
 * where their certificates come from and who may call them. Shape checks only; the checks across keys
 * (auth on public routes, client ranges, route targets) are the planner's (`infra/plan/ingress.ts`).
 * Nothing is published unless a route is listed.
 */
import { z } from "zod";

/**
 * Secret config key (outside the schema, never printed) with the ingress credentials per cluster:
 * `{ "<cluster>": { apiKeys, grafanaClientSecret, certificates, ca } }` (see `IngressSecrets`).
 */
export const INGRESS_SECRETS_CONFIG_KEY = "ingressSecrets";

/** One cluster's entry of `goquorum:ingressSecrets`. */
export interface IngressSecrets {
  /** API key per client name of `routes[].auth.apiKeys`. */
  readonly apiKeys?: Readonly<Record<string, string>>;
  /** Client secret of Grafana's OIDC login (`ingress.grafana.oidc.clientId`). */
  readonly grafanaClientSecret?: string;
  /** Certificates the user supplies (`ingress.tls.source: secret`), by route hostname, PEM. */
  readonly certificates?: Readonly<
    Record<string, { readonly certificate: string; readonly privateKey: string }>
  >;
  /** The CA that signs the routes' certificates (`ingress.tls.source: ca`), PEM. */
  readonly ca?: { readonly certificate: string; readonly privateKey: string };
}

/** At least two labels of lowercase letters, digits and '-', 253 characters at most (RFC 1123). */
const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

const hostname = z
  .string()
  .regex(DNS_NAME, "must be a DNS name such as rpc.example.com (lowercase letters, digits, '-' and '.')");

const httpsUrl = z.url({ protocol: /^https$/ });

const clientName = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?$/, "must be lowercase letters, digits, '.', '_' and '-'");

export const ROUTE_KINDS = ["rpc", "grafana", "tessera-third-party"] as const;
export type RouteKind = (typeof ROUTE_KINDS)[number];
export type Exposure = "internal" | "public";

const Jwt = z.strictObject({
  issuer: httpsUrl.describe(
    "OIDC issuer URL (the `iss` claim), e.g. https://login.microsoftonline.com/<tenant>/v2.0.",
  ),
  jwksUri: httpsUrl.describe("URL of the issuer's signing keys (the `jwks_uri` of its discovery document)."),
  audiences: z
    .array(z.string().min(1))
    .min(1)
    .describe("Accepted `aud` values; tokens for other audiences are refused."),
  clientClaim: z
    .string()
    .min(1)
    .default("sub")
    .describe(
      "Claim that names the calling client, for per-client rate limits (e.g. azp on Entra ID, client_id on Cognito).",
    ),
});

const Auth = z
  .strictObject({
    jwt: Jwt.optional().describe("Require a JWT from an OIDC issuer (`Authorization: Bearer`)."),
    apiKeys: z
      .array(clientName)
      .min(1)
      .optional()
      .describe(
        "Require an API key (`x-api-key` header). Lists the client names; their keys are secret config (`goquorum:ingressSecrets.<cluster>.apiKeys.<client>`).",
      ),
  })
  .describe("Credential every request needs: exactly one of `jwt` or `apiKeys`.");

const RateLimit = z
  .strictObject({
    requestsPerSecond: z
      .number()
      .int()
      .min(1)
      .max(100_000)
      .default(20)
      .describe(
        "Requests per second of each client not listed in `clients`, in a bucket of its own: each API key, each value of the JWT client claim; JWT calls whose token lacks the claim share one such bucket. Per gateway replica.",
      ),
    clients: z
      .record(clientName, z.number().int().min(1).max(100_000))
      .default({})
      .describe(
        "Per-client limits overriding `requestsPerSecond`, by client name (API key client or the JWT client claim); at most 14 with JWT, 15 with API keys.",
      ),
  })
  .prefault({})
  .describe(
    "Per-client rate limits of an authenticated route (Envoy local rate limits: per gateway replica).",
  );

const Route = z.strictObject({
  kind: z
    .enum(ROUTE_KINDS)
    .describe(
      "What the route publishes: `rpc` (JSON-RPC over HTTP and WebSocket of the cluster's RPC nodes), `grafana` (the monitoring Grafana), `tessera-third-party` (one member's Tessera third-party API).",
    ),
  hostname: hostname.describe("DNS name clients use; the route's TLS certificate is issued for it."),
  exposure: z
    .enum(["internal", "public"])
    .default("internal")
    .describe(
      "`internal`: a private load balancer, reachable over the VPC/VNet, peered networks and VPN. `public`: an Internet-facing one (needs `auth` and `allowedCidrs`).",
    ),
  allowedCidrs: z
    .array(z.string().describe("IPv4 CIDR, e.g. 203.0.113.0/24"))
    .default([])
    .describe(
      "Client ranges allowed to call the route (load balancer source ranges and the gateway's authorization). Internal: empty means the private networks only. Public: required; 0.0.0.0/0 is the whole Internet.",
    ),
  auth: Auth.optional(),
  rateLimit: RateLimit,
  includeMembers: z
    .boolean()
    .default(false)
    .describe(
      "rpc: also balance over the member nodes' JSON-RPC (their private transactions become reachable).",
    ),
  member: z
    .string()
    .optional()
    .describe("tessera-third-party: the member node whose Tessera the route publishes, e.g. prod-member-0."),
});

const Acme = z.strictObject({
  email: z.email().describe("Account e-mail at the ACME server (expiry notices)."),
  server: httpsUrl
    .default("https://acme-v02.api.letsencrypt.org/directory")
    .describe(
      "ACME directory; Let's Encrypt staging is https://acme-staging-v02.api.letsencrypt.org/directory.",
    ),
  route53: z
    .strictObject({
      hostedZoneId: z
        .string()
        .regex(/^Z[A-Z0-9]{1,31}$/, "must be a Route 53 hosted zone id such as Z0123456789ABC"),
      region: z.string().default("us-east-1").describe("Region of the Route 53 API."),
    })
    .optional()
    .describe("DNS-01 through Route 53 (aws clusters), with the cluster's IRSA identity for cert-manager."),
  azureDns: z
    .strictObject({
      subscriptionId: z.uuid(),
      resourceGroup: z.string().min(1),
      zoneName: hostname,
    })
    .optional()
    .describe(
      "DNS-01 through Azure DNS (azure clusters), with the cluster's workload identity for cert-manager.",
    ),
});

const Tls = z
  .strictObject({
    source: z
      .enum(["acme", "ca", "secret"])
      .default("ca")
      .describe(
        "Where route certificates come from: `acme` (cert-manager, DNS-01; only for hostnames under a public domain, never `.internal`, `.local` or `.corp`), `ca` (cert-manager, signed by the CA in secret config `ingressSecrets.<cluster>.ca`), `secret` (certificates you supply in `ingressSecrets.<cluster>.certificates.<hostname>`).",
      ),
    acme: Acme.optional().describe("ACME settings; required when `source` is acme."),
  })
  .prefault({});

const GrafanaOidc = z.strictObject({
  name: z.string().min(1).default("SSO").describe("Login button label."),
  clientId: z
    .string()
    .min(1)
    .describe("OIDC client id; the secret is `ingressSecrets.<cluster>.grafanaClientSecret`."),
  authUrl: httpsUrl.describe("Authorization endpoint."),
  tokenUrl: httpsUrl.describe("Token endpoint."),
  apiUrl: httpsUrl.describe("Userinfo endpoint."),
  scopes: z.array(z.string().min(1)).default(["openid", "profile", "email"]).describe("Requested scopes."),
  roleAttributePath: z
    .string()
    .default("'Viewer'")
    .describe(
      "JMESPath mapping claims to a Grafana role (Viewer, Editor, Admin); default: everyone is a Viewer.",
    ),
  allowedGroups: z
    .array(
      z
        .string()
        .regex(
          /^[^\s,]+$/,
          "must be one group name or id, without spaces or commas (Grafana splits on them)",
        ),
    )
    .default([])
    .describe(
      "Groups allowed to log in (Grafana `allowed_groups`): a user must be in at least one, as the claims at `groupsAttributePath` list them (names, or object ids on Entra ID). A grafana route needs this or `allowedDomains`.",
    ),
  groupsAttributePath: z
    .string()
    .min(1)
    .default("groups")
    .describe(
      "JMESPath to the user's groups, a string array, in the ID token, the userinfo answer or the access token, tried in that order (Grafana `groups_attribute_path`).",
    ),
  allowedDomains: z
    .array(hostname)
    .default([])
    .describe(
      "E-mail domains allowed to log in (Grafana `allowed_domains`, from the email claim, which not every issuer verifies: prefer `allowedGroups`). A grafana route needs this or `allowedGroups`.",
    ),
});

export const Ingress = z
  .strictObject({
    routes: z
      .array(Route)
      .default([])
      .describe("Published endpoints. Empty (the default): nothing is reachable from outside the cluster."),
    namespace: z
      .string()
      .regex(/^[a-z]([a-z0-9-]*[a-z0-9])?$/)
      .max(40)
      .default("goquorum-ingress")
      .describe("Namespace of the Gateways, their certificates and EnvoyProxy settings."),
    tls: Tls.describe("TLS of every route; HTTP is redirected to HTTPS, never served."),
    grafana: z
      .strictObject({
        oidc: GrafanaOidc.describe("Grafana's OIDC login; the admin password stays for break-glass."),
      })
      .optional()
      .describe("Grafana login settings; required with a `grafana` route."),
  })
  .prefault({})
  .describe(
    "Published endpoints of the cluster through Gateway API (Envoy Gateway) with TLS and authentication.",
  );

export type IngressConfig = z.output<typeof Ingress>;
export type RouteConfig = IngressConfig["routes"][number];
export type AuthConfig = NonNullable<RouteConfig["auth"]>;
export type GrafanaOidcConfig = z.output<typeof GrafanaOidc>;
export type AcmeConfig = z.output<typeof Acme>;
