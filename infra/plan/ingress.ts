/**
 * Planning a cluster's published endpoints: the checks across ingress keys that the schema cannot express,
 * each naming its key, and a warning for every route reachable from the Internet.
 */
import type { Exposure } from "../config/ingress";
import type { ConfigIssue } from "../config/issue";
import type { ClusterConfig, NodeRole, StackConfig } from "../config/schema";
import { MAX_LOCAL_RATE_LIMIT_RULES } from "../ingress/behaviour";
import { publicAcmeRefusal } from "./acmeNames";
import { type Cidr, cidr, cidrContains, cidrsOverlap, formatCidr, parseCidr } from "./cidr";
import type { ConnectivityPlan } from "./connectivityTypes";
import type { IngressPlan, PublishedRoute } from "./ingressTypes";
import { error, warning } from "./issues";
import type { ClusterPlan, NodePlan } from "./types";

type RouteConfig = ClusterConfig["ingress"]["routes"][number];

function routeName(route: Pick<RouteConfig, "kind" | "member">): string {
  return route.kind === "tessera-third-party" ? `tessera-${route.member ?? ""}` : route.kind;
}

/** Client ranges of one route: they parse, mean something for the exposure, and do not overlap. */
function cidrIssues(route: RouteConfig, path: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const at = `${path}.allowedCidrs`;
  if (route.exposure === "public" && route.allowedCidrs.length === 0) {
    issues.push(
      error(
        at,
        "a public route needs its client ranges; write 0.0.0.0/0 to allow the whole Internet on purpose",
      ),
    );
  }
  const parsed: { cidr: Cidr; k: number }[] = [];
  route.allowedCidrs.forEach((text, k) => {
    const result = parseCidr(text);
    if (!result.ok) {
      issues.push(error(`${at}[${k}]`, result.reason));
      return;
    }
    if (route.exposure === "internal" && result.cidr.prefix === 0) {
      issues.push(
        error(
          `${at}[${k}]`,
          `${text} on an internal route means nothing: its load balancer has only private addresses; list the private ranges, or leave it empty for the cluster's networks`,
        ),
      );
    }
    const other = parsed.find((p) => cidrsOverlap(p.cidr, result.cidr));
    if (other) {
      const how = cidrContains(other.cidr, result.cidr)
        ? "is inside"
        : cidrContains(result.cidr, other.cidr)
          ? "contains"
          : "overlaps";
      issues.push(
        error(
          `${at}[${k}]`,
          `${text} ${how} allowedCidrs[${other.k}] ${formatCidr(other.cidr)}: list each client range once`,
        ),
      );
    }
    parsed.push({ cidr: result.cidr, k });
  });
  return issues;
}

function authIssues(route: RouteConfig, path: string): ConfigIssue[] {
  const at = `${path}.auth`;
  if (route.kind === "grafana") {
    return route.auth
      ? [
          error(
            at,
            "Grafana authenticates its users itself (ingress.grafana.oidc); remove auth from this route",
          ),
        ]
      : [];
  }
  if (route.auth?.jwt && route.auth.apiKeys)
    return [error(at, "set exactly one of jwt or apiKeys, not both")];
  const hasAuth = Boolean(route.auth?.jwt || route.auth?.apiKeys);
  if (!hasAuth && route.kind === "rpc") {
    return [error(at, "JSON-RPC routes require a credential: set auth.jwt (OIDC issuer) or auth.apiKeys")];
  }
  if (!hasAuth && route.exposure === "public") {
    return [error(at, "a public route requires a credential: set auth.jwt (OIDC issuer) or auth.apiKeys")];
  }
  const apiKeys = route.auth?.apiKeys;
  if (!apiKeys) return [];
  const issues: ConfigIssue[] = [];
  apiKeys.forEach((client, k) => {
    if (apiKeys.indexOf(client) !== k)
      issues.push(error(`${at}.apiKeys[${k}]`, `client "${client}" is listed twice`));
  });
  for (const client of Object.keys(route.rateLimit.clients)) {
    if (!apiKeys.includes(client)) {
      issues.push(
        error(
          `${path}.rateLimit.clients.${client}`,
          `"${client}" is not one of auth.apiKeys (${apiKeys.join(", ")})`,
        ),
      );
    }
  }
  return issues;
}

