/**
 * The addresses the mock clouds assign, from one place. Public (outside) addresses come from the
 * documentation ranges, never a real host: AWS VPN tunnel ends from 203.0.113.0/24, Azure public IPs from
 * 198.51.100.0/24, each host picked from the resource's name. Addresses a cloud assigns inside a subnet are
 * taken from the subnet's prefix as its Subnet resource registered it (`recordSubnet`).
 */
import { addressAt, cidr } from "../../plan/cidr";
import { throwawayBytes } from "./throwaway";

export const MOCK_PUBLIC_RANGES = {
  awsVpnTunnels: "203.0.113.0/24",
  azurePublicIps: "198.51.100.0/24",
} as const;

/** A host of `range` (never its network or broadcast address), the same for the same label. */
export function publicAddress(range: keyof typeof MOCK_PUBLIC_RANGES, label: string): string {
  const block = cidr(MOCK_PUBLIC_RANGES[range]);
  const hosts = 2 ** (32 - block.prefix) - 2;
  return addressAt(block, 1 + (throwawayBytes(label, 2).readUInt16BE(0) % hosts));
}

const subnetPrefixes = new Map<string, string>();

/** Remembers a subnet's prefix by its id, for what the cloud later assigns in it. */
export function recordSubnet(id: string, addressPrefix: unknown): void {
  if (typeof addressPrefix === "string") subnetPrefixes.set(id, addressPrefix);
}

/** The `offset`-th address of a registered subnet. */
export function addressInSubnet(id: string, offset: number): string {
  const prefix = subnetPrefixes.get(id);
  if (!prefix) throw new Error(`mock: no subnet ${id} was registered before a resource placed in it`);
  return addressAt(cidr(prefix), offset);
}
