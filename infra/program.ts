/**
 * The program: config in, plan, components out. `infra/index.ts` hands it to `pulumi up`; the offline
 * render and the tests run the very same function under the mock runtime.
 */
import * as pulumi from "@pulumi/pulumi";
import { GoQuorumNetwork } from "../components/GoQuorumNetwork";
import { readPreviousDeployment } from "../components/workloads/previousDeployment";
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
import { checkDeployedGenesis, GENESIS_JSON_OUTPUT, NODES_OUTPUT } from "./quorum/deployedGenesis";
import { DEPLOYED_VALIDATORS_OUTPUT } from "./quorum/rollout";
import { planRawConfig } from "./stackPlan";

export async function program(): Promise<Record<string, unknown>> {
  const raw = rawPulumiConfig();
  const { config, plan, issues } = planRawConfig(raw);
  // A RunError prints without a stack trace: the user sees every config problem, each with its key path.
  if (!config || !plan) throw new pulumi.RunError(formatIssues(issues));
  const missing = missingIngressSecrets(plan, raw[`${PROJECT}:${INGRESS_SECRETS_CONFIG_KEY}`]);
  if (missing.length > 0) throw new pulumi.RunError(formatIssues(missing));
  const previous = await readPreviousDeployment();
  // A running network keeps its genesis; a config that describes another one stops here, before any resource.
  const genesis = checkDeployedGenesis(
    previous.genesis,
    config.network,
    plan.network.genesisValidators,
    plan.externalPeers,
  );
  if (genesis.issues.some((i) => i.severity === "error"))
    throw new pulumi.RunError(formatIssues(genesis.issues));
  for (const w of [...issues, ...genesis.issues]) pulumi.log.warn(`${w.path}: ${w.message}`);

  const network = new GoQuorumNetwork(config.network.name, {
    config,
    plan,
    adoptedKeys: readAdoptedKeys(),
    previouslyDeployed: previous.validators,
    deployedGenesisJson: genesis.genesisJson,
    alertingSecrets: readAlertingSecrets(),
    ingressSecrets: readIngressSecrets(),
  });
  return {
    chainId: config.network.chainId,
    consensus: config.network.consensus,
    [NODES_OUTPUT]: network.document.apply((d) => d.nodes),
    rpcEndpoints: network.rpcEndpoints,
    publishedEndpoints: network.publishedEndpoints,
    [GENESIS_JSON_OUTPUT]: network.genesisJson,
    join: network.joinDocument,
    // Public: the network CA's certificate and those it signed for external parties (strict Tessera TLS).
    ...(network.tesseraCertificates ? { tesseraCertificates: network.tesseraCertificates } : {}),
    // Secret: what each on-premise site's operator configures on their end of its tunnels.
    ...(network.sitePresharedKeys ? { sitePresharedKeys: network.sitePresharedKeys } : {}),
    plan,
    [DEPLOYED_VALIDATORS_OUTPUT]: network.deployedValidators,
  };
}
