/** What each role runs. */
import type { NodeClient, NodeRole } from "../../config/schema";

export const NODE_ROLES: readonly NodeRole[] = ["validator", "rpc", "member"];

/** RPC and member nodes serve JSON-RPC; validators never do. */
export function servesRpc(role: NodeRole): boolean {
  return role !== "validator";
}

/** Only members have a private transaction manager. */
export function runsTessera(role: NodeRole): boolean {
  return role === "member";
}

/** A member on GoQuorum runs Tessera; one on Besu runs none (Besu removed Tessera privacy in 25.6.0). */
export function nodeRunsTessera(node: { readonly role: NodeRole; readonly client: NodeClient }): boolean {
  return runsTessera(node.role) && node.client === "goquorum";
}
