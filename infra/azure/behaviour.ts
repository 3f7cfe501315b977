/**
 * Facts about Azure the program relies on, each with its upstream source. Components, the mock runtime and
 * the verifiers read them here, never a copy.
 */
import type { NsgRule } from "./network";

// ---------------------------------------------------------------------------------------------------------
// AKS: NetworkPolicy enforcement
// ---------------------------------------------------------------------------------------------------------

/**
 * Policy engines AKS enforces NetworkPolicies with (`networkProfile.networkPolicy`). Without one
 * (`none`, or the field unset) AKS accepts NetworkPolicy objects and enforces nothing (Microsoft Learn,
 * "Secure traffic between pods by using network policies in AKS").
 */
const ENFORCING_POLICY_ENGINES: readonly string[] = ["cilium", "calico", "azure"];

/** Whether an AKS cluster with this network profile enforces NetworkPolicies. */
export function aksEnforcesNetworkPolicies(profile: { readonly networkPolicy?: string }): boolean {
  return profile.networkPolicy !== undefined && ENFORCING_POLICY_ENGINES.includes(profile.networkPolicy);
}

// ---------------------------------------------------------------------------------------------------------
// Network security groups
// ---------------------------------------------------------------------------------------------------------

/**
 * The rules Azure adds to every NSG, below any custom rule (custom priorities are 100-4096): the VNet and
 * the Azure load balancer in, everything else denied; the VNet and the Internet out. Microsoft Learn,
 * "Network security groups — default security rules" (names, priorities, prefixes as listed there).
 */
export const AZURE_DEFAULT_NSG_RULES: readonly NsgRule[] = [
  defaultRule("AllowVnetInBound", 65000, "Inbound", "Allow", "VirtualNetwork", "VirtualNetwork"),
  defaultRule("AllowAzureLoadBalancerInBound", 65001, "Inbound", "Allow", "AzureLoadBalancer", "*"),
  defaultRule("DenyAllInBound", 65500, "Inbound", "Deny", "*", "*"),
  defaultRule("AllowVnetOutBound", 65000, "Outbound", "Allow", "VirtualNetwork", "VirtualNetwork"),
  defaultRule("AllowInternetOutBound", 65001, "Outbound", "Allow", "*", "Internet"),
  defaultRule("DenyAllOutBound", 65500, "Outbound", "Deny", "*", "*"),
];

function defaultRule(
  name: string,
  priority: number,
  direction: NsgRule["direction"],
  access: NsgRule["access"],
  sourceAddressPrefix: string,
  destinationAddressPrefix: string,
): NsgRule {
  return {
    name,
    priority,
    direction,
    access,
    protocol: "*",
    sourceAddressPrefix,
    destinationAddressPrefix,
    sourcePortRange: "*",
    destinationPortRange: "*",
    description: "Azure default rule",
  };
}

/**
 * The address the `AzureLoadBalancer` service tag stands for in NSG rules: the health probes of every Azure
 * load balancer come from it (Microsoft Learn, "What is IP address 168.63.129.16?").
 */
export const AZURE_LOAD_BALANCER_PROBE_ADDRESS = "168.63.129.16";

/**
 * What the `VirtualNetwork` service tag covers for one VNet's NSGs: its own address space, the address
 * spaces of the VNets peered with it, and the on-premises ranges its VPN gateway connects (learned over
 * BGP or set on a local network gateway). Microsoft Learn, "Virtual network service tags" (VirtualNetwork).
 * So `AllowVnetInBound` admits every peer and every site unless a custom rule denies them first. An overlay
 * cluster's own pod range counts too: its pod-to-pod traffic is not encapsulated and meets the subnet NSGs,
 * which need extra rules only if they deny the pod range (Microsoft Learn, "Azure CNI Overlay networking",
 * network security groups): the default rules admit it.
 */
export function virtualNetworkTag(parts: {
  readonly addressSpace: readonly string[];
  readonly overlayPodRanges: readonly string[];
  readonly peeredAddressSpaces: readonly string[];
  readonly gatewayRanges: readonly string[];
}): string[] {
  return [
    ...new Set([
      ...parts.addressSpace,
      ...parts.overlayPodRanges,
      ...parts.peeredAddressSpaces,
      ...parts.gatewayRanges,
    ]),
  ];
}

/**
 * Whether an address is in the `Internet` service tag: outside the virtual network (`virtualNetworkTag`)
 * and public, i.e. reachable from the Internet (Microsoft Learn, "Virtual network service tags"). A private
 * range that is not routed to the VNet is in neither tag.
 */
export const inInternetTag = (address: { readonly inVirtualNetwork: boolean; readonly isPublic: boolean }) =>
  address.isPublic && !address.inVirtualNetwork;

// ---------------------------------------------------------------------------------------------------------
// AKS: pod addresses and the cloud provider's load balancer rules
// ---------------------------------------------------------------------------------------------------------

/**
 * Which address a pod's traffic to another network leaves with: pod-subnet and node-subnet pods have VNet
 * addresses of their own (Microsoft Learn, "Azure CNI Pod Subnet"; "Configure Azure CNI networking");
 * overlay pods are SNATed to their node's address on leaving the cluster (Microsoft Learn, "Azure CNI
 * Overlay networking": pod CIDR not routable outside the cluster).
 */
export const aksPodLeavesAs = (mode: "node-subnet" | "pod-subnet" | "overlay"): "pod" | "node" =>
  mode === "overlay" ? "node" : "pod";

/** A LoadBalancer Service as the AKS cloud provider programs the cluster's own NSG for it. */
export interface CloudProviderService {
  readonly name: string;
  readonly loadBalancerSourceRanges: readonly string[];
  readonly ports: readonly number[];
}

/**
 * Whether the cloud provider's NSG rules for a Service admit `source` on `port` of its frontend: with
 * loadBalancerSourceRanges, an allow rule for those ranges to the frontend's ports and a deny of everything
 * else to the frontend (kubernetes-sigs/cloud-provider-azure `reconcileSecurityGroup`: "allow ... from
 * allowed-IPs", "deny all rule for destination"); without, nothing narrower than the subnet NSG.
 */
export function cloudProviderAdmits(
  service: CloudProviderService,
  port: number,
  sourceInRanges: boolean,
): { readonly admitted: boolean; readonly rule: string } {
  if (!service.ports.includes(port)) return { admitted: false, rule: `${service.name} has no port ${port}` };
  if (service.loadBalancerSourceRanges.length === 0) {
    return { admitted: true, rule: `${service.name}: no loadBalancerSourceRanges` };
  }
  return sourceInRanges
    ? { admitted: true, rule: `${service.name}: loadBalancerSourceRanges` }
    : { admitted: false, rule: `${service.name}: deny all but loadBalancerSourceRanges` };
}
