/**
 * The genesis gas limit a chain must start at for Besu nodes to sync it from block 0: GoQuorum's floor. Below
 * it GoQuorum's block 1 jumps up to the floor in one step, more than Besu's delta rule lets a block move
 * (besu-eth/besu#10723); from the floor on GoQuorum moves a block by at most 1/4096 of its parent, inside
 * Besu's 1/1024. (A genesis within 1/1025 below the floor would pass too; the rule keeps the floor itself.)
 */
import { BESU_GAS_LIMIT } from "../besu/behaviour";
import type { ConfigIssue } from "../config/issue";
import type { NetworkConfig } from "../config/schema";
import { GOQUORUM_GAS_LIMIT } from "../quorum/behaviour";
import { error, warning } from "./issues";

export const MIN_GENESIS_GAS_LIMIT = GOQUORUM_GAS_LIMIT.minimum;

/**
 * A new network below the floor is refused (`pulumi up` or a render of a first deployment). The plan cannot
 * tell a new network from a running one, whose genesis never changes: it warns, so a running network stays
 * operable, and says the first deployment refuses it.
 */
export type GasLimitContext = "new-network" | "unknown";

export function genesisGasLimitIssues(
  network: Pick<NetworkConfig, "gasLimit">,
  context: GasLimitContext,
): ConfigIssue[] {
  const limit = BigInt(network.gasLimit);
  if (limit >= MIN_GENESIS_GAS_LIMIT) return [];
  const floor = MIN_GENESIS_GAS_LIMIT;
  const issue = context === "new-network" ? error : warning;
  const when =
    context === "unknown"
      ? " The first deployment of a network refuses it; a running network only gets this warning."
      : "";
  return [
    issue(
      "network.gasLimit",
      `is ${network.gasLimit} (${limit.toLocaleString("en-US")}), below GoQuorum's floor of ${floor.toLocaleString("en-US")}: GoQuorum lifts block 1 to the floor in one step (core/block_validator.go CalcGasLimit) and Besu refuses a block whose gas limit moves by 1/${BESU_GAS_LIMIT.deltaDivisor} of its parent's or more (besu-eth/besu#10723), so no Besu node could ever sync this chain, which leaves it no maintained client. Set network.gasLimit to at least "0x${floor.toString(16).toUpperCase()}" (the default is "0xE0000000"). A running network's genesis never changes: a chain started below the floor cannot take Besu nodes.${when}`,
    ),
  ];
}
