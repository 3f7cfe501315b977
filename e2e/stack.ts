/**
 * The e2e stack: one `local` cluster reached through the test's kubeconfig context, nothing from the Internet.
 * Monitoring and ingress are off (their charts come from chart repositories); every node's keys are adopted
 * from the secret config because the random provider is not served by the module proxy (e2e/pieces.ts).
 * Pure: the config as `pulumi config` holds it, and the adopted keys from seeds.
 */

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
}

export const FIRST: E2eShape = { validators: 4, rpc: 1, members: 1 };
/** The update step: one more RPC node, nothing else. */
export const UPDATE: E2eShape = { ...FIRST, rpc: FIRST.rpc + 1 };

function network(adoptKeysFor: readonly string[]) {
  return {
    name: "e2e",
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
  return [{ name: E2E_CLUSTER, provider: "local", context, nodes: { ...shape } }];
}

/** The planned nodes of a shape, by name and role, from the project's own planner. */
export function plannedNodes(shape: E2eShape, context: string): { name: string; role: string }[] {
  const { plan, issues } = planRawConfig({
    "goquorum:network": network([]),
    "goquorum:clusters": clusters(shape, context),
  });
  if (!plan) throw new Error(`the e2e stack does not plan: ${JSON.stringify(issues)}`);
  return plan.clusters.flatMap((c) => c.nodes.map((n) => ({ name: n.name, role: n.role })));
}

/** The stack's plain config values (JSON, as `pulumi config set` stores structured values). */
export function stackConfig(shape: E2eShape, context: string): Record<string, string> {
  const names = plannedNodes(shape, context).map((n) => n.name);
  return {
    "goquorum:network": JSON.stringify(network(names)),
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
