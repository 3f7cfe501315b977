/** The published endpoints of a cluster, as planned: pure data, printed by `npm run plan`. */
import type {
  AuthConfig,
  Exposure,
  GrafanaOidcConfig,
  IngressConfig,
  RouteConfig,
  RouteKind,
} from "../config/ingress";
import type { NodeRole } from "../config/schema";

export interface PublishedRoute {
  readonly kind: RouteKind;
  /** Unique within the cluster and a DNS label: `rpc`, `grafana`, `tessera-<member>`. */
  readonly name: string;
  readonly hostname: string;
  readonly exposure: Exposure;
  /** Client ranges allowed in, as configured; empty on an internal route means its private networks only. */
  readonly allowedCidrs: readonly string[];
  /**
   * Who may call the route (`routeClientRanges`): its allowedCidrs, or for an internal route without them
   * the private networks routed to the cluster. What its gateway's load balancer, the firewalls in front
   * of it and its authorization admit; empty on `local`, which routes nothing to the cluster.
   */
  readonly clientRanges: readonly string[];
  /** The credential the gateway requires (rpc always, tessera-third-party when set); Grafana logs in itself. */
  readonly auth?: AuthConfig;
  /** Per-client rate limits, on every route the gateway authenticates. */
  readonly rateLimit?: RouteConfig["rateLimit"];
  /** GoQuorum nodes the route balances over; empty for Grafana. */
  readonly backends: readonly string[];
  /** The roles of those nodes (rpc, optionally member; member for Tessera); empty for Grafana. */
  readonly backendRoles: readonly NodeRole[];
}

export interface IngressPlan {
  /** Namespace of the Gateways and their certificates. */
  readonly namespace: string;
  readonly routes: readonly PublishedRoute[];
  readonly tls: IngressConfig["tls"];
  readonly grafanaOidc?: GrafanaOidcConfig;
}
