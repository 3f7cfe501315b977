/**
 * Which validator StatefulSets wait on one another. A chain protects a running network: each validator's
 * update waits until the previous one is ready again, so an upgrade never takes two out of consensus.
 * Creating a validator disrupts nothing, so only validators that a previous deployment of the stack
 * created are chained; new ones (all of them on the first `pulumi up`) start in parallel.
 */
import type { NetworkConfig } from "../config/schema";

/** Stack output listing the validators whose StatefulSets the deployment created, in rollout order. */
export const DEPLOYED_VALIDATORS_OUTPUT = "deployedValidators";

/**
 * The validators a previous deployment recorded in DEPLOYED_VALIDATORS_OUTPUT. A stack never deployed has
 * no such output; anything but a list of names is treated the same way.
 */
export function previouslyDeployed(output: unknown): ReadonlySet<string> {
  if (!Array.isArray(output)) return new Set();
  return new Set(output.filter((name): name is string => typeof name === "string"));
}

/** The validators, in the order given, whose StatefulSets form the rollout chain. */
export function chainedValidators(
  validators: readonly string[],
  deployed: ReadonlySet<string>,
  rollout: NetworkConfig["workloads"]["validatorRollout"],
): string[] {
  return rollout === "one-at-a-time" ? validators.filter((name) => deployed.has(name)) : [];
}
