import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type AwsNetworkLayout, VPC_DNS } from "../../infra/aws/network";

export interface AwsNetworkArgs {
  /** The VPC as the plan lays it out (`awsNetworkLayout`). */
  readonly layout: AwsNetworkLayout;
  /** Provider of the cluster's region. */
  readonly provider: aws.Provider;
  /** Tags on every resource. */
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * One cluster's VPC on the plan's CIDR, with exactly the plan's subnets, an internet gateway for the public
 * subnets, NAT gateways for the private ones, and a known set of route tables (`layout.routeTables`), each
 * a resource of its own so the peering mesh can route through every one of them.
 */
export class AwsNetwork extends pulumi.ComponentResource {
  readonly vpcId: pulumi.Output<string>;
  /** Subnet ids by subnet name (`awsSubnetName`). */
  readonly subnetIds: ReadonlyMap<string, pulumi.Output<string>>;
  /** Route table ids by route table key (`public`, `private-<zone>`). */
  readonly routeTableIds: ReadonlyMap<string, pulumi.Output<string>>;

  constructor(name: string, args: AwsNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("goquorum:aws:Network", name, {}, opts);
    const { layout, tags } = args;
    const child = { parent: this, provider: args.provider };
    const named = (suffix: string) => ({ ...tags, Name: `${name}-${suffix}` });

    const vpc = new aws.ec2.Vpc(
      `${name}-vpc`,
      {
        cidrBlock: layout.vpcCidr,
        ...VPC_DNS,
        tags: named("vpc"),
      },
      child,
    );
    this.vpcId = vpc.id;
    const secondary = layout.secondaryCidrs.map(
      (cidrBlock, i) =>
        new aws.ec2.VpcIpv4CidrBlockAssociation(`${name}-cidr-${i + 1}`, { vpcId: vpc.id, cidrBlock }, child),
    );

    const subnets = new Map(
      layout.subnets.map((s) => [
        s.name,
        new aws.ec2.Subnet(
          s.name,
          {
            vpcId: vpc.id,
            cidrBlock: s.plan.cidr,
            availabilityZone: s.zone,
            mapPublicIpOnLaunch: s.mapPublicIpOnLaunch,
            tags: { ...tags, ...s.tags },
          },
          // Pod subnets live in the secondary range, which must be associated first.
          { ...child, dependsOn: s.plan.purpose === "pods" ? secondary : [] },
        ),
      ]),
    );
    this.subnetIds = new Map([...subnets].map(([key, subnet]) => [key, subnet.id]));

    const internetGateway = new aws.ec2.InternetGateway(
      `${name}-igw`,
      { vpcId: vpc.id, tags: named("igw") },
      child,
    );
    const natGateways = new Map(
      layout.natGateways.map((nat) => {
        const eip = new aws.ec2.Eip(
          `${name}-nat-${nat.zone}`,
          { domain: "vpc", tags: named(`nat-${nat.zone}`) },
          child,
        );
        const subnet = subnets.get(nat.subnet);
        if (!subnet) throw new Error(`NAT gateway subnet ${nat.subnet} is not in the layout`);
        const gateway = new aws.ec2.NatGateway(
          `${name}-nat-${nat.zone}`,
          {
            allocationId: eip.id,
            subnetId: subnet.id,
            connectivityType: "public",
            tags: named(`nat-${nat.zone}`),
          },
          { ...child, dependsOn: [internetGateway] },
        );
        return [nat.zone, gateway] as const;
      }),
    );

    // Route tables carry no inline routes: the default route and the peering routes are resources of their own.
    const routeTables = new Map(
      layout.routeTables.map((table) => {
        const routeTable = new aws.ec2.RouteTable(
          `${name}-rt-${table.key}`,
          { vpcId: vpc.id, tags: named(`rt-${table.key}`) },
          child,
        );
        const via = table.defaultRoute;
        const nat = via.via === "nat" ? natGateways.get(via.natZone) : undefined;
        if (via.via === "nat" && !nat)
          throw new Error(`route table ${table.key} names no NAT gateway of the layout`);
        const target = nat ? { natGatewayId: nat.id } : { gatewayId: internetGateway.id };
        new aws.ec2.Route(
          `${name}-rt-${table.key}-default`,
          { routeTableId: routeTable.id, destinationCidrBlock: "0.0.0.0/0", ...target },
          child,
        );
        return [table.key, routeTable] as const;
      }),
    );
    this.routeTableIds = new Map([...routeTables].map(([key, table]) => [key, table.id]));
    for (const s of layout.subnets) {
      const subnet = subnets.get(s.name);
      const table = routeTables.get(s.routeTable);
      if (!subnet || !table)
        throw new Error(`subnet ${s.name} or its route table ${s.routeTable} is missing`);
      new aws.ec2.RouteTableAssociation(s.name, { subnetId: subnet.id, routeTableId: table.id }, child);
    }
    this.registerOutputs({ vpcId: this.vpcId });
  }

  subnetId(name: string): pulumi.Output<string> {
    const id = this.subnetIds.get(name);
    if (!id) throw new Error(`subnet ${name} is not part of the VPC`);
    return id;
  }
}
