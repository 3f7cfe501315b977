/**
 * The VPC of an AWS cluster as plain values: exactly the plan's subnets with their tags, the route tables
 * and which subnet uses which, and the NAT gateways. Components register these one to one, so the render
 * shows every subnet, route table and NAT gateway a reviewer must see (awsx.ec2.Vpc would hide them).
 *
 * Route tables: one public table (default route to the internet gateway) and one private table per zone
 * (default route to a NAT gateway). Private, endpoints and pod subnets of a zone use their zone's private
 * table; public subnets the public one. So a VPC has 1 + zones route tables, known before anything exists,
 * which is what lets the peering mesh add its routes to every one of them without reading an output.
 */
import type { ClusterPlan, SubnetPlan } from "../plan/types";
import type { VpcDnsAttributes } from "./behaviour";
import { awsSubnetName } from "./names";

export type NatGatewayStrategy = "one-per-zone" | "single";

export interface AwsSubnet {
  /** Logical name of the subnet resource and its `Name` tag (the load balancer controller looks it up). */
  readonly name: string;
  readonly plan: SubnetPlan;
  readonly zone: string;
  /** Whether instances launched there get a public address: only in public subnets. */
  readonly mapPublicIpOnLaunch: boolean;
  /** Key of the route table the subnet is associated with. */
  readonly routeTable: string;
  readonly tags: Readonly<Record<string, string>>;
}

export interface AwsRouteTable {
  /** `public` or `private-<zone>`: unique within the VPC. */
  readonly key: string;
  /** The default route: to the internet gateway, or to the NAT gateway of this zone. */
  readonly defaultRoute: { readonly via: "internet" } | { readonly via: "nat"; readonly natZone: string };
}

export interface AwsNatGateway {
  readonly zone: string;
  /** Name of the public subnet it sits in. */
  readonly subnet: string;
}

export interface AwsNetworkLayout {
  readonly vpcCidr: string;
  /** Extra VPC CIDR blocks: the pod range with custom networking (ENIConfig subnets must be in the VPC). */
  readonly secondaryCidrs: readonly string[];
  readonly subnets: readonly AwsSubnet[];
  readonly routeTables: readonly AwsRouteTable[];
  readonly natGateways: readonly AwsNatGateway[];
}

/**
 * The VPC's DNS attributes: both on, or EKS's private hosted zone for the API endpoint answers nothing and nodes
 * cannot resolve the private endpoint (`eksApiNameResolvesTo`).
 */
export const VPC_DNS: VpcDnsAttributes = { enableDnsSupport: true, enableDnsHostnames: true };

export const PUBLIC_ROUTE_TABLE = "public";
export const privateRouteTable = (zone: string): string => `private-${zone}`;

/** The tag every subnet of an EKS cluster carries so EKS and the load balancer controller may use it. */
export const clusterTag = (eksClusterName: string): string => `kubernetes.io/cluster/${eksClusterName}`;

/** Tags that make the load balancer controller pick public subnets for internet-facing and private ones for internal LBs. */
const ROLE_TAGS: Readonly<Record<SubnetPlan["purpose"], Record<string, string>>> = {
  public: { "kubernetes.io/role/elb": "1" },
  private: { "kubernetes.io/role/internal-elb": "1" },
  // The per-node NLBs name their endpoints subnet explicitly; no automatic discovery for these.
  endpoints: {},
  // Pod subnets are only for ENIConfig: no load balancer may land there.
  pods: {},
  // Azure's VPN gateway subnet; AWS layouts have none.
  gateway: {},
};

export function awsNetworkLayout(
  cluster: ClusterPlan,
  eksClusterName: string,
  nat: NatGatewayStrategy,
): AwsNetworkLayout {
  if (cluster.provider !== "aws" || !cluster.cidr) {
    throw new Error(`cluster ${cluster.name} is not a planned AWS cluster`);
  }
  const subnets = cluster.subnets.map((plan): AwsSubnet => {
    if (!plan.zone) throw new Error(`AWS subnet ${plan.name} of ${cluster.name} has no zone`);
    const name = awsSubnetName(cluster, plan);
    return {
      name,
      plan,
      zone: plan.zone,
      mapPublicIpOnLaunch: plan.purpose === "public",
      routeTable: plan.purpose === "public" ? PUBLIC_ROUTE_TABLE : privateRouteTable(plan.zone),
      tags: { Name: name, [clusterTag(eksClusterName)]: "shared", ...ROLE_TAGS[plan.purpose] },
    };
  });
  const natZones = nat === "single" ? cluster.zones.slice(0, 1) : cluster.zones;
  const natGateways = natZones.map((zone) => {
    const subnet = subnets.find((s) => s.plan.purpose === "public" && s.zone === zone);
    if (!subnet)
      throw new Error(`cluster ${cluster.name} has no public subnet in ${zone} for its NAT gateway`);
    return { zone, subnet: subnet.name };
  });
  const routeTables: AwsRouteTable[] = [
    { key: PUBLIC_ROUTE_TABLE, defaultRoute: { via: "internet" } },
    ...cluster.zones.map((zone) => ({
      key: privateRouteTable(zone),
      defaultRoute: { via: "nat" as const, natZone: nat === "single" ? natZones[0] : zone },
    })),
  ];
  return {
    vpcCidr: cluster.cidr,
    secondaryCidrs: cluster.podCidr ? [cluster.podCidr] : [],
    subnets,
    routeTables,
    natGateways,
  };
}
