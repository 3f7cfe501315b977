/**
 * Which client every node of the network runs (the stack's nodes and the external peers), and the config key
 * that decides it: the checks of a mixed or Besu network and the plan's text read this one census.
 */
import type { NodeClient, NodeRole, StackConfig } from "../config/schema";
import type { ClusterPlan } from "./types";

export interface NodeClientEntry {
  readonly name: string;
  readonly client: NodeClient;
  /** The stack's cluster it runs in; absent for an external peer. */
  readonly cluster?: string;
  /** The config key to change to move it to another client (`clusters[0].nodeClients.eu-validator-0`). */
  readonly key: string;
  /** Its role, or `external` for an external peer (whose role the stack does not know). */
  readonly role: NodeRole | "external";
  /** It runs Tessera: a GoQuorum member of the stack, or an external peer with a `tesseraUrl`. */
  readonly tessera: boolean;
}

/** A member on GoQuorum runs Tessera; one on Besu runs none (Besu removed Tessera privacy in 25.6.0). */
export function nodeRunsTessera(node: { readonly role: NodeRole; readonly client: NodeClient }): boolean {
  return node.role === "member" && node.client === "goquorum";
}

export function nodeClients(config: StackConfig, clusters: readonly ClusterPlan[]): NodeClientEntry[] {
  const stack = clusters.flatMap((cluster) => {
    const i = config.clusters.findIndex((c) => c.name === cluster.name);
    const overrides = config.clusters[i]?.nodeClients ?? {};
    return cluster.nodes.map(
      (node): NodeClientEntry => ({
        name: node.name,
        client: node.client,
        cluster: cluster.name,
        key: node.name in overrides ? `clusters[${i}].nodeClients.${node.name}` : `clusters[${i}].client`,
        role: node.role,
        tessera: nodeRunsTessera(node),
      }),
    );
  });
  const external = config.network.connectivity.externalPeers.map(
    (peer, k): NodeClientEntry => ({
      name: peer.name,
      client: peer.client,
      key: `network.connectivity.externalPeers[${k}].client`,
      role: "external",
      tessera: peer.tesseraUrl !== undefined,
    }),
  );
  return [...stack, ...external];
}

/** `a, b and 3 more`: node lists in messages stay readable on a 64-validator network. */
export function listNames(names: readonly string[], shown = 6): string {
  if (names.length <= shown) return names.join(", ");
  return `${names.slice(0, shown).join(", ")} and ${names.length - shown} more`;
}
