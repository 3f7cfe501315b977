/**
 * The e2e stack: one `local` cluster reached through the test's kubeconfig context, nothing from the Internet.
 * Monitoring and ingress are off (their charts come from chart repositories); every node's keys are adopted
 * from the secret config because the random provider is not served by the module proxy (e2e/pieces.ts).
 * Pure: the config as `pulumi config` holds it, and the adopted keys from seeds.
 */

import { BESU_GENESIS_CONFIGMAP, BESU_PEERS_CONFIGMAP } from "../infra/besu/manifests/paths";
import type { AdoptedKeys } from "../infra/config/schema";
import { nodeKeyFromSeed } from "../infra/quorum/keys";
import { planRawConfig } from "../infra/stackPlan";

export const E2E_STACK = "e2e";
export const E2E_CLUSTER = "kwok";
export const E2E_NAMESPACE = "goquorum";

export interface E2eShape {
  readonly validators: number;
  readonly rpc: number;
  readonly members: number;
  /** `clusters[].nodeClients`: the nodes that run another client than the cluster's (GoQuorum). */
  readonly nodeClients?: Readonly<Record<string, "besu">>;
  /** `network.privateTransactions`; the schema's default (`enabled`) when absent. */
  readonly privateTransactions?: "stopped";
}

export const FIRST: E2eShape = { validators: 4, rpc: 1, members: 1 };
/** The update step: one more RPC node, nothing else. */
export const UPDATE: E2eShape = { ...FIRST, rpc: FIRST.rpc + 1 };
/** The validator the migration step moves to Besu: the last one, so the rollout chain's head stays. */
export const MIGRATED_NODE = `${E2E_CLUSTER}-validator-${FIRST.validators - 1}`;
/**
 * The migration step: the update's nodes, one validator on Besu. The stack has a Tessera member, so the
 * config states that private transactions have stopped (Besu cannot import blocks that carry them).
 */
export const MIGRATE: E2eShape = {
  ...UPDATE,
  nodeClients: { [MIGRATED_NODE]: "besu" },
  privateTransactions: "stopped",
};

/**
 * Every object the migration step changes, as `Kind/name`: the node's StatefulSet is replaced (its volume claim
 * template is Besu's, a field the provider replaces on), and with it its rollout gate Job (its pod template
 * carries the digests of the files the node reads, now Besu's; a Job's template is immutable); the cluster's
 * Besu genesis and peer files are created. Nothing is updated in place: the node keeps its key, Services and
 * host, so the GoQuorum nodes' peer lists, the policies and the other nodes' objects stay as they are.
 */
export function migrationChanges(node: string) {
  return {
    replaced: [`Job/${node}-rollout-gate`, `StatefulSet/${node}`],
    created: [`ConfigMap/${BESU_GENESIS_CONFIGMAP}`, `ConfigMap/${BESU_PEERS_CONFIGMAP}`],
    updated: [],
    deleted: [],
  };
}

function network(shape: E2eShape, adoptKeysFor: readonly string[]) {
  return {
    name: "e2e",
    ...(shape.privateTransactions ? { privateTransactions: shape.privateTransactions } : {}),
    chainId: 1337,
    blockPeriodSeconds: 2,
    monitoring: { enabled: false },
    adoptKeysFor: [...adoptKeysFor],
    workloads: {
      storageSize: "1Gi",
      goquorumResources: { cpuRequest: "100m", memoryRequest: "256Mi", memoryLimit: "512Mi" },
      tesseraResources: { cpuRequest: "100m", memoryRequest: "256Mi", memoryLimit: "512Mi" },
    },
  };
}

function clusters(shape: E2eShape, context: string) {
  const { validators, rpc, members, nodeClients } = shape;
  return [
    {
      name: E2E_CLUSTER,
      provider: "local",
      context,
      nodes: { validators, rpc, members },
      ...(nodeClients ? { nodeClients: { ...nodeClients } } : {}),
    },
  ];
}

/** The planned nodes of a shape, by name and role, from the project's own planner. */
export function plannedNodes(
  shape: E2eShape,
  context: string,
): { name: string; role: string; client: string }[] {
  const { plan, issues } = planRawConfig({
    "goquorum:network": network(shape, []),
    "goquorum:clusters": clusters(shape, context),
  });
  if (!plan) throw new Error(`the e2e stack does not plan: ${JSON.stringify(issues)}`);
  return plan.clusters.flatMap((c) => c.nodes.map((n) => ({ name: n.name, role: n.role, client: n.client })));
}

/** The Besu image of a network that still has GoQuorum nodes: the schema's `images.besuInterop`. */
export function interopImage(shape: E2eShape, context: string): string {
  const { config } = planRawConfig({
    "goquorum:network": network(shape, []),
    "goquorum:clusters": clusters(shape, context),
  });
  if (!config) throw new Error("the e2e stack's config does not parse");
  return config.network.workloads.images.besuInterop;
}

/** The stack's plain config values (JSON, as `pulumi config set` stores structured values). */
export function stackConfig(shape: E2eShape, context: string): Record<string, string> {
  const names = plannedNodes(shape, context).map((n) => n.name);
  return {
    "goquorum:network": JSON.stringify(network(shape, names)),
    "goquorum:clusters": JSON.stringify(clusters(shape, context)),
  };
}

/** Keys for every node, from one 32-byte seed per key (node key, and Tessera key for members). */
export function adoptedKeys(
  nodes: readonly { name: string; role: string }[],
  seed: (label: string) => Uint8Array,
): Record<string, AdoptedKeys> {
  return Object.fromEntries(
    nodes.map((n) => [
      n.name,
      {
        nodeKey: nodeKeyFromSeed(seed(`${n.name}/nodekey`)),
        ...(n.role === "member"
          ? { tesseraKey: Buffer.from(seed(`${n.name}/tessera`)).toString("base64") }
          : {}),
      },
    ]),
  );
}
