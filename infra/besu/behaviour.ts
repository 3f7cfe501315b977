/**
 * What Hyperledger Besu really does where the program depends on it, each with its source (besu-eth/besu,
 * tag 26.8.0 unless another is named; `/work/shared/reference/besu.md` collects the reading). The Besu genesis,
 * the plan and the tests read these facts instead of assuming them.
 */

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
