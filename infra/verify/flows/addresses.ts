/** Addresses and prefixes as the firewalls match them: a rule's prefix is a CIDR or a single address. */
import { type Cidr, cidr, cidrContains } from "../../plan/cidr";

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
