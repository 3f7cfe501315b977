/**
 * What the plan refuses or warns about when nodes run Besu (issue 18, `docs/operations/migrate-to-besu.md`),
 * and the warning every GoQuorum plan carries. Each fact comes from `infra/besu/behaviour.ts` or is cited here.
 */

import { BESU_RPC_API_GROUPS, NOT_IN_BESU_TRANSITIONS, type TransitionKey } from "../besu/behaviour";
import type { ConfigIssue } from "../config/issue";
import type { StackConfig } from "../config/schema";
import { listNames, type NodeClientEntry } from "./clients";
import { error, warning } from "./issues";

const RUNBOOK = "docs/operations/migrate-to-besu.md";

export function besuIssues(config: StackConfig, nodes: readonly NodeClientEntry[]): ConfigIssue[] {
  const besu = nodes.filter((n) => n.client === "besu");
  return [
    ...unmaintainedIssues(config, nodes),
    ...(besu.length === 0
      ? []
      : [
          ...consensusIssues(config, besu),
          ...privateStateIssues(config, nodes, besu),
          ...transitionIssues(config, besu),
          ...rpcApiIssues(config, besu),
        ]),
  ];
}

/** `eu-validator-0 (clusters[0].nodeClients.eu-validator-0)`: a node and the key that makes it Besu. */
const withKeys = (nodes: readonly NodeClientEntry[]) => listNames(nodes.map((n) => `${n.name} (${n.key})`));

/**
 * GoQuorum is archived: Consensys ended its support on 2026-06-05 ("GoQuorum is no longer actively maintained
 * or supported by Consensys … We do not recommend using GoQuorum for new projects": the Consensys/quorum
 * README notice, PR #1763, and the doc.goquorum site). One warning per plan whose own nodes run it.
 */
function unmaintainedIssues(config: StackConfig, nodes: readonly NodeClientEntry[]): ConfigIssue[] {
  const goquorum = nodes.filter((n) => n.client === "goquorum" && n.cluster !== undefined);
  if (goquorum.length === 0) return [];
  const clusters = [...new Set(goquorum.map((n) => n.cluster))];
  const first = config.clusters.findIndex((c) => c.name === clusters[0]);
  const count = `${goquorum.length} node${goquorum.length === 1 ? "" : "s"}`;
  return [
    warning(
      `clusters[${first}].client`,
      `${count} of this stack run GoQuorum (cluster${clusters.length === 1 ? "" : "s"} ${clusters.join(", ")}), which Consensys archived on 2026-06-05 and no longer maintains ("GoQuorum is no longer actively maintained or supported by Consensys", Consensys/quorum README): no fixes, security fixes included. Besu is one line away: \`client: besu\` on each cluster for a new network; a running network moves node by node without stopping (${RUNBOOK}).`,
    ),
  ];
}

/**
 * Besu has no engine for GoQuorum's IBFT (`istanbul`, IBFT 1): its IBFT is IBFT 2.0, another protocol, and
 * since 25.3.0 (besu-eth/besu#8262) it only imports IBFT 1 blocks into a Besu network that has moved to QBFT
 * after them. A Besu node can neither validate new IBFT 1 blocks nor take part in its rounds.
 */
function consensusIssues(config: StackConfig, besu: readonly NodeClientEntry[]): ConfigIssue[] {
  if (config.network.consensus !== "ibft") return [];
  return [
    error(
      "network.consensus",
      `is ibft, but ${withKeys(besu)} run Besu, which has no engine for GoQuorum's IBFT (Besu's IBFT is IBFT 2.0, another protocol; since 25.3.0 it only imports GoQuorum IBFT blocks into a chain that moves to QBFT after them, besu-eth/besu#8262). Set those keys to goquorum: an IBFT network moves to QBFT on GoQuorum first, which this program does not do.`,
    ),
  ];
}

/**
 * Besu holds no private state: GoQuorum-compatible privacy went in 23.4.0 (#5303), Tessera privacy in 25.6.0
 * (#8369). Worse for the chain: a GoQuorum private transaction is on chain with `v` = 37 or 38 (quorum
 * `core/types/transaction.go`), which Besu decodes as an EIP-155 transaction of chain id 1
 * (`FrontierTransactionDecoder`) and refuses on any other chain (`MainnetTransactionValidator`,
 * WRONG_CHAIN_ID), so a Besu node rejects the first block that carries one and syncs no further.
 */
