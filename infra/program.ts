/**
 * The program: config in, plan, components out. `infra/index.ts` hands it to `pulumi up`; the offline
 * render and the tests run the very same function under the mock runtime.
 */
import * as pulumi from "@pulumi/pulumi";
import { GoQuorumNetwork } from "../components/GoQuorumNetwork";
import { readPreviouslyDeployedValidators } from "../components/workloads/previousDeployment";
import { formatIssues } from "./config/errors";
import { INGRESS_SECRETS_CONFIG_KEY } from "./config/ingress";
import {
  rawPulumiConfig,
  readAdoptedKeys,
  readAlertingSecrets,
  readIngressSecrets,
} from "./config/pulumiConfig";
import { PROJECT } from "./config/schema";
import { missingIngressSecrets } from "./plan/ingressSecrets";
import { DEPLOYED_VALIDATORS_OUTPUT } from "./quorum/rollout";
import { planRawConfig } from "./stackPlan";

export async function program(): Promise<Record<string, unknown>> {
  const raw = rawPulumiConfig();
  const { config, plan, issues } = planRawConfig(raw);
  // A RunError prints without a stack trace: the user sees every config problem, each with its key path.
  if (!config || !plan) throw new pulumi.RunError(formatIssues(issues));
  const missing = missingIngressSecrets(plan, raw[`${PROJECT}:${INGRESS_SECRETS_CONFIG_KEY}`]);
  if (missing.length > 0) throw new pulumi.RunError(formatIssues(missing));
  for (const w of issues) pulumi.log.warn(`${w.path}: ${w.message}`);

  const network = new GoQuorumNetwork(config.network.name, {
    config,
    plan,
    adoptedKeys: readAdoptedKeys(),
    previouslyDeployed: await readPreviouslyDeployedValidators(),
    alertingSecrets: readAlertingSecrets(),
    ingressSecrets: readIngressSecrets(),
  });
  return {
    chainId: config.network.chainId,
    consensus: config.network.consensus,
    nodes: network.document.apply((d) => d.nodes),
    rpcEndpoints: network.rpcEndpoints,
    publishedEndpoints: network.publishedEndpoints,
    genesisJson: network.genesisJson,
    join: network.joinDocument,
    // Secret: what each on-premise site's operator configures on their end of its tunnels.
    ...(network.sitePresharedKeys ? { sitePresharedKeys: network.sitePresharedKeys } : {}),
    plan,
    [DEPLOYED_VALIDATORS_OUTPUT]: network.deployedValidators,
  };
}
