/**
 * The QBFT round timer: its cap and the transitions that change it on a running chain.
 *
 * GoQuorum v24.4.1 `consensus/istanbul/qbft/core/core.go` (`newRoundChangeTimer`): round r waits
 * requestTimeout · 2^r, and only a `maxRequestTimeoutSeconds` above 0 stops the doubling (the timer is then
 * min(requestTimeout · 2^r, cap)). A cap below requestTimeout shrinks every round after round 0 below
 * requestTimeout (the loop sets timeout = cap as soon as 2 · requestTimeout exceeds it). IBFT's timer
 * (`consensus/istanbul/ibft/core/core.go`) is requestTimeout + 2^r seconds and reads no cap.
 *
 * Transitions are validated as `geth init` does (`params/config.go` `CheckTransitionsData`: every entry has
 * a block, blocks never decrease) plus what the program needs (a cap never below the round-0 timer in force
 * at its block).
 */
import type { ConfigIssue } from "../config/issue";
import type { NetworkConfig } from "../config/schema";
import { error } from "./issues";

/**
 * How often the round timer doubles before the default cap stops it: 8 × requestTimeoutSeconds (80 s for the
 * default 10 s). A validator that has been stalled for any time then waits at most one capped round after the
 * fault clears (uncapped, after a 20-minute stall the next round waits ~21 minutes), while a slow but
 * healthy network still gets eight times the time of a normal round before giving up on it: a round that
 * cannot finish in that time is failing for another reason than latency.
 */
export const DEFAULT_ROUND_TIMER_DOUBLINGS = 3;

type TimerSettings = Pick<NetworkConfig, "requestTimeoutSeconds" | "maxRequestTimeoutSeconds">;

/** The cap written into a new network's genesis: the configured one or DEFAULT_ROUND_TIMER_DOUBLINGS doublings. */
export function roundTimerCap(network: TimerSettings): number {
  return (
    network.maxRequestTimeoutSeconds ?? network.requestTimeoutSeconds * 2 ** DEFAULT_ROUND_TIMER_DOUBLINGS
  );
}

/** Whether the chain's round timer is capped from some block on (genesis or a transition). */
export function hasRoundTimerCap(
  engine: { readonly maxRequestTimeoutSeconds?: unknown } | undefined,
  transitions: readonly { readonly maxRequestTimeoutSeconds?: unknown }[],
): boolean {
  const capped = (value: unknown) => typeof value === "number" && value > 0;
  return (
    capped(engine?.maxRequestTimeoutSeconds) || transitions.some((t) => capped(t.maxRequestTimeoutSeconds))
  );
}

export function consensusIssues(network: NetworkConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const qbft = network.consensus === "qbft";
  if (network.maxRequestTimeoutSeconds !== undefined) {
    if (!qbft) {
      issues.push(
        error(
          "network.maxRequestTimeoutSeconds",
          "IBFT's round timer reads no cap (GoQuorum ibft/core/core.go): remove it, or use consensus qbft.",
        ),
      );
    } else if (network.maxRequestTimeoutSeconds < network.requestTimeoutSeconds) {
      issues.push(
        error(
          "network.maxRequestTimeoutSeconds",
          `is ${network.maxRequestTimeoutSeconds} s, below requestTimeoutSeconds (${network.requestTimeoutSeconds} s): every round after the first would wait less than the first. Set it to at least ${network.requestTimeoutSeconds}.`,
        ),
      );
    }
  }
  let base = network.requestTimeoutSeconds;
  let cap = qbft ? roundTimerCap(network) : undefined;
  let previousBlock = 0;
  network.transitions.forEach((t, i) => {
    const at = `network.transitions[${i}]`;
    if (t.block < previousBlock) {
      issues.push(
        error(
          `${at}.block`,
          `${t.block} comes before the block of the entry above it (${previousBlock}): geth init refuses transitions out of block order. Keep them ascending.`,
        ),
      );
    }
    previousBlock = t.block;
    if (t.maxRequestTimeoutSeconds !== undefined && !qbft) {
      issues.push(
        error(`${at}.maxRequestTimeoutSeconds`, "IBFT's round timer reads no cap: remove it (QBFT only)."),
      );
      return;
    }
    base = t.requesttimeoutseconds ?? base;
    cap = t.maxRequestTimeoutSeconds ?? cap;
    if (cap !== undefined && cap < base) {
      const key =
        t.maxRequestTimeoutSeconds !== undefined ? "maxRequestTimeoutSeconds" : "requesttimeoutseconds";
      issues.push(
        error(
          `${at}.${key}`,
          `from block ${t.block} the round timer would start at ${base} s under a cap of ${cap} s, so every round after the first would wait less than the first: keep maxRequestTimeoutSeconds at least requesttimeoutseconds (set both in this entry).`,
        ),
      );
    }
  });
  return issues;
}
