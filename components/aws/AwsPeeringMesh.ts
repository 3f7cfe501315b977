import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { peerIngressRules, peeringRoutes } from "../../infra/aws/peering";
import { peeringConnections } from "../../infra/plan/peering";
import type { NetworkPlan } from "../../infra/plan/types";
import type { AwsClusterTarget } from "./AwsClusterTarget";

export interface AwsPeeringMeshArgs {
  readonly plan: NetworkPlan;
  /** The stack's AWS clusters, by cluster name. */
  readonly targets: ReadonlyMap<string, AwsClusterTarget>;
}

/**
 * A full mesh of VPC peering among the stack's AWS clusters: per `vpc-peering` link of the plan one connection,
 * requested in the first cluster's region and accepted in the second's, routes to the peer's VPC and pod
 * ranges in every route table of both sides, and on every AWS cluster's security group ingress for TCP 30303
 * and TCP 9000 from the peer ranges only.
 */
export class AwsPeeringMesh extends pulumi.ComponentResource {
  constructor(name: string, args: AwsPeeringMeshArgs, opts?: pulumi.ComponentResourceOptions) {
    super("goquorum:aws:PeeringMesh", name, {}, opts);
    const { plan, targets } = args;
    const target = (cluster: string) => {
      const t = targets.get(cluster);
      if (!t) throw new Error(`peering names cluster ${cluster}, which has no AWS target`);
      return t;
    };

    for (const connection of peeringConnections(plan.connectivity.links, plan.clusters)) {
      const requester = target(connection.requester);
      const accepter = target(connection.accepter);
      const pairName = `${name}-${connection.requester}-${connection.accepter}`;
      const tags = { Name: pairName, "goquorum:network": plan.network.name };
      const peering = new aws.ec2.VpcPeeringConnection(
        pairName,
        {
          vpcId: requester.network.vpcId,
          peerVpcId: accepter.network.vpcId,
          // Same region: accepted on creation. Across regions: the accepter's side accepts below.
          ...(connection.crossRegion ? { peerRegion: accepter.plan.region } : { autoAccept: true }),
          tags,
        },
        { parent: this, provider: requester.provider },
      );
      const active = connection.crossRegion
        ? new aws.ec2.VpcPeeringConnectionAccepter(
            pairName,
            { vpcPeeringConnectionId: peering.id, autoAccept: true, tags },
            { parent: this, provider: accepter.provider },
          )
        : peering;
      for (const route of peeringRoutes(connection, plan.clusters, (c) => target(c.name).routeTables)) {
        const side = target(route.cluster);
        const routeTableId = side.network.routeTableIds.get(route.routeTable);
        if (!routeTableId) throw new Error(`route table ${route.routeTable} of ${route.cluster} is missing`);
        new aws.ec2.Route(
          `${pairName}-${route.cluster}-${route.routeTable}-${route.destination.replace(/[./]/g, "-")}`,
          { routeTableId, destinationCidrBlock: route.destination, vpcPeeringConnectionId: peering.id },
          { parent: this, provider: side.provider, dependsOn: [active] },
        );
      }
    }

    for (const cluster of plan.clusters) {
      const side = targets.get(cluster.name);
      if (!side) continue;
      for (const rule of peerIngressRules(cluster, plan)) {
        new aws.vpc.SecurityGroupIngressRule(
          `${name}-${cluster.name}-${rule.key}`,
          {
            securityGroupId: side.eks.securityGroupId,
            ipProtocol: "tcp",
            fromPort: rule.port,
            toPort: rule.port,
            cidrIpv4: rule.cidr,
            description: rule.description,
          },
          { parent: this, provider: side.provider },
        );
      }
    }
    this.registerOutputs({});
  }
}
