/**
 * Pod IP capacity of a cloud cluster: how many pods its nodes can run (the CNI's max pods) and how
 * many pod addresses its subnets can hand out once nodes, warm pools and reserved addresses are
 * taken, against the pods the plan puts there. Formulas: VPC CNI (eni-max-pods, max-pods-calculator,
 * WARM_ENI/WARM_IP/MINIMUM_IP/WARM_PREFIX targets) and Azure CNI IP planning.
 *
 * Nodes are the pools' upper bounds (maxCount, else count) plus their surge. Surge nodes hold
 * addresses (they exist while the nodes they replace still do) but add no pod slots (each replaces
 * a drained node), so the pod-slot limit counts steady-state nodes only.
 * On AWS the node groups span the zones evenly, so each zone's subnet is sized for
 * ceil(nodes / zones) nodes of the hungriest instance type.
 */

import type { ConfigIssue } from "../config/issue";
import type { AwsClusterConfig, AzureClusterConfig, CloudClusterConfig } from "../config/schema";
import { usesPodCidr } from "./addressing";
import { type Cidr, cidrSize, formatCidr } from "./cidr";
import {
  type AwsInstanceType,
  awsInstanceType,
  awsInstanceTypeNames,
  azureVmSizeNames,
  isAzureVmSize,
} from "./instances";
import { error, warning } from "./issues";
import { plannedPods } from "./plannedPods";
import { didYouMean } from "./suggest";
import type { CapacityPlan, SubnetPlan } from "./types";

/** Prefix delegation's max pods cap: 110 up to 30 vCPUs, 250 above (max-pods-calculator). */
const PREFIX_DELEGATION_CAP = { small: 110, large: 250, vcpuBoundary: 30 };
/** Addresses in a delegated /28 prefix. */
const PREFIX_ADDRESSES = 16;
/** Free addresses kept in each EKS cluster subnet for control-plane ENIs (EKS asks for at least 6, suggests 16). */
const EKS_CONTROL_PLANE_RESERVE = 16;
export const AZURE_DEFAULT_MAX_PODS: Readonly<Record<AzureClusterConfig["cni"]["mode"], number>> = {
  "node-subnet": 30,
  "pod-subnet": 110,
  overlay: 250,
};
/**
 * Max pods of an AKS agent pool: the pool's maxPods, else the CNI mode's default. The planner plans with
 * it and the pool is created with it, so the two can never disagree.
 */
export const azureMaxPods = (
  pool: Pick<AzureClusterConfig["nodePools"][number], "maxPods">,
  mode: AzureClusterConfig["cni"]["mode"],
): number => pool.maxPods ?? AZURE_DEFAULT_MAX_PODS[mode];
/** Azure pod-subnet (dynamic) hands out pod IPs in batches of 16, adding one when fewer than 8 are free. */
const AZURE_POD_BATCH = { size: 16, refillBelow: 8 };
/** Azure overlay gives every node a /24 of the pod range. */
const OVERLAY_ADDRESSES_PER_NODE = 256;
/** Headroom below which the plan warns. */
const LOW_HEADROOM = 0.2;

type AwsCni = AwsClusterConfig["cni"];

/** Max pods of one node of an instance type in a VPC CNI mode. */
export function awsMaxPods(type: AwsInstanceType, mode: AwsCni["mode"]): number {
  const { enis, ipsPerEni } = type;
  if (mode === "secondary-ip") return enis * (ipsPerEni - 1) + 2;
  if (mode === "custom-networking") return (enis - 1) * (ipsPerEni - 1) + 2;
  // Unknown vCPUs get the lower cap, which never overstates capacity.
  const { small, large, vcpuBoundary } = PREFIX_DELEGATION_CAP;
  const cap = (type.vcpus ?? 0) > vcpuBoundary ? large : small;
  return Math.min(enis * ((ipsPerEni - 1) * PREFIX_ADDRESSES) + 2, cap);
}

/**
 * Addresses one node holds in the subnet its pods use, running `pods` pods: every attached ENI's
 * addresses plus the warm pool the CNI keeps. WARM_IP_TARGET/MINIMUM_IP_TARGET, when set, replace
 * WARM_ENI_TARGET (and WARM_PREFIX_TARGET). With custom networking the primary ENI stays in the node
 * subnet, so only secondary ENIs count here.
 */
