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
 * Besu's enode parser (`EnodeURLImpl.fromURI`): the node id is 128 hex characters without `0x`, the listening
 * port is required, and the only query it accepts is `discport=N`; GoQuorum's `?discport=0&raftport=53000`
 * aborts startup. Host names need `--Xdns-enabled=true` (else "Invalid ip address"), and
 * `--Xdns-update-enabled=true` to be re-resolved rather than fixed at startup.
 */
export const BESU_ENODE = { onlyQuery: "discport" } as const;

/**
 * A Besu release: calendar versions `YY.M.P` (`26.8.0`). Release candidates (`26.8.0-RC1`), `latest` and
 * other tags are not releases the program can reason about.
 */
export interface BesuVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

const VERSION = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

export function parseBesuVersion(version: string): BesuVersion {
  const match = VERSION.exec(version);
  if (!match) {
    throw new Error(
      `Besu version "${version}" is not a release (YY.M.P, e.g. 26.8.0): pin a release tag, not an RC or "latest".`,
    );
  }
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) };
}

/** Negative when `a` is the older release, 0 when the same, positive when `a` is newer. */
export function compareBesuVersions(a: string, b: string): number {
  const [x, y] = [parseBesuVersion(a), parseBesuVersion(b)];
  return x.major - y.major || x.minor - y.minor || x.patch - y.patch;
}

/** An image reference split as a container runtime reads it: `repository[:tag][@sha256:<64 hex>]`. */
export interface BesuImage {
  readonly repository: string;
  /** The tag, which for Besu's images is the release (`hyperledger/besu:26.8.0`); absent if none is given. */
  readonly version?: string;
  /** `sha256:<64 lowercase hex>`, the manifest the runtime pulls whatever the tag points to later. */
  readonly digest?: string;
}

// Docker's reference grammar (distribution/reference `reference.go`): a tag is [\w][\w.-]{0,127}; the last
// `:` after the last `/` starts the tag (an earlier one is a registry port, `registry:5000/besu`).
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;
const COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const REPOSITORY = new RegExp(`^${COMPONENT}(?:/${COMPONENT})*$`);
const REGISTRY = /^[a-zA-Z0-9.-]+(?::\d+)?$/;

export function parseBesuImage(image: string): BesuImage {
  const bad = (why: string) => new Error(`Besu image "${image}": ${why}.`);
  const at = image.indexOf("@");
  const name = at < 0 ? image : image.slice(0, at);
  const digest = at < 0 ? undefined : image.slice(at + 1);
  if (digest !== undefined && !DIGEST.test(digest)) {
    throw bad("a digest is @sha256: followed by 64 lowercase hex digits");
  }
  const colon = name.lastIndexOf(":");
  const tagged = colon > name.lastIndexOf("/");
  const repository = tagged ? name.slice(0, colon) : name;
  const version = tagged ? name.slice(colon + 1) : undefined;
  if (version !== undefined && !TAG.test(version)) throw bad(`"${version}" is not a valid tag`);
  const [first, ...rest] = repository.split("/");
  const path = rest.length > 0 && /[.:]|^localhost$/.test(first) ? rest.join("/") : repository;
  if (path !== repository && !REGISTRY.test(first)) throw bad(`"${first}" is not a registry host`);
  if (!REPOSITORY.test(path)) throw bad("the repository must be a lowercase path such as hyperledger/besu");
  return { repository, ...(version !== undefined && { version }), ...(digest !== undefined && { digest }) };
}

/**
 * The command that prints the digest to pin a tag by: its `Digest:` line is the multi-arch index the tag
 * names (Docker docs, "docker buildx imagetools inspect"), valid for amd64 and arm64 nodes alike.
 */
export function besuImageDigestCommand(image: string): string {
  const { repository, version } = parseBesuImage(image);
  return `docker buildx imagetools inspect ${repository}:${version ?? "latest"}`;
}

