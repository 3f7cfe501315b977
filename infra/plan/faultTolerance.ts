/**
 * Whether consensus survives losing a cluster or a zone. QBFT (and GoQuorum's IBFT) needs
 * ⌈2n/3⌉ of n validators live, so it tolerates n − ⌈2n/3⌉ = ⌊n/3⌋ down: any one cluster or zone may
 * hold at most ⌊n/3⌋ validators.
 *
 * Zones are matched by provider, region and name across clusters: within one account or subscription
 * the same zone name is the same physical zone, so losing it takes the validators of every cluster
 * there (conservative across accounts). A cluster without zones (an Azure region without them) is a
 * single failure domain: its zone verdict, which has no zone name, counts all its validators.
 *
 * External validators (`network.connectivity.externalPeers[].validatorAddress`) count in n, and each is
 * a failure domain of its own: a stack that must survive the loss of any cluster must also survive the
 * loss of any external party. Zone losses never take them.
 *
 * Surviving is not enough to keep running: after a loss the network has a margin of n − lost − ⌈2n/3⌉
 * validators to spare. At 0 it still makes blocks, but the disruption gate holds every drain, upgrade and
 * validator rollout until the lost domain is back, and one more failure halts it; the plan warns then. A
 * cluster keeps a margin of 1 only while it holds at most ⌊n/3⌋ − 1 validators, so k clusters hold at most
 * k(⌊n/3⌋ − 1) < n for k ≤ 3: three clusters never have margin after losing one (README, "Failure domains").
 */

import type { ConfigIssue } from "../config/issue";
import type { StackConfig } from "../config/schema";
import type { ExternalPeerPlan } from "./connectivityTypes";
import { error, warning } from "./issues";
import type { ClusterPlan, FaultTolerancePlan, LossVerdict } from "./types";

export const quorumOf = (validators: number): number => Math.ceil((2 * validators) / 3);

type Placement = Pick<ClusterPlan, "name" | "provider" | "region" | "zones" | "nodes">;

const validatorsOf = (cluster: Placement, zone?: string) =>
  cluster.nodes.filter((n) => n.role === "validator" && (zone === undefined || n.zone === zone)).length;

/** What a loss of `lost` validators leaves: whether blocks go on, and the validators still to spare. */
type Outcome = (lost: number) => { survives: boolean; margin: number };

function zoneVerdicts(clusters: readonly Placement[], outcome: Outcome): LossVerdict[] {
  return clusters.flatMap((cluster) => {
    if (cluster.zones.length === 0) {
      const lost = validatorsOf(cluster);
      return [{ cluster: cluster.name, validators: lost, ...outcome(lost) }];
    }
    return cluster.zones.map((zone) => {
      const sharing = clusters.filter((c) => c.provider === cluster.provider && c.region === cluster.region);
      const lost = sharing.reduce((sum, c) => sum + (c.zones.includes(zone) ? validatorsOf(c, zone) : 0), 0);
      return { cluster: cluster.name, zone, validators: lost, ...outcome(lost) };
    });
  });
}

/**
 * The smallest validator total m ≥ n with a spread over the clusters that survives losing any one
 * cluster or external validator: each cluster holds at most ⌊m/3⌋ and the `external` validators one
 * each, so k clusters fit m when k·⌊m/3⌋ + external ≥ m (and ⌊m/3⌋ ≥ 1 when there are external ones).
 * Without external validators that needs k ≥ 3. Current counts are kept up to the cap; the rest go
 * to the clusters with the fewest, in list order.
 */
export function suggestSpread(
  clusters: readonly { name: string; validators: number }[],
  n: number,
  external = 0,
): FaultTolerancePlan["suggestion"] | undefined {
  const k = clusters.length;
  if (k === 0 || n === 0) return undefined;
  const fits = (m: number) => k * Math.floor(m / 3) + external >= m && (external === 0 || m >= 3);
  // k·⌊m/3⌋ + e − m falls as m grows when k < 3, so a spread exists below 3(e + 3) or not at all.
  let m = Math.max(n, external);
  const limit = k >= 3 ? Number.POSITIVE_INFINITY : Math.max(m, 3 * (external + 3));
  while (!fits(m) && m <= limit) m++;
  if (!fits(m)) return undefined;
  const cap = Math.floor(m / 3);
  const counts = clusters.map((c) => Math.min(c.validators, cap));
  for (let left = m - external - counts.reduce((a, b) => a + b, 0); left > 0; left--) {
    const fewest = counts.indexOf(Math.min(...counts.filter((c) => c < cap)));
    counts[fewest]++;
  }
  const added = m > n ? `${m - n} more validator${m - n === 1 ? "" : "s"}, ` : "";
  return {
    validatorsPerCluster: Object.fromEntries(clusters.map((c, i) => [c.name, counts[i]])),
    reason: `${added}${m} in all: quorum ${quorumOf(m)} tolerates ${cap} down, so no cluster may hold more than ${cap}`,
  };
}

