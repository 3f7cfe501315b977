/**
 * Besu's genesis for a chain whose GoQuorum genesis `infra/quorum/genesis.ts` writes: one chain, two files.
 * Block 0 is taken field by field from the GoQuorum genesis (header values, extraData with the QBFT validator
 * set, alloc), so both clients compute the same genesis hash (tests/besu-genesis.test.ts checks it with an
 * independent implementation); only the chain `config` is written in Besu's terms. `/work/shared/reference/
 * besu.md` §2c–§2e collect the sources.
 *
 * - Forks stop at `berlinBlock`, as GoQuorum's: with London (or Shanghai …) at block 0 Besu adds a base fee
 *   (withdrawals root …) to the header (`GenesisState.buildHeader`), which GoQuorum's header lacks.
 * - Contract size limit in Besu's unit (bytes, `contractsizelimit`), the byte count GoQuorum applies.
 * - The four QBFT timers written explicitly with GoQuorum's values: Besu's defaults differ (block period 1 s,
 *   request timeout 1 s, empty-block period 0: `JsonBftConfigOptions`). The empty-block period is written
 *   under both names Besu has used, so every release reads it (`BESU_RELEASES.emptyBlockPeriodKeys`).
 * - No GoQuorum-only keys: Besu has no `policy` (it rotates proposers round-robin, GoQuorum's policy 0) and no
 *   `ceil2Nby3Block` (its quorum is always ceil(2N/3), which GoQuorum's `ceil2Nby3Block: 0` selects);
 *   `isQuorum` is ignored since Besu 23.7; `txnSizeLimit` is a GoQuorum transaction-pool rule
 *   (`core/tx_pool.go`), not a block rule.
 * - Keys are written as Besu's docs write them; Besu lower-cases every key outside the alloc addresses
 *   (`GenesisReader`, `JsonUtil.normalizeKeys`), so no two may differ only in case.
 */
import type { TransitionConfig } from "../config/schema";
import { GOQUORUM_DEFAULT_MAX_CODE_SIZE_BYTES } from "../quorum/behaviour";
import {
  buildGenesis,
  canonicalJson,
  emptyBlockPeriod,
  type ForksThroughBerlin,
  type GenesisSettings,
  type QuorumGenesis,
} from "../quorum/genesis";
import { NOT_IN_BESU_TRANSITIONS, type TransitionKey } from "./behaviour";

export interface BesuQbftConfig {
  readonly blockperiodseconds: number;
  /** Read by Besu 26.5.0 and later, first (`JsonBftConfigOptions.EMPTY_BLOCK_PERIOD_SECONDS_KEY`). */
  readonly emptyblockperiodseconds: number;
  /**
   * The same period under the only name Besu before 26.5.0 reads (25.7.0 `JsonBftConfigOptions`,
   * `"xemptyblockperiodseconds"`): without it the interop release runs with the period off (0) and proposes
   * an empty block every block period while GoQuorum validators wait. 26.5.0+ reads the new key when both
   * are set and logs a warning that the deprecated one is ignored (`maybeLogEmptyBlockPeriodDeprecation
   * Warning`). Not part of block 0, so the genesis hash is unchanged.
   */
  readonly xemptyblockperiodseconds: number;
  readonly requesttimeoutseconds: number;
  readonly epochlength: number;
}

export interface BesuGenesis {
  readonly config: ForksThroughBerlin & {
    readonly chainId: number;
    /** Bytes (`JsonGenesisConfigOptions.getContractSizeLimit`). */
    readonly contractSizeLimit: number;
    readonly qbft: BesuQbftConfig;
  };
  readonly nonce: string;
  readonly timestamp: string;
  readonly extraData: string;
  readonly gasLimit: string;
  readonly difficulty: string;
  readonly mixHash: string;
  readonly coinbase: string;
  readonly parentHash: string;
  /** Besu builds block 0 with number and gas used 0 whatever the file says; written for GoQuorum's equality. */
  readonly number: string;
  readonly gasUsed: string;
  readonly alloc: Readonly<Record<string, { readonly balance: string }>>;
}

/** A configured transition key the Besu genesis cannot carry, and why. */
export interface UncarriedTransitionKey {
  readonly path: string;
  readonly why: string;
}

export interface BesuGenesisResult {
  readonly genesis: BesuGenesis;
  /** Keys of `network.transitions` with no Besu equivalent: GoQuorum nodes apply them, Besu nodes do not. */
  readonly uncarried: readonly UncarriedTransitionKey[];
}

