/**
 * Facts about Azure and AKS that the program relies on, each with its upstream source. Facts only: this
 * module imports nothing from the project at runtime (one type, the shape of an NSG rule, erased when
 * compiled), so every pure layer (plan, manifests, verifiers, the mock runtime) reads the same ones.
 */
import type { NsgRule } from "./network";

/**
 * The value of `topology.kubernetes.io/zone` on an AKS node of availability zone `zone` ("1", "2", "3",
 * the form ARM's `availabilityZones` and public IP `zones` take): `<region>-<zone>`, e.g. `westeurope-1`.
 * Sources: Microsoft Learn, "Use availability zones in AKS" (verify node distribution across zones:
 * `topology.kubernetes.io/zone=eastus2-1`); kubernetes-sigs/cloud-provider-azure `pkg/provider/azure_vmss.go`
 * `GetZoneByNodeName` (`makeZone(location, zoneID)`, lower-cased). A node without a zone carries its fault
 * domain number instead, which nothing may pin to.
 */
export const aksNodeZoneLabel = (region: string, zone: string): string => `${region.toLowerCase()}-${zone}`;

/**
 * The Key Vault key operations the AKS KMS plugin calls on the cluster's KMS key: `encrypt` and `decrypt`
 * (RSA1_5), never `wrapKey`/`unwrapKey`. Key Vault enforces a key's `key_ops` on every call (403
 * KeyOperationForbidden), so the key must allow exactly these. Sources: Azure/kubernetes-kms
 * `pkg/plugin/keyvault.go` (`Encrypt` and `Decrypt` call Key Vault's encrypt and decrypt); its manual
 * install grants `--key-permissions decrypt encrypt`.
 */
export const AKS_KMS_KEY_OPERATIONS = ["encrypt", "decrypt"] as const;

/**
 * ASNs Azure reserves for its own peerings: no local network gateway (what an Azure VPN gateway peers with:
 * an AWS virtual private gateway, a site's device) may carry one. Public 8074-8076 and 12076 (revisions
 * of the FAQ name 8074-8075 and 8075-8076: both kept), private 65515 and 65517-65520 (65516 is not
 * reserved). Source: Microsoft Learn, "About BGP and VPN Gateway" (FAQ: "Are there ASNs reserved by Azure?").
 */
export const AZURE_RESERVED_ASNS: readonly (readonly [number, number])[] = [
  [8074, 8076],
  [12076, 12076],
  [65515, 65515],
  [65517, 65520],
];

/**
 * The VPN gateway generations each zone-redundant SKU is offered in: VpnGw1AZ only in Generation1,
 * VpnGw4AZ and VpnGw5AZ only in Generation2, VpnGw2AZ and VpnGw3AZ in both (Generation2 is faster at the
 * same price). Source: Microsoft Learn, "About VPN Gateway SKUs" (gateway SKUs by generation table).
 */
export const VPN_GATEWAY_SKU_GENERATIONS: Readonly<
  Record<string, readonly ("Generation1" | "Generation2")[]>
> = {
  VpnGw1AZ: ["Generation1"],
  VpnGw2AZ: ["Generation1", "Generation2"],
  VpnGw3AZ: ["Generation1", "Generation2"],
  VpnGw4AZ: ["Generation2"],
  VpnGw5AZ: ["Generation2"],
};

/**
 * A BGP-enabled VPN gateway propagates the routes it learns from one BGP peer to all its other BGP peers
 * (transit routing), and its VNet learns them all; nothing filters them. Source: Microsoft Learn, "How to
 * configure BGP on Azure VPN Gateways" (about BGP: "BGP can also enable transit routing among multiple
 * networks by propagating routes a BGP gateway learns from one BGP peer to all other BGP peers"). So a site
 * on an Azure gateway is announced onward to the AWS gateways, and every route learned joins the VNet's
 * `VirtualNetwork` tag (`virtualNetworkTag`).
 */
export const VPN_GATEWAY_READVERTISES_LEARNED_ROUTES = true;

/**
 * Labels AKS puts on the nodes of an agent pool. Source: kubernetes/autoscaler
 * `cluster-autoscaler/cloudprovider/azure` (`AzureNodepoolLabel` `kubernetes.azure.com/agentpool`,
 * `AzureNodepoolLegacyLabel` `agentpool`).
 */
