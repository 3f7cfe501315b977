/**
 * VPC peering between the AWS clusters of a stack, read off the connectivity links (`vpc-peering`): one
 * connection per link, requested by the cluster listed first. Peering is not transitive, so every pair
 * needs its own connection: n(n−1)/2 in all, n−1 per VPC, and in every route table of a VPC one route per
 * range the peers route over their links. Past AWS's default quotas a Transit Gateway (one attachment per
 * VPC, routes propagated) serves better; past the hard limit of peerings per VPC a mesh is impossible.
 */
import type { ConfigIssue } from "../config/issue";
import type { LinkPlan } from "./connectivityTypes";
import { error, warning } from "./issues";
import type { ClusterPlan } from "./types";

/** Active peering connections per VPC: the default quota, and the most it can be raised to. */
export const PEERINGS_PER_VPC = { defaultQuota: 50, limit: 125 } as const;
/** Routes per route table (default quota); the default route to the NAT or internet gateway takes one. */
export const ROUTES_PER_TABLE_DEFAULT_QUOTA = 50;

export interface PeeringConnectionPlan {
  /** The cluster that requests the connection (listed first in the stack). */
  readonly requester: string;
  /** The cluster that accepts it. */
  readonly accepter: string;
  readonly crossRegion: boolean;
  /** The ranges each side routes to the other, by cluster name (the link's routes). */
  readonly routes: Readonly<Record<string, readonly string[]>>;
}

export interface PeeringMeshSize {
  /** AWS clusters in the mesh: n. */
  readonly vpcs: number;
  /** One per pair of AWS clusters: n(n−1)/2. */
  readonly connections: number;
  /** Connections each VPC takes part in: n−1. */
  readonly perVpc: number;
  /** The most peer routes any route table holds (the ranges its peers route over their links). */
  readonly routesPerTable: number;
}

const vpcPeeringLinks = (links: readonly LinkPlan[]) => links.filter((l) => l.kind === "vpc-peering");

/** The VPC peering connections of the stack, one per `vpc-peering` link, in link order. */
export function peeringConnections(
  links: readonly LinkPlan[],
  clusters: readonly Pick<ClusterPlan, "name" | "region">[],
): PeeringConnectionPlan[] {
  const regionOf = (name: string) => {
    const c = clusters.find((x) => x.name === name);
    if (!c) throw new Error(`peering names unknown cluster ${name}`);
    return c.region;
  };
  return vpcPeeringLinks(links).map(({ between: [requester, accepter], routes }) => ({
    requester,
    accepter,
    crossRegion: regionOf(requester) !== regionOf(accepter),
    routes,
  }));
}

export function peeringMeshSize(links: readonly LinkPlan[]): PeeringMeshSize {
  const peerings = vpcPeeringLinks(links);
  const vpcs = [...new Set(peerings.flatMap((l) => l.between))];
  const ofVpc = (vpc: string) => peerings.filter((l) => l.between.includes(vpc));
  const peerRoutes = (vpc: string) =>
    ofVpc(vpc).reduce(
      (sum, l) => sum + (l.routes[l.between[0] === vpc ? l.between[1] : l.between[0]]?.length ?? 0),
      0,
    );
  return {
    vpcs: vpcs.length,
    connections: peerings.length,
    perVpc: Math.max(0, ...vpcs.map((v) => ofVpc(v).length)),
    routesPerTable: Math.max(0, ...vpcs.map(peerRoutes)),
  };
}

/** AWS's quotas on the mesh: peerings per VPC (default and hard limit) and routes per route table. */
export function peeringQuotaIssues(links: readonly LinkPlan[]): ConfigIssue[] {
  const { vpcs, perVpc, routesPerTable } = peeringMeshSize(links);
  const issues: ConfigIssue[] = [];
  const tgw =
    "a Transit Gateway (one attachment per VPC, routes propagated) would serve better than a full mesh of VPC peering";
  if (perVpc > PEERINGS_PER_VPC.limit) {
    issues.push(
      error(
        "clusters",
        `${vpcs} AWS clusters need ${perVpc} peering connections per VPC, more than AWS allows (${PEERINGS_PER_VPC.limit}): split the network or connect the VPCs through a Transit Gateway.`,
      ),
    );
  } else if (perVpc > PEERINGS_PER_VPC.defaultQuota) {
    issues.push(
      warning(
        "clusters",
        `${vpcs} AWS clusters need ${perVpc} peering connections per VPC, above the default quota of ${PEERINGS_PER_VPC.defaultQuota} (raise it, up to ${PEERINGS_PER_VPC.limit}); ${tgw}.`,
      ),
    );
  }
  if (routesPerTable + 1 > ROUTES_PER_TABLE_DEFAULT_QUOTA) {
    issues.push(
      warning(
        "clusters",
        `the peering mesh puts ${routesPerTable} peer routes in every route table, above the default quota of ${ROUTES_PER_TABLE_DEFAULT_QUOTA} routes per table (raise it); ${tgw}.`,
      ),
    );
  }
  return issues;
}
