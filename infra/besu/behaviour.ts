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

/**
 * The Besu image (`docker/Dockerfile`): user `besu`, uid/gid 1000, home `/opt/besu`; the file ends with
 * `USER root` and `ENTRYPOINT ["besu-entry.sh"]`, which, run as root, chowns every path Besu reports and `su`s to
 * besu, and otherwise re-splits the arguments through `bash -c "/opt/besu/bin/besu $@"`
 * (`app/src/main/scripts/besu-entry.sh`). A pod that sets `command` skips it. The image is Ubuntu 24.04 with
 * bash, grep and coreutils but no curl or wget (only `libjemalloc` is installed). `BESU_PID_PATH=/tmp/pid`, so
 * Besu writes its pid file under /tmp. The default data path is `/opt/besu` (`-Dbesu.home`), where the docs say
 * never to mount a volume.
 */
export const BESU_IMAGE = {
  uid: 1000,
  executable: "/opt/besu/bin/besu",
  shell: "/bin/bash",
  /** `ENV BESU_PID_PATH` */
  pidPath: "/tmp/pid",
  home: "/opt/besu",
} as const;

/**
 * `--node-private-key-file`: one line of 64 hex characters (a GoQuorum `nodekey` as is). A missing file is not
 * an error: Besu generates a new key and writes it as `<dir of the file>/key` (`crypto/algorithms/.../
 * KeyPairUtil.loadKeyPair`), a new identity, so the pod checks the file before Besu starts.
 */
export const BESU_NODE_KEY = { generatesKeyWhenMissing: true } as const;

/**
 * JSON-RPC API groups of Besu (`ethereum/api/.../jsonrpc/RpcApis.java`, the same at 25.7.0 and 26.8.0:
 * ETH, DEBUG, MINER, NET, PERM, WEB3, ADMIN, TXPOOL, TRACE, PLUGINS, IBFT, ENGINE, QBFT, plus CLIQUE at
 * 25.7.0 and TESTING at 26.8.0) for each GoQuorum namespace `workloads.rpc.apis` accepts. `null`: Besu has no
 * such group. GoQuorum's `istanbul_*` methods are named `qbft_*` in Besu (`QbftJsonRpcMethods`), so a client
 * that calls `istanbul_getValidators` gets "method not found" from a Besu node; `quorumExtension` and
 * `quorumPermission` are GoQuorum's private-state extension and its contract permissioning, gone from Besu
 * (23.4.0, 25.6.0: CHANGELOG), and `personal` (node-held accounts) was never in Besu.
 */
export const BESU_RPC_API_GROUPS = {
  eth: "ETH",
  net: "NET",
  web3: "WEB3",
  txpool: "TXPOOL",
  istanbul: "QBFT",
  admin: "ADMIN",
  debug: "DEBUG",
  miner: "MINER",
  quorumExtension: null,
  quorumPermission: null,
  personal: null,
} as const satisfies Readonly<Record<string, string | null>>;

/**
 * `/liveness` and `/readiness` answer on the JSON-RPC HTTP port (`JsonRpcHttpService`). Readiness takes
 * `minPeers` (default 1) and `maxBlocksBehind` (default 2) and is UP until the first sync event arrives
 * (`plugins/health/.../ReadinessCheckPlugin`). It knows nothing of the validator set.
 */
export const BESU_HEALTH = {
  liveness: "/liveness",
  readiness: "/readiness",
} as const;

/**
 * `--host-allowlist` guards JSON-RPC, `/liveness`, `/readiness` and `/metrics` alike: the Host header's host part
 * must equal an entry, case-insensitively, or Besu answers 403 (`JsonRpcHttpService.hostIsInAllowlist`,
 * `MetricsHttpService.hostIsInAllowlist`; the metrics configuration takes the same list, `BesuCommand`
 * `metricsConfiguration`). Default `localhost,127.0.0.1`. The metrics host defaults to the p2p host.
 */
export const BESU_HOST_ALLOWLIST = { default: ["localhost", "127.0.0.1"] } as const;

/**
 * How Besu's local node allowlist (`--permissions-nodes-config-file`) judges a connection
 * (`NodeLocalConfigPermissioningController.isPermitted`): an entry matches when its IP (re-resolved on every
 * check with `--Xdns-update-enabled`, `EnodeURLImpl.getIp`) and TCP port equal the peer's; the node id is not
 * compared since 26.4.0 (`EnodeURLImpl.sameListeningEndpoint`, besu-eth/besu#9809). For an inbound connection
 * the peer is the TCP source address with the port its Hello announced (`DeFramer.createPeer`), not the address
 * it is dialled at. GoQuorum 24.4.1 announces port 0 (quorum `p2p/server.go`: the handshake sets no
 * ListenPort), Besu its advertised p2p port (`DefaultLocalNode.setEnode`). Startup aborts unless every static
 * node is in the list (`BesuCommand.ensureAllNodesAreInAllowlist`).
 */
export const BESU_NODE_ALLOWLIST = {
  matches: "ip-and-port",
  inboundPeer: "tcp-source-and-hello-port",
  goQuorumHelloPort: 0,
} as const;

/**
 * Besu's enode parser (`EnodeURLImpl.fromURI`): the node id is 128 hex characters without `0x`, the listening
 * port is required, and the only query it accepts is `discport=N`; GoQuorum's `?discport=0&raftport=53000`
 * aborts startup. Host names need `--Xdns-enabled=true` (else "Invalid ip address"), and
 * `--Xdns-update-enabled=true` to be re-resolved rather than fixed at startup.
 */
export const BESU_ENODE = { onlyQuery: "discport" } as const;
