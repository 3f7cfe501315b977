/**
 * VNet peering among a stack's Azure clusters: one per `vnet-peering` link of the connectivity plan (a
 * full mesh, Azure peering is not transitive), in both directions (a one-sided peering stays "Initiated"
 * and carries nothing). Global peering joins clusters in different regions the same way.
 */
import type { LinkPlan } from "../plan/connectivityTypes";
import { peeringName } from "./names";

export interface PeeringLink {
  /** Created in this cluster's VNet. */
  readonly from: string;
  readonly to: string;
  readonly name: string;
}

export function peeringLinks(links: readonly Pick<LinkPlan, "between" | "kind">[]): PeeringLink[] {
  return links
    .filter((l) => l.kind === "vnet-peering")
    .flatMap(({ between: [a, b] }) =>
      [
        [a, b],
        [b, a],
      ].map(([from, to]) => ({ from, to, name: peeringName(from, to) })),
    );
}

/** Peering flags: VNet access only; no forwarded traffic or gateway transit, so nothing transits a cluster. */
export const PEERING_FLAGS = {
  allowVirtualNetworkAccess: true,
  allowForwardedTraffic: false,
  allowGatewayTransit: false,
  useRemoteGateways: false,
} as const;
