/**
 * What an update does to a running network's nodes, decided from what the stack's last deployment ran (its
 * `nodeClients` output) and what this config runs: whether the Besu nodes keep `--Xbft-legacy-protocol-encoding`
 * (a rolling upgrade from pre-26.1 QBFT), and which nodes start on an empty volume and sync from genesis.
 *
 * The QBFT wire format (`BESU_RELEASES`, besu-eth/besu CHANGELOG 26.1.0 and #10499 in 26.6.0): a node on 26.1.0
 * or later writes Proposal and RoundChange messages with a block-access-list slot that a 25.x node cannot decode;
 * with the flag a 26.6.0+ node writes the pre-26.1 layout, and it reads both. GoQuorum's QBFT is the pre-26.1
 * layout (Besu's pre-26.1 messages were made to match it, besu-eth/besu#1955). While any node of the network may
 * still write or read only that layout, a Besu node on 26.1+ must write it too, or validators split into two
 * groups that cannot read each other's rounds and the network loses quorum mid-roll.
 */

import type { ConfigIssue } from "../config/issue";
import type { NodeClient } from "../config/schema";
import { error, warning } from "../plan/issues";
import {
  besuRelease,
  besuRollingUpgradeProblem,
  compareBesuVersions,
  isKnownBesuVersion,
  LEGACY_BFT_ENCODING_FLAG,
  parseBesuImage,
} from "./behaviour";

/** Stack output: each node's client, and for a Besu node its image and whether it ran the legacy flag. */
export const NODE_CLIENTS_OUTPUT = "nodeClients";

export type DeployedNodeClient =
  | { readonly client: "goquorum" }
  | { readonly client: "besu"; readonly image: string; readonly legacyBftEncoding: boolean };

export type NodeClientsOutput = Readonly<Record<string, DeployedNodeClient>>;

/** What the stack's reference to itself read: whether it was deployed, and its `nodeClients` as given. */
export interface PreviousNodeClients {
  readonly deployed: boolean;
  readonly nodeClients?: unknown;
}

/**
 * The clients the last deployment recorded, by node; undefined when it recorded none (never deployed, or
 * deployed by a version of the program before this output). A malformed entry is left out: unknown.
 */
export function readDeployedNodeClients(
  output: unknown,
): ReadonlyMap<string, DeployedNodeClient> | undefined {
  if (typeof output !== "object" || output === null || Array.isArray(output)) return undefined;
  const entries = Object.entries(output as Record<string, unknown>).flatMap(
    ([node, value]): [string, DeployedNodeClient][] => {
      const v = value as Partial<Record<string, unknown>> | null;
      if (v?.client === "goquorum") return [[node, { client: "goquorum" }]];
      if (v?.client === "besu" && typeof v.image === "string") {
        return [[node, { client: "besu", image: v.image, legacyBftEncoding: v.legacyBftEncoding === true }]];
      }
      return [];
    },
  );
  return new Map(entries);
}

/** The stack output this deployment leaves, for the next update to read back. */
export function nodeClientsOutput(
  nodes: readonly { readonly name: string; readonly client: NodeClient }[],
  besuImage: string,
  legacyBftEncoding: boolean,
): NodeClientsOutput {
  return Object.fromEntries(
    nodes.map((n) => [
      n.name,
      n.client === "besu" ? { client: "besu", image: besuImage, legacyBftEncoding } : { client: "goquorum" },
    ]),
  );
}

export interface UpgradeInput {
  readonly previous: PreviousNodeClients;
  /** The stack's nodes and the client each runs after this update. */
  readonly nodes: readonly { readonly name: string; readonly client: NodeClient }[];
  readonly externalPeers: readonly {
    readonly name: string;
    readonly client: NodeClient;
    readonly besuRelease?: string;
  }[];
  /** The image every Besu node of the stack runs after this update (`infra/plan/besuImage.ts`). */
  readonly besuImage: string;
  /** The config key it comes from (`network.workloads.images.besu`), named in messages. */
  readonly besuImageKey: string;
}

export interface UpgradePlan {
  /** Whether every Besu node of the stack runs with LEGACY_BFT_ENCODING_FLAG in this update. */
  readonly legacyBftEncoding: boolean;
  /**
   * Nodes that start on an empty volume in a running network and sync from genesis: a node whose client
   * changes, or one the last deployment did not run. None on a first deployment (the chain is at block 0).
   */
  readonly syncingNodes: readonly string[];
  readonly issues: ConfigIssue[];
}

const PRE_26_1 = "pre-26.1";

/** Why `node` may write or read only the pre-26.1 QBFT layout during this update, or undefined. */
type Holdout = { readonly who: string; readonly why: string; readonly release?: string };

function releaseOf(image: string): string | undefined {
  try {
    const { version } = parseBesuImage(image);
    return version !== undefined && isKnownBesuVersion(version) ? version : undefined;
  } catch {
    return undefined;
  }
}

const writesPre261 = (release: string) => besuRelease(release).bftWire === PRE_26_1;

/**
 * Every node of the network that may still run a client or release limited to the pre-26.1 QBFT layout
 * while this update rolls: the last deployment's nodes until each is replaced, the nodes that stay on
 * GoQuorum, and the external peers. An external Besu peer without `besuRelease` is taken to be on a pre-26.1
 * release: the stack cannot see what another party runs, and keeping the flag one update too long costs
 * nothing, while dropping it too early splits the validators.
 */