/**
 * How a Besu node encodes QBFT Proposal and RoundChange messages. 26.1.0 added a block-access-list slot
 * (`ProposalPayload`, `RoundChange` in `consensus/qbft-core`), which 25.x nodes cannot decode (RLPException);
 * the slot holds an RLP null when a block has no access list, as on every pre-Amsterdam chain.
 */
export type BftWireFormat = "pre-26.1" | "block-access-list";

/** What one run of Besu releases does where the program depends on it; each row holds until the next. */
export interface BesuReleaseFacts {
  /** The first release these facts hold for. */
  readonly since: string;
  /**
   * The `eth` versions a node advertises in FULL or SNAP sync (`EthProtocolManager.calculateCapabilities`,
   * default `--Xeth-capability-min/max`); the program never runs FAST sync.
   */
  readonly ethProtocols: readonly number[];
  /** What it advertises with `--sync-mode=FAST`, or undefined once FAST sync is gone (`SyncMode`). */
  readonly ethProtocolsFastSync?: readonly number[];
  /** The QBFT wire format it writes by default. */
  readonly bftWire: BftWireFormat;
  /** Whether it decodes and verifies pre-26.1 Proposals and RoundChanges from 25.x peers. */
  readonly readsPre261Bft: boolean;
  /** Whether it has `--Xbft-legacy-protocol-encoding` (hidden; write the pre-26.1 format). */
  readonly legacyBftEncodingFlag: boolean;
  /**
   * The `config.qbft` (and `transitions.qbft[]`) keys it reads the empty-block period from, the first present
   * one winning (`JsonBftConfigOptions.getEmptyBlockPeriodSeconds`, `BftFork`); absent means 0, off.
   */
  readonly emptyBlockPeriodKeys: readonly string[];
  /** Whether it still has Tessera privacy (`--privacy-*`). */
  readonly tesseraPrivacy: boolean;
  /** The Java it runs on: the image's JRE and the build's required version. */
  readonly java: 21 | 25;
  /**
   * Whether its transaction pool leaves a zero-balance sender's free transactions out of blocks: the layered
   * pool's balance check, on by default from 26.4.0 (#10175), refused any sender with balance 0
   * (`SenderBalanceChecker`), so a gas-free network "produces only empty blocks" for them until 26.7.1
   * (#10751). `--tx-pool-enable-balance-check=false` turns the check off.
   */
  readonly skipsFreeTransactionsOfEmptyAccounts: boolean;
}

/** Hidden since 26.6.0, "to be removed once Besu 25.x is no longer supported" (CHANGELOG, #10499). */
export const LEGACY_BFT_ENCODING_FLAG = "--Xbft-legacy-protocol-encoding";

const X_EMPTY = ["xemptyblockperiodseconds"] as const;
const BOTH_EMPTY = ["emptyblockperiodseconds", "xemptyblockperiodseconds"] as const;

/**
 * Besu 25.4.0 to 26.8.x, read at each tag in besu-eth/besu (`/work/shared/reference/besu.md` §2b; tag commits
 * in docs/besu.md). Sources per column: `EthProtocolManager.calculateCapabilities` and
 * `EthProtocolConfiguration` (eth/62–65 removed 25.4.0 #8492, eth/69 default 25.7.0 #8858, eth/67 removed
 * 25.8.0 #9008, FAST removed 26.2.0 #9814, eth/70–71 from 26.4.0); QBFT `ProposalPayload`/`RoundChange`
 * (block access list 26.1.0, legacy proposals decoded 26.4.0 #9977, legacy round changes, signatures and the
 * flag 26.6.0 #10499); `JsonBftConfigOptions` (key renamed 26.5.0 #10264); Tessera privacy removed 25.6.0
 * (#8369); `build.gradle`/`docker/Dockerfile` (Java 21: Ubuntu openjdk-21 JRE at 25.7.0; JDK 25 from 26.6.0);
 * `SenderBalanceChecker` (#10175 in 26.4.0, #10751 in 26.7.1).
 */
