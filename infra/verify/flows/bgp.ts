/**
 * What BGP carries over the VPN, speaker by speaker: every AWS virtual private gateway, Azure VPN gateway
 * and site originates its ranges and, where its kind re-advertises (`VGW_READVERTISES_LEARNED_ROUTES`,
 * `VPN_GATEWAY_READVERTISES_LEARNED_ROUTES`; a site's device is assumed to, as BGP speakers do by default),
 * passes on what it learns, prepending its ASN. A speaker drops a route whose AS path holds its own ASN
 * (RFC 4271, 9.1.2: "routes ... whose AS_PATH contains the local AS" are not installed) and keeps the shortest
 * path per prefix. Both clouds' gateways share one ASN each (`vpn.awsAsn`, `vpn.azureAsn`), so nothing
 * transits between two gateways of one cloud; a site's ranges, however, reach the other cloud's gateways
 * through its own cloud's, and theirs reach it.
 */
import { VGW_READVERTISES_LEARNED_ROUTES } from "../../aws/behaviour";
import { VPN_GATEWAY_READVERTISES_LEARNED_ROUTES } from "../../azure/behaviour";
import type { SiteConfig } from "../../config/schema";
import type { NetworkPlan } from "../../plan/types";

export interface BgpRoute {
  readonly prefix: string;
  /** The neighbour it was learned from (cluster or site name). */
  readonly from: string;
  /** ASNs it crossed, nearest first; one entry when the neighbour originated it. */
  readonly path: readonly number[];
}

interface Speaker {
  readonly asn: number;
  readonly originates: readonly string[];
  readonly readvertises: boolean;
}

/** Every speaker's learned routes (not its own ranges), by cluster or site name. */
export function bgpRoutes(
  plan: Pick<NetworkPlan, "connectivity">,
  sites: readonly Pick<SiteConfig, "name" | "asn" | "ranges">[],
): ReadonlyMap<string, readonly BgpRoute[]> {
  const vpn = plan.connectivity.vpn;
  if (!vpn) return new Map();
  const own = (name: string) => plan.connectivity.routedRanges[name] ?? [];
  const speakers = new Map<string, Speaker>([
    ...vpn.awsGateways.map(
      (c) =>
        [c, { asn: vpn.awsAsn, originates: own(c), readvertises: VGW_READVERTISES_LEARNED_ROUTES }] as const,
    ),
    ...vpn.azureGateways.map(
      (g) =>
        [
          g.cluster,
          {
            asn: vpn.azureAsn,
            originates: own(g.cluster),
            readvertises: VPN_GATEWAY_READVERTISES_LEARNED_ROUTES,
          },
        ] as const,
    ),
    ...sites.map((s) => [s.name, { asn: s.asn, originates: s.ranges, readvertises: true }] as const),
  ]);
  const sessions = new Set<string>();
  const neighbours = new Map<string, string[]>();
  const connect = (a: string, b: string) => {
    const key = [a, b].sort().join("\u0000");
    if (sessions.has(key) || !speakers.has(a) || !speakers.has(b)) return;
    sessions.add(key);
    neighbours.set(a, [...(neighbours.get(a) ?? []), b]);
    neighbours.set(b, [...(neighbours.get(b) ?? []), a]);
  };
  for (const c of vpn.awsConnections) {
    const far = c.customerGateway;
    connect(c.awsCluster, "site" in far ? far.site : far.azureCluster);
  }
  for (const g of vpn.azureGateways) {
    for (const local of g.localGateways) if ("site" in local.peer) connect(g.cluster, local.peer.site);
  }

  const tables = new Map<string, Map<string, BgpRoute>>([...speakers.keys()].map((n) => [n, new Map()]));
  const advertised = (name: string): { prefix: string; path: readonly number[] }[] => {
    const speaker = speakers.get(name) as Speaker;
    const learned = speaker.readvertises ? [...(tables.get(name)?.values() ?? [])] : [];
    return [
      ...speaker.originates.map((prefix) => ({ prefix, path: [speaker.asn] })),
      ...learned.map((r) => ({ prefix: r.prefix, path: [speaker.asn, ...r.path] })),
    ];
  };
  // Path-vector propagation to a fixed point: each round every speaker offers its table to its neighbours.
  for (let changed = true; changed; ) {
    changed = false;
    for (const name of speakers.keys()) {
      for (const neighbour of neighbours.get(name) ?? []) {
        const receiver = speakers.get(neighbour) as Speaker;
        const table = tables.get(neighbour) as Map<string, BgpRoute>;
        for (const { prefix, path } of advertised(name)) {
          if (path.includes(receiver.asn) || receiver.originates.includes(prefix)) continue;
          const current = table.get(prefix);
          if (current && current.path.length <= path.length) continue;
          table.set(prefix, { prefix, from: name, path });
          changed = true;
        }
      }
    }
  }
  return new Map([...tables].map(([name, table]) => [name, [...table.values()]]));
}