function privateStateIssues(
  config: StackConfig,
  nodes: readonly NodeClientEntry[],
  besu: readonly NodeClientEntry[],
): ConfigIssue[] {
  const tessera = nodes.filter((n) => n.tessera);
  const { chainId, privateTransactions } = config.network;
  const why = `a GoQuorum private transaction is on chain with v = 37 or 38, which Besu reads as a transaction of chain id 1 and refuses on chain ${chainId} (MainnetTransactionValidator: WRONG_CHAIN_ID), so a Besu node rejects the first block that carries one and syncs no further`;
  if (privateTransactions === "enabled") {
    if (tessera.length === 0) return [];
    return [
      error(
        "network.privateTransactions",
        `is enabled, and ${withKeys(besu)} would run Besu beside Tessera members (${listNames(tessera.map((n) => n.name))}): Besu holds no private state (Tessera privacy was removed in Besu 25.6.0, besu-eth/besu#8369), and ${why}. Keep those nodes on goquorum, or, once the consortium has stopped sending private transactions and no block carries one, set network.privateTransactions: stopped (${RUNBOOK}, "Private state").`,
      ),
    ];
  }
  return [
    warning(
      "network.privateTransactions",
      `is stopped, which promises that no block a Besu node imports carries a GoQuorum private transaction: Besu nodes sync every block from genesis, and ${why}. Check it before the first Besu node starts, on a GoQuorum RPC node: no transaction of any block has v 0x25 or 0x26 (eth_getBlockByNumber with full transactions, block 0 to the head; ${RUNBOOK}, "Private state"). Tessera members keep their private state on GoQuorum.`,
    ),
  ];
}

/** What a Besu node does instead of each transition key it does not read. */
const BESU_INSTEAD: { readonly [K in TransitionKey]: (config: StackConfig) => string } = {
  maxRequestTimeoutSeconds: () =>
    "Besu validators' round timer keeps doubling each round (requestTimeoutSeconds · 2^round, uncapped) while GoQuorum validators cap theirs, so after a long stall they leave the stalled round at different times",
  requesttimeoutseconds: (config) =>
    `Besu validators keep the genesis round timer (requestTimeoutSeconds ${config.network.requestTimeoutSeconds} s) while GoQuorum validators change theirs at the transition's block`,
};

/**
 * Keys of `network.transitions` Besu's `BftFork` does not read (`infra/besu/genesis.ts` leaves them out of
 * Besu's genesis): GoQuorum nodes apply them, Besu nodes do not. Round timers decide when a validator gives
 * up on a round, never whether a block is valid, so this is a warning.
 */
function transitionIssues(config: StackConfig, besu: readonly NodeClientEntry[]): ConfigIssue[] {
  return config.network.transitions.flatMap((transition, i) =>
    (Object.keys(NOT_IN_BESU_TRANSITIONS) as TransitionKey[])
      .filter((key) => transition[key] !== undefined)
      .map((key) =>
        warning(
          `network.transitions[${i}].${key}`,
          `is not applied by the Besu nodes (${listNames(besu.map((n) => n.name))}): ${NOT_IN_BESU_TRANSITIONS[key]}. ${BESU_INSTEAD[key](config)}. Blocks stay valid for both clients.`,
        ),
      ),
  );
}

/** What a client loses with each GoQuorum namespace Besu lacks (`BESU_RPC_API_GROUPS`, Besu's CHANGELOG). */
const WHY_NOT_IN_BESU: { readonly [api: string]: string } = {
  quorumExtension:
    "GoQuorum's extension of private contracts to new parties; Besu removed GoQuorum-compatible privacy in 23.4.0",
  quorumPermission: "GoQuorum's contract-based permissioning; Besu removed onchain permissioning in 25.6.0",
  personal: "accounts held by the node; Besu has no personal namespace",
};

/**
 * JSON-RPC namespaces GoQuorum serves and Besu has no group for: `workloads.rpc.apis` is one list that every
 * RPC and member node serves, so it may not name one while such a node runs Besu (Besu validators serve
 * their own fixed set).
 */
function rpcApiIssues(config: StackConfig, besu: readonly NodeClientEntry[]): ConfigIssue[] {
  const serving = besu.filter((n) => n.role === "rpc" || n.role === "member");
  if (serving.length === 0) return [];
  return config.network.workloads.rpc.apis.flatMap((api, k) =>
    BESU_RPC_API_GROUPS[api] === null
      ? [
          error(
            `network.workloads.rpc.apis[${k}]`,
            `is ${api}, which Besu has no JSON-RPC group for (${WHY_NOT_IN_BESU[api]}), and ${withKeys(serving)} serve JSON-RPC on Besu. Remove it from the list (the GoQuorum nodes stop serving it too), or keep those nodes on goquorum.`,
          ),
        ]
      : [],
  );
}