export const BESU_RELEASES: readonly BesuReleaseFacts[] = [
  {
    since: "25.4.0",
    ethProtocols: [66, 67, 68],
    ethProtocolsFastSync: [66],
    bftWire: "pre-26.1",
    readsPre261Bft: true,
    legacyBftEncodingFlag: false,
    emptyBlockPeriodKeys: X_EMPTY,
    tesseraPrivacy: true,
    skipsFreeTransactionsOfEmptyAccounts: false,
    java: 21,
  },
  {
    since: "25.6.0",
    ethProtocols: [66, 67, 68],
    ethProtocolsFastSync: [66],
    bftWire: "pre-26.1",
    readsPre261Bft: true,
    legacyBftEncodingFlag: false,
    emptyBlockPeriodKeys: X_EMPTY,
    tesseraPrivacy: false,
    skipsFreeTransactionsOfEmptyAccounts: false,
    java: 21,
  },
  {
    since: "25.7.0",
    ethProtocols: [66, 67, 68, 69],
    ethProtocolsFastSync: [66],
    bftWire: "pre-26.1",
    readsPre261Bft: true,
    legacyBftEncodingFlag: false,
    emptyBlockPeriodKeys: X_EMPTY,
    tesseraPrivacy: false,
    skipsFreeTransactionsOfEmptyAccounts: false,
    java: 21,
  },
  {
    since: "25.8.0",
    ethProtocols: [68, 69],
    ethProtocolsFastSync: [66],
    bftWire: "pre-26.1",
    readsPre261Bft: true,
    legacyBftEncodingFlag: false,
    emptyBlockPeriodKeys: X_EMPTY,
    tesseraPrivacy: false,
    skipsFreeTransactionsOfEmptyAccounts: false,
    java: 21,
  },
  {
    since: "26.1.0",
    ethProtocols: [68, 69],
    ethProtocolsFastSync: [66],
    bftWire: "block-access-list",
    readsPre261Bft: false,
    legacyBftEncodingFlag: false,
    emptyBlockPeriodKeys: X_EMPTY,
    tesseraPrivacy: false,
    skipsFreeTransactionsOfEmptyAccounts: false,
    java: 21,
  },
  {
    since: "26.2.0",
    ethProtocols: [68, 69],
    bftWire: "block-access-list",
    readsPre261Bft: false,
    legacyBftEncodingFlag: false,
    emptyBlockPeriodKeys: X_EMPTY,
    tesseraPrivacy: false,
    skipsFreeTransactionsOfEmptyAccounts: false,
    java: 21,
  },
  {
    since: "26.4.0",
    ethProtocols: [68, 69, 70, 71],
    bftWire: "block-access-list",
    readsPre261Bft: false,
    legacyBftEncodingFlag: false,
    emptyBlockPeriodKeys: X_EMPTY,
    tesseraPrivacy: false,
    skipsFreeTransactionsOfEmptyAccounts: true,
    java: 21,
  },
  {
    since: "26.5.0",
    ethProtocols: [68, 69, 70, 71],
    bftWire: "block-access-list",
    readsPre261Bft: false,
    legacyBftEncodingFlag: false,
    emptyBlockPeriodKeys: BOTH_EMPTY,
    tesseraPrivacy: false,
    skipsFreeTransactionsOfEmptyAccounts: true,
    java: 21,
  },
  {
    since: "26.6.0",
    ethProtocols: [68, 69, 70, 71],
    bftWire: "block-access-list",
    readsPre261Bft: true,
    legacyBftEncodingFlag: true,
    emptyBlockPeriodKeys: BOTH_EMPTY,
    tesseraPrivacy: false,
    skipsFreeTransactionsOfEmptyAccounts: true,
    java: 25,
  },
  {
    since: "26.7.1",
    ethProtocols: [68, 69, 70, 71],
    bftWire: "block-access-list",
    readsPre261Bft: true,
    legacyBftEncodingFlag: true,
    emptyBlockPeriodKeys: BOTH_EMPTY,
    tesseraPrivacy: false,
    skipsFreeTransactionsOfEmptyAccounts: false,
    java: 25,
  },
];