export function buildBesuGenesis(
  network: GenesisSettings,
  validatorAddresses: readonly string[],
): BesuGenesisResult {
  if (network.consensus !== "qbft") {
    throw new Error(
      "network.consensus: Besu runs QBFT only (GoQuorum's legacy IBFT is not Besu's IBFT 2.0); a Besu genesis needs consensus qbft.",
    );
  }
  // The GoQuorum file is the source of block 0: every header value and the alloc are copied from it.
  return besuGenesisOf(buildGenesis(network, validatorAddresses));
}

/**
 * The Besu genesis of the chain a GoQuorum genesis file describes (the deployed one, as the workloads get it):
 * block 0 copied field by field, the chain config in Besu's terms. A file written before the GoQuorum genesis
 * stated the empty-block period reads as the block period (`emptyBlockPeriod`); a file the program did not
 * write (a QBFT engine missing, a code size limit set) is refused rather than guessed.
 */
export function besuGenesisFromGoQuorum(goQuorumGenesisJson: string): BesuGenesisResult {
  const quorum = JSON.parse(goQuorumGenesisJson) as QuorumGenesis & {
    config: Record<string, unknown>;
  };
  const { config } = quorum;
  if (config.qbft === undefined) {
    throw new Error(
      "the deployed genesis has no config.qbft: Besu runs QBFT only (GoQuorum's legacy IBFT is not Besu's IBFT 2.0).",
    );
  }
  for (const key of ["maxCodeSize", "maxCodeSizeConfig"]) {
    if (config[key] !== undefined) {
      throw new Error(
        `the deployed genesis sets config.${key}, which the program never writes: its Besu contract size limit is not derived.`,
      );
    }
  }
  return besuGenesisOf(quorum);
}

function besuGenesisOf(quorum: QuorumGenesis): BesuGenesisResult {
  const { config } = quorum;
  const qbft = config.qbft;
  if (!qbft) throw new Error("a Besu genesis needs a QBFT GoQuorum genesis");
  const emptyBlock = emptyBlockPeriod({
    blockPeriodSeconds: qbft.blockperiodseconds,
    emptyBlockPeriodSeconds: qbft.emptyblockperiodseconds,
  });
  const genesis: BesuGenesis = {
    config: {
      chainId: config.chainId,
      homesteadBlock: config.homesteadBlock,
      eip150Block: config.eip150Block,
      eip155Block: config.eip155Block,
      eip158Block: config.eip158Block,
      byzantiumBlock: config.byzantiumBlock,
      constantinopleBlock: config.constantinopleBlock,
      petersburgBlock: config.petersburgBlock,
      istanbulBlock: config.istanbulBlock,
      muirGlacierBlock: config.muirGlacierBlock,
      berlinBlock: config.berlinBlock,
      contractSizeLimit: GOQUORUM_DEFAULT_MAX_CODE_SIZE_BYTES,
      qbft: {
        blockperiodseconds: qbft.blockperiodseconds,
        emptyblockperiodseconds: emptyBlock,
        xemptyblockperiodseconds: emptyBlock,
        requesttimeoutseconds: qbft.requesttimeoutseconds,
        epochlength: qbft.epochlength,
      },
    },
    nonce: quorum.nonce,
    timestamp: quorum.timestamp,
    extraData: quorum.extraData,
    gasLimit: quorum.gasLimit,
    difficulty: quorum.difficulty,
    mixHash: quorum.mixHash,
    coinbase: quorum.coinbase,
    parentHash: quorum.parentHash,
    number: quorum.number,
    gasUsed: quorum.gasUsed,
    alloc: quorum.alloc,
  };
  return { genesis, uncarried: uncarriedTransitionKeys(config.transitions ?? []) };
}

function uncarriedTransitionKeys(transitions: readonly TransitionConfig[]): UncarriedTransitionKey[] {
  return transitions.flatMap((transition, i) =>
    (Object.keys(NOT_IN_BESU_TRANSITIONS) as TransitionKey[])
      .filter((key) => transition[key] !== undefined)
      .map((key) => ({ path: `network.transitions[${i}].${key}`, why: NOT_IN_BESU_TRANSITIONS[key] })),
  );
}

/** Canonical text, as `genesisJson` writes GoQuorum's: keys sorted at every level, trailing newline. */
export function besuGenesisJson(genesis: BesuGenesis): string {
  return canonicalJson(genesis);
}
