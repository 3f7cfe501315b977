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
import { listNames, type NodeClientEntry } from "./clients";
import { error, warning } from "./issues";

export const MIN_GENESIS_GAS_LIMIT = GOQUORUM_GAS_LIMIT.minimum;

/**
 * A new network below the floor is refused (`pulumi up` or a render of a first deployment). The plan cannot
 * tell a new network from a running one, whose genesis never changes: it warns, so a running network stays
 * operable, and says the first deployment refuses it.
 */
export type GasLimitContext = "new-network" | "unknown";

type BesuNode = Pick<NodeClientEntry, "name" | "key">;

export function genesisGasLimitIssues(
  network: Pick<NetworkConfig, "gasLimit">,
  context: GasLimitContext,
  besu: readonly BesuNode[] = [],
): ConfigIssue[] {
  const limit = BigInt(network.gasLimit);
  if (limit >= MIN_GENESIS_GAS_LIMIT) return [];
  const floor = MIN_GENESIS_GAS_LIMIT;
  const issue = context === "new-network" ? error : warning;
  const besuNodes =
    besu.length > 0
      ? ` The Besu nodes ${listNames(besu.map((n) => n.name))} cannot import block 1 of such a chain: on a running network \`pulumi up\` refuses them.`
      : "";
  const when =
    context === "unknown"
      ? ` The first deployment of a network refuses it; a running network only gets this warning.${besuNodes}`
      : "";
  return [
    issue(
      "network.gasLimit",
      `is ${network.gasLimit} (${limit.toLocaleString("en-US")}), below GoQuorum's floor of ${floor.toLocaleString("en-US")}: GoQuorum lifts block 1 to the floor in one step (core/block_validator.go CalcGasLimit) and Besu refuses a block whose gas limit moves by 1/${BESU_GAS_LIMIT.deltaDivisor} of its parent's or more (besu-eth/besu#10723), so no Besu node could ever sync this chain, which leaves it no maintained client. Set network.gasLimit to at least "0x${floor.toString(16).toUpperCase()}" (the default is "0xE0000000"). A running network's genesis never changes: a chain started below the floor cannot take Besu nodes.${when}`,
    ),
  ];
}

/**
 * A running network's genesis never changes: when it starts below the floor, a Besu node cannot import its
 * block 1 (besu-eth/besu#10723), so `pulumi up` refuses Besu nodes there, at the key that made each Besu.
 */
export function besuGasFloorIssues(deployedGasLimit: string, besu: readonly BesuNode[]): ConfigIssue[] {
  const limit = /^(0x[0-9a-fA-F]+|[0-9]+)$/.test(deployedGasLimit) ? BigInt(deployedGasLimit) : undefined;
  if (limit === undefined || limit >= MIN_GENESIS_GAS_LIMIT || besu.length === 0) return [];
  const keys = [...new Set(besu.map((n) => n.key))];
  return keys.map((key) => {
    const names = besu.filter((n) => n.key === key).map((n) => n.name);
    return error(
      key,
      `makes ${listNames(names)} run Besu, but the running chain's genesis gas limit is ${deployedGasLimit} (${limit.toLocaleString("en-US")}), below ${MIN_GENESIS_GAS_LIMIT.toLocaleString("en-US")}: GoQuorum lifted block 1 to its floor in one step, which Besu refuses (a gas limit may move by less than 1/${BESU_GAS_LIMIT.deltaDivisor} of its parent's per block, besu-eth/besu#10723), so a Besu node never gets past block 1. The genesis of a running network never changes: set it back to goquorum (docs/operations/migrate-to-besu.md, "Preconditions").`,
    );
  });
}
