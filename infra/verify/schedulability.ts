/**
 * Schedulability: every pod the program creates must fit a node the plan will have. Each pod's node
 * selector, required node affinity and tolerations are checked against the labels and taints each provider
 * really puts on the planned node pools (`./nodeGroups`); a zonal volume must be bindable where the pod
 * runs; the node daemon of every CSI driver a pod mounts must run there too. A pod that fits no planned node
 * is a plan error naming the pod and the unmet term.
 *
 * `local` clusters' nodes are not the program's: their labels and taints are unknown, so only what the plan
 * knows is checked there (no pod may pin to the placeholder zone names the plan gives them).
 */
import type { IStorageClass } from "kubernetes-models/storage.k8s.io/v1/StorageClass";
import { gp3StorageClass } from "../aws/addons";
import { EBS_CSI_ZONE_KEY } from "../aws/behaviour";
import { AZURE_DISK_CSI_ZONE_KEY } from "../azure/behaviour";
import { azureStorageClass } from "../azure/storageClass";
import type { ConfigIssue } from "../config/issue";
import type { ClusterConfig, StackConfig } from "../config/schema";
import { WELL_KNOWN_LABELS } from "../kubernetes/behaviour";
import { error } from "../plan/issues";
import type { ClusterPlan, NetworkPlan } from "../plan/types";
import { aksNodeGroups, eksNodeGroups } from "./nodeGroups";
import { type NodeGroup, nodeGroupName, type Placement, unmetOn } from "./placement";
import { type NodeDaemon, nodeStorageClass, type PlannedPod, plannedWorkloads } from "./pods";

export interface PodVerdict {
  readonly pod: string;
  /** `unchecked`: a `local` cluster's nodes are unknown. */
  readonly verdict: "schedulable" | "unschedulable" | "unchecked";
  /** Node groups (`pool/zone`) the pod may run on. */
  readonly fits: readonly string[];
  /** Why not, when unschedulable. */
  readonly unmet?: readonly string[];
}

export interface ClusterSchedulability {
  readonly cluster: string;
  /** `planned-nodes`: checked against the planned pools; `unmanaged-nodes`: a `local` cluster. */
  readonly checked: "planned-nodes" | "unmanaged-nodes";
  readonly nodeGroups: readonly string[];
  readonly pods: readonly PodVerdict[];
  /** What could not be checked, and why. */
  readonly notes: readonly string[];
}

export interface SchedulabilityReport {
  readonly clusters: readonly ClusterSchedulability[];
}

/** Provisioners whose volumes live in one zone, and the topology key their node plugins label nodes with. */
const ZONAL_PROVISIONERS: Readonly<Record<string, string>> = {
  "ebs.csi.aws.com": EBS_CSI_ZONE_KEY,
  "disk.csi.azure.com": AZURE_DISK_CSI_ZONE_KEY,
};

/** The StorageClasses the program itself creates on a cluster, by name (others are the cluster's own). */
export function programStorageClasses(config: ClusterConfig): ReadonlyMap<string, IStorageClass> {
  if (config.provider === "aws") {
    const name = nodeStorageClass(config) as string;
    return new Map([[name, gp3StorageClass(name)]]);
  }
  if (config.provider === "azure" && config.storageClass === undefined) {
    return new Map([[azureStorageClass.metadata.name, azureStorageClass as IStorageClass]]);
  }
  return new Map();
}

/** Node groups allowed by a StorageClass's `allowedTopologies` (any term; all its expressions). */
const allowedBy = (cls: IStorageClass, group: NodeGroup): boolean =>
  !cls.allowedTopologies ||
  cls.allowedTopologies.some((term) =>
    (term.matchLabelExpressions ?? []).every((e) => {
      const value = group.labels[e.key];
      return typeof value === "string" && e.values.includes(value);
    }),
  );