export function awsAddressesPerNode(type: AwsInstanceType, cni: AwsCni, pods: number): number {
  const perEni = type.ipsPerEni - 1;
  const usableEnis = cni.mode === "custom-networking" ? type.enis - 1 : type.enis;
  const minEnis = cni.mode === "custom-networking" ? 0 : 1;
  const ipTargets = cni.warmIpTarget !== undefined || cni.minimumIpTarget !== undefined;
  const wantedIps = Math.max(cni.minimumIpTarget ?? 0, pods + (cni.warmIpTarget ?? 0));
  if (cni.mode === "prefix-delegation") {
    const wanted = ipTargets
      ? Math.ceil(wantedIps / PREFIX_ADDRESSES)
      : Math.ceil(pods / PREFIX_ADDRESSES) + cni.warmPrefixTarget;
    const prefixes = Math.min(wanted, usableEnis * perEni);
    return PREFIX_ADDRESSES * prefixes + Math.max(minEnis, Math.ceil(prefixes / perEni));
  }
  if (ipTargets) {
    const secondaries = Math.min(usableEnis * perEni, wantedIps);
    return secondaries + Math.max(minEnis, Math.ceil(secondaries / perEni));
  }
  const enis = Math.min(usableEnis, Math.max(minEnis, Math.ceil(pods / perEni) + cni.warmEniTarget));
  return enis * type.ipsPerEni;
}

/** Azure node-subnet mode reserves maxPods addresses per node up front: (nodes + surge) × (1 + maxPods). */
export const azureNodeSubnetAddresses = (nodes: number, surge: number, maxPods: number): number =>
  (nodes + surge) * (1 + maxPods);

/** Pod-subnet addresses one Azure node holds running `pods` pods (dynamic allocation). */
export function azurePodSubnetAddressesPerNode(pods: number, maxPods: number): number {
  const { size, refillBelow } = AZURE_POD_BATCH;
  return Math.min(size * Math.ceil((pods + refillBelow) / size), size * Math.ceil(maxPods / size));
}

/** A range nodes draw addresses from: a subnet, or the Azure overlay pod range. */
interface AddressPool {
  /** Config key to change when the pool is too small. */
  readonly path: string;
  readonly name: string;
  readonly usable: number;
  /** Addresses kept free for others (EKS control-plane ENIs). */
  readonly reserved: number;
  /** Addresses the nodes hold, and how that number arises. */
  readonly held: number;
  readonly heldBecause: string;
  /** Of `held`, the addresses running pods use; absent when the pool gives pods no addresses. */
  readonly podsHeld?: number;
}

interface Pool {
  readonly nodes: number;
  readonly surge: number;
  readonly podsPerNode: number;
}

interface Load {
  readonly nodes: number;
  readonly surge: number;
  /** Pods per node at the planned load. */
  readonly pods: number;
}

/** A provider's node pools, the issues found in them, and the address pools for a given load. */
interface ProviderCapacity {
  readonly pools: readonly Pool[];
  readonly issues: readonly ConfigIssue[];
  readonly addressPools: (load: Load) => AddressPool[];
}

const poolNodes = (p: { count: number; maxCount?: number }) => p.maxCount ?? p.count;

function awsCapacity(
  cluster: AwsClusterConfig,
  path: string,
  subnets: readonly SubnetPlan[],
): ProviderCapacity {
  const issues: ConfigIssue[] = [];
  const pools = cluster.nodePools.flatMap((pool, j) => {
    const at = `${path}.nodePools[${j}].instanceType`;
    const instance = awsInstanceType(pool.instanceType);
    if (!instance) {
      const hint = didYouMean(pool.instanceType, awsInstanceTypeNames());
      issues.push(
        error(at, `unknown EC2 instance type "${pool.instanceType}" (not in the EKS instance data).${hint}`),
      );
      return [];
    }
    if (cluster.cni.mode === "prefix-delegation" && instance.nitro === false) {
      issues.push(
        error(
          at,
          `${pool.instanceType} is not built on Nitro, which cni.mode prefix-delegation needs: pick a Nitro type (any current generation) or cni.mode secondary-ip.`,
        ),
      );
      return [];
    }
    const podsPerNode = awsMaxPods(instance, cluster.cni.mode);
    return [{ nodes: poolNodes(pool), surge: pool.maxSurge, podsPerNode, instance }];
  });
  const addressPools = (load: Load) =>
    awsAddressPools(
      cluster,
      path,
      subnets,
      pools.map((p) => p.instance),
      load,
    );
  return { pools, issues, addressPools };
}

