/**
 * Inside addresses of VPN tunnels. Every tunnel gets its own /30 (AWS takes the first host, the other
 * side the second) from the APIPA range Azure accepts as custom BGP addresses, 169.254.21.0 -
 * 169.254.22.255; none of the /30s AWS reserves lies there, so both clouds accept every one of them.
 *
 * Stability, as for cluster ranges: pinned tunnels keep their /30; every other tunnel starts at the /30
 * its name hashes to and probes forward to the first free one, in the order the caller gives (tunnels
 * of appended clusters last). A tunnel that had to probe past another unpinned tunnel depends on it, so
 * it is reported (`displaced`) for the planner to warn with the value that pins it.
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
  | {
      readonly tunnels: ReadonlyMap<string, TunnelAddresses>;
      /** Tunnels placed past the /30 they prefer because an unpinned tunnel held it, with that tunnel. */
      readonly displaced: readonly { readonly name: string; readonly by: string }[];
    }
  | { readonly exhausted: number };

/** The pool slot of a /30 given as text, or undefined when it is not a /30 of the APIPA range. */
export function tunnelSlot(text: string): number | undefined {
  const slot = POOL.findIndex((block) => formatCidr(block) === text);
  return slot < 0 ? undefined : slot;
}

const addressesOf = (slot: number): TunnelAddresses => {
  const block = POOL[slot];
  return {
    insideCidr: formatCidr(block),
    awsInsideAddress: addressAt(block, 1),
    peerInsideAddress: addressAt(block, 2),
  };
};

/**
 * A /30 for every tunnel name, in the given order, keeping the pinned slots (valid, distinct slots of
 * `tunnelSlot`, checked by the caller); `exhausted` says how many tunnels there were when they do not fit.
 */
export function allocateTunnels(
  names: readonly string[],
  pinned: ReadonlyMap<string, number> = new Map(),
): TunnelAllocation {
  if (names.length > TUNNEL_CAPACITY) return { exhausted: names.length };
  const owners = new Map<number, string>();
  for (const [name, slot] of pinned) if (names.includes(name)) owners.set(slot, name);
  const tunnels = new Map<string, TunnelAddresses>();
  const displaced: { name: string; by: string }[] = [];
  for (const name of names) {
    const pin = pinned.get(name);
    if (pin !== undefined) {
      tunnels.set(name, addressesOf(pin));
      continue;
    }
    const preferred = preferredSlot(name, TUNNEL_CAPACITY);
    let slot = preferred;
    while (owners.has(slot)) slot = (slot + 1) % TUNNEL_CAPACITY;
    const blocker = owners.get(preferred);
    if (blocker !== undefined && !pinned.has(blocker)) displaced.push({ name, by: blocker });
    owners.set(slot, name);
    tunnels.set(name, addressesOf(slot));
  }
  return { tunnels, displaced };
}
