/**
 * The zones a cluster spreads over, as the cloud's APIs name them. AWS: `<region><letter>` for the first
 * `zones` open letters. Azure: "1".."n" (what `availabilityZones` and public IP `zones` take; nodes are
 * labelled `<region>-<n>`, see `../kubernetes/zones`); a region without availability zones gives an empty
 * list (a regional cluster).
 * Local: placeholder names `zone-1`..`zone-n` that only label the placement verdicts; they are not
 * the existing cluster's topology labels, so nothing may schedule by them.
 */

import type { ConfigIssue } from "../config/issue";
import type { ClusterConfig } from "../config/schema";
import { AWS_REGION_ZONES, AZURE_REGION_ZONES } from "../data/regions";
import { error } from "./issues";
import { didYouMean } from "./suggest";

export type ZonesResult = { readonly zones: readonly string[] } | { readonly issue: ConfigIssue };

export const LOCAL_REGION = "local";

export function clusterZones(cluster: ClusterConfig, path: string): ZonesResult {
  if (cluster.provider === "local") {
    return { zones: Array.from({ length: cluster.zones }, (_, i) => `zone-${i + 1}`) };
  }
  const table = cluster.provider === "aws" ? AWS_REGION_ZONES : AZURE_REGION_ZONES;
  const cloud = cluster.provider === "aws" ? "AWS" : "Azure";
  const available = Object.hasOwn(table, cluster.region) ? table[cluster.region] : undefined;
  if (!available) {
    const hint =
      didYouMean(cluster.region, Object.keys(table)) || ` Known regions: ${Object.keys(table).join(", ")}.`;
    return { issue: error(`${path}.region`, `unknown ${cloud} region "${cluster.region}".${hint}`) };
  }
  if (cluster.provider === "azure" && available.length === 0) {
    if (cluster.zones === 1) return { zones: [] };
    return {
      issue: error(
        `${path}.zones`,
        `zones: ${cluster.zones} is not possible in ${cluster.region}, which has no availability zones: set zones: 1 (a regional cluster) or pick a zonal region.`,
      ),
    };
  }
  const names =
    cluster.provider === "aws" ? available.map((letter) => `${cluster.region}${letter}`) : available;
  if (cluster.zones > names.length) {
    return {
      issue: error(
        `${path}.zones`,
        `zones: ${cluster.zones} asks for more zones than ${cluster.region} has: at most ${names.length} (${names.join(", ")}).`,
      ),
    };
  }
  return { zones: names.slice(0, cluster.zones) };
}
