/** The cluster targets of a stack: the only place that knows which providers exist. */
import type * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../../infra/config/schema";
import type { NetworkPlan } from "../../infra/plan/types";
import { AzureCluster } from "../azure/AzureCluster";
import type { AzureNetwork } from "../azure/AzureNetwork";
import { AzurePeering } from "../azure/AzurePeering";
import { LocalCluster } from "../local/LocalCluster";
import type { ClusterTarget } from "./ClusterTarget";

export type { ClusterTarget, NodeBinding, NodeVault, VaultArgs } from "./ClusterTarget";

/**
 * The target of every planned cluster, by cluster name: undefined for a provider whose clusters the program
 * cannot create yet (the caller says so). Then the networks between them: the VNet peering mesh among the
 * Azure clusters. `opts.parent` owns everything.
 */
export function createClusterTargets(
  config: StackConfig,
  plan: NetworkPlan,
  opts: pulumi.ComponentResourceOptions,
): ReadonlyMap<string, ClusterTarget | undefined> {
  const targets = new Map<string, ClusterTarget | undefined>();
  const azureNetworks = new Map<string, AzureNetwork>();
  for (const cluster of plan.clusters) {
    const clusterConfig = config.clusters.find((c) => c.name === cluster.name);
    if (!clusterConfig) throw new Error(`cluster ${cluster.name} is planned but not configured`);
    switch (clusterConfig.provider) {
      case "local":
        targets.set(cluster.name, new LocalCluster(cluster.name, { cluster: clusterConfig }, opts));
        break;
      case "azure": {
        const target = new AzureCluster(
          cluster.name,
          { config: clusterConfig, network: config.network, cluster, plan },
          opts,
        );
        targets.set(cluster.name, target);
        azureNetworks.set(cluster.name, target.network);
        break;
      }
      case "aws":
        targets.set(cluster.name, undefined);
        break;
    }
  }
  if (azureNetworks.size > 1) {
    new AzurePeering(
      `${config.network.name}-azure-peering`,
      { clusters: plan.clusters, networks: azureNetworks },
      opts,
    );
  }
  return targets;
}