/**
 * The smallest spread that keeps a validator to spare after losing any one cluster or external validator:
 * with m validators a cluster may hold at most ⌊m/3⌋ − 1, and each external validator (one each) needs
 * ⌊m/3⌋ ≥ 2. k clusters fit m when k(⌊m/3⌋ − 1) + external ≥ m, which never holds for k ≤ 3 without
 * external validators; then the smallest number of clusters that fits is proposed, each new one with as
 * many as the cap allows. Current counts are kept up to the cap, the rest fills the emptiest clusters.
 */
export function suggestMarginSpread(
  clusters: readonly { name: string; validators: number }[],
  n: number,
  external = 0,
): FaultTolerancePlan["suggestion"] | undefined {
  if (clusters.length === 0 || n === 0) return undefined;
  const fits = (k: number, m: number) =>
    Math.floor(m / 3) >= 2 && k * (Math.floor(m / 3) - 1) + external >= m;
  // For k ≥ 4, (k − 3)(⌊m/3⌋ − 1) grows without bound, so a fit exists within a few multiples of 3(k + e).
  for (let k = clusters.length; k <= clusters.length + 3; k++) {
    const limit = Math.max(n, 3 * (k + external + 4));
    let m = Math.max(n, 6);
    while (m <= limit && !fits(k, m)) m++;
    if (!fits(k, m)) continue;
    const cap = Math.floor(m / 3) - 1;
    const counts = [
      ...clusters.map((c) => Math.min(c.validators, cap)),
      ...Array(k - clusters.length).fill(0),
    ];
    for (let left = m - external - counts.reduce((a, b) => a + b, 0); left > 0; left--) {
      counts[counts.indexOf(Math.min(...counts.filter((c) => c < cap)))]++;
    }
    const quorum = quorumOf(m);
    return {
      validatorsPerCluster: Object.fromEntries(clusters.map((c, i) => [c.name, counts[i] ?? 0])),
      ...(k > clusters.length ? { additionalClusters: counts.slice(clusters.length) } : {}),
      reason: `${m} validators in all: quorum ${quorum}, so losing a cluster of at most ${cap} leaves ${m - cap}, one more than quorum`,
    };
  }
  return undefined;
}

const WHY_TOO_FEW_CLUSTERS =
  "no spread over fewer than 3 clusters survives losing one: a cluster may hold at most a third of the validators, so at least 3 clusters must host them";

export function planFaultTolerance(
  config: StackConfig,
  clusters: readonly Placement[],
  externalPeers: readonly Pick<ExternalPeerPlan, "name" | "validatorAddress">[] = [],
): { faultTolerance: FaultTolerancePlan; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const externalValidators = externalPeers.filter((p) => p.validatorAddress);
  const e = externalValidators.length;
  const n = clusters.reduce((sum, c) => sum + validatorsOf(c), 0) + e;
  const quorum = quorumOf(n);
  // With no validators there is no consensus to keep, so nothing survives.
  const outcome: Outcome = (lost) => ({ survives: n > 0 && n - lost >= quorum, margin: n - lost - quorum });
  const clusterLoss = clusters.map((c) => ({
    cluster: c.name,
    validators: validatorsOf(c),
    ...outcome(validatorsOf(c)),
  }));
  const zoneLoss = zoneVerdicts(clusters, outcome);
  const externalLoss = externalValidators.map((p) => ({ party: p.name, validators: 1, ...outcome(1) }));
  const survivesLossOfAnyCluster = clusterLoss.every((v) => v.survives);
  const survivesLossOfAnyZone = zoneLoss.every((v) => v.survives);
  const survivesLossOfAnyExternalParty = externalLoss.every((v) => v.survives);
  const smallest = (verdicts: readonly { margin: number }[]) =>
    verdicts.length === 0 ? n - quorum : Math.min(...verdicts.map((v) => v.margin));
  const marginAfterClusterLoss = smallest([...clusterLoss, ...externalLoss]);
  const marginAfterZoneLoss = smallest(zoneLoss);
  const counts = clusters.map((c) => ({ name: c.name, validators: validatorsOf(c) }));
  const suggestion =
    survivesLossOfAnyCluster && survivesLossOfAnyExternalParty
      ? marginAfterClusterLoss === 0 && clusters.length > 1
        ? suggestMarginSpread(counts, n, e)
        : undefined
      : suggestSpread(counts, n, e);

  if (n === 0) {
    issues.push(
      error(
        "clusters",
        "no cluster hosts validators: at least one cluster must host validators (nodes.validators ≥ 1).",
      ),
    );
  }
  const { requireSurviveClusterLoss, requireSurviveZoneLoss } = config.network.faultTolerance;
  const lost = (v: { validators: number }) => `${v.validators} of ${n} validators`;
  if (n > 0 && requireSurviveClusterLoss && !(survivesLossOfAnyCluster && survivesLossOfAnyExternalParty)) {
    const broken = [
      ...clusterLoss.filter((v) => !v.survives).map((v) => `cluster "${v.cluster}" (${lost(v)})`),
      ...externalLoss.filter((v) => !v.survives).map((v) => `external party "${v.party}" (${lost(v)})`),
    ];
    const fix = suggestion
      ? `Suggested spread: ${describeSuggestion(suggestion)}.`
      : `It cannot be met with ${clusters.length} cluster${clusters.length === 1 ? "" : "s"}: ${WHY_TOO_FEW_CLUSTERS}.`;
    issues.push(
      error(
        "network.faultTolerance.requireSurviveClusterLoss",
        `consensus halts if ${broken.join(" or ")} is lost: quorum is ${quorum} of ${n}. ${fix}`,
      ),
    );
  }
  if (n > 0 && requireSurviveZoneLoss && !survivesLossOfAnyZone) {
    const broken = zoneLoss
      .filter((v) => !v.survives)
      .map(
        (v) =>
          (v.zone ? `zone ${v.zone} of cluster "${v.cluster}"` : `regional cluster "${v.cluster}"`) +
          ` (${lost(v)})`,
      );
    issues.push(
      error(
        "network.faultTolerance.requireSurviveZoneLoss",
        `consensus halts if ${broken.join(" or ")} is lost: quorum is ${quorum} of ${n}, so no zone may hold more than ${n - quorum} validator${n - quorum === 1 ? "" : "s"}. Add zones or validators in other zones or clusters.`,
      ),
    );
  }
  issues.push(
    ...zeroMarginWarnings(n, quorum, clusterLoss, externalLoss, zoneLoss, suggestMarginSpread(counts, n, e)),
  );
  const faultTolerance: FaultTolerancePlan = {
    validators: n,
    quorum,
    tolerates: n - quorum,
    survivesLossOfAnyCluster,
    survivesLossOfAnyZone,
    survivesLossOfAnyExternalParty,
    clusterLoss,
    zoneLoss,
    externalLoss,
    marginAfterClusterLoss,
    marginAfterZoneLoss,
    ...(suggestion ? { suggestion } : {}),
  };
  return { faultTolerance, issues };
}

