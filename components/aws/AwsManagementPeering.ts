import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ManagementPeeringPlan } from "../../infra/aws/apiAccess";
import type { AwsNetwork } from "./AwsNetwork";

export interface AwsManagementPeeringArgs {
  readonly peering: ManagementPeeringPlan;
  /** The cluster's VPC and route tables. */
  readonly vpc: AwsNetwork;
  /** Provider of the cluster's region. */
  readonly provider: aws.Provider;
  /** Provider of the management VPC's region (the same one when both share a region). */
  readonly peerProvider: aws.Provider;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * The VPC peering between a cluster's VPC and a management VPC (`managementPeeringPlans`): requested by the
 * cluster, accepted in the management VPC's region, with the management range in every cluster route table
 * and the cluster's VPC range in each listed management route table. `ready` is what a runner's path needs.
 */
export class AwsManagementPeering extends pulumi.ComponentResource {
  /** The accepted peering and both sides' routes. */
  readonly ready: readonly pulumi.Resource[];

  constructor(name: string, args: AwsManagementPeeringArgs, opts?: pulumi.ComponentResourceOptions) {
    super("goquorum:aws:ManagementPeering", name, {}, opts);
    const { peering, vpc, provider, peerProvider } = args;
    const tags = { ...args.tags, Name: peering.name };
    const connection = new aws.ec2.VpcPeeringConnection(
      name,
      {
        vpcId: vpc.vpcId,
        peerVpcId: peering.peerVpcId,
        ...(peering.crossRegion ? { peerRegion: peering.peerRegion } : { autoAccept: true }),
        tags,
      },
      { parent: this, provider },
    );
    const active = peering.crossRegion
      ? new aws.ec2.VpcPeeringConnectionAccepter(
          name,
          { vpcPeeringConnectionId: connection.id, autoAccept: true, tags },
          { parent: this, provider: peerProvider },
        )
      : connection;
    const route = (side: string, routeTableId: pulumi.Input<string>, destination: string, p: aws.Provider) =>
      new aws.ec2.Route(
        `${name}-${side}-${destination.replace(/[./]/g, "-")}`,
        { routeTableId, destinationCidrBlock: destination, vpcPeeringConnectionId: connection.id },
        { parent: this, provider: p, dependsOn: [active] },
      );
    const clusterRoutes = peering.clusterRoutes.map((r) => {
      const id = vpc.routeTableIds.get(r.routeTable);
      if (!id) throw new Error(`route table ${r.routeTable} of ${name} is missing`);
      return route(r.routeTable, id, r.destination, provider);
    });
    const managementRoutes = peering.managementRoutes.map((r) =>
      route(r.routeTable, r.routeTable, r.destination, peerProvider),
    );
    this.ready = [active, ...clusterRoutes, ...managementRoutes];
    this.registerOutputs({ peeringConnectionId: connection.id });
  }
}
