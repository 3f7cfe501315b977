/**
 * What the peering mesh registers, as plain values: per connection the routes on both sides (each peer's VPC
 * and pod ranges in every route table), and per cluster the security group rules that admit the peers.
 */
import type { PeeringConnectionPlan } from "../plan/peering";
import type { ClusterPlan } from "../plan/types";
import { type PeerRangesPlan, peerRanges } from "../quorum/peers";
import { PORTS } from "../quorum/ports";
import type { AwsRouteTable } from "./network";

export interface PeeringRoute {
  /** The cluster whose route table holds the route. */
  readonly cluster: string;
  readonly routeTable: string;
  /** A range of the cluster on the other side. */
  readonly destination: string;
}

/**
 * Routes of one connection: in every route table of each side, one route per range the other side routes
 * over the link (its VPC range, and its pod range with custom networking).
 */
export function peeringRoutes(
  connection: PeeringConnectionPlan,
  clusters: readonly ClusterPlan[],
  routeTables: (cluster: ClusterPlan) => readonly AwsRouteTable[],
): PeeringRoute[] {
  const find = (name: string) => {
    const c = clusters.find((x) => x.name === name);
    if (!c) throw new Error(`peering names unknown cluster ${name}`);
    return c;
  };
  const requester = find(connection.requester);
  const accepter = find(connection.accepter);
  const side = (from: ClusterPlan, to: ClusterPlan) =>
    routeTables(from).flatMap((table) =>
      (connection.routes[to.name] ?? []).map((destination) => ({
        cluster: from.name,
        routeTable: table.key,
        destination,
      })),
    );
  return [...side(requester, accepter), ...side(accepter, requester)];
}

/** The only ports that cross clusters: GoQuorum devp2p and Tessera P2P, both TCP. */
export const CROSS_CLUSTER_PORTS = [
  { name: "p2p", port: PORTS.p2p },
  { name: "tessera", port: PORTS.tesseraP2p },
] as const;

export interface PeerIngressRule {
  /** Unique within the cluster, e.g. `p2p-10-65-0-0-16`. */
  readonly key: string;
  readonly cidr: string;
  readonly port: number;
  readonly description: string;
}

/**
 * Ingress the cluster's nodes (and so its pods) admit from other clusters: TCP 30303 and TCP 9000 from each
 * peer range, and nothing else. The ranges are `peerRanges`, the list the NLBs' source ranges and the
 * NetworkPolicies use too.
 */
export function peerIngressRules(cluster: ClusterPlan, plan: PeerRangesPlan): PeerIngressRule[] {
  return peerRanges(cluster, plan).flatMap((cidr) =>
    CROSS_CLUSTER_PORTS.map(({ name, port }) => ({
      key: `${name}-${cidr.replace(/[./]/g, "-")}`,
      cidr,
      port,
      description: `GoQuorum ${name === "p2p" ? "devp2p" : "Tessera P2P"} from peer range ${cidr}`,
    })),
  );
}
