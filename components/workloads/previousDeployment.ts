import * as pulumi from "@pulumi/pulumi";
import { DEPLOYED_VALIDATORS_OUTPUT, previouslyDeployed } from "../../infra/quorum/rollout";

/** Resource name of the stack's reference to itself. */
export const PREVIOUS_DEPLOYMENT = "previous-deployment";

/**
 * The validators the stack's last deployment created, read from its own outputs through a StackReference
 * to itself. The engine keeps the previous outputs on the stack until this run registers its own at the
 * end, so preview and update both see the last completed deployment; a stack never deployed has none.
 */
export async function readPreviouslyDeployedValidators(): Promise<ReadonlySet<string>> {
  const self = new pulumi.StackReference(PREVIOUS_DEPLOYMENT, {
    name: `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`,
  });
  const { value } = await self.getOutputDetails(DEPLOYED_VALIDATORS_OUTPUT);
  return previouslyDeployed(value);
}
