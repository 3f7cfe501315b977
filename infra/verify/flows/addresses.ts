/** Addresses and prefixes as the firewalls match them: a rule's prefix is a CIDR or a single address. */
import { type Cidr, cidr, cidrContains, cidrLast, cidrsOverlap, formatAddress } from "../../plan/cidr";

const asCidr = (prefix: string): Cidr => cidr(prefix.includes("/") ? prefix : `${prefix}/32`);

/** Whether `address` lies in `prefix` (`a.b.c.d/n`, or `a.b.c.d` for one address). */
export const inPrefix = (address: string, prefix: string): boolean =>
  cidrContains(asCidr(prefix), asCidr(address));

export const inAnyPrefix = (address: string, prefixes: readonly string[]): boolean =>
  prefixes.some((p) => inPrefix(address, p));

/** Private and shared address space (RFC 1918, RFC 6598, link-local, loopback): never routed from the Internet. */
const NON_PUBLIC = [
  "10.0.0.0/8",
  "172.16.0.0/12",
  "192.168.0.0/16",
  "100.64.0.0/10",
  "169.254.0.0/16",
  "127.0.0.0/8",
];

export const isPublicAddress = (address: string): boolean => !inAnyPrefix(address, NON_PUBLIC);

/**
 * An address of `ranges` that no prefix of `covered` holds, if there is one: the first host of a range, or
 * the address just past (or just before) a covered prefix inside it. Where the covered prefixes leave a gap
 * in a range, one of these lies in it.
 */
export function uncoveredAddress(ranges: readonly string[], covered: readonly string[]): string | undefined {
  const blocks = covered.map(asCidr);
  for (const text of ranges) {
    const range = cidr(text);
    const candidates = [
      range.prefix >= 31 ? range.base : range.base + 1,
      ...blocks.filter((b) => cidrsOverlap(b, range)).flatMap((b) => [cidrLast(b) + 1, b.base - 1]),
    ].filter((n) => n >= range.base && n <= cidrLast(range));
    const free = candidates.map(formatAddress).find((a) => !inAnyPrefix(a, covered));
    if (free) return free;
  }
  return undefined;
}
