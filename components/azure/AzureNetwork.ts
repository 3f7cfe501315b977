import * as azure from "@pulumi/azure-native";
import * as pulumi from "@pulumi/pulumi";
import type { PrivateEndpointFence } from "../../infra/azure/apiAccess";
import { resourceGroupName, securityGroupName, virtualNetworkName } from "../../infra/azure/names";
import { azureSubnets, nsgRules, vnetAddressSpace } from "../../infra/azure/network";
import type { MonitoringPath } from "../../infra/monitoring/topology";
import type { ClusterPlan } from "../../infra/plan/types";
import type { PeerRangesPlan } from "../../infra/quorum/peers";

export interface AzureNetworkArgs {
  readonly cluster: ClusterPlan;
  /** The network plan: where the NSG rules get this cluster's peer ranges (`peerRanges`). */
  readonly plan: PeerRangesPlan;
  /** The monitoring paths to or from this cluster (`monitoringPaths`), which the NSG rules open. */
  readonly monitoring: readonly MonitoringPath[];
  /** The Azure management networks' ranges (`managementRanges`), denied by the NSGs like the peers'. */
  readonly management: readonly string[];
  /** A private API server's fence (`privateEndpointFence`): its node subnets' NSGs filter its private endpoint. */
  readonly fence?: PrivateEndpointFence;
}

/**
 * A cluster's resource group and VNet: the planned address space, every planned subnet as a standalone
 * `network.Subnet` (never inline on the VNet: an update of the VNet would delete standalone subnets and
 * inline ones cannot carry AKS's changes), each with its own NSG holding the peer rules.
 */
export class AzureNetwork extends pulumi.ComponentResource {
  readonly resourceGroup: azure.resources.ResourceGroup;
  readonly virtualNetwork: azure.network.VirtualNetwork;
  /** By planned subnet name. */
  readonly subnets: ReadonlyMap<string, azure.network.Subnet>;

  constructor(name: string, args: AzureNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("goquorum:azure:Network", name, {}, opts);
    const { cluster } = args;
    const location = cluster.region;
    this.resourceGroup = new azure.resources.ResourceGroup(
      `${name}-rg`,
      { resourceGroupName: resourceGroupName(cluster.name), location },
      { parent: this },
    );
    const resourceGroupNameOut = this.resourceGroup.name;
    this.virtualNetwork = new azure.network.VirtualNetwork(
      `${name}-vnet`,
      {
        resourceGroupName: resourceGroupNameOut,
        virtualNetworkName: virtualNetworkName(cluster.name),
        location,
        addressSpace: { addressPrefixes: vnetAddressSpace(cluster) },
      },
      // Azure writes the subnets into the VNet's own view; the VNet never manages them.
      { parent: this, ignoreChanges: ["subnets"] },
    );
    const rules = nsgRules(cluster, args.plan, args.monitoring, args.management, args.fence);
    const subnets = new Map<string, azure.network.Subnet>();
    // One subnet at a time: Azure refuses concurrent changes to subnets of one VNet.
    let previous: azure.network.Subnet | undefined;
    for (const planned of azureSubnets(cluster, args.fence)) {
      // Azure does not support an NSG (nor a delegation) on the VPN gateway's GatewaySubnet.
      const nsg =
        planned.purpose === "gateway"
          ? undefined
          : new azure.network.NetworkSecurityGroup(
              `${name}-${planned.name}-nsg`,
              {
                resourceGroupName: resourceGroupNameOut,
                networkSecurityGroupName: securityGroupName(cluster.name, planned),
                location,
                securityRules: rules.map((r) => ({
                  ...r,
                  sourceAddressPrefixes: r.sourceAddressPrefixes ? [...r.sourceAddressPrefixes] : undefined,
                  destinationAddressPrefixes: r.destinationAddressPrefixes
                    ? [...r.destinationAddressPrefixes]
                    : undefined,
                  destinationPortRanges: r.destinationPortRanges ? [...r.destinationPortRanges] : undefined,
                })),
              },
              { parent: this },
            );
      const subnet: azure.network.Subnet = new azure.network.Subnet(
        `${name}-${planned.name}`,
        {
          resourceGroupName: resourceGroupNameOut,
          virtualNetworkName: this.virtualNetwork.name,
          subnetName: planned.name,
          addressPrefix: planned.cidr,
          ...(nsg ? { networkSecurityGroup: { id: nsg.id } } : {}),
          serviceEndpoints: planned.serviceEndpoints.map((service) => ({ service })),
          ...(planned.privateEndpointNetworkPolicies
            ? { privateEndpointNetworkPolicies: planned.privateEndpointNetworkPolicies }
            : {}),
          // Nodes reach the Internet through the cluster's load balancer, never Azure's implicit default.
          ...(nsg ? { defaultOutboundAccess: false } : {}),
        },
        { parent: this, ...(previous ? { dependsOn: [previous] } : {}) },
      );
      subnets.set(planned.name, subnet);
      previous = subnet;
    }
    this.subnets = subnets;
    this.registerOutputs({
      resourceGroupName: this.resourceGroup.name,
      virtualNetworkId: this.virtualNetwork.id,
    });
  }

  subnet(name: string): azure.network.Subnet {
    const subnet = this.subnets.get(name);
    if (!subnet) throw new Error(`subnet ${name} is not in the plan`);
    return subnet;
  }
}