/**
 * A route's local rate-limit rules, at most MAX_LOCAL_RATE_LIMIT_RULES per BackendTrafficPolicy: one per
 * client of `rateLimit.clients`, one for every other client and, with JWT, one for tokens without the client
 * claim (infra/ingress/policies.ts `rateLimitRules`).
 */

function rateLimitIssues(route: RouteConfig, path: string): ConfigIssue[] {
  if (route.kind === "grafana" || !(route.auth?.jwt || route.auth?.apiKeys)) return [];
  const shared = route.auth.jwt ? 2 : 1;
  const max = MAX_LOCAL_RATE_LIMIT_RULES - shared;
  const own = Object.keys(route.rateLimit.clients).length;
  if (own <= max) return [];
  return [
    error(
      `${path}.rateLimit.clients`,
      `${own} clients with limits of their own, at most ${max}: Envoy Gateway takes ${MAX_LOCAL_RATE_LIMIT_RULES} rate-limit rules per route and ${shared} go to the other clients; leave the rest at requestsPerSecond`,
    ),
  ];
}

/** The nodes a route reaches and their roles, or the issue that it reaches none. */
function backends(
  route: RouteConfig,
  path: string,
  nodes: readonly NodePlan[],
): { nodes: string[]; roles: NodeRole[]; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  if (route.kind !== "rpc" && route.includeMembers) {
    issues.push(error(`${path}.includeMembers`, "only rpc routes balance over nodes"));
  }
  if (route.kind !== "tessera-third-party" && route.member !== undefined) {
    issues.push(error(`${path}.member`, "only tessera-third-party routes name a member"));
  }
  if (route.kind === "rpc") {
    const roles: NodeRole[] = route.includeMembers ? ["rpc", "member"] : ["rpc"];
    const names = nodes.filter((n) => roles.includes(n.role)).map((n) => n.name);
    if (names.length === 0) {
      issues.push(
        error(
          `${path}.kind`,
          `the cluster has no ${route.includeMembers ? "RPC or member" : "RPC"} nodes to route to (clusters[].nodes.rpc)`,
        ),
      );
    }
    return { nodes: names, roles, issues };
  }
  if (route.kind === "tessera-third-party") {
    const members = nodes.filter((n) => n.role === "member").map((n) => n.name);
    if (route.member === undefined) {
      issues.push(
        error(
          `${path}.member`,
          `name the member whose Tessera is published (one of: ${members.join(", ") || "none"})`,
        ),
      );
    } else if (!members.includes(route.member)) {
      issues.push(
        error(
          `${path}.member`,
          `"${route.member}" is not a member node of this cluster (${members.join(", ") || "none"})`,
        ),
      );
    }
    return { nodes: route.member !== undefined ? [route.member] : [], roles: ["member"], issues };
  }
  return { nodes: [], roles: [], issues };
}

function tlsIssues(cluster: ClusterConfig, path: string): ConfigIssue[] {
  const { tls } = cluster.ingress;
  const at = `${path}.ingress.tls`;
  if (tls.source !== "acme") {
    return tls.acme ? [error(`${at}.acme`, `set only with source: acme (source is ${tls.source})`)] : [];
  }
  if (!tls.acme)
    return [error(`${at}.acme`, "source acme needs acme.email and a DNS zone (route53 or azureDns)")];
  const dns = ({ aws: "route53", azure: "azureDns", local: undefined } as const)[cluster.provider];
  if (!dns) {
    return [
      error(
        `${at}.source`,
        "ACME DNS-01 needs a cloud DNS identity: a local cluster uses source ca or secret",
      ),
    ];
  }
  const other = dns === "route53" ? "azureDns" : "route53";
  const issues: ConfigIssue[] = [];
  if (!tls.acme[dns])
    issues.push(
      error(`${at}.acme.${dns}`, `an ${cluster.provider} cluster solves DNS-01 through ${dns}: set it`),
    );
  if (tls.acme[other])
    issues.push(error(`${at}.acme.${other}`, `an ${cluster.provider} cluster cannot use ${other}`));
  return issues;
}

/**
 * The private networks routed to a cluster: the ranges it announces itself and those every link brings it,
 * from the other clusters and from the sites it connects to (not external parties: their ranges carry
 * other members' nodes, admitted for p2p only). What an internal route without allowedCidrs admits.
 */