/**
 * The newest line read in source: 26.8.0 (tag f2557d7c) and main 683880b (2026-08-21, flag still there).
 * Later patches of this line are taken to behave as 26.8.0 (inferred: a patch release changes no protocol);
 * a later line is unknown until its source is read and a row added.
 */
const BESU_NEWEST_LINE_READ = { major: 26, minor: 8 } as const;

/** Whether the facts of `version` have been read: a release from 25.4.0 through the newest line read. */
export function isKnownBesuVersion(version: string): boolean {
  if (!VERSION.test(version)) return false;
  const { major, minor } = parseBesuVersion(version);
  const newest = BESU_NEWEST_LINE_READ;
  const beyond = major > newest.major || (major === newest.major && minor > newest.minor);
  return !beyond && compareBesuVersions(version, BESU_RELEASES[0].since) >= 0;
}

export function besuRelease(version: string): BesuReleaseFacts {
  if (!isKnownBesuVersion(version)) {
    parseBesuVersion(version);
    const { major, minor } = BESU_NEWEST_LINE_READ;
    throw new Error(
      `Besu ${version}: the program knows Besu ${BESU_RELEASES[0].since} through ${major}.${minor}.x (infra/besu/behaviour.ts BESU_RELEASES); read its source and add a row before pinning it.`,
    );
  }
  return BESU_RELEASES.filter((row) => compareBesuVersions(row.since, version) <= 0).at(
    -1,
  ) as BesuReleaseFacts;
}

/** eth/66 only with `--sync-mode=FAST`: 25.8.0–26.1.x, which a QBFT network of the program never runs. */
export function eth66NeedsFastSync(version: string): boolean {
  const facts = besuRelease(version);
  return !facts.ethProtocols.includes(66) && (facts.ethProtocolsFastSync ?? []).includes(66);
}

/**
 * Whether nodes moving from `fromVersion` to `toVersion` in a rolling upgrade need
 * `--Xbft-legacy-protocol-encoding` while any `fromVersion` node is left: the old nodes read only the pre-26.1
 * QBFT format and the new one writes the block-access-list slot by default. Remove the flag once the last old
 * node has moved, and before any release that drops it.
 */
export function needsLegacyBftEncoding(fromVersion: string, toVersion: string): boolean {
  return besuRelease(fromVersion).bftWire === "pre-26.1" && besuRelease(toVersion).bftWire !== "pre-26.1";
}

/**
 * Why nodes cannot move from `fromVersion` to `toVersion` one at a time, or undefined when they can. Going
 * back: `VersionMetadata.versionCompatibilityChecks` refuses a runtime older than the release recorded in the
 * data path, on by default with `--genesis-file` (`BesuCommand.getDefaultVersionCompatibilityProtectionIfNotSet`).
 */
export function besuRollingUpgradeProblem(fromVersion: string, toVersion: string): string | undefined {
  if (compareBesuVersions(toVersion, fromVersion) < 0) {
    return `Besu ${toVersion} is older than ${fromVersion}: Besu refuses to start on a database a newer release wrote (version compatibility protection), so going back means a fresh volume.`;
  }
  const to = besuRelease(toVersion);
  if (needsLegacyBftEncoding(fromVersion, toVersion) && !(to.legacyBftEncodingFlag && to.readsPre261Bft)) {
    return `Besu ${toVersion} writes QBFT messages ${fromVersion} cannot decode and has no ${LEGACY_BFT_ENCODING_FLAG}: validators on the two releases would not agree on rounds. Move to 26.6.0 or later with the flag.`;
  }
  return undefined;
}

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
