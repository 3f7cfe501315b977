/**
 * EKS managed node groups from `nodePools`, as plain values: sizes as the planner counted them, the
 * scheduling labels and taints, and the launch template every group boots from (IMDSv2 only, hop limit 1,
 * encrypted gp3 root volume, the kubelet's max pods).
 *
 * With one pool, it carries the labels of `workloads.scheduling.nodeSelector` and no taints (system pods
 * must run somewhere). With several, the first pool stays the system pool (no labels, no taints) and every
 * other pool gets the labels and the taints the GoQuorum pods tolerate, so they get those nodes to themselves.
 */
import type { AwsClusterConfig, NetworkConfig } from "../config/schema";
import { EKS_NODE_UPDATE } from "./behaviour";
import { nodeMaxPods } from "./cni";

type AwsNodePool = AwsClusterConfig["nodePools"][number];
type Toleration = NetworkConfig["workloads"]["scheduling"]["tolerations"][number];

export interface NodeGroupTaint {
  readonly key: string;
  readonly value?: string;
  readonly effect: "NO_SCHEDULE" | "NO_EXECUTE" | "PREFER_NO_SCHEDULE";
}

export interface NodeGroupSettings {
  /** Logical name, and the node group's name in EKS. */
  readonly name: string;
  readonly instanceType: string;
  readonly amiType: "AL2023_x86_64_STANDARD" | "AL2023_ARM_64_STANDARD";
  readonly scaling: { readonly minSize: number; readonly desiredSize: number; readonly maxSize: number };
  /**
   * Nodes replaced at once during an upgrade: one on a pool GoQuorum pods run on (`EKS_NODE_UPDATE`: each
   * drain then waits on the network-wide disruption gate alone), otherwise the pool's `maxSurge`, whose
   * addresses the planner reserved (EKS launches the replacements before draining; it takes at least 1).
   */
  readonly maxUnavailable: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly NodeGroupTaint[];
  /** The kubelet's max pods: what the plan's `podsPerNode` counts on. */
  readonly maxPods: number;
  /** Root volume size (`nodePools[].rootVolumeGiB`). */
  readonly rootVolumeGiB: number;
}

/** Root volume of every node: encrypted gp3, sized per pool. */
export const ROOT_VOLUME = { deviceName: "/dev/xvda", type: "gp3" } as const;

/** Instance metadata: tokens required, one hop, so pods (one hop further) never reach the node's credentials. */
export const METADATA_OPTIONS = {
  httpEndpoint: "enabled",
  httpTokens: "required",
  httpPutResponseHopLimit: 1,
} as const;

const EFFECTS: Readonly<Record<NonNullable<Toleration["effect"]>, NodeGroupTaint["effect"]>> = {
  NoSchedule: "NO_SCHEDULE",
  NoExecute: "NO_EXECUTE",
  PreferNoSchedule: "PREFER_NO_SCHEDULE",
};

/** Graviton (arm64) families: a1, and any family whose generation digit is followed by `g` (m7g, c6gn, t4g). */
export const isArm64 = (instanceType: string): boolean => /^(a1|[a-z]+\d+g[a-z]*)\./.test(instanceType);

/** The taints the GoQuorum pods tolerate; a toleration without a key tolerates everything and makes no taint. */
export function taintsFromTolerations(tolerations: readonly Toleration[]): NodeGroupTaint[] {
  return tolerations.flatMap((t) =>
    t.key === undefined
      ? []
      : [
          {
            key: t.key,
            ...(t.operator === "Equal" && t.value !== undefined ? { value: t.value } : {}),
            effect: EFFECTS[t.effect ?? "NoSchedule"],
          },
        ],
  );
}

export function nodeGroupSettings(cluster: AwsClusterConfig, network: NetworkConfig): NodeGroupSettings[] {
  const { nodeSelector, tolerations } = network.workloads.scheduling;
  const dedicated = cluster.nodePools.length > 1;
  return cluster.nodePools.map((pool: AwsNodePool, i) => {
    const quorumPool = !dedicated || i > 0;
    return {
      name: `${cluster.name}-${pool.name}`,
      instanceType: pool.instanceType,
      amiType: isArm64(pool.instanceType) ? "AL2023_ARM_64_STANDARD" : "AL2023_x86_64_STANDARD",
      scaling: { minSize: pool.count, desiredSize: pool.count, maxSize: pool.maxCount ?? pool.count },
      maxUnavailable: quorumPool ? EKS_NODE_UPDATE.maxUnavailable : Math.max(1, pool.maxSurge),
      labels: quorumPool ? { ...nodeSelector } : {},
      taints: dedicated && i > 0 ? taintsFromTolerations(tolerations) : [],
      maxPods: nodeMaxPods(pool.instanceType, cluster.cni),
      rootVolumeGiB: pool.rootVolumeGiB,
    };
  });
}

/**
 * The launch template's user data: a nodeadm NodeConfig (AL2023) that EKS merges into its own, setting the
 * kubelet's max pods. Base64, as EC2 takes it.
 */
export function nodeUserData(maxPods: number): string {
  const boundary = "GOQUORUM";
  const text = [
    "MIME-Version: 1.0",
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    "",
    `--${boundary}`,
    "Content-Type: application/node.eks.aws",
    "",
    "---",
    "apiVersion: node.eks.aws/v1alpha1",
    "kind: NodeConfig",
    "spec:",
    "  kubelet:",
    "    config:",
    `      maxPods: ${maxPods}`,
    "",
    `--${boundary}--`,
    "",
  ].join("\n");
  return Buffer.from(text).toString("base64");
}
