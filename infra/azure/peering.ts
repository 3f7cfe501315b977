/**
 * VNet peering among a stack's Azure clusters: a full mesh (Azure peering is not transitive), and every
 * pair in both directions (a one-sided peering stays "Initiated" and carries nothing). Global peering
 * joins clusters in different regions the same way.
 */
import type { ClusterPlan } from "../plan/types";
import { peeringName } from "./names";

export interface PeeringLink {
  /** Created in this cluster's VNet. */
  readonly from: string;
  readonly to: string;
  readonly name: string;
}

export function peeringLinks(clusters: readonly Pick<ClusterPlan, "name" | "provider">[]): PeeringLink[] {
  const azure = clusters.filter((c) => c.provider === "azure").map((c) => c.name);
  return azure.flatMap((from) =>
    azure.filter((to) => to !== from).map((to) => ({ from, to, name: peeringName(from, to) })),
  );
}

/** Peering flags: VNet access only; no forwarded traffic or gateway transit, so nothing transits a cluster. */
export const PEERING_FLAGS = {
  allowVirtualNetworkAccess: true,
  allowForwardedTraffic: false,
  allowGatewayTransit: false,
  useRemoteGateways: false,
} as const;
