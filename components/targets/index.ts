/** The cluster targets of a stack: the only place that knows which providers exist. */
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../../infra/config/schema";
import type { NetworkPlan } from "../../infra/plan/types";
import { AwsClusterTarget } from "../aws/AwsClusterTarget";
import { AwsPeeringMesh } from "../aws/AwsPeeringMesh";
import { AzureCluster } from "../azure/AzureCluster";
import type { AzureNetwork } from "../azure/AzureNetwork";
import { AzurePeering } from "../azure/AzurePeering";
import { CrossCloudVpn } from "../connectivity/CrossCloudVpn";
import { LocalCluster } from "../local/LocalCluster";
import type { ClusterTarget } from "./ClusterTarget";

export type { ClusterTarget, NodeBinding, NodeVault, VaultArgs } from "./ClusterTarget";

export interface ClusterTargets {
  /** Every planned cluster's target, by cluster name. */
  readonly targets: ReadonlyMap<string, ClusterTarget>;
  /** The site-to-site VPN, when the stack joins AWS and Azure clusters or sites. */
  readonly vpn?: CrossCloudVpn;
}

/**
 * The target of every planned cluster, by cluster name. Then the networks between them: the VPC peering mesh
 * among the AWS clusters, the VNet peering mesh among the Azure clusters, and the site-to-site VPN between
 * AWS and Azure clusters and sites. `opts.parent` owns everything.
 */
export function createClusterTargets(
  config: StackConfig,
  plan: NetworkPlan,
  opts: pulumi.ComponentResourceOptions,
): ClusterTargets {
  const targets = new Map<string, ClusterTarget>();
  const azureNetworks = new Map<string, AzureNetwork>();
  const azureTargets = new Map<string, AzureCluster>();
  const awsTargets = new Map<string, AwsClusterTarget>();
  // One AWS provider per region: every resource of a cluster, and each side of a peering, in its own region.
  const awsProviders = new Map<string, aws.Provider>();
  const awsProvider = (region: string) => {
    const existing = awsProviders.get(region);
    if (existing) return existing;
    const created = new aws.Provider(`aws-${region}`, { region }, { parent: opts.parent });
    awsProviders.set(region, created);
    return created;
  };
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
          {
            config: clusterConfig,
            network: config.network,
            cluster,
            plan,
            maintenance: plan.maintenance.filter((w) => w.cluster === cluster.name),
          },
          opts,
        );
        targets.set(cluster.name, target);
        azureNetworks.set(cluster.name, target.network);
        azureTargets.set(cluster.name, target);
        break;
      }
      case "aws": {
        const target = new AwsClusterTarget(
          cluster.name,
          {
            config: clusterConfig,
            network: config.network,
            plan: cluster,
            provider: awsProvider(clusterConfig.region),
            providerFor: awsProvider,
            deployerPaths: plan.deployerPaths,
          },
          opts,
        );
        targets.set(cluster.name, target);
        awsTargets.set(cluster.name, target);
        break;
      }
    }
  }
  if (awsTargets.size > 0) new AwsPeeringMesh("aws-peering", { plan, targets: awsTargets }, opts);
  if (azureNetworks.size > 1) {
    new AzurePeering(
      `${config.network.name}-azure-peering`,
      { links: plan.connectivity.links, networks: azureNetworks },
      opts,
    );
  }
  // The VPN between AWS and Azure clusters (and sites), once every target exists.
  const vpnPlan = plan.connectivity.vpn;
  const vpn = vpnPlan
    ? new CrossCloudVpn(
        `${config.network.name}-vpn`,
        { vpn: vpnPlan, networkName: config.network.name, awsTargets, azureTargets },
        opts,
      )
    : undefined;
  return { targets, vpn };
}
