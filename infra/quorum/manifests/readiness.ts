/** When a GoQuorum node counts as ready: it serves the network, not merely runs (see READINESS_SCRIPT). */
import type { IProbe } from "kubernetes-models/v1/Probe";
import type { NodePlan } from "../../plan/types";
import { IN_VALIDATOR_SET, READINESS_ANSWER_SECONDS, READINESS_SCRIPT } from "./scripts";

/** Every few seconds, so a rollout moves on soon after a restarted node is back in step. */
const PERIOD_SECONDS = 5;

/**
 * The readiness probe of geth, for every role. Rollouts (the validator chain Pulumi awaits), Service
 * endpoints and PodDisruptionBudgets all read it. Validators of the genesis set must also be in the
 * current validator set: a wrong key or a vote that dropped the node shows as not ready. The genesis set is
 * the plan's, which for a running network is the deployed one (see `../deployedGenesis`). Validators added
 * later start outside the set and join only when the validators vote them in, after `pulumi up`; requiring
 * it of them would fail their first deployment, so for them readiness is peering and sync alone.
 */
export function readinessProbe(node: NodePlan, genesisValidators: readonly string[]): IProbe {
  const inGenesis = node.role === "validator" && genesisValidators.includes(node.name);
  const args = inGenesis ? [IN_VALIDATOR_SET] : [];
  return {
    // $0 names the script in its messages; $1 selects the validator-set check.
    exec: { command: ["sh", "-c", READINESS_SCRIPT, "readiness", ...args] },
    periodSeconds: PERIOD_SECONDS,
    // The script bounds geth attach itself; kubelet's limit only backs that up.
    timeoutSeconds: 2 * READINESS_ANSWER_SECONDS,
    // A node that is one slow answer or one block hiccup away from ready stays in service.
    failureThreshold: 3,
    successThreshold: 1,
  };
}
