/** Config keys that name nodes must name nodes the plan has, with the right role. */

import type { ConfigIssue } from "../config/issue";
import type { NetworkConfig, StackConfig } from "../config/schema";
import { error } from "./issues";
import type { ClusterPlan, NodePlan } from "./types";

export function nodeReferenceIssues(config: StackConfig, clusters: readonly ClusterPlan[]): ConfigIssue[] {
  const nodes = new Map(clusters.flatMap((c) => c.nodes).map((n) => [n.name, n]));
  const unknown = (path: string, names: readonly string[]) =>
    names.flatMap((name, k) =>
      nodes.has(name)
        ? []
        : [
            error(
              `${path}[${k}]`,
              `"${name}" is not a node of this network (names are <cluster>-<role>-<index>).`,
            ),
          ],
    );
  const issues = unknown("network.adoptKeysFor", config.network.adoptKeysFor);
  const genesis = config.network.genesisValidators ?? [];
  issues.push(...unknown("network.genesisValidators", genesis));
  genesis.forEach((name, k) => {
    const role = nodes.get(name)?.role;
    if (role && role !== "validator") {
      issues.push(
        error(
          `network.genesisValidators[${k}]`,
          `"${name}" is ${role === "rpc" ? "an RPC" : "a member"} node, not a validator.`,
        ),
      );
    }
  });
  if (config.network.genesisValidators?.length === 0) {
    issues.push(error("network.genesisValidators", "is empty: the genesis needs at least one validator."));
  }
  return issues;
}

/** Whether a node is in the genesis validator set: listed when the set is pinned, every validator otherwise. */
export function inGenesisValidatorSet(network: NetworkConfig, node: NodePlan): boolean {
  return node.role === "validator" && (network.genesisValidators?.includes(node.name) ?? true);
}

/** The genesis validator set: the pinned names, or every validator of the plan. */
export function genesisValidatorNames(config: StackConfig, clusters: readonly ClusterPlan[]): string[] {
  return (
    config.network.genesisValidators ??
    clusters
      .flatMap((c) => c.nodes)
      .filter((n) => inGenesisValidatorSet(config.network, n))
      .map((n) => n.name)
  );
}
