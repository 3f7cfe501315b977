/**
 * An Azure network security group, evaluated as Azure does: the rules of the packet's direction in priority
 * order, the NSG's own first and then Azure's default rules (`AZURE_DEFAULT_NSG_RULES`); the first rule
 * whose protocol, addresses and port match decides (Microsoft Learn, "Network security groups": "Once
 * traffic matches a rule, processing stops"). Service tags stand for the prefixes they cover for this NSG.
 */
import {
  AZURE_DEFAULT_NSG_RULES,
  AZURE_LOAD_BALANCER_PROBE_ADDRESS,
  inInternetTag,
} from "../../azure/behaviour";
import type { NsgRule } from "../../azure/network";
import { inAnyPrefix, inPrefix, isPublicAddress } from "./addresses";

export interface NsgPacket {
  readonly direction: NsgRule["direction"];
  readonly source: string;
  readonly destination: string;
  readonly port: number;
}

/** What the service tags cover for this NSG: `VirtualNetwork` from `virtualNetworkTag`. */
export interface NsgTags {
  readonly virtualNetwork: readonly string[];
}

export interface NsgVerdict {
  readonly access: NsgRule["access"];
  readonly rule: string;
  readonly priority: number;
}

function matchesAddress(prefix: string, address: string, tags: NsgTags): boolean {
  switch (prefix) {
    case "*":
      return true;
    case "VirtualNetwork":
      return inAnyPrefix(address, tags.virtualNetwork);
    case "AzureLoadBalancer":
      return address === AZURE_LOAD_BALANCER_PROBE_ADDRESS;
    case "Internet":
      return inInternetTag({
        inVirtualNetwork: inAnyPrefix(address, tags.virtualNetwork),
        isPublic: isPublicAddress(address),
      });
    default:
      return inPrefix(address, prefix);
  }
}

function matchesPort(range: string, port: number): boolean {
  if (range === "*") return true;
  const [low, high = low] = range.split("-").map(Number);
  return port >= low && port <= high;
}

const prefixesOf = (one: string | undefined, many: readonly string[] | undefined): readonly string[] =>
  many ?? (one === undefined ? [] : [one]);

export function ruleMatches(rule: NsgRule, packet: NsgPacket, tags: NsgTags): boolean {
  return (
    rule.direction === packet.direction &&
    // Every flow the verifier evaluates is TCP.
    (rule.protocol === "*" || rule.protocol === "Tcp") &&
    prefixesOf(rule.sourceAddressPrefix, rule.sourceAddressPrefixes).some((p) =>
      matchesAddress(p, packet.source, tags),
    ) &&
    prefixesOf(rule.destinationAddressPrefix, rule.destinationAddressPrefixes).some((p) =>
      matchesAddress(p, packet.destination, tags),
    ) &&
    prefixesOf(rule.destinationPortRange, rule.destinationPortRanges).some((r) => matchesPort(r, packet.port))
  );
}

export function evaluateNsg(rules: readonly NsgRule[], packet: NsgPacket, tags: NsgTags): NsgVerdict {
  const ordered = [...rules, ...AZURE_DEFAULT_NSG_RULES]
    .filter((r) => r.direction === packet.direction)
    .sort((a, b) => a.priority - b.priority);
  const decisive = ordered.find((r) => ruleMatches(r, packet, tags));
  // DenyAllInBound / DenyAllOutBound match everything: a decisive rule always exists.
  if (!decisive) throw new Error("no NSG rule matched, not even Azure's default deny");
  return { access: decisive.access, rule: decisive.name, priority: decisive.priority };
}