/**
 * Why a pod's zonal volume cannot follow it: WaitForFirstConsumer creates the disk in the zone the pod lands
 * in (among `allowedTopologies`), and from then on the pod may only run where that zone's topology label is;
 * Immediate creates it in any allowed zone first, so the pod must fit a node in each of them.
 */
function volumeUnmet(
  pod: PlannedPod,
  fitting: readonly NodeGroup[],
  all: readonly NodeGroup[],
  classes: ReadonlyMap<string, IStorageClass>,
  notes: string[],
): string[] {
  return pod.volumes.flatMap((volume) => {
    const name = volume.storageClass;
    const cls = name === undefined ? undefined : classes.get(name);
    if (!cls) {
      notes.push(
        `${pod.name}: volume ${volume.claim} uses ${name === undefined ? "the default StorageClass" : `StorageClass ${name}`}, which is the cluster's own: its zones are not checked`,
      );
      return [];
    }
    const key = ZONAL_PROVISIONERS[cls.provisioner];
    if (!key) return [];
    const where = fitting.filter((g) => allowedBy(cls, g));
    if (where.length === 0) {
      return [`volume ${volume.claim}: StorageClass ${name} allows no zone with a node the pod fits`];
    }
    const unlabelled = where.filter((g) => !(key in g.labels));
    if (unlabelled.length > 0) {
      return [
        `volume ${volume.claim}: nodes of ${unlabelled.map(nodeGroupName).join(", ")} carry no ${key}, so a ${cls.provisioner} disk cannot be bound to them`,
      ];
    }
    if (cls.volumeBindingMode === "WaitForFirstConsumer") return [];
    const zones = new Set(all.filter((g) => allowedBy(cls, g)).map((g) => g.labels[key]));
    return [...zones].flatMap((zone) =>
      typeof zone === "string" && !where.some((g) => g.labels[key] === zone)
        ? [
            `volume ${volume.claim}: StorageClass ${name} binds immediately and may create the disk in ${zone}, where the pod fits no node`,
          ]
        : [],
    );
  });
}

/** Why a node group the pod fits lacks the node plugin of a CSI driver the pod mounts. */
function daemonUnmet(
  pod: PlannedPod,
  fitting: readonly NodeGroup[],
  daemons: readonly NodeDaemon[],
  notes: string[],
): string[] {
  return pod.csiDrivers.flatMap((driver) => {
    const serving = daemons.filter((d) => d.csiDriver === driver);
    if (serving.length === 0) {
      notes.push(
        `the node daemons of CSI driver ${driver} are the cluster's own (a managed add-on): not checked`,
      );
      return [];
    }
    return serving.flatMap((daemon) =>
      fitting.flatMap((group) => {
        const unmet = unmetOn(daemon.placement, group);
        return unmet
          ? [`${daemon.name} (node plugin of ${driver}) cannot run on ${nodeGroupName(group)}: ${unmet}`]
          : [];
      }),
    );
  });
}

/** One line per reason, with the node groups it keeps the pod off. */
function groupedReasons(groups: readonly NodeGroup[], placement: Placement): string[] {
  const byReason = new Map<string, string[]>();
  for (const group of groups) {
    const reason = unmetOn(placement, group) as string;
    byReason.set(reason, [...(byReason.get(reason) ?? []), nodeGroupName(group)]);
  }
  return [...byReason].map(([reason, names]) => `${names.join(", ")}: ${reason}`);
}

/** What a cluster offers its pods besides nodes: the StorageClasses and CSI node daemons the program installs. */
export interface ClusterServices {
  readonly storageClasses: ReadonlyMap<string, IStorageClass>;
  readonly daemons: readonly NodeDaemon[];
}

