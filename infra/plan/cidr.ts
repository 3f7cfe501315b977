/**
 * IPv4 CIDR arithmetic for the planner. Ranges are held as (first address as an unsigned 32-bit
 * number, prefix length) so containment, overlap and subnetting are plain integer maths;
 * `ipaddr.js` does the strict parsing and formatting of dotted quads.
 */
import ipaddr from "ipaddr.js";

export interface Cidr {
  /** First address of the range, as an unsigned 32-bit integer. */
  readonly base: number;
  readonly prefix: number;
}

export type CidrParse =
  | { readonly ok: true; readonly cidr: Cidr }
  | { readonly ok: false; readonly reason: string };

const toInt = (octets: readonly number[]) => octets.reduce((acc, o) => acc * 256 + o, 0);
const toOctets = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];

export const cidrSize = (c: Cidr): number => 2 ** (32 - c.prefix);
export const cidrLast = (c: Cidr): number => c.base + cidrSize(c) - 1;
export const formatAddress = (n: number): string => new ipaddr.IPv4(toOctets(n)).toString();
export const formatCidr = (c: Cidr): string => `${formatAddress(c.base)}/${c.prefix}`;

/** Parses `a.b.c.d/n`, refusing shorthand forms and ranges with host bits set (10.0.0.1/16). */
export function parseCidr(text: string): CidrParse {
  if (!ipaddr.IPv4.isValidCIDRFourPartDecimal(text)) {
    return { ok: false, reason: `"${text}" is not an IPv4 CIDR: expected a.b.c.d/n with n from 0 to 32` };
  }
  const [address, prefix] = ipaddr.IPv4.parseCIDR(text);
  const given = toInt(address.octets);
  const base = given - (given % 2 ** (32 - prefix));
  if (base !== given) {
    const fixed = formatCidr({ base, prefix });
    return {
      ok: false,
      reason: `"${text}" has host bits set: the /${prefix} range that contains it is ${fixed}`,
    };
  }
  return { ok: true, cidr: { base, prefix } };
}

/** Parses a CIDR the program itself wrote (constants, tests); throws on a malformed one. */
export function cidr(text: string): Cidr {
  const parsed = parseCidr(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.cidr;
}

export const cidrContains = (outer: Cidr, inner: Cidr): boolean =>
  outer.prefix <= inner.prefix && inner.base >= outer.base && cidrLast(inner) <= cidrLast(outer);

export const cidrsOverlap = (a: Cidr, b: Cidr): boolean => a.base <= cidrLast(b) && b.base <= cidrLast(a);

/** How many aligned /prefix blocks a range holds. */
export function subnetCount(range: Cidr, prefix: number): number {
  if (prefix < range.prefix || prefix > 32)
    throw new RangeError(`/${prefix} does not fit in ${formatCidr(range)}`);
  return 2 ** (prefix - range.prefix);
}

/** The n-th (0-based) aligned /prefix block inside a range. */
export function nthSubnet(range: Cidr, prefix: number, n: number): Cidr {
  if (!Number.isInteger(n) || n < 0 || n >= subnetCount(range, prefix)) {
    throw new RangeError(`${formatCidr(range)} has no /${prefix} block number ${n}`);
  }
  return { base: range.base + n * 2 ** (32 - prefix), prefix };
}

/** The address `offset` places after the start of a range. */
export function addressAt(range: Cidr, offset: number): string {
  if (!Number.isInteger(offset) || offset < 0 || offset >= cidrSize(range)) {
    throw new RangeError(`${formatCidr(range)} has no address at offset ${offset}`);
  }
  return formatAddress(range.base + offset);
}

/**
 * The first aligned /prefix block inside `supernet` that overlaps none of `taken`, probing slot by
 * slot from `startSlot` and wrapping around; undefined when every slot is taken.
 */
export function allocateBlock(
  supernet: Cidr,
  prefix: number,
  taken: readonly Cidr[],
  startSlot = 0,
): Cidr | undefined {
  const slots = subnetCount(supernet, prefix);
  let slot = startSlot % slots;
  let probed = 0;
  while (probed < slots) {
    const candidate = nthSubnet(supernet, prefix, slot);
    const blocker = taken.find((t) => cidrsOverlap(t, candidate));
    if (!blocker) return candidate;
    // Skip every slot the blocker covers at once, so a large taken range costs one step.
    const blockerEndSlot = Math.floor(
      (Math.min(cidrLast(blocker), cidrLast(supernet)) - supernet.base) / cidrSize(candidate),
    );
    const step = Math.max(1, blockerEndSlot - slot + 1);
    probed += step;
    slot = (slot + step) % slots;
  }
  return undefined;
}
