/**
 * Whether a pod may run on a group of nodes, by the scheduler's rules: every `nodeSelector` label, one of
 * the required node affinity terms (each of its expressions), and a toleration for every NoSchedule and
 * NoExecute taint. Sources: Kubernetes docs, "Assigning Pods to Nodes" (nodeSelector, node affinity
 * operators) and "Taints and Tolerations" (matching rules; PreferNoSchedule never keeps a pod off).
 */
import type { IAffinity } from "kubernetes-models/v1/Affinity";
import type { INodeSelectorRequirement } from "kubernetes-models/v1/NodeSelectorRequirement";
import type { INodeSelectorTerm } from "kubernetes-models/v1/NodeSelectorTerm";
import type { ITaint } from "kubernetes-models/v1/Taint";
import type { IToleration } from "kubernetes-models/v1/Toleration";

/** Where a pod's spec (or a chart's values) says it may run. */
export interface Placement {
  readonly nodeSelector?: Readonly<Record<string, string>>;
  readonly affinity?: IAffinity;
  readonly tolerations?: readonly IToleration[];
}

/**
 * The nodes of one pool in one zone, as the cloud labels and taints them. A `null` label value is present
 * on every node but only known once the node exists (its hostname; a regional AKS node's fault domain).
 */
export interface NodeGroup {
  readonly pool: string;
  /** The plan's zone (the form the cloud's API takes); absent for a regional pool. */
  readonly zone?: string;
  readonly labels: Readonly<Record<string, string | null>>;
  readonly taints: readonly ITaint[];
}

export const nodeGroupName = (group: NodeGroup): string =>
  group.zone === undefined ? group.pool : `${group.pool}/${group.zone}`;

const carried = (group: NodeGroup, key: string): string =>
  !(key in group.labels)
    ? "no such label"
    : group.labels[key] === null
      ? "a value known only later"
      : `${group.labels[key]}`;

function requirementMet(r: INodeSelectorRequirement, labels: NodeGroup["labels"]): boolean {
  const present = r.key in labels;
  const value = labels[r.key];
  switch (r.operator) {
    case "Exists":
      return present;
    case "DoesNotExist":
      return !present;
    // A value known only later cannot be shown to satisfy (or to avoid) a list: not met.
    case "In":
      return typeof value === "string" && (r.values ?? []).includes(value);
    case "NotIn":
      return !present || (typeof value === "string" && !(r.values ?? []).includes(value));
    case "Gt":
    case "Lt": {
      const bound = Number(r.values?.[0]);
      const n = typeof value === "string" ? Number(value) : Number.NaN;
      return Number.isInteger(n) && (r.operator === "Gt" ? n > bound : n < bound);
    }
    default:
      return false;
  }
}

const describeRequirement = (r: INodeSelectorRequirement, group: NodeGroup): string =>
  `${r.key} ${r.operator}${r.values ? ` [${r.values.join(", ")}]` : ""} (the nodes carry ${carried(group, r.key)})`;

/** A term holds when all its expressions do; `matchFields` name nodes one by one, which no plan knows. */
const termMet = (term: INodeSelectorTerm, group: NodeGroup): boolean =>
  (term.matchFields ?? []).length === 0 &&
  (term.matchExpressions ?? []).every((r) => requirementMet(r, group.labels));

function tolerates(t: IToleration, taint: ITaint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.operator === "Exists") return t.key === undefined || t.key === "" || t.key === taint.key;
  return t.key === taint.key && (t.value ?? "") === (taint.value ?? "");
}

const describeTaint = (taint: ITaint): string =>
  `${taint.key}${taint.value ? `=${taint.value}` : ""}:${taint.effect}`;

/** The first rule that keeps the pod off these nodes, described; undefined when it may run there. */
export function unmetOn(placement: Placement, group: NodeGroup): string | undefined {
  for (const [key, value] of Object.entries(placement.nodeSelector ?? {})) {
    if (group.labels[key] !== value)
      return `nodeSelector ${key}=${value} (the nodes carry ${carried(group, key)})`;
  }
  const terms =
    placement.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (terms && !terms.some((term) => termMet(term, group))) {
    const unmet = terms.map((term) => {
      const failing = (term.matchExpressions ?? []).find((r) => !requirementMet(r, group.labels));
      return failing ? describeRequirement(failing, group) : "matchFields";
    });
    return `node affinity ${unmet.join(" or ")}`;
  }
  const untolerated = group.taints.find(
    (taint) =>
      taint.effect !== "PreferNoSchedule" && !(placement.tolerations ?? []).some((t) => tolerates(t, taint)),
  );
  return untolerated ? `taint ${describeTaint(untolerated)} not tolerated` : undefined;
}
