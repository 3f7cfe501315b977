/**
 * The AKS cluster's values, from the plan and the cluster's config: network profile, agent pools (the API
 * server's access is in `apiAccess.ts`). Components pass these to `containerservice.ManagedCluster` / `AgentPool` unchanged.
 */
import type { AzureClusterConfig, NetworkConfig } from "../config/schema";
import { azureMaxPods } from "../plan/capacity";
import { addressAt, cidr } from "../plan/cidr";
import type { ClusterPlan } from "../plan/types";

/** Standard tier: the financially backed API server SLA (the Free tier has none), billed per cluster-hour. */
export const AKS_SKU = { name: "Base", tier: "Standard" } as const;

/** The cluster DNS Service's offset in the service range (AKS and kubeadm convention: the 10th address). */
const DNS_SERVICE_OFFSET = 10;

export interface AksNetworkProfile {
  readonly networkPlugin: "azure";
  readonly networkPluginMode?: "overlay";
  readonly networkPolicy: "cilium" | "calico";
  readonly networkDataplane: "cilium" | "azure";
  readonly podCidr?: string;
  readonly serviceCidr: string;
  readonly dnsServiceIP: string;
  readonly loadBalancerSku: "standard";
  readonly outboundType: "loadBalancer";
}

/**
 * Azure CNI in the planned mode. NetworkPolicies must be enforced (the workloads rely on them): Cilium
 * (eBPF dataplane, the policy engine Azure recommends now that Azure NPM is retiring) in overlay and
 * pod-subnet mode, where AKS supports it; Calico in node-subnet mode. Every field here is fixed at
 * creation: changing one replaces the cluster.
 */
export function aksNetworkProfile(cluster: ClusterPlan, config: AzureClusterConfig): AksNetworkProfile {
  if (!cluster.serviceCidr) throw new Error(`cluster ${cluster.name} has no service range in the plan`);
  const mode = config.cni.mode;
  const cilium = mode !== "node-subnet";
  const overlay = mode === "overlay";
  if (overlay && !cluster.podCidr) throw new Error(`overlay cluster ${cluster.name} has no pod range`);
  return {
    networkPlugin: "azure",
    ...(overlay ? { networkPluginMode: "overlay", podCidr: cluster.podCidr } : {}),
    networkPolicy: cilium ? "cilium" : "calico",
    networkDataplane: cilium ? "cilium" : "azure",
    serviceCidr: cluster.serviceCidr,
    dnsServiceIP: addressAt(cidr(cluster.serviceCidr), DNS_SERVICE_OFFSET),
    loadBalancerSku: "standard",
    outboundType: "loadBalancer",
  };
}

export interface AksAgentPool {
  readonly name: string;
  readonly mode: "System" | "User";
  readonly vmSize: string;
  readonly count: number;
  readonly enableAutoScaling: boolean;
  readonly minCount?: number;
  readonly maxCount?: number;
  /** Exactly the planner's pods per node for this pool. */
  readonly maxPods: number;
  readonly availabilityZones?: readonly string[];
  readonly upgradeSettings: { readonly maxSurge: string; readonly maxUnavailable?: string };
  readonly nodeLabels?: Readonly<Record<string, string>>;
  readonly nodeTaints?: readonly string[];
  /** Pods take addresses from the pod subnet one by one, as the planner's batch model assumes. */
  readonly podIPAllocationMode?: "DynamicIndividual";
  readonly usesPodSubnet: boolean;
  readonly osType: "Linux";
  readonly osSKU: "AzureLinux";
  readonly type: "VirtualMachineScaleSets";
}

type Scheduling = NetworkConfig["workloads"]["scheduling"];

/** A toleration that names a key and an effect, as the taint it tolerates (`key=value:Effect`). */
function taintsOf(scheduling: Scheduling): string[] {
  return scheduling.tolerations.flatMap((t) =>
    t.key && t.effect ? [`${t.key}${t.value === undefined ? "" : `=${t.value}`}:${t.effect}`] : [],
  );
}

/**
 * The pools from `nodePools`, the first as the System pool. `workloads.scheduling` labels the pools the
 * GoQuorum pods run on: with one pool that is the System pool, which gets the labels but never taints
 * (AKS's own system pods would not tolerate them); with several, the User pools get labels and taints and
 * the System pool keeps to system pods.
 */
export function aksAgentPools(
  cluster: ClusterPlan,
  config: AzureClusterConfig,
  scheduling: Scheduling,
): AksAgentPool[] {
  const labels = scheduling.nodeSelector;
  const taints = taintsOf(scheduling);
  const only = config.nodePools.length === 1;
  const podSubnet = config.cni.mode === "pod-subnet";
  return config.nodePools.map((pool, i) => {
    const system = i === 0;
    const scales = pool.maxCount !== undefined && pool.maxCount > pool.count;
    const runsWorkloads = only || !system;
    return {
      name: pool.name,
      mode: system ? "System" : "User",
      vmSize: pool.vmSize,
      count: pool.count,
      enableAutoScaling: scales,
      ...(scales ? { minCount: pool.count, maxCount: pool.maxCount } : {}),
      maxPods: azureMaxPods(pool, config.cni.mode),
      ...(cluster.zones.length > 0 ? { availabilityZones: [...cluster.zones] } : {}),
      // No surge means upgrading in place, one node at a time.
      upgradeSettings:
        pool.maxSurge > 0 ? { maxSurge: String(pool.maxSurge) } : { maxSurge: "0", maxUnavailable: "1" },
      ...(runsWorkloads && Object.keys(labels).length > 0 ? { nodeLabels: { ...labels } } : {}),
      ...(runsWorkloads && !system && taints.length > 0 ? { nodeTaints: taints } : {}),
      ...(podSubnet ? { podIPAllocationMode: "DynamicIndividual" } : {}),
      usesPodSubnet: podSubnet,
      osType: "Linux",
      osSKU: "AzureLinux",
      type: "VirtualMachineScaleSets",
    };
  });
}

/** The upgrades AKS makes on its own (`autoUpgrade`), as the cluster's `autoUpgradeProfile`. */
export function aksAutoUpgradeProfile(config: AzureClusterConfig): {
  readonly upgradeChannel: AzureClusterConfig["autoUpgrade"]["channel"];
  readonly nodeOSUpgradeChannel: AzureClusterConfig["autoUpgrade"]["nodeOs"];
} {
  return { upgradeChannel: config.autoUpgrade.channel, nodeOSUpgradeChannel: config.autoUpgrade.nodeOs };
}

/** The Key Vault Secrets Provider add-on: the Secrets Store CSI driver, re-reading secrets every 2 minutes. */
export const SECRETS_PROVIDER_ADDON = {
  azureKeyvaultSecretsProvider: {
    enabled: true,
    config: { enableSecretRotation: "true", rotationPollInterval: "2m" },
  },
} as const;
