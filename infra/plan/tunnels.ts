/**
 * Inside addresses of VPN tunnels. Every tunnel gets its own /30 (AWS takes the first host, the other
 * side the second) from the APIPA range Azure accepts as custom BGP addresses, 169.254.21.0 -
 * 169.254.22.255; none of the /30s AWS reserves lies there, so both clouds accept every one of them.
 *
 * Stability, as for cluster ranges: a tunnel starts at the /30 its name hashes to and probes forward
 * to the first free one, and tunnels are allocated in the order the caller gives. Callers order the
 * tunnels of appended clusters and sites last, so appending one moves no existing tunnel.
 */
import { preferredSlot } from "./addressing";
import { addressAt, type Cidr, cidr, formatCidr, nthSubnet, subnetCount } from "./cidr";

/** Azure's custom APIPA BGP range, as aligned blocks. */
export const APIPA_TUNNEL_RANGES: readonly string[] = ["169.254.21.0/24", "169.254.22.0/24"];

/** Inside CIDRs AWS refuses for a tunnel (none lies in APIPA_TUNNEL_RANGES; a test keeps it so). */
export const AWS_RESERVED_INSIDE_CIDRS: readonly string[] = [
  "169.254.0.0/30",
  "169.254.1.0/30",
  "169.254.2.0/30",
  "169.254.3.0/30",
  "169.254.4.0/30",
  "169.254.5.0/30",
  "169.254.169.252/30",
];

const TUNNEL_PREFIX = 30;
const POOL: readonly Cidr[] = APIPA_TUNNEL_RANGES.map(cidr).flatMap((range) =>
  Array.from({ length: subnetCount(range, TUNNEL_PREFIX) }, (_, i) => nthSubnet(range, TUNNEL_PREFIX, i)),
);

/** How many tunnels the APIPA range holds. */
export const TUNNEL_CAPACITY = POOL.length;

export interface TunnelAddresses {
  readonly insideCidr: string;
  /** First host: the AWS gateway's end. */
  readonly awsInsideAddress: string;
  /** Second host: the far end, an Azure gateway's custom BGP address or a site's device. */
  readonly peerInsideAddress: string;
}

export type TunnelAllocation =
  | { readonly tunnels: ReadonlyMap<string, TunnelAddresses> }
  | { readonly exhausted: number };

/**
 * A /30 for every tunnel name, in the given order; `exhausted` says how many tunnels there were when
 * they do not fit.
 */
export function allocateTunnels(names: readonly string[]): TunnelAllocation {
  if (names.length > TUNNEL_CAPACITY) return { exhausted: names.length };
  const taken = new Set<number>();
  const tunnels = new Map<string, TunnelAddresses>();
  for (const name of names) {
    let slot = preferredSlot(name, TUNNEL_CAPACITY);
    while (taken.has(slot)) slot = (slot + 1) % TUNNEL_CAPACITY;
    taken.add(slot);
    const block = POOL[slot];
    tunnels.set(name, {
      insideCidr: formatCidr(block),
      awsInsideAddress: addressAt(block, 1),
      peerInsideAddress: addressAt(block, 2),
    });
  }
  return { tunnels };
}
