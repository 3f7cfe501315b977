/**
 * Alert thresholds, derived from the network's own config and plan: block timing, validator count and the
 * static peer mesh. A stack with other values gets other thresholds.
 */
import type { NetworkConfig, NodeClient } from "../config/schema";
import type { ClusterPlan, NetworkPlan } from "../plan/types";
import { tesseraMembers } from "./monitors";
import { SCRAPE_INTERVAL_SECONDS } from "./names";

/** Block intervals without a new head before the chain counts as stalled. */
export const STALL_BLOCK_INTERVALS = 3;

/** A container restarting this often within RESTART_WINDOW_SECONDS is crash-looping, not recovering. */
export const RESTARTS_TO_ALERT = 3;
export const RESTART_WINDOW_SECONDS = 30 * 60;

/**
 * A node's peer count is the fewest `p2p_peers` it reported over this many scrapes: the gauge also counts a
 * probe's or a failed handshake's connection while it is open (P2P_PEERS_METRIC), and one such sample would
 * otherwise reset the missing-peer alert's `for:` timer. A connection held for a whole window is a peer.
 */
export const PEER_COUNT_WINDOW_SCRAPES = 8;

export interface Thresholds {
  /** Validators of the network (every planned validator). */
  readonly validators: number;
  /** ⌈2n/3⌉: live validators QBFT needs to make blocks. */
  readonly quorum: number;
  /** Longest normal gap between blocks: the empty-block period when it is longer than the block period. */
  readonly blockIntervalSeconds: number;
  /** No new head for this long means the chain has stopped. */
  readonly chainStallSeconds: number;
  /** A node this many blocks behind the network's head is lagging (scrape skew allowed for). */
  readonly lagBlocks: number;
  /** Devp2p peers every node should have: every other node (static full mesh). */
  readonly expectedPeers: number;
  /** A node's peer count is its lowest `p2p_peers` over this window, so short over-counts do not hide a loss. */
  readonly peerCountWindowSeconds: number;
  /** Tessera members of the network (GoQuorum's); each one's partyinfo reaches every other. */
  readonly members: number;
  /** Predict a volume full within this many seconds. */
  readonly volumeFullWithinSeconds: number;
  /** Restarts of one container within `restartWindowSeconds` that count as a crash loop. */
  readonly restarts: number;
  readonly restartWindowSeconds: number;
}

export function thresholds(network: NetworkConfig, plan: NetworkPlan): Thresholds {
  const nodes = plan.clusters.flatMap((c) => c.nodes);
  const blockIntervalSeconds = Math.max(
    network.blockPeriodSeconds,
    network.emptyBlockPeriodSeconds ?? network.blockPeriodSeconds,
  );
  return {
    validators: plan.faultTolerance.validators,
    quorum: plan.faultTolerance.quorum,
    blockIntervalSeconds,
    // At least four scrapes, so one late scrape never looks like a stall.
    chainStallSeconds: Math.max(STALL_BLOCK_INTERVALS * blockIntervalSeconds, 4 * SCRAPE_INTERVAL_SECONDS),
    // Two scrape intervals of blocks can separate two healthy nodes' samples, plus two blocks of propagation.
    lagBlocks: Math.ceil((2 * SCRAPE_INTERVAL_SECONDS) / network.blockPeriodSeconds) + 2,
    expectedPeers: nodes.length - 1,
    peerCountWindowSeconds: PEER_COUNT_WINDOW_SCRAPES * SCRAPE_INTERVAL_SECONDS,
    members: tesseraMembers(nodes).length,
    volumeFullWithinSeconds: network.monitoring.volumeFullWithinDays * 86400,
    restarts: RESTARTS_TO_ALERT,
    restartWindowSeconds: RESTART_WINDOW_SECONDS,
  };
}

/** Scrape targets a cluster should have, per job: each client's nodes, and Tessera's members. */
export function expectedTargets(cluster: ClusterPlan): Record<NodeClient | "tessera", number> {
  return {
    goquorum: cluster.nodes.filter((n) => n.client === "goquorum").length,
    besu: cluster.nodes.filter((n) => n.client === "besu").length,
    tessera: tesseraMembers(cluster.nodes).length,
  };
}