function holdouts(input: UpgradeInput): Holdout[] {
  const found: Holdout[] = [];
  const { previous } = input;
  const recorded = readDeployedNodeClients(previous.nodeClients);
  if (previous.deployed && recorded === undefined) {
    found.push({
      who: "the last deployment",
      why: "recorded no node clients (an earlier program version)",
    });
  }
  for (const [name, was] of recorded ?? []) {
    if (was.client === "goquorum") {
      found.push({ who: name, why: "ran GoQuorum in the last deployment" });
      continue;
    }
    const release = releaseOf(was.image);
    if (release === undefined)
      found.push({ who: name, why: `ran ${was.image}, a release the program cannot read` });
    else if (writesPre261(release)) found.push({ who: name, why: `ran Besu ${release}`, release });
  }
  for (const node of input.nodes) {
    if (node.client === "goquorum" && recorded?.get(node.name)?.client !== "goquorum") {
      found.push({ who: node.name, why: "runs GoQuorum" });
    }
  }
  for (const peer of input.externalPeers) {
    if (peer.client === "goquorum") found.push({ who: `external peer ${peer.name}`, why: "runs GoQuorum" });
    else if (peer.besuRelease === undefined || !isKnownBesuVersion(peer.besuRelease)) {
      found.push({ who: `external peer ${peer.name}`, why: "states no Besu release (besuRelease)" });
    } else if (writesPre261(peer.besuRelease)) {
      found.push({
        who: `external peer ${peer.name}`,
        why: `runs Besu ${peer.besuRelease}`,
        release: peer.besuRelease,
      });
    }
  }
  return found;
}

/** `a, b and 3 more ran Besu 25.7.0; c runs GoQuorum`: one clause per reason, readable at 64 nodes. */
function describeHoldouts(found: readonly Holdout[]): string {
  const reasons = [...new Set(found.map((h) => h.why))];
  return reasons
    .map((why) => {
      const who = found.filter((h) => h.why === why).map((h) => h.who);
      const shown =
        who.length > 6 ? `${who.slice(0, 6).join(", ")} and ${who.length - 6} more` : who.join(", ");
      return `${shown} ${why}`;
    })
    .join("; ");
}

function syncingNodes(input: UpgradeInput): string[] {
  if (!input.previous.deployed) return [];
  const recorded = readDeployedNodeClients(input.previous.nodeClients);
  // Without a record the program cannot tell which Besu node switched: every Besu node gets the sync timeout.
  if (recorded === undefined) return input.nodes.filter((n) => n.client === "besu").map((n) => n.name);
  return input.nodes.filter((n) => recorded.get(n.name)?.client !== n.client).map((n) => n.name);
}

/**
 * Whether this update keeps the legacy flag, with the plan's message saying so and when it goes; refuses a
 * release that cannot roll from what the network runs (no flag, or older than a node's database).
 */
export function planUpgrade(input: UpgradeInput): UpgradePlan {
  const syncing = syncingNodes(input);
  const none: UpgradePlan = { legacyBftEncoding: false, syncingNodes: syncing, issues: [] };
  const target = releaseOf(input.besuImage);
  // No Besu node, or a tag the program cannot read (the release checks refuse it).
  if (!input.nodes.some((n) => n.client === "besu") || target === undefined) return none;
  const key = input.besuImageKey;
  const issues: ConfigIssue[] = [];
  const recorded = readDeployedNodeClients(input.previous.nodeClients);
  for (const node of input.nodes) {
    const was = recorded?.get(node.name);
    const from = was?.client === "besu" && node.client === "besu" ? releaseOf(was.image) : undefined;
    const back = from !== undefined && compareBesuVersions(target, from) < 0;
    if (back) issues.push(error(key, `node ${node.name}: ${besuRollingUpgradeProblem(from, target)}`));
  }
  if (writesPre261(target)) return { ...none, issues };
  const old = holdouts(input);
  if (old.length === 0) return { ...none, issues };
  const list = describeHoldouts(old);
  const facts = besuRelease(target);
  if (!facts.legacyBftEncodingFlag || !facts.readsPre261Bft) {
    const from = old.map((h) => h.release).find((r) => r !== undefined) ?? "25.7.0";
    const problem = besuRollingUpgradeProblem(from, target) ?? "";
    issues.push(error(key, `is Besu ${target} while ${list} may still speak pre-26.1 QBFT: ${problem}`));
    return { ...none, issues };
  }
  issues.push(
    warning(
      key,
      `this update keeps ${LEGACY_BFT_ENCODING_FLAG} on every Besu node (Besu ${target}), because ${list} may still speak pre-26.1 QBFT; run pulumi up again once every node is on ${target} to drop it.`,
    ),
  );
  return { legacyBftEncoding: true, syncingNodes: syncing, issues };
}

/**
 * The custom timeouts of a syncing node's StatefulSet. pulumi-kubernetes waits for a StatefulSet until
 * `.status.readyReplicas` (and current and updated replicas) equal `spec.replicas` and `currentRevision`
 * equals `updateRevision`, for `DefaultStatefulSetTimeoutMins = 10` unless `customTimeouts` says otherwise
 * (pulumi/pulumi-kubernetes `provider/pkg/await/statefulset.go`; the same in the `@pulumi/kubernetes` 4.34.2
 * StatefulSet docs). A Besu node is Ready only in sync (`/readiness?maxBlocksBehind`), and a syncing Besu
 * validator produces no block (reference notes §2b, #7657): ten minutes fails the update on any chain of size.
 * The wait is kept, not skipped (`pulumi.com/skipAwait`): the next validator of the rollout chain depends on
 * this StatefulSet being done, so skipping would switch it while this one syncs, two validators out.
 * `create` counts: a client switch replaces the StatefulSet, deleted first (its name stays).
 */
export function syncCustomTimeouts(minutes: number): { create: string; update: string } {
  return { create: `${minutes}m`, update: `${minutes}m` };
}