function azureCapacity(
  cluster: AzureClusterConfig,
  path: string,
  subnets: readonly SubnetPlan[],
  podCidr: Cidr | undefined,
): ProviderCapacity {
  const issues: ConfigIssue[] = [];
  const pools = cluster.nodePools.flatMap((pool, j) => {
    if (!isAzureVmSize(pool.vmSize)) {
      const hint = didYouMean(pool.vmSize, azureVmSizeNames());
      issues.push(error(`${path}.nodePools[${j}].vmSize`, `unknown Azure VM size "${pool.vmSize}".${hint}`));
      return [];
    }
    const podsPerNode = azureMaxPods(pool, cluster.cni.mode);
    return [{ nodes: poolNodes(pool), surge: pool.maxSurge, podsPerNode }];
  });
  const addressPools = (load: Load) => azureAddressPools(cluster, path, subnets, podCidr, pools, load);
  return { pools, issues, addressPools };
}

/** Pool-level checks that hold for every provider: unique names, maxCount not below count. */
function nodePoolIssues(cluster: CloudClusterConfig, path: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const pools: readonly { name: string; count: number; maxCount?: number }[] = cluster.nodePools;
  pools.forEach((pool, j) => {
    const first = pools.findIndex((p) => p.name === pool.name);
    if (first !== j) {
      issues.push(
        error(
          `${path}.nodePools[${j}].name`,
          `node pool name "${pool.name}" is already used by nodePools[${first}].`,
        ),
      );
    }
    if (pool.maxCount !== undefined && pool.maxCount < pool.count) {
      issues.push(
        error(
          `${path}.nodePools[${j}].maxCount`,
          `maxCount ${pool.maxCount} is below count ${pool.count}: use ${pool.count} or more.`,
        ),
      );
    }
  });
  return issues;
}

const subnetsOf = (subnets: readonly SubnetPlan[], purpose: SubnetPlan["purpose"]) =>
  subnets.filter((s) => s.purpose === purpose);
const label = (s: SubnetPlan) => `subnet ${s.name} (${s.cidr})`;

function awsAddressPools(
  cluster: AwsClusterConfig,
  path: string,
  subnets: readonly SubnetPlan[],
  instances: readonly AwsInstanceType[],
  load: Load,
): AddressPool[] {
  const perZone = Math.ceil((load.nodes + load.surge) / subnetsOf(subnets, "private").length);
  const perNode = Math.max(...instances.map((t) => awsAddressesPerNode(t, cluster.cni, load.pods)));
  const because = `${perZone} nodes in the zone × ${perNode} addresses each (ENIs and warm pool at ${load.pods} pods)`;
  const podPools = (purpose: "private" | "pods", at: string, reserved: number): AddressPool[] =>
    subnetsOf(subnets, purpose).map((s) => ({
      path: at,
      name: label(s),
      usable: s.usableAddresses,
      reserved,
      held: perZone * perNode,
      heldBecause: because,
      podsHeld: perZone * load.pods,
    }));
  if (cluster.cni.mode !== "custom-networking")
    return podPools("private", `${path}.cidr`, EKS_CONTROL_PLANE_RESERVE);
  const nodePools = subnetsOf(subnets, "private").map((s) => ({
    path: `${path}.cidr`,
    name: label(s),
    usable: s.usableAddresses,
    reserved: EKS_CONTROL_PLANE_RESERVE,
    held: perZone,
    heldBecause: `${perZone} nodes in the zone × 1 primary address`,
  }));
  return [...nodePools, ...podPools("pods", `${path}.podCidr`, 0)];
}

function azureAddressPools(
  cluster: AzureClusterConfig,
  path: string,
  subnets: readonly SubnetPlan[],
  podCidr: Cidr | undefined,
  pools: readonly Pool[],
  load: Load,
): AddressPool[] {
  const [nodesSubnet] = subnetsOf(subnets, "private");
  const all = load.nodes + load.surge;
  const podsHeld = all * load.pods;
  if (cluster.cni.mode === "node-subnet") {
    const held = pools.reduce((sum, p) => sum + azureNodeSubnetAddresses(p.nodes, p.surge, p.podsPerNode), 0);
    const because = pools
      .map((p) => `(${p.nodes} nodes + ${p.surge} surge) × (1 + ${p.podsPerNode} maxPods)`)
      .join(" + ");
    return [
      {
        path: `${path}.cidr`,
        name: label(nodesSubnet),
        usable: nodesSubnet.usableAddresses,
        reserved: 0,
        held,
        heldBecause: because,
        podsHeld,
      },
    ];
  }
  const nodeOnly: AddressPool = {
    path: `${path}.cidr`,
    name: label(nodesSubnet),
    usable: nodesSubnet.usableAddresses,
    reserved: 0,
    held: all,
    heldBecause: `${all} nodes (surge included) × 1 address`,
  };
  if (cluster.cni.mode === "pod-subnet") {
    const [pods] = subnetsOf(subnets, "pods");
    const held = pools.reduce(
      (sum, p) => sum + (p.nodes + p.surge) * azurePodSubnetAddressesPerNode(load.pods, p.podsPerNode),
      0,
    );
    const because = `${all} nodes × batches of ${AZURE_POD_BATCH.size} covering ${load.pods} pods plus ${AZURE_POD_BATCH.refillBelow} spare`;
    return [
      nodeOnly,
      {
        path: `${path}.podCidr`,
        name: label(pods),
        usable: pods.usableAddresses,
        reserved: 0,
        held,
        heldBecause: because,
        podsHeld,
      },
    ];
  }
  if (!podCidr)
    throw new Error(`overlay cluster ${cluster.name} reached capacity planning without a pod range`);
  return [
    nodeOnly,
    {
      path: `${path}.podCidr`,
      name: `overlay pod range ${formatCidr(podCidr)}`,
      usable: cidrSize(podCidr),
      reserved: 0,
      held: all * OVERLAY_ADDRESSES_PER_NODE,
      heldBecause: `${all} nodes × a /24 each`,
      podsHeld,
    },
  ];
}