/** Each pod's verdict against planned node groups, and what could not be checked. */
export function checkPods(
  pods: readonly PlannedPod[],
  groups: readonly NodeGroup[],
  services: ClusterServices,
): { readonly verdicts: PodVerdict[]; readonly notes: string[] } {
  const notes: string[] = [];
  const verdicts = pods.map((pod): PodVerdict => {
    const fitting = groups.filter((g) => unmetOn(pod.placement, g) === undefined);
    const unmet =
      fitting.length === 0
        ? groupedReasons(groups, pod.placement)
        : [
            ...volumeUnmet(pod, fitting, groups, services.storageClasses, notes),
            ...daemonUnmet(pod, fitting, services.daemons, notes),
          ];
    return {
      pod: pod.name,
      verdict: unmet.length === 0 ? "schedulable" : "unschedulable",
      fits: fitting.map(nodeGroupName),
      ...(unmet.length > 0 ? { unmet } : {}),
    };
  });
  return { verdicts, notes: [...new Set(notes)] };
}

/** Zone values a placement requires or selects. */
function zonesNamed(placement: Placement): string[] {
  const zone = WELL_KNOWN_LABELS.zone;
  const terms =
    placement.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  return [
    ...(placement.nodeSelector?.[zone] ? [placement.nodeSelector[zone]] : []),
    ...terms.flatMap((t) =>
      (t.matchExpressions ?? []).filter((e) => e.key === zone).flatMap((e) => e.values ?? []),
    ),
  ];
}

/** A local cluster: its nodes are unknown, but none carries the plan's placeholder zone names. */
function checkUnmanagedNodes(pods: readonly PlannedPod[], cluster: ClusterPlan): PodVerdict[] {
  return pods.map((pod) => {
    const placeholders = zonesNamed(pod.placement).filter((z) => cluster.zones.includes(z));
    return placeholders.length > 0
      ? {
          pod: pod.name,
          verdict: "unschedulable",
          fits: [],
          unmet: [
            `${WELL_KNOWN_LABELS.zone} ${placeholders.join(", ")}: a placeholder zone of the plan, which no node of an existing cluster carries`,
          ],
        }
      : { pod: pod.name, verdict: "unchecked", fits: [] };
  });
}

function plannedNodeGroups(
  plan: ClusterPlan,
  config: ClusterConfig,
  network: StackConfig["network"],
): NodeGroup[] {
  if (config.provider === "aws") return eksNodeGroups(plan, config, network);
  if (config.provider === "azure") return aksNodeGroups(plan, config, network);
  return [];
}

export function checkSchedulability(
  config: StackConfig,
  plan: NetworkPlan,
): { readonly report: SchedulabilityReport; readonly issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const clusters = plan.clusters.map((cluster): ClusterSchedulability => {
    const index = config.clusters.findIndex((c) => c.name === cluster.name);
    const clusterConfig = config.clusters[index] as ClusterConfig;
    const { pods, daemons } = plannedWorkloads(config.network, plan, cluster, clusterConfig);
    const unmanaged = clusterConfig.provider === "local";
    const groups = plannedNodeGroups(cluster, clusterConfig, config.network);
    const { verdicts, notes } = unmanaged
      ? {
          verdicts: checkUnmanagedNodes(pods, cluster),
          notes: [
            "the nodes of an existing cluster are not the program's: only pins to the plan's placeholder zones are checked",
          ],
        }
      : checkPods(pods, groups, { storageClasses: programStorageClasses(clusterConfig), daemons });
    for (const verdict of verdicts.filter((p) => p.verdict === "unschedulable")) {
      issues.push(
        error(
          `clusters[${index}]`,
          `${verdict.pod} ${verdict.fits.length === 0 ? `fits no planned node of cluster ${cluster.name}` : `fits ${verdict.fits.join(", ")} of cluster ${cluster.name} but cannot start there`}: ${verdict.unmet?.join("; ")}. Give a node pool what the pod needs (clusters[${index}].nodePools) or change network.workloads.scheduling.`,
        ),
      );
    }
    return {
      cluster: cluster.name,
      checked: unmanaged ? "unmanaged-nodes" : "planned-nodes",
      nodeGroups: groups.map(nodeGroupName),
      pods: verdicts,
      notes,
    };
  });
  return { report: { clusters }, issues };
}
