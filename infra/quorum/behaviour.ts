/**
 * What GoQuorum 24.4.1 and Tessera 24.4.2 really do where the program depends on it, each with its source.
 * The manifests, the Tessera config and the tests read these facts instead of assuming them.
 */

/** Tessera's servers, as its Jetty server factory builds them. */
export const TESSERA = {
  /**
   * A TCP server (`http://` or `https://` server address) gets a Jetty `ServerConnector` with only its port
   * set: it listens on every interface, whatever host the address names (`http://localhost:9101` too), and
   * `bindingAddress` is read for nothing but that port. Consensys/tessera
   * `server/server-utils/src/main/java/com/quorum/tessera/server/utils/ServerUtils.java` (`buildWebServer`).
   */
  tcpServersListenOnEveryInterface: true,
  /**
   * A `unix:` server address gets a Jetty `UnixDomainServerConnector` on that path (`ServerConfig.isUnixSocket`,
   * `config/.../ServerConfig.java`; same `ServerUtils.java`): nothing outside the pod's filesystem reaches it.
   */
  unixScheme: "unix:",
  /**
   * Jetty binds the socket file without removing one left behind (jetty-unixdomain-server
   * `UnixDomainServerConnector.bindServerSocketChannel`); only a clean stop deletes it (`close`). After an
   * unclean exit (`-XX:+ExitOnOutOfMemoryError`, SIGKILL) the next start would fail: address already in use.
   */
  staleSocketBlocksBind: true,
  /**
   * `GET /upcheck` answers on the ThirdParty app (`UpCheckResource` in Tessera's
   * `com.quorum.tessera.thirdparty.ThirdPartyRestApp.getSingletons`), as on P2P and Q2T. The ThirdParty server here is plain HTTP whatever
   * the P2P TLS mode; P2P under strict TLS demands a client certificate (`setNeedClientAuth`, ServerUtils),
   * which the kubelet's HTTPS probe never presents.
   */
  upcheckPath: "/upcheck",
} as const;

/**
 * How Tessera admits peers and the keys they claim: the top-level `useWhiteList` and `disablePeerDiscovery`
 * and `features.enableRemoteKeyValidation` of its config (Consensys/tessera `config/.../Config.java`,
 * `FeatureToggles.java`). Our values, each with what Tessera does with it.
 */
export const TESSERA_PEERS = {
  /**
   * Peer discovery off: `DisabledAutoDiscovery.onUpdate` (tessera-core, `com.quorum.tessera.discovery`)
   * refuses party info whose URL is not in `peer` ("is not a known peer") and records only the keys the
   * sender advertises at its own URL; with discovery on, any host that reaches the port joins the network
   * map. So every member lists every other at exactly the URL it advertises (`peers.ts` `tesseraP2pUrl`).
   */
  disablePeerDiscovery: true,
  /**
   * Remote key validation on: `PartyInfoResource.partyInfo` (tessera-jaxrs partyinfo-service,
   * `com.quorum.tessera.p2p`) encrypts a random UUID to each key the sender claims and POSTs it to
   * `<sender url>/partyinfo/validate`; only keys the sender can decrypt are recorded, and a sender with none
   * is refused. Without it a host can claim another member's key and receive its payloads
   * (`PartyInfoServiceImpl` only logs "Attempt is being made to update existing key with new url").
   */
  enableRemoteKeyValidation: true,
  /**
   * The whitelist stays off: it admits callers against the peer list's URLs (doc.tessera "Configure peer
   * discovery"), which name Services and load balancer addresses, while callers arrive from pod addresses.
   * Admission is mutual TLS with the network CA (`tessera.tls: strict`) plus the two above.
   */
  useWhiteList: false,
} as const;

/**
 * How GoQuorum's miner sets each block's gas limit (v24.4.1 `core/block_validator.go` CalcGasLimit, called by
 * `miner/worker.go`): it steps from the parent's limit by at most parent/4096 (`params.GasLimitBoundDivisor`),
 * but never below `params.DefaultMinGasLimit` (`params/protocol_params.go`), to which a lower parent jumps in
 * one block. The engine itself checks no bound, so GoQuorum accepts any genesis limit.
 */
export const GOQUORUM_GAS_LIMIT = {
  /** The floor every mined block is lifted to (a `miner.gaslimit` transition can change it). */
  minimum: 700_000_000n,
  /** The most a block moves from its parent's limit above the floor: parent / this. */
  stepDivisor: 4096n,
} as const;

/**
 * The largest contract GoQuorum deploys when the genesis sets no size (`params.MaxCodeSize`,
 * `params/protocol_params.go`): `ChainConfig.GetMaxCodeSize` (`params/config.go`) starts from it and changes it
 * only for `maxCodeSizeConfig` (deprecated, logged as such at every call), `maxCodeSize` or a transition's
 * `contractsizelimit` (KB × 1024). The program writes none of these, so this is the network's limit, in bytes.
 */
export const GOQUORUM_DEFAULT_MAX_CODE_SIZE_BYTES = 24_576;

