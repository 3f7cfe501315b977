/**
 * The program: config in, plan, components out. `infra/index.ts` hands it to `pulumi up`; the offline
 * render and the tests run the very same function under the mock runtime.
 */
import * as pulumi from "@pulumi/pulumi";
import { GoQuorumNetwork } from "../components/GoQuorumNetwork";
import { deployerIssues } from "../components/targets/preflight";
import { readPreviousDeployment } from "../components/workloads/previousDeployment";
import { NODE_CLIENTS_OUTPUT } from "./besu/rollingUpgrade";
import { formatIssues } from "./config/errors";
import { INGRESS_SECRETS_CONFIG_KEY } from "./config/ingress";
import {
  rawPulumiConfig,
  readAdoptedKeys,
  readAlertingSecrets,
  readIngressSecrets,
} from "./config/pulumiConfig";
import { PROJECT } from "./config/schema";
import { nodeClients } from "./plan/clients";
import { missingIngressSecrets } from "./plan/ingressSecrets";
import { siteOutputName } from "./plan/siteOutputs";
import { checkDeployedGenesis, GENESIS_JSON_OUTPUT, NODES_OUTPUT } from "./quorum/deployedGenesis";
import { DEPLOYED_VALIDATORS_OUTPUT } from "./quorum/rollout";
import { planRawConfig, planUpgradeFor } from "./stackPlan";
import { KUBERNETES_VERSIONS_OUTPUT, kubernetesUpgradeIssues } from "./verify/kubernetesUpgrade";

export async function program(): Promise<Record<string, unknown>> {
  const raw = rawPulumiConfig();
  const { config, plan, issues } = planRawConfig(raw, today());
  // A RunError prints without a stack trace: the user sees every config problem, each with its key path.
  if (!config || !plan) throw new pulumi.RunError(formatIssues(issues));
  const missing = missingIngressSecrets(plan, raw[`${PROJECT}:${INGRESS_SECRETS_CONFIG_KEY}`]);
  if (missing.length > 0) throw new pulumi.RunError(formatIssues(missing));
  // Who runs this must be able to use every cluster it builds; checked before anything is created.
  const deployer = await deployerIssues(config);
  if (deployer.length > 0) throw new pulumi.RunError(formatIssues(deployer));
  const previous = await readPreviousDeployment();
  // A running network keeps its genesis; a config that describes another one stops here, before any resource.
  const genesis = checkDeployedGenesis(
    previous.genesis,
    config.network,
    plan.network.genesisValidators,
    plan.externalPeers,
    nodeClients(config, plan.clusters).filter((n) => n.client === "besu"),
  );
  // Neither cloud skips or lowers a minor: a config that asks for it stops here, not halfway through the update.
  const versions = kubernetesUpgradeIssues(config, previous.kubernetes);
  // A rolling upgrade off pre-26.1 QBFT keeps the legacy flag until no node may speak it; syncing nodes wait.
  const upgrade = planUpgradeFor(config, plan, previous.nodeClients);
  const deployedChecks = [...genesis.issues, ...versions, ...upgrade.plan.issues];
  if (deployedChecks.some((i) => i.severity === "error"))
    throw new pulumi.RunError(formatIssues(deployedChecks));
  for (const w of [...issues, ...deployedChecks]) pulumi.log.warn(`${w.path}: ${w.message}`);

  const network = new GoQuorumNetwork(config.network.name, {
    config,
    plan,
    adoptedKeys: readAdoptedKeys(),
    previouslyDeployed: previous.validators,
    deployedGenesisJson: genesis.genesisJson,
    upgrade: upgrade.plan,
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
    // One secret output per on-premise site, for its operator alone: its tunnels and its keys, no other's.
    ...Object.fromEntries(
      Object.entries(network.siteOutputs).map(([site, output]) => [siteOutputName(site), output]),
    ),
    plan,
    [DEPLOYED_VALIDATORS_OUTPUT]: network.deployedValidators,
    [KUBERNETES_VERSIONS_OUTPUT]: network.kubernetesVersions,
    [NODE_CLIENTS_OUTPUT]: upgrade.output,
  };
}

/** Today's date (UTC, ISO): the day a `pulumi up` plans for. */
const today = () => new Date().toISOString().slice(0, 10);
