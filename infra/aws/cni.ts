/**
 * The VPC CNI as the plan sized it: the add-on's environment (mode and warm targets) and the max pods each
 * node group's kubelet gets. Max pods come from `awsMaxPods`, the very function the planner's capacity uses,
 * so the pods per node the plan promises are the pods the nodes take.
 */
import type { AwsClusterConfig } from "../config/schema";
import { awsMaxPods } from "../plan/capacity";
import { awsInstanceType } from "../plan/instances";
import type { ClusterPlan } from "../plan/types";
import { awsSubnetName } from "./names";

type AwsCni = AwsClusterConfig["cni"];

/** The node label ENIConfigs are matched by: one ENIConfig per zone, named after the zone. */
export const ENI_CONFIG_LABEL = "topology.kubernetes.io/zone";

/** `env` of the vpc-cni add-on's configuration values (every value a string, as the add-on schema wants). */
export function vpcCniEnv(cni: AwsCni): Record<string, string> {
  const ipTargets = cni.warmIpTarget !== undefined || cni.minimumIpTarget !== undefined;
  const env: Record<string, string> = {};
  // WARM_IP_TARGET / MINIMUM_IP_TARGET replace the ENI and prefix targets (as the planner counts them).
  if (cni.warmIpTarget !== undefined) env.WARM_IP_TARGET = String(cni.warmIpTarget);
  if (cni.minimumIpTarget !== undefined) env.MINIMUM_IP_TARGET = String(cni.minimumIpTarget);
  if (cni.mode === "prefix-delegation") {
    env.ENABLE_PREFIX_DELEGATION = "true";
    if (!ipTargets) env.WARM_PREFIX_TARGET = String(cni.warmPrefixTarget);
  } else {
    env.ENABLE_PREFIX_DELEGATION = "false";
    if (!ipTargets) env.WARM_ENI_TARGET = String(cni.warmEniTarget);
  }
  const custom = cni.mode === "custom-networking";
  env.AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG = String(custom);
  if (custom) env.ENI_CONFIG_LABEL_DEF = ENI_CONFIG_LABEL;
  return env;
}

/**
 * The vpc-cni add-on's configuration values: the environment above, and NetworkPolicy enforcement on (it is
 * off by default, and every policy of the workloads would be inert: `vpcCniEnforcesNetworkPolicies`).
 */
export function vpcCniConfiguration(cni: AwsCni): {
  env: Record<string, string>;
  enableNetworkPolicy: "true";
} {
  return { env: vpcCniEnv(cni), enableNetworkPolicy: "true" };
}

/** Max pods of a node of `instanceType` in the cluster's CNI mode: the kubelet's maxPods. */
export function nodeMaxPods(instanceType: string, cni: Pick<AwsCni, "mode">): number {
  const type = awsInstanceType(instanceType);
  if (!type) throw new Error(`unknown EC2 instance type ${instanceType} reached the node groups`);
  return awsMaxPods(type, cni.mode);
}

export interface EniConfigPlan {
  /** The zone, which is also the ENIConfig's name (matched through ENI_CONFIG_LABEL). */
  readonly zone: string;
  /** Name of the zone's pod subnet. */
  readonly subnet: string;
}

/** Custom networking: one ENIConfig per zone, on the plan's pod subnet of that zone; none otherwise. */
export function eniConfigs(cluster: ClusterPlan, cni: Pick<AwsCni, "mode">): EniConfigPlan[] {
  if (cni.mode !== "custom-networking") return [];
  return cluster.zones.map((zone) => {
    const subnet = cluster.subnets.find((s) => s.purpose === "pods" && s.zone === zone);
    if (!subnet) throw new Error(`cluster ${cluster.name} has no pod subnet in ${zone}`);
    return { zone, subnet: awsSubnetName(cluster, subnet) };
  });
}