export function privateNetworks(
  cluster: Pick<ClusterPlan, "name">,
  connectivity: ConnectivityPlan,
): string[] {
  const linked = connectivity.links
    .filter((l) => l.between.includes(cluster.name))
    .flatMap((l) => l.routes[l.between[0] === cluster.name ? l.between[1] : l.between[0]] ?? []);
  return [...new Set([...(connectivity.routedRanges[cluster.name] ?? []), ...linked])];
}

/** Who may call a route: its allowedCidrs, or for an internal route without them the private networks. */
export function routeClientRanges(
  route: Pick<PublishedRoute, "exposure" | "allowedCidrs">,
  networks: readonly string[],
): string[] {
  if (route.allowedCidrs.length > 0 || route.exposure === "public") return [...route.allowedCidrs];
  return [...networks];
}

/** The clusters with every route's client ranges filled in, once connectivity is planned. */
export function withClientRanges(
  clusters: readonly ClusterPlan[],
  connectivity: ConnectivityPlan,
): ClusterPlan[] {
  return clusters.map((cluster) => {
    if (!cluster.ingress) return cluster;
    const networks = privateNetworks(cluster, connectivity);
    const routes = cluster.ingress.routes.map((r) => ({
      ...r,
      clientRanges: routeClientRanges(r, networks),
    }));
    return { ...cluster, ingress: { ...cluster.ingress, routes } };
  });
}

/**
 * Sites do not transit between clouds: a site reaches only the clusters it connects to (those of the cloud
 * that terminates it), although BGP carries its routes on through the gateways; the firewalls refuse it
 * everywhere else. So an internal route may not list a range of a site its cluster is not connected to.
 */
export function siteClientIssues(config: StackConfig, connectivity: ConnectivityPlan): ConfigIssue[] {
  const { sites } = config.network.connectivity;
  return config.clusters.flatMap((cluster, i) =>
    cluster.ingress.routes.flatMap((route, j) =>
      route.exposure !== "internal"
        ? []
        : route.allowedCidrs.flatMap((text, k) => {
            const parsed = parseCidr(text);
            if (!parsed.ok) return [];
            const site = sites.find(
              (s) =>
                s.ranges.some((r) => cidrsOverlap(cidr(r), parsed.cidr)) &&
                !connectivity.links.some(
                  (l) => l.between.includes(s.name) && l.between.includes(cluster.name),
                ),
            );
            return site
              ? [
                  error(
                    `clusters[${i}].ingress.routes[${j}].allowedCidrs[${k}]`,
                    `${text} is in site ${site.name}, which terminates in ${site.terminatesIn} and so reaches only ${site.terminatesIn} clusters (sites do not transit between clouds): publish the route on a ${site.terminatesIn} cluster, or remove the range`,
                  ),
                ]
              : [];
          }),
    ),
  );
}

/**
 * The client ranges of a cluster's gateway of one exposure, each once: the union of its routes' (each route
 * narrows further with its own authorization). What its load balancer admits, and every firewall in front
 * of it must admit too.
 */
export function gatewayClientRanges(ingress: IngressPlan | undefined, exposure: Exposure): string[] {
  const all = (ingress?.routes ?? []).filter((r) => r.exposure === exposure).flatMap((r) => r.clientRanges);
  return [...new Set(all)].sort();
}

/**
 * The subnets an internal gateway's load balancer takes its frontend address from, in either cloud: the
 * private (node) subnets.
 */
export const internalGatewaySubnets = (cluster: Pick<ClusterPlan, "subnets">) =>
  cluster.subnets.filter((s) => s.purpose === "private");

/**
 * The cluster's published routes, or none: nothing is published unless configured. `path` is the cluster's
 * key (`clusters[i]`), `nodes` its planned nodes.
 */
