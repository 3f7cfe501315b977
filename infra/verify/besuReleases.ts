/**
 * The Besu release a network's Besu nodes run, against what the rest of the network speaks: while any node runs
 * GoQuorum they run `images.besuInterop`, which must be a release that syncs with GoQuorum 24.4.1 (eth/65–66
 * only); once none does, `images.besu`. Either image's tag must name a release whose facts the program has
 * read (`BESU_RELEASES`), since every flag, genesis key and protocol the workloads use depends on it.
 */
import {
  besuImageDigestCommand,
  besuRollingUpgradeProblem,
  isKnownBesuVersion,
  parseBesuImage,
} from "../besu/behaviour";
import { besuSpeaksWithGoQuorum } from "../besu/interop";
import type { ConfigIssue } from "../config/issue";
import type { StackConfig } from "../config/schema";
import { besuImage } from "../plan/besuImage";
import { listNames, nodeClients } from "../plan/clients";
import { error, warning } from "../plan/issues";
import type { NetworkPlan } from "../plan/types";
import { GOQUORUM_ETH_PROTOCOLS } from "../quorum/behaviour";

const RUNBOOK = "docs/operations/migrate-to-besu.md";

/** The release a Besu image runs, or why the program cannot tell. */
export function besuImageRelease(image: string): { version: string } | { problem: string } {
  let version: string | undefined;
  try {
    version = parseBesuImage(image).version;
  } catch (e) {
    return { problem: (e as Error).message };
  }
  if (version === undefined || !/^\d+\.\d+\.\d+$/.test(version)) {
    return {
      problem: `its tag ${version === undefined ? "is missing" : `"${version}"`} names no Besu release: the program reads the release from the tag (YY.M.P, e.g. 25.7.0), with or without a digest after it`,
    };
  }
  if (!isKnownBesuVersion(version)) {
    return {
      problem: `Besu ${version} is not a release the program has read (infra/besu/behaviour.ts BESU_RELEASES): its protocols, genesis keys and options are unknown`,
    };
  }
  return { version };
}

export function besuReleaseIssues(
  config: StackConfig,
  plan: Pick<NetworkPlan, "clusters" | "externalPeers">,
) {
  const nodes = nodeClients(config, plan.clusters);
  const besu = nodes.filter((n) => n.client === "besu");
  if (besu.length === 0) return [];
  const { images } = config.network.workloads;
  const choice = besuImage(images, plan);
  const path = `network.workloads.images.${choice.key}`;
  const release = besuImageRelease(choice.image);
  if ("problem" in release) {
    return [
      error(path, `is "${choice.image}", which the Besu nodes run (${choice.reason}): ${release.problem}.`),
    ];
  }
  const issues: ConfigIssue[] = [];
  if (parseBesuImage(choice.image).digest === undefined) {
    issues.push(
      warning(
        path,
        `is "${choice.image}", pinned by tag only: the registry can point a tag at other bytes, which each Besu pod would run at its next start. Pin the digest the tag names today: run \`${besuImageDigestCommand(choice.image)}\` and set "${choice.image}@sha256:<its Digest>".`,
      ),
    );
  }
  const goquorum = nodes.filter((n) => n.client === "goquorum");
  if (goquorum.length === 0) return issues;
  if (!besuSpeaksWithGoQuorum(release.version)) {
    issues.push(
      error(
        path,
        `is Besu ${release.version}, which shares no eth protocol version with GoQuorum 24.4.1 (eth/${[...GOQUORUM_ETH_PROTOCOLS].sort().join(" and eth/")}), so the Besu nodes ${listNames(besu.map((n) => n.name))} could not sync with ${listNames(goquorum.map((n) => n.name))}: Besu 25.8 and later offer eth/66 only in FAST sync, which the program never runs, and 26.2 dropped it. Set it to a release through 25.7.x, e.g. "hyperledger/besu:25.7.0" (${RUNBOOK}).`,
      ),
    );
    return issues;
  }
  // The move to `images.besu` once the last GoQuorum node has gone is a rolling upgrade of every Besu node.
  const current = besuImageRelease(images.besu);
  const problem =
    "version" in current ? besuRollingUpgradeProblem(release.version, current.version) : current.problem;
  if (problem) {
    issues.push(
      warning(
        "network.workloads.images.besu",
        `is "${images.besu}", which the Besu nodes move to once no node runs GoQuorum: ${problem} Fix it before the last GoQuorum node switches (${RUNBOOK}, step 5).`,
      ),
    );
  }
  return issues;
}