export const aksNodePoolLabels = (pool: string): Readonly<Record<string, string>> => ({
  "kubernetes.azure.com/agentpool": pool,
  agentpool: pool,
});

/**
 * The topology key of the Azure Disk CSI driver: its node plugin labels each node with its zone (the same
 * value as `topology.kubernetes.io/zone`, e.g. `westeurope-1`), and a zonal (LRS) disk it provisions is bound
 * to nodes of that zone. Sources: kubernetes-sigs/azuredisk-csi-driver (`topology.disk.csi.azure.com/zone`);
 * kubernetes/autoscaler `cluster-autoscaler/cloudprovider/azure` (template nodes carry both labels).
 */
export const AZURE_DISK_CSI_ZONE_KEY = "topology.disk.csi.azure.com/zone";

/**
 * The OS disk AKS gives a node pool that names none (the program sets no `osDiskType` or `osDiskSizeGB`).
 * Microsoft Learn, "Storage options for applications in AKS", Default OS disk sizing: an ephemeral OS disk
 * (free, on the VM's local storage) when the size supports it and its temp storage is at least 128 GiB;
 * otherwise a managed Premium SSD sized by vCPUs: 1-7 → 128 GiB (P10), 8-15 → 256 GiB (P15),
 * 16-63 → 512 GiB (P20), 64+ → 1024 GiB (P30).
 *
 * Local temp storage is what the `d` in a size's suffix names (Ddsv5, Dadsv5, Edsv5, Ddsv6 ...), at 37.5 GiB
 * per vCPU or more, so those sizes reach 128 GiB from 4 vCPUs. Other sizes are taken as managed; a v3 size
 * whose cache disk would hold the OS gets an ephemeral disk instead, and then this overestimates.
 */
export function aksDefaultOsDisk(vmSize: string, vcpus: number): number | "ephemeral" {
  const suffix = vmSize.replace(/^Standard_[A-Z]\d+/, "");
  const localDisk = /^[a-z]*d[a-z]*_v\d+$/.test(suffix);
  if (localDisk && vcpus >= 4) return "ephemeral";
  if (vcpus < 8) return 128;
  if (vcpus < 16) return 256;
  if (vcpus < 64) return 512;
  return 1024;
}

/**
 * With `outboundType: loadBalancer`, AKS creates a public Standard load balancer (`kubernetes`) with one
 * outbound rule and one managed outbound public IP by default (Microsoft Learn, "Use a public standard load
 * balancer in AKS": managed outbound IPs, default count 1). Public LoadBalancer Services add their rules to it.
 */
export const AKS_OUTBOUND = { rules: 1, publicIps: 1 } as const;

/**
 * The maintenance configurations AKS reads for the upgrades it starts on its own, by fixed name:
 * `aksManagedAutoUpgradeSchedule` for Kubernetes version upgrades of the cluster's `upgradeChannel`, and
 * `aksManagedNodeOSUpgradeSchedule` for node images of its `nodeOSUpgradeChannel` (NodeImage, SecurityPatch).
 * A window lasts 4 to 24 hours and recurs (here weekly); AKS may still break it for urgent maintenance, and
 * it drains nodes through the eviction API, so PodDisruptionBudgets hold (failing the upgrade once its drain
 * timeout, 30 minutes by default, passes). Sources: Microsoft Learn, "Use planned maintenance to schedule
 * and control upgrades for your AKS cluster"; "Upgrade options for AKS clusters" (drain timeout, PDBs);
 * @pulumi/azure-native 3.28.0 `containerservice.MaintenanceConfiguration` (`maintenanceWindow.durationHours`:
 * "range from 4 to 24 hours").
 */
export const AKS_MAINTENANCE_CONFIGS = {
  kubernetes: "aksManagedAutoUpgradeSchedule",
  nodeOs: "aksManagedNodeOSUpgradeSchedule",
} as const;

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

/**
 * The cloud provider writes the frontend's address to a LoadBalancer Service's status
 * (kubernetes-sigs/cloud-provider-azure `pkg/provider/azure_loadbalancer.go`, the service's load balancer
 * status: `LoadBalancerIngress{IP: ...}`), so the service proxy of every node intercepts in-cluster traffic
 * to it (`serviceProxyAdmits` in `infra/kubernetes/behaviour.ts`): it never reaches the Azure load balancer
 * or its NSG rules.
 */
