/**
 * The nodes a cloud cluster will have, as the cloud labels and taints them: each planned pool in each of its
 * zones, from the very values the components register (`nodeGroupSettings`, `aksAgentPools`) and the
 * providers' behaviour (`../<cloud>/behaviour`, `../kubernetes/behaviour`). `local` clusters' nodes are not
 * the program's: there are none to list.
 */
import type { ITaint } from "kubernetes-models/v1/Taint";
import { EBS_CSI_ZONE_KEY, eksNodeGroupLabels, eksNodeZoneLabel } from "../aws/behaviour";
import { nodeGroupSettings } from "../aws/nodeGroups";
import { aksAgentPools } from "../azure/aks";
import { AZURE_DISK_CSI_ZONE_KEY, aksNodePoolLabels, aksNodeZoneLabel } from "../azure/behaviour";
import type { AwsClusterConfig, AzureClusterConfig, NetworkConfig } from "../config/schema";
import { WELL_KNOWN_LABELS } from "../kubernetes/behaviour";
import type { ClusterPlan } from "../plan/types";
import type { NodeGroup } from "./placement";

type Labels = Record<string, string | null>;

/** What the kubelet and the cloud's node controller set on every node; they win over a pool's own labels. */
const nodeLabels = (region: string, arch: "amd64" | "arm64"): Labels => ({
  [WELL_KNOWN_LABELS.hostname]: null,
  [WELL_KNOWN_LABELS.os]: "linux",
  [WELL_KNOWN_LABELS.arch]: arch,
  [WELL_KNOWN_LABELS.region]: region,
});

const EKS_TAINT_EFFECTS = {
  NO_SCHEDULE: "NoSchedule",
  NO_EXECUTE: "NoExecute",
  PREFER_NO_SCHEDULE: "PreferNoSchedule",
} as const;

/** EKS managed node groups span every private subnet, so every zone of the cluster. */
export function eksNodeGroups(
  cluster: ClusterPlan,
  config: AwsClusterConfig,
  network: NetworkConfig,
): NodeGroup[] {
  return nodeGroupSettings(config, network).flatMap((group) =>
    cluster.zones.map((zone) => {
      const zoneLabel = eksNodeZoneLabel(zone);
      return {
        pool: group.name,
        zone,
        labels: {
          ...group.labels,
          ...eksNodeGroupLabels(group.name),
          ...nodeLabels(cluster.region, group.amiType === "AL2023_ARM_64_STANDARD" ? "arm64" : "amd64"),
          [WELL_KNOWN_LABELS.zone]: zoneLabel,
          // The EBS CSI add-on's node plugin (installed on every EKS cluster of the program).
          [EBS_CSI_ZONE_KEY]: zoneLabel,
        },
        taints: group.taints.map(
          (t): ITaint => ({
            key: t.key,
            ...(t.value ? { value: t.value } : {}),
            effect: EKS_TAINT_EFFECTS[t.effect],
          }),
        ),
      };
    }),
  );
}

/** `key[=value]:Effect`, as AKS takes node taints. */
function aksTaint(text: string): ITaint {
  const [keyValue = "", effect = ""] = text.split(":");
  const [key = "", value] = keyValue.split("=");
  return { key, ...(value ? { value } : {}), effect: effect as ITaint["effect"] };
}

/**
 * AKS agent pools, in each of their availability zones (a regional pool: one group whose zone label is a
 * fault domain number). Every VM size the schema accepts (`../data/azure-vm-sizes`) is x86-64.
 */
export function aksNodeGroups(
  cluster: ClusterPlan,
  config: AzureClusterConfig,
  network: NetworkConfig,
): NodeGroup[] {
  return aksAgentPools(cluster, config, network.workloads.scheduling).flatMap((pool): NodeGroup[] => {
    const common = {
      ...pool.nodeLabels,
      ...aksNodePoolLabels(pool.name),
      ...nodeLabels(cluster.region.toLowerCase(), "amd64"),
    };
    const taints = (pool.nodeTaints ?? []).map(aksTaint);
    const zones = pool.availabilityZones ?? [];
    if (zones.length === 0) {
      return [
        {
          pool: pool.name,
          labels: { ...common, [WELL_KNOWN_LABELS.zone]: null, [AZURE_DISK_CSI_ZONE_KEY]: null },
          taints,
        },
      ];
    }
    return zones.map((zone) => {
      const zoneLabel = aksNodeZoneLabel(cluster.region, zone);
      return {
        pool: pool.name,
        zone,
        labels: { ...common, [WELL_KNOWN_LABELS.zone]: zoneLabel, [AZURE_DISK_CSI_ZONE_KEY]: zoneLabel },
        taints,
      };
    });
  });
}
