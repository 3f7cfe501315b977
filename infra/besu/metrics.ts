/**
 * What Besu serves to Prometheus, each name with the class that registers it (besu-eth/besu, the same at tags
 * 25.7.0 and 26.8.0, the two releases a network runs during and after a migration). Besu names a metric
 * `<prefix><category>_<name>`: categories of `BesuMetricCategory` get the prefix `besu_` except ETHEREUM
 * (`besuSpecific = false`), and `StandardMetricCategory` (JVM, PROCESS) none
 * (`metrics/core/.../BesuMetricCategory.java`, `StandardMetricCategory.java`,
 * `prometheus/CategorizedPrometheusCollector.java`). Every category the rules read is on by default
 * (`BesuMetricCategory.DEFAULT_METRIC_CATEGORIES`: all but the RocksDB ones).
 *
 * Besu registers no consensus metric: nothing under `consensus/` (QBFT, IBFT2, common BFT) creates one, so
 * GoQuorum's QBFT sequence and round meters have no Besu counterpart.
 */

/** `MetricsHttpService` serves the Prometheus text format at `/metrics` on `--metrics-port` (9545). */
export const BESU_METRICS_PATH = "/metrics";

export const BESU_METRICS = {
  /**
   * `EthPeers`: the size of `activeConnections`, which a peer joins only after its eth status exchange
   * succeeded and its head header was fetched (`addPeerToEthPeers`). So it never counts a probe's TCP
   * connection (unlike GoQuorum's `p2p_peers`), nor a peer that shares no eth version with this node.
   * Static nodes may exceed `--max-peers` (`p2p/peers/DefaultPeerPrivileges`: maintained peers), so a full
   * static mesh counts whole however large the network.
   */
  peers: "ethereum_peer_count",
  /** `DefaultBlockchain`: the number of the canonical chain's head block. */
  headBlock: "ethereum_blockchain_height",
  /** `DefaultSynchronizer`: `SyncState.bestChainHeight`, the highest block its peers announce (or its own head). */
  bestKnownBlock: "ethereum_best_known_block_number",
  /** `DefaultBlockchain`: the head block's timestamp, in seconds. */
  headTimestamp: "besu_blockchain_chain_head_timestamp",
  /**
   * `DefaultSynchronizer`: 0 while `SyncState` has a sync target, else 1. A BFT validator stops its mining
   * coordinator while a sync target is present (`BftMiningCoordinator.subscribe`; "pause block production
   * until sync has completed", #7657, 24.10.0): at 0 it takes no part in consensus. 1 proves less: 26.8.0
   * also stops the coordinator until the initial sync phase is done (`!isInitialSyncPhaseDone()`), which no
   * metric shows, and the gauge reads 1 before the synchronizer runs.
   */
  inSync: "besu_synchronizer_in_sync",
  /**
   * `TransactionPoolMetrics.initTransactionCount`, one series per layer of the layered pool (the default):
   * label `layer` is the layer's `name()` (`AbstractTransactionsLayer`).
   */
  txpoolTransactions: "besu_transaction_pool_number_of_transactions",
  /**
   * client_java `JvmMemoryMetrics` (registered by `PrometheusMetricsSystem` with the JVM category), label
   * `area` = `heap` | `nonheap`; named `jvm_memory_bytes_*` before 24.12.0 (CHANGELOG 24.12.0).
   */
  jvmMemoryUsed: "jvm_memory_used_bytes",
  jvmMemoryMax: "jvm_memory_max_bytes",
  /** client_java `JvmGarbageCollectorMetrics`: a summary per collector, label `gc`. */
  jvmGcSeconds: "jvm_gc_collection_seconds",
} as const;

/**
 * Layers of the layered transaction pool (`layered/AbstractPrioritizedTransactions`, `ReadyTransactions`,
 * `SparseTransactions` `name()`): `prioritized` and `ready` hold transactions executable now (GoQuorum's
 * pending), `sparse` those waiting for a nonce gap to close (GoQuorum's queued).
 */
export const BESU_TXPOOL_LAYERS = {
  executable: ["prioritized", "ready"],
  future: ["sparse"],
} as const;
