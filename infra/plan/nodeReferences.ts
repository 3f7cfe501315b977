/**
 * Config keys that name nodes must name nodes the plan has, with the right role. The genesis set may
 * also name external peers that run a validator.
 */

import type { ConfigIssue } from "../config/issue";
import type { StackConfig } from "../config/schema";
import type { ExternalPeerPlan } from "./connectivityTypes";
import { error } from "./issues";
import type { ClusterPlan } from "./types";

type ExternalValidators = readonly Pick<ExternalPeerPlan, "name" | "validatorAddress">[];

export function nodeReferenceIssues(
  config: StackConfig,
  clusters: readonly ClusterPlan[],
  external: ExternalValidators,
): ConfigIssue[] {
  const nodes = new Map(clusters.flatMap((c) => c.nodes).map((n) => [n.name, n]));
  const unknown = (path: string, names: readonly string[], known: (name: string) => boolean, hint: string) =>
    names.flatMap((name, k) =>
      known(name) ? [] : [error(`${path}[${k}]`, `"${name}" is not a node of this network (${hint}).`)],
    );
  const issues = unknown(
    "network.adoptKeysFor",
    config.network.adoptKeysFor,
    (name) => nodes.has(name),
    "names are <cluster>-<role>-<index>",
  );
  const genesis = config.network.genesisValidators ?? [];
  const externalNames = new Set(external.map((p) => p.name));
  issues.push(
    ...unknown(
      "network.genesisValidators",
      genesis,
      (name) => nodes.has(name) || externalNames.has(name),
      "names are <cluster>-<role>-<index> or an external peer's name",
    ),
  );
  genesis.forEach((name, k) => {
    const peer = external.find((p) => p.name === name);
    if (peer && !peer.validatorAddress) {
      issues.push(
        error(
          `network.genesisValidators[${k}]`,
          `external peer "${name}" has no validatorAddress, so it is not a validator.`,
        ),
      );
    }
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

/** The genesis validator set: the pinned names, or every validator of the plan, ours then external ones. */
export function genesisValidatorNames(
  config: StackConfig,
  clusters: readonly ClusterPlan[],
  external: ExternalValidators,
): string[] {
  return (
    config.network.genesisValidators ?? [
      ...clusters
        .flatMap((c) => c.nodes)
        .filter((n) => n.role === "validator")
        .map((n) => n.name),
      ...external.filter((p) => p.validatorAddress).map((p) => p.name),
    ]
  );
}
