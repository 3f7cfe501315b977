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
 */

import type { ConfigIssue } from "../config/issue";
import type { StackConfig } from "../config/schema";
import type { ExternalPeerPlan } from "./connectivityTypes";
import { error } from "./issues";
import type { ClusterPlan, FaultTolerancePlan, LossVerdict } from "./types";

export const quorumOf = (validators: number): number => Math.ceil((2 * validators) / 3);

type Placement = Pick<ClusterPlan, "name" | "provider" | "region" | "zones" | "nodes">;

const validatorsOf = (cluster: Placement, zone?: string) =>
  cluster.nodes.filter((n) => n.role === "validator" && (zone === undefined || n.zone === zone)).length;

function zoneVerdicts(clusters: readonly Placement[], survives: (lost: number) => boolean): LossVerdict[] {
  return clusters.flatMap((cluster) => {
    if (cluster.zones.length === 0) {
      const lost = validatorsOf(cluster);
      return [{ cluster: cluster.name, validators: lost, survives: survives(lost) }];
    }
    return cluster.zones.map((zone) => {
      const sharing = clusters.filter((c) => c.provider === cluster.provider && c.region === cluster.region);
      const lost = sharing.reduce((sum, c) => sum + (c.zones.includes(zone) ? validatorsOf(c, zone) : 0), 0);
      return { cluster: cluster.name, zone, validators: lost, survives: survives(lost) };
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
  const survives = (lost: number) => n > 0 && n - lost >= quorum;
  const clusterLoss = clusters.map((c) => ({
    cluster: c.name,
    validators: validatorsOf(c),
    survives: survives(validatorsOf(c)),
  }));
  const zoneLoss = zoneVerdicts(clusters, survives);
  const externalLoss = externalValidators.map((p) => ({
    party: p.name,
    validators: 1,
    survives: survives(1),
  }));
  const survivesLossOfAnyCluster = clusterLoss.every((v) => v.survives);
  const survivesLossOfAnyZone = zoneLoss.every((v) => v.survives);
  const survivesLossOfAnyExternalParty = externalLoss.every((v) => v.survives);
  const suggestion =
    survivesLossOfAnyCluster && survivesLossOfAnyExternalParty
      ? undefined
      : suggestSpread(
          clusters.map((c) => ({ name: c.name, validators: validatorsOf(c) })),
          n,
          e,
        );

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
      ? `Suggested spread: ${Object.entries(suggestion.validatorsPerCluster)
          .map(([name, count]) => `${name}=${count}`)
          .join(", ")} (${suggestion.reason}).`
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
    ...(suggestion ? { suggestion } : {}),
  };
  return { faultTolerance, issues };
}
