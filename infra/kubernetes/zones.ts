/** Which zone label value a planned zone carries on the nodes of each provider (the facts: `../<cloud>/behaviour`). */
import { eksNodeZoneLabel } from "../aws/behaviour";
import { aksNodeZoneLabel } from "../azure/behaviour";
import type { ClusterPlan } from "../plan/types";

/**
 * The value of `topology.kubernetes.io/zone` on the nodes of `zone`, the plan's zone name (AWS: the
 * Availability Zone name; Azure: the zone number ARM takes). Undefined on `local`, whose placeholder zone
 * names are no node's labels.
 */
export function nodeZoneLabel(
  cluster: Pick<ClusterPlan, "provider" | "region">,
  zone: string,
): string | undefined {
  switch (cluster.provider) {
    case "aws":
      return eksNodeZoneLabel(zone);
    case "azure":
      return aksNodeZoneLabel(cluster.region, zone);
    case "local":
      return undefined;
  }
}
