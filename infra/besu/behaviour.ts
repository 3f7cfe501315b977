/**
 * What Hyperledger Besu really does where the program depends on it, each with its source (besu-eth/besu,
 * tag 26.8.0 unless another is named; `/work/shared/reference/besu.md` collects the reading). The Besu genesis,
 * the plan and the tests read these facts instead of assuming them.
 */
import type { TransitionConfig } from "../config/schema";

/**
 * Besu's QBFT header rules include `GasLimitRangeAndDeltaValidationRule`
 * (`consensus/qbft/.../QbftBlockHeaderValidationRulesetFactory`): a block whose gas limit differs from its
 * parent's by parent/1024 or more is invalid. GoQuorum lifts block 1 of a chain whose genesis limit is below
 * its floor in one step (`GOQUORUM_GAS_LIMIT`), which Besu then refuses: besu-eth/besu#10723 (open).
 */
export const BESU_GAS_LIMIT = {
  /** |child − parent| must stay below parent / this. */
  deltaDivisor: 1024n,
} as const;

export type TransitionKey = Exclude<keyof TransitionConfig, "block">;

/**
 * Why each configured GoQuorum transition key has no place in Besu's genesis. Besu's transitions are an object,
 * `{ "qbft": [{ block, … }] }` (`TransitionsConfigOptions`), whose entries read only `blockperiodseconds`,
 * `emptyblockperiodseconds`, `blockreward`, `miningbeneficiary`, `validators`, `validatorselectionmode`,
 * `validatorcontractaddress` and `pertxgaslimit` (`BftFork`, `QbftFork`). None of the round-timer keys the
 * program configures is among them, so a Besu node keeps the genesis round timer while GoQuorum nodes change
 * theirs. A round timer decides how long a validator waits before a round change, never whether a block is
 * valid, so the chain stays one (inferred: mixed validators may then leave a stalled round at different times).
 * So the Besu file has no `transitions`. Adding a key to the schema's transitions fails the type check here
 * until its Besu meaning is decided (and, if Besu reads it, the file gets `transitions.qbft`).
 */
export const NOT_IN_BESU_TRANSITIONS: { readonly [K in TransitionKey]: string } = {
  maxRequestTimeoutSeconds:
    "Besu reads no cap on its QBFT round timer (no such key in JsonQbftConfigOptions or BftFork)",
  requesttimeoutseconds:
    "Besu reads requesttimeoutseconds from config.qbft only, not from transitions (BftFork)",
};