export function planIngress(
  cluster: ClusterConfig,
  path: string,
  nodes: readonly NodePlan[],
): { ingress?: IngressPlan; issues: ConfigIssue[] } {
  const { ingress } = cluster;
  if (ingress.routes.length === 0) return { issues: [] };
  const issues: ConfigIssue[] = [...tlsIssues(cluster, path)];
  const routes: PublishedRoute[] = [];
  const seen = new Map<string, number>();
  const hostnames = new Map<string, number>();
  ingress.routes.forEach((route, j) => {
    const at = `${path}.ingress.routes[${j}]`;
    const name = routeName(route);
    const again = seen.get(name);
    if (again !== undefined) {
      issues.push(
        error(
          `${at}.kind`,
          `routes[${again}] already publishes ${route.kind === "tessera-third-party" ? `member ${route.member}` : route.kind}: one route each, with one hostname`,
        ),
      );
    }
    seen.set(name, j);
    const refusal = ingress.tls.source === "acme" ? publicAcmeRefusal(route.hostname) : undefined;
    if (refusal) {
      issues.push(
        error(
          `${at}.hostname`,
          `${refusal} (${path}.ingress.tls.source is acme): use a name under your public DNS zone, or tls.source ca (the default, signed by your own CA) or secret`,
        ),
      );
    }
    const sameHost = hostnames.get(route.hostname);
    if (sameHost !== undefined)
      issues.push(error(`${at}.hostname`, `${route.hostname} is already used by routes[${sameHost}]`));
    hostnames.set(route.hostname, j);
    if (route.kind === "grafana" && !ingress.grafana) {
      issues.push(
        error(`${path}.ingress.grafana.oidc`, "a grafana route needs Grafana's OIDC login settings"),
      );
    }
    const oidc = ingress.grafana?.oidc;
    if (route.kind === "grafana" && oidc && oidc.allowedGroups.length + oidc.allowedDomains.length === 0) {
      issues.push(
        error(
          `${path}.ingress.grafana.oidc.allowedGroups`,
          "every identity the issuer signs in would get a Grafana account: list the groups allowed to log in (allowedGroups, read at groupsAttributePath) or their e-mail domains (allowedDomains)",
        ),
      );
    }
    if (route.exposure === "public" && cluster.provider === "local") {
      issues.push(
        error(
          `${at}.exposure`,
          "a local cluster has no load balancer: its routes are internal, reached with kubectl port-forward",
        ),
      );
    }
    if (
      cluster.provider === "local" &&
      route.allowedCidrs.length > 0 &&
      !route.allowedCidrs.includes("127.0.0.1/32")
    ) {
      issues.push(
        warning(
          `${at}.allowedCidrs`,
          "on a local cluster the gateway is reached through kubectl port-forward, whose connections come from 127.0.0.1: add 127.0.0.1/32 or every call is denied",
        ),
      );
    }
    const reached = backends(route, at, nodes);
    issues.push(
      ...cidrIssues(route, at),
      ...authIssues(route, at),
      ...rateLimitIssues(route, at),
      ...reached.issues,
    );
    const authenticated = route.kind !== "grafana" && Boolean(route.auth?.jwt || route.auth?.apiKeys);
    routes.push({
      kind: route.kind,
      name,
      hostname: route.hostname,
      exposure: route.exposure,
      allowedCidrs: route.allowedCidrs,
      // An internal route without ranges gets the private networks once they are planned (`withClientRanges`).
      clientRanges: route.allowedCidrs,
      ...(authenticated ? { auth: route.auth, rateLimit: route.rateLimit } : {}),
      backends: reached.nodes,
      backendRoles: reached.roles,
    });
    if (route.exposure === "public") {
      issues.push(
        warning(
          `${at}.exposure`,
          `https://${route.hostname} (${route.kind}) is published on an Internet-facing load balancer to ${route.allowedCidrs.join(", ") || "nobody"}`,
        ),
      );
    }
  });
  return {
    ingress: {
      namespace: ingress.namespace,
      routes,
      tls: ingress.tls,
      ...(ingress.grafana ? { grafanaOidc: ingress.grafana.oidc } : {}),
    },
    issues,
  };
}

/** Namespaces the nodes refuse on a reachable endpoint; an RPC route only goes to nodes that refuse them. */
const UNSAFE_APIS = ["admin", "debug", "personal", "miner"];

/** An RPC route must not publish admin, debug, personal or miner: the route has no JSON-RPC method filter. */
export function unsafeRouteIssues(config: StackConfig): ConfigIssue[] {
  const unsafe = config.network.workloads.rpc.apis.filter((api) => UNSAFE_APIS.includes(api));
  if (unsafe.length === 0) return [];
  return config.clusters.flatMap((cluster, i) =>
    cluster.ingress.routes.flatMap((route, j) =>
      route.kind === "rpc"
        ? [
            error(
              `clusters[${i}].ingress.routes[${j}]`,
              `network.workloads.rpc.apis serves ${unsafe.join(", ")}: an RPC route would publish them; remove them from the nodes first`,
            ),
          ]
        : [],
    ),
  );
}
