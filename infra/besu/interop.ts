/**
 * What a Besu release can do next to GoQuorum nodes: Besu's facts (`./behaviour`) against GoQuorum's
 * (`../quorum/behaviour`). Kept out of `behaviour.ts`, which imports nothing at runtime.
 */
import { GOQUORUM_ETH_PROTOCOLS } from "../quorum/behaviour";
import { besuRelease } from "./behaviour";

/**
 * The `eth` versions a Besu node on `version` shares with GoQuorum 24.4.1 in the sync mode the program runs
 * (FULL; never FAST, which 25.8–26.1 would need for eth/66 and 26.2 removed). RLPx negotiates the highest
 * shared version; with none, the peers cannot exchange blocks or transactions.
 */
export function besuEthVersionsSharedWithGoQuorum(version: string): number[] {
  return besuRelease(version).ethProtocols.filter((v) => GOQUORUM_ETH_PROTOCOLS.includes(v));
}

/**
 * Whether a Besu node on `version` can sync with GoQuorum nodes: true through 25.7.x (eth/66), false from
 * 25.8.0. QBFT itself matches at 25.7.0: `istanbul/100` and message codes 0x12–0x15 on both sides (Besu
 * `Istanbul100SubProtocol`, `QbftV1`; GoQuorum v24.4.1 `consensus/protocol.go`,
 * `consensus/istanbul/qbft/types/message.go`), and 25.x writes the pre-26.1 Proposal and RoundChange layout.
 */
export function besuSpeaksWithGoQuorum(version: string): boolean {
  return besuEthVersionsSharedWithGoQuorum(version).length > 0;
}
