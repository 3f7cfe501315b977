/**
 * The `network.json` document: who is in the network and how to reach them, for operators and for
 * clusters joining later.
 */
import type { NodeRole } from "../config/schema";
import type { NetworkPlan } from "../plan/types";
import { advertisedP2pHost, enodeUrl } from "./peers";
import { PORTS } from "./ports";

/** The public part of a node's identity; members also have a Tessera public key. */
export interface PublicIdentity {
  readonly address: string;
  readonly publicKey: string;
  readonly tesseraPublicKey?: string;
}

export interface NetworkDocumentNode {
  readonly name: string;
  readonly cluster: string;
  readonly role: NodeRole;
  readonly address: string;
  readonly enodeId: string;
  readonly enodeUrl: string;
  readonly p2pHost: string;
  readonly p2pPort: number;
  readonly tesseraPublicKey?: string;
}

export interface NetworkDocument {
  readonly chainId: number;
  readonly consensus: "qbft" | "ibft";
  readonly nodes: readonly NetworkDocumentNode[];
}

/** Nodes in plan order, each at its advertised address (endpoint IP when it has one). */
export function networkDocument(
  plan: NetworkPlan,
  identities: ReadonlyMap<string, PublicIdentity>,
): NetworkDocument {
  const nodes = plan.clusters.flatMap((cluster) =>
    cluster.nodes.map((node): NetworkDocumentNode => {
      const identity = identities.get(node.name);
      if (!identity) throw new Error(`no node identity for ${node.name}`);
      if (node.role === "member" && !identity.tesseraPublicKey) {
        throw new Error(`member ${node.name} has no Tessera public key`);
      }
      const p2pHost = advertisedP2pHost(node, cluster);
      return {
        name: node.name,
        cluster: node.cluster,
        role: node.role,
        address: identity.address,
        enodeId: identity.publicKey,
        enodeUrl: enodeUrl(identity.publicKey, p2pHost, PORTS.p2p),
        p2pHost,
        p2pPort: PORTS.p2p,
        ...(node.role === "member" ? { tesseraPublicKey: identity.tesseraPublicKey } : {}),
      };
    }),
  );
  return { chainId: plan.network.chainId, consensus: plan.network.consensus, nodes };
}
