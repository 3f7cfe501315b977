/** Voluntary disruptions (drains, upgrades) take down at most one node of a role at a time per cluster. */
import type { IPodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import type { NetworkConfig } from "../../config/schema";
import type { BudgetForEviction } from "../../kubernetes/behaviour";
import type { ClusterPlan } from "../../plan/types";
import { clusterLabels, roleSelector } from "./labels";
import type { Named } from "./objects";
import { NODE_ROLES } from "./roles";

type EvictionPolicy = BudgetForEviction["unhealthyPodEvictionPolicy"];

/**
 * One budget per role present in the cluster, at most one pod of the role down at a time. Under the
 * disruption gate (`disruptionGate.ts`) a validator pod is Ready only while the network can spare a
 * validator, so the validators' budget must not let unready pods go (`IfHealthyBudget`): an eviction then
 * passes only while every other validator pod of the cluster is Ready, and a lone validator only while it is
 * Ready itself (`evictionAllowed` in `../../kubernetes/behaviour.ts`). The price: while the network has no
 * margin, even a broken validator's pod waits (delete it by hand). Other roles, and validators of a network
 * without the gate, keep `AlwaysAllow`, so a broken node never blocks a drain.
 */
export function disruptionBudgets(
  network: NetworkConfig,
  cluster: ClusterPlan,
  gated: boolean,
): Named<IPodDisruptionBudget>[] {
  return NODE_ROLES.filter((role) => cluster.nodes.some((node) => node.role === role)).map((role) => {
    const policy: EvictionPolicy = gated && role === "validator" ? "IfHealthyBudget" : "AlwaysAllow";
    return {
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: {
        name: `goquorum-${role}`,
        namespace: cluster.namespace,
        labels: clusterLabels(network.name, cluster.name),
      },
      spec: {
        maxUnavailable: 1,
        unhealthyPodEvictionPolicy: policy,
        selector: { matchLabels: roleSelector(network.name, role) },
      },
    };
  });
}
