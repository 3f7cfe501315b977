/** What each role runs. */
import type { NodeRole } from "../../config/schema";

export const NODE_ROLES: readonly NodeRole[] = ["validator", "rpc", "member"];

/** RPC and member nodes serve JSON-RPC; validators never do. */
export function servesRpc(role: NodeRole): boolean {
  return role !== "validator";
}

/** Only members have a private transaction manager. */
export function runsTessera(role: NodeRole): boolean {
  return role === "member";
}

export { nodeRunsTessera } from "../../plan/clients";