export interface CapacityInput {
  readonly cluster: CloudClusterConfig;
  /** `clusters[i]`. */
  readonly path: string;
  readonly subnets: readonly SubnetPlan[];
  /** The Azure overlay pod range (not a subnet). */
  readonly podCidr?: Cidr;
}

export function planCapacity(input: CapacityInput): { capacity?: CapacityPlan; issues: ConfigIssue[] } {
  const { cluster, path, subnets } = input;
  const provider =
    cluster.provider === "aws"
      ? awsCapacity(cluster, path, subnets)
      : azureCapacity(cluster, path, subnets, input.podCidr);
  const issues = [...nodePoolIssues(cluster, path), ...provider.issues];
  if (issues.length > 0) return { issues };
  const { pools } = provider;
  const nodes = pools.reduce((sum, p) => sum + p.nodes, 0);
  const surge = pools.reduce((sum, p) => sum + p.surge, 0);
  // Mixed pools: every node is planned with the smallest max pods (as EKS does for mixed types).
  const podsPerNode = Math.min(...pools.map((p) => p.podsPerNode));
  const planned = plannedPods(cluster, nodes);
  const load = { nodes, surge, pods: Math.min(podsPerNode, Math.ceil(planned / nodes)) };
  const addressPools = provider.addressPools(load);

  for (const pool of addressPools) {
    const needed = pool.held + pool.reserved;
    if (needed <= pool.usable) continue;
    const reserve = pool.reserved > 0 ? ` + ${pool.reserved} kept for EKS control-plane ENIs` : "";
    issues.push(
      error(
        pool.path,
        `${pool.name} has ${pool.usable} usable addresses but needs ${needed}: ${pool.heldBecause}${reserve}. Use a larger range.`,
      ),
    );
  }
  const podAddresses = addressPools.reduce(
    (sum, p) => (p.podsHeld === undefined ? sum : sum + p.usable - p.reserved - (p.held - p.podsHeld)),
    0,
  );
  const podSlots = podsPerNode * nodes;
  const bindingLimit = podSlots <= podAddresses ? "podsPerNode" : "podAddresses";
  const limit = Math.min(podSlots, podAddresses);
  const headroom = limit > 0 ? Math.max(0, Math.round(((limit - planned) / limit) * 10_000) / 10_000) : 0;
  const capacity: CapacityPlan = {
    podsPerNode,
    nodes: nodes + surge,
    podAddresses,
    plannedPods: planned,
    headroom,
    bindingLimit,
  };
  if (issues.length > 0) return { capacity, issues };

  const podRange = usesPodCidr(cluster) ? `${path}.podCidr` : `${path}.cidr`;
  const blame = bindingLimit === "podsPerNode" ? `${path}.nodePools` : podRange;
  const limitText =
    bindingLimit === "podsPerNode"
      ? `${nodes} nodes × ${podsPerNode} pods per node give ${podSlots} pod slots`
      : `the pod ranges give ${podAddresses} pod addresses after node and warm-pool addresses`;
  const fix =
    bindingLimit === "podsPerNode" ? "add nodes or pick nodes with more pods per node" : "use a larger range";
  if (planned > limit) {
    issues.push(error(blame, `${planned} pods are planned but ${limitText}: ${fix}.`));
  } else if (headroom < LOW_HEADROOM) {
    issues.push(
      warning(
        blame,
        `only ${Math.round(headroom * 100)}% headroom: ${planned} pods are planned and ${limitText}; ${fix} to keep at least ${LOW_HEADROOM * 100}%.`,
      ),
    );
  }
  return { capacity, issues };
}