export const AZURE_LB_STATUS_HAS_ADDRESS = true;

/**
 * What implements Services on an AKS cluster's nodes: with the Cilium dataplane (Azure CNI Powered by
 * Cilium) Cilium's eBPF service load balancing replaces kube-proxy (Azure/azure-container-networking
 * `docs/cilium.md`: "high performance service load balancing with eBPF"); otherwise kube-proxy, in AKS's
 * default iptables mode.
 */
export const aksServiceProxy = (dataplane: "cilium" | "azure"): "cilium" | "kube-proxy" =>
  dataplane === "cilium" ? "cilium" : "kube-proxy";

/**
 * The end of life of each AKS Kubernetes minor (12 months of support from AKS GA; a month without a day means
 * its last day). After it a cluster has platform support only, and AKS creates no new cluster on it. Source:
 * Microsoft Learn, "Supported Kubernetes versions in Azure Kubernetes Service (AKS)", AKS Kubernetes release
 * calendar (revision of 2026-08-05).
 */
export const AKS_END_OF_LIFE: Readonly<Record<string, string>> = {
  "1.32": "2026-03-31",
  "1.33": "2026-07-31",
  "1.34": "2026-11-30",
  "1.35": "2027-03-31",
  "1.36": "2027-06-30",
  "1.37": "2027-10-31",
};

/**
 * How AKS moves an existing cluster between Kubernetes minors. A supported cluster upgrades one minor at a
 * time and never downgrades; a cluster on an unsupported minor (past its end of life, `AKS_END_OF_LIFE`) may
 * skip minors to a supported one, with no guarantee of functionality and outside the SLA (Microsoft Learn,
 * "Upgrade an Azure Kubernetes Service (AKS) cluster", Kubernetes version upgrades; "AKS upgrades frequently
 * asked questions"; ManagedClusterProperties.kubernetesVersion). A node pool runs the control plane's major,
 * at most two minors behind it and never ahead (AgentPool.orchestratorVersion: "within two minor versions of
 * the control plane version", "cannot be greater than the control plane version"). With `kubernetesVersion`
 * major.minor, AKS reports the patch it chose in `currentKubernetesVersion` (major.minor.patch).
 */
export const AKS_VERSION_UPGRADE = {
  /** Minors one upgrade of a supported cluster may move. */
  maxMinorStep: 1,
  /** How far a node pool may trail the control plane: the user pools move after it, in the same update. */
  poolMaxMinorSkew: 2,
} as const;

// ---------------------------------------------------------------------------------------------------------
// The API server's endpoints, as a deployer meets them
// ---------------------------------------------------------------------------------------------------------

/**
 * A private AKS cluster's API server answers on a private endpoint "exposed on the subnet of your AKS cluster"
 * (Microsoft Learn, "Create a private Azure Kubernetes Service (AKS) cluster", overview), the node subnet; its
 * name resolves only in VNets linked to the cluster's private DNS zone (same doc). Authorized IP ranges apply
 * to a public API server only; a private cluster without its public FQDN has no public endpoint.
 */
export const AKS_PRIVATE_ENDPOINT_SUBNET = "private" as const;

/**
 * Whether a subnet's NSG filters traffic to the private endpoints in it: only when the subnet's private-endpoint
 * network policies are enabled, which they are not by default (Microsoft Learn, "Manage network policies for
 * private endpoints": network policies are disabled by default for a subnet; `Enabled` or
 * `NetworkSecurityGroupEnabled` turns the NSG on for private endpoints). Without them whatever reaches the
 * VNet reaches the endpoint.
 */
export function nsgFiltersPrivateEndpoints(privateEndpointNetworkPolicies: string | undefined): boolean {
  return (
    privateEndpointNetworkPolicies === "Enabled" ||
    privateEndpointNetworkPolicies === "NetworkSecurityGroupEnabled"
  );
}

/**
 * What a subnet's private-endpoint network policies are when the program does not set them: Azure's default,
 * which @pulumi/azure-native also sends for an unset value (`network/subnet.js`: `?? "Disabled"`).
 */
export const PRIVATE_ENDPOINT_NETWORK_POLICIES_DEFAULT = "Disabled";
