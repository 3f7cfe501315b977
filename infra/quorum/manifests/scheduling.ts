/** Where a node's pod may run: its zone (its volume lives there) and away from same-role pods. */
import type { IAffinity } from "kubernetes-models/v1/Affinity";
import type { IToleration } from "kubernetes-models/v1/Toleration";
import type { ITopologySpreadConstraint } from "kubernetes-models/v1/TopologySpreadConstraint";
import type { NetworkConfig } from "../../config/schema";
import { WELL_KNOWN_LABELS } from "../../kubernetes/behaviour";
import { nodeZoneLabel } from "../../kubernetes/zones";
import type { ClusterPlan, NodePlan } from "../../plan/types";
import { roleSelector } from "./labels";

const ZONE_LABEL = WELL_KNOWN_LABELS.zone;
const HOSTNAME_LABEL = WELL_KNOWN_LABELS.hostname;

export function affinity(networkName: string, cluster: ClusterPlan, node: NodePlan): IAffinity {
  // The node's zone as its cloud labels nodes (AKS: `westeurope-1`, not ARM's "1"). Local clusters' zone
  // names are placeholders no node carries: nothing pins to them.
  const zoneLabel = node.zone === undefined ? undefined : nodeZoneLabel(cluster, node.zone);
  return {
    ...(zoneLabel !== undefined
      ? {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                { matchExpressions: [{ key: ZONE_LABEL, operator: "In", values: [zoneLabel] }] },
              ],
            },
          },
        }
      : {}),
    podAntiAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [
        {
          weight: 100,
          podAffinityTerm: {
            topologyKey: HOSTNAME_LABEL,
            labelSelector: { matchLabels: roleSelector(networkName, node.role) },
          },
        },
      ],
    },
  };
}

export function topologySpread(networkName: string, node: NodePlan): ITopologySpreadConstraint[] {
  return [
    {
      maxSkew: 1,
      topologyKey: ZONE_LABEL,
      whenUnsatisfiable: "ScheduleAnyway",
      labelSelector: { matchLabels: roleSelector(networkName, node.role) },
    },
  ];
}

/** The user's node selector and tolerations, when any (`workloads.scheduling`). */
export function placement(network: NetworkConfig): {
  nodeSelector?: Record<string, string>;
  tolerations?: IToleration[];
} {
  const { nodeSelector, tolerations } = network.workloads.scheduling;
  return {
    ...(Object.keys(nodeSelector).length > 0 ? { nodeSelector: { ...nodeSelector } } : {}),
    ...(tolerations.length > 0 ? { tolerations: tolerations.map((t) => ({ ...t })) } : {}),
  };
}