/**
 * The `eth` versions GoQuorum speaks: `ProtocolVersions = []uint{ETH66, ETH65}` (v24.4.1
 * `eth/protocols/eth/protocol.go`, tag commit 8585ac9), all `eth.MakeProtocols` offers; `eth/backend.go
 * Protocols()` adds only `snap` and, for QBFT, `istanbul/100` (`consensus/protocol.go`). Blocks and
 * transactions travel on `eth`, so a peer that shares none of these versions cannot sync from GoQuorum.
 */
export const GOQUORUM_ETH_PROTOCOLS: readonly number[] = [66, 65];

/** GoQuorum's client of its private transaction manager (PTM). */
export const GOQUORUM_PTM = {
  /**
   * `--ptm.socket <path>` makes geth dial the PTM over that Unix socket (`cfg.SetSocket`,
   * Consensys/quorum v24.4.1 `cmd/geth/config.go` `QuorumSetupPrivacyConfiguration`; flag in
   * `cmd/utils/flags.go`); every request dials the path anew (`common/http/transport.go`, httpunix), so a
   * restarted Tessera is picked up. `PRIVATE_CONFIG=<socket path>` does the same but `os.Lstat`s the path when
   * geth starts (`common/http/config.go` `FetchConfig`).
   */
  socketFlag: "ptm.socket",
  /**
   * Without `PRIVATE_CONFIG` the flags start from `NoConnectionConfig`, whose timeouts are 0 (none), not the
   * flags' shown defaults: they only apply when given (`ctx.GlobalIsSet`, `cmd/geth/config.go`).
   */
  timeoutFlags: ["ptm.timeout", "ptm.dialtimeout"],
  /** TLS is refused over a Unix socket (`Config.Validate`, `common/http/config.go`). */
  tlsOverSocket: false,
  /**
   * At start geth calls `/upcheck` then `/version` on the PTM and exits if either fails
   * (`private/private.go` `selectPrivateTxManager`), so Tessera must be answering before geth starts.
   */
  startupCalls: ["/upcheck", "/version"],
  /** `PRIVATE_CONFIG=ignore` switches privacy off (`FetchConfigOrIgnore`, `common/http/config.go`). */
  privacyOff: { name: "PRIVATE_CONFIG", value: "ignore" },
} as const;

/**
 * GoQuorum's `p2p/peers` gauge, exported as `p2p_peers`, counts open connections, not peers: `newMeteredConn`
 * increments it for every TCP connection the p2p server accepts (`listenLoop`, right after `Accept` and the
 * inbound throttle, before the RLPx handshake) or dials, and `meteredConn.Close` decrements it. A load
 * balancer health check or a TCP probe of the p2p port, or a handshake that fails, counts as a peer until its
 * connection closes, so the gauge over-counts for moments, never under-counts a connected peer.
 * Consensys/quorum v24.4.1 `p2p/metrics.go`, `p2p/server.go`.
 */
export const P2P_PEERS_METRIC = "p2p_peers";

/**
 * GoQuorum's basic node permissioning (`--permissioned`, `EnableNodePermissionFlag` in `cmd/utils/flags.go`).
 * Consensys/quorum `permission/core/permissions.go` `IsNodePermissioned` / `ParsePermissionedNodes`, called from
 * the p2p server's connection setup for every incoming and outgoing connection.
 */
export const GOQUORUM_PERMISSIONING = {
  flag: "permissioned",
  /** Read from the `--datadir` top level (`filepath.Join(DataDir, PERMISSIONED_CONFIG)`), not `geth/`. */
  file: "permissioned-nodes.json",
  /**
   * Re-read and re-parsed on every connection: a change applies to the next connection without a restart
   * (existing connections stay). A missing or unparsable file permits nobody.
   */
  rereadOnEveryConnection: true,
  /** Only the node id (`enode.ID`, the keccak of the public key) is compared; host and port play no part. */
  matchesNodeIdOnly: true,
  /**
   * Each entry goes through `enode.ParseV4` (`p2p/enode/urlv4.go`): a complete URL with a DNS name runs
   * `net.LookupIP` at every check, and the entry is dropped when the lookup fails (unless it carries
   * `raftport`, which only tolerates the failure). The incomplete form `enode://<128 hex>` matches
   * `incompleteNodeURL` and is built from the key alone, with no lookup: so the list holds ids only.
   */
  entry: (publicKey: string): string => `enode://${publicKey.toLowerCase()}`,
} as const;

/** How a Tessera server address is reached: a TCP port on every interface of the pod, or a socket file. */
export type TesseraListener =
  | { readonly kind: "tcp"; readonly port: number; readonly tls: boolean }
  | { readonly kind: "unix"; readonly path: string };

/** What Tessera opens for one of its server configs (see `TESSERA`). */
export function tesseraListener(server: {
  readonly serverAddress: string;
  readonly sslConfig?: { readonly tls: string };
}): TesseraListener {
  const address = server.serverAddress;
  if (address.startsWith(TESSERA.unixScheme)) {
    return { kind: "unix", path: address.slice(TESSERA.unixScheme.length) };
  }
  const url = new URL(address);
  const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
  return { kind: "tcp", port, tls: server.sslConfig?.tls === "STRICT" };
}
