import type * as pulumi from "@pulumi/pulumi";
import type { NetworkConfig } from "../../infra/config/schema";
import type { NetworkPlan } from "../../infra/plan/types";
import { chainedValidators } from "../../infra/quorum/rollout";

/**
 * Orders validator StatefulSets network-wide and records which validators the deployment creates. Each
 * chained validator's StatefulSet depends on the chained one registered before it, so Pulumi updates them
 * one at a time and waits for each to be ready (back in consensus) before touching the next. Validators
 * outside the chain (new ones, see `infra/quorum/rollout.ts`) wait for nobody and nobody waits for them.
 */
export class RolloutChain {
  private last?: pulumi.Resource;
  private readonly chained: ReadonlySet<string>;
  private readonly registered: string[] = [];

  /** @param deployed validators the stack's previous deployment created (none on its first) */
  constructor(
    plan: NetworkPlan,
    rollout: NetworkConfig["workloads"]["validatorRollout"],
    deployed: ReadonlySet<string>,
  ) {
    const validators = plan.clusters
      .flatMap((c) => c.nodes)
      .filter((n) => n.role === "validator")
      .map((n) => n.name);
    this.chained = new Set(chainedValidators(validators, deployed, rollout));
  }

  /** What the StatefulSet of `validator` must wait for. */
  previous(validator: string): pulumi.Resource[] {
    return this.chained.has(validator) && this.last ? [this.last] : [];
  }

  /** Records the StatefulSet of `validator`, registered after `previous(validator)` was asked. */
  append(validator: string, statefulSet: pulumi.Resource): void {
    this.registered.push(validator);
    if (this.chained.has(validator)) this.last = statefulSet;
  }

  /** Validators whose StatefulSets were registered, in order: the next deployment's chain. */
  validators(): readonly string[] {
    return [...this.registered];
  }
}
