/**
 * The addresses the mock clouds assign, from one place. Public (outside) addresses come from the
 * documentation ranges, never a real host: AWS VPN tunnel ends from 203.0.113.0/24, Azure public IPs from
 * 198.51.100.0/24, each host picked from the resource's name, distinct within the stack. Addresses a cloud
 * assigns inside a subnet are taken from the subnet's prefix as its Subnet resource registered it
 * (`recordSubnet`).
 */
import { addressAt, cidr } from "../../plan/cidr";
import { throwawayBytes } from "./throwaway";

export const MOCK_PUBLIC_RANGES = {
  awsVpnTunnels: "203.0.113.0/24",
  azurePublicIps: "198.51.100.0/24",
} as const;

/** Addresses handed out so far, per stack and range: a cloud never gives one address to two resources. */
const handedOut = new Map<string, Map<string, string>>();

/**
 * A host of `range` (never its network or broadcast address) for the resource `label` of `stack`: picked from
 * the label, the next free one when another resource of the stack has it, the same again for the same label.
 */
export function publicAddress(range: keyof typeof MOCK_PUBLIC_RANGES, stack: string, label: string): string {
  const key = `${stack}\u0000${range}`;
  const byAddress = handedOut.get(key) ?? new Map<string, string>();
  handedOut.set(key, byAddress);
  for (const [address, holder] of byAddress) if (holder === label) return address;
  const block = cidr(MOCK_PUBLIC_RANGES[range]);
  const hosts = 2 ** (32 - block.prefix) - 2;
  const first = throwawayBytes(`${stack}:${label}`, 2).readUInt16BE(0) % hosts;
  for (let k = 0; k < hosts; k++) {
    const address = addressAt(block, 1 + ((first + k) % hosts));
    if (!byAddress.has(address)) {
      byAddress.set(address, label);
      return address;
    }
  }
  throw new Error(`mock: ${MOCK_PUBLIC_RANGES[range]} has no address left for ${label} of stack ${stack}`);
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
