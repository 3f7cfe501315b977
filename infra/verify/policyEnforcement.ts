/**
 * Whether each cluster's CNI enforces NetworkPolicies, from the very values the program gives it: the vpc-cni
 * add-on configuration on EKS, the network profile on AKS, the declaration of an existing (`local`) cluster.
 * Every isolation of the workloads (default deny, RPC and Tessera only to their clients) is a NetworkPolicy.
 */

import { vpcCniEnforcesNetworkPolicies } from "../aws/behaviour";
import { vpcCniConfiguration } from "../aws/cni";
import { aksNetworkProfile } from "../azure/aks";
import { aksEnforcesNetworkPolicies } from "../azure/behaviour";
import type { ConfigIssue } from "../config/issue";
import type { ClusterConfig, StackConfig } from "../config/schema";
import { localEnforcesNetworkPolicies } from "../kubernetes/behaviour";
import { error, warning } from "../plan/issues";
import type { ClusterPlan, NetworkPlan } from "../plan/types";

export interface PolicyEnforcement {
  readonly cluster: string;
  readonly provider: ClusterPlan["provider"];
  /** Index of the cluster in `clusters`, for the issue's key path. */
  readonly index: number;
  readonly enforced: boolean;
}

export function clusterEnforcesNetworkPolicies(config: ClusterConfig, plan: ClusterPlan): boolean {
  switch (config.provider) {
    case "aws":
      return vpcCniEnforcesNetworkPolicies(vpcCniConfiguration(config.cni));
    case "azure":
      return aksEnforcesNetworkPolicies(aksNetworkProfile(plan, config));
    case "local":
      return localEnforcesNetworkPolicies(config);
  }
}

export function policyEnforcement(config: StackConfig, plan: NetworkPlan): PolicyEnforcement[] {
  return plan.clusters.map((cluster) => {
    const index = config.clusters.findIndex((c) => c.name === cluster.name);
    const clusterConfig = config.clusters[index];
    if (!clusterConfig) throw new Error(`cluster ${cluster.name} is planned but not configured`);
    return {
      cluster: cluster.name,
      provider: cluster.provider,
      index,
      enforced: clusterEnforcesNetworkPolicies(clusterConfig, cluster),
    };
  });
}

/** A cloud cluster whose policies would be inert is refused; a `local` one not known to enforce them is warned of. */
export function policyEnforcementIssues(enforcement: readonly PolicyEnforcement[]): ConfigIssue[] {
  return enforcement.flatMap((c): ConfigIssue[] => {
    if (c.enforced) return [];
    if (c.provider === "local") {
      return [
        warning(
          `clusters[${c.index}].enforcesNetworkPolicies`,
          `cluster ${c.cluster} is not known to enforce NetworkPolicies, so any pod of it can reach JSON-RPC and Tessera: if its CNI enforces them (kind v0.24.0 and later does by default), set it to true.`,
        ),
      ];
    }
    return [
      error(
        `clusters[${c.index}].cni`,
        `cluster ${c.cluster}: the ${c.provider === "aws" ? "vpc-cni add-on" : "AKS network profile"} the program would configure does not enforce NetworkPolicies, so any pod could reach JSON-RPC and Tessera: the program must turn enforcement on.`,
      ),
    ];
  });
}
