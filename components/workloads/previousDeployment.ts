import * as pulumi from "@pulumi/pulumi";
import { NODE_CLIENTS_OUTPUT, type PreviousNodeClients } from "../../infra/besu/rollingUpgrade";
import {
  GENESIS_JSON_OUTPUT,
  NODES_OUTPUT,
  type PreviousGenesisOutputs,
} from "../../infra/quorum/deployedGenesis";
import { DEPLOYED_VALIDATORS_OUTPUT, previouslyDeployed } from "../../infra/quorum/rollout";
import {
  KUBERNETES_VERSIONS_OUTPUT,
  type PreviousKubernetesVersions,
} from "../../infra/verify/kubernetesUpgrade";

/** Resource name of the stack's reference to itself. */
export const PREVIOUS_DEPLOYMENT = "previous-deployment";

export interface PreviousDeployment {
  /** Validators whose StatefulSets the last deployment created. */
  readonly validators: ReadonlySet<string>;
  /** The genesis it deployed and its nodes' addresses. */
  readonly genesis: PreviousGenesisOutputs;
  /** Whether it left outputs at all, and the Kubernetes versions its clusters ran. */
  readonly kubernetes: PreviousKubernetesVersions;
  /** Which client (and Besu image) each node ran. */
  readonly nodeClients: PreviousNodeClients;
}

/**
 * What the stack's last deployment left behind, read from its own outputs through a StackReference to
 * itself. The engine keeps the previous outputs on the stack until this run registers its own at the end,
 * so preview and update both see the last completed deployment; a stack never deployed has none.
 */
export async function readPreviousDeployment(): Promise<PreviousDeployment> {
  const self = new pulumi.StackReference(PREVIOUS_DEPLOYMENT, {
    name: `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`,
  });
  const output = async (name: string) => {
    const { value, secretValue } = await self.getOutputDetails(name);
    return value ?? secretValue;
  };
  const validators = await output(DEPLOYED_VALIDATORS_OUTPUT);
  const genesis = { genesisJson: await output(GENESIS_JSON_OUTPUT), nodes: await output(NODES_OUTPUT) };
  // Every deployment of this program exports the genesis and its validators: none means never deployed.
  const deployed = [validators, genesis.genesisJson, genesis.nodes].some((v) => v !== undefined);
  return {
    validators: previouslyDeployed(validators),
    genesis,
    kubernetes: { deployed, kubernetesVersions: await output(KUBERNETES_VERSIONS_OUTPUT) },
    nodeClients: { deployed, nodeClients: await output(NODE_CLIENTS_OUTPUT) },
  };
}