/** The suggestion as one line: `a=3, b=3, c=3, plus 1 more cluster of 3 (reason)`. */
export function describeSuggestion(suggestion: NonNullable<FaultTolerancePlan["suggestion"]>): string {
  const per = Object.entries(suggestion.validatorsPerCluster)
    .map(([name, count]) => `${name}=${count}`)
    .join(", ");
  const extra = suggestion.additionalClusters ?? [];
  const added =
    extra.length > 0
      ? `, plus ${extra.length} more cluster${extra.length === 1 ? "" : "s"} of ${extra.join(", ")}`
      : "";
  return `${per}${added} (${suggestion.reason})`;
}

/**
 * Losses the network survives with no validator to spare: blocks go on, but every voluntary disruption waits
 * (the disruption gate) until the lost domain is back, and one more failure halts the chain.
 */
function zeroMarginWarnings(
  n: number,
  quorum: number,
  clusterLoss: readonly LossVerdict[],
  externalLoss: readonly { party: string; validators: number; margin: number }[],
  zoneLoss: readonly LossVerdict[],
  marginSpread: FaultTolerancePlan["suggestion"],
): ConfigIssue[] {
  // A loss that takes no validator says nothing about the domain: a network with none to spare (n = quorum)
  // halts at any validator's loss, which the verdicts report.
  const atQuorum = (v: { validators: number; margin: number }) => v.validators > 0 && v.margin === 0;
  const domains = [
    ...clusterLoss.filter(atQuorum).map((v) => `cluster "${v.cluster}"`),
    ...externalLoss.filter(atQuorum).map((v) => `external party "${v.party}"`),
  ];
  const zones = zoneLoss
    .filter(atQuorum)
    .map((v) => (v.zone ? `zone ${v.zone} of "${v.cluster}"` : `regional cluster "${v.cluster}"`));
  const consequence = `the network keeps exactly quorum (${quorum} of ${n}): blocks go on, but every drain, node upgrade and validator rollout waits for it to come back (the disruption gate), and one more failure halts the chain`;
  const issues: ConfigIssue[] = [];
  if (domains.length > 0) {
    const fix = marginSpread
      ? `Set clusters[].nodes.validators (and add clusters in other regions) to a spread with a validator to spare: ${describeSuggestion(marginSpread)}.`
      : "Add validators (clusters[].nodes.validators) or clusters so that no one cluster holds more than ⌊n/3⌋ − 1 of them.";
    issues.push(
      warning(
        "network.faultTolerance",
        `after losing ${domains.join(" or ")}, ${consequence}. ${fix} See the README, "Failure domains".`,
      ),
    );
  }
  if (zones.length > 0) {
    issues.push(
      warning(
        "network.faultTolerance",
        `after losing ${zones.join(" or ")}, ${consequence}. Spread each cluster's validators over more zones (clusters[].zones), or add validators (clusters[].nodes.validators).`,
      ),
    );
  }
  return issues;
}
