import * as azure from "@pulumi/azure-native";
import * as pulumi from "@pulumi/pulumi";
import { PEERING_FLAGS, peeringLinks } from "../../infra/azure/peering";
import type { LinkPlan } from "../../infra/plan/connectivityTypes";
import type { AzureNetwork } from "./AzureNetwork";

export interface AzurePeeringArgs {
  /** The connectivity plan's links; the `vnet-peering` ones are peered. */
  readonly links: readonly LinkPlan[];
  /** The VNet of every Azure cluster, by cluster name. */
  readonly networks: ReadonlyMap<string, AzureNetwork>;
}

/** The VNet peerings of the plan's `vnet-peering` links (a full mesh), one resource per direction. */
export class AzurePeering extends pulumi.ComponentResource {
  constructor(name: string, args: AzurePeeringArgs, opts?: pulumi.ComponentResourceOptions) {
    super("goquorum:azure:Peering", name, {}, opts);
    const networkOf = (cluster: string) => {
      const network = args.networks.get(cluster);
      if (!network) throw new Error(`Azure cluster ${cluster} has no network to peer`);
      return network;
    };
    for (const link of peeringLinks(args.links)) {
      const local = networkOf(link.from);
      const remote = networkOf(link.to);
      new azure.network.VirtualNetworkPeering(
        link.name,
        {
          resourceGroupName: local.resourceGroup.name,
          virtualNetworkName: local.virtualNetwork.name,
          virtualNetworkPeeringName: link.name,
          remoteVirtualNetwork: { id: remote.virtualNetwork.id },
          ...PEERING_FLAGS,
        },
        // Subnets of either side change the VNets the peering joins: peer once both are complete.
        { parent: this, dependsOn: [...local.subnets.values(), ...remote.subnets.values()] },
      );
    }
    this.registerOutputs({});
  }
}
