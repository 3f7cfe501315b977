/**
 * VPC peering between the AWS clusters of a stack: a full mesh, one connection per pair, requested by the
 * cluster listed first. Peering is not transitive, so every pair needs its own connection: n(n−1)/2 in all,
 * n−1 per VPC, and in every route table of a VPC one route per range of each peer. Past AWS's default
 * quotas a Transit Gateway (one attachment per VPC, routes propagated) serves better; past the hard
 * limit of peerings per VPC a mesh is impossible.
 */
import type { ConfigIssue } from "../config/issue";
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
}

export interface PeeringPlan {
  /** One per pair of AWS clusters: n(n−1)/2. */
  readonly connections: readonly PeeringConnectionPlan[];
  /** Connections each VPC takes part in: n−1. */
  readonly perVpc: number;
  /** The most peer routes any route table holds (each peer's VPC range, plus its pod range when it has one). */
  readonly routesPerTable: number;
}

/** Ranges a cluster's peers route to it: its VPC range, and its pod range when pods live outside the VPC range. */
export const routedRanges = (cluster: Pick<ClusterPlan, "cidr" | "podCidr">): string[] =>
  [cluster.cidr, cluster.podCidr].filter((r): r is string => r !== undefined);

export function planPeering(clusters: readonly ClusterPlan[]): {
  peering: PeeringPlan;
  issues: ConfigIssue[];
} {
  const aws = clusters.filter((c) => c.provider === "aws");
  const connections = aws.flatMap((requester, i) =>
    aws.slice(i + 1).map((accepter) => ({
      requester: requester.name,
      accepter: accepter.name,
      crossRegion: requester.region !== accepter.region,
    })),
  );
  const perVpc = Math.max(0, aws.length - 1);
  const routesPerTable = Math.max(
    0,
    ...aws.map((c) => aws.filter((p) => p !== c).reduce((sum, p) => sum + routedRanges(p).length, 0)),
  );
  const issues: ConfigIssue[] = [];
  const tgw =
    "a Transit Gateway (one attachment per VPC, routes propagated) would serve better than a full mesh of VPC peering";
  if (perVpc > PEERINGS_PER_VPC.limit) {
    issues.push(
      error(
        "clusters",
        `${aws.length} AWS clusters need ${perVpc} peering connections per VPC, more than AWS allows (${PEERINGS_PER_VPC.limit}): split the network or connect the VPCs through a Transit Gateway.`,
      ),
    );
  } else if (perVpc > PEERINGS_PER_VPC.defaultQuota) {
    issues.push(
      warning(
        "clusters",
        `${aws.length} AWS clusters need ${perVpc} peering connections per VPC, above the default quota of ${PEERINGS_PER_VPC.defaultQuota} (raise it, up to ${PEERINGS_PER_VPC.limit}); ${tgw}.`,
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
  return { peering: { connections, perVpc, routesPerTable }, issues };
}
