/** Voluntary disruptions (drains, upgrades) take down at most one node of a role at a time per cluster. */
import type { IPodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import type { NetworkConfig } from "../../config/schema";
import type { ClusterPlan } from "../../plan/types";
import { clusterLabels, roleSelector } from "./labels";
import type { Named } from "./objects";
import { NODE_ROLES } from "./roles";

/**
 * One budget per role present in the cluster. For validators this bounds how many leave consensus at once;
 * the planner checks the network tolerates that. A crash-looping pod may still be evicted
 * (`AlwaysAllow`), so a broken node never blocks a drain.
 */
export function disruptionBudgets(
  network: NetworkConfig,
  cluster: ClusterPlan,
): Named<IPodDisruptionBudget>[] {
  return NODE_ROLES.filter((role) => cluster.nodes.some((node) => node.role === role)).map((role) => ({
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: {
      name: `goquorum-${role}`,
      namespace: cluster.namespace,
      labels: clusterLabels(network.name, cluster.name),
    },
    spec: {
      maxUnavailable: 1,
      unhealthyPodEvictionPolicy: "AlwaysAllow",
      selector: { matchLabels: roleSelector(network.name, role) },
    },
  }));
}
