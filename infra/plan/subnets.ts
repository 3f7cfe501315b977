/**
 * Subnet layout inside a cluster's VPC/VNet. The VPC is split into "large" subnets for nodes (as
 * large as the layout allows) followed by "small" ones; sizes depend only on the VPC prefix and the
 * zone count, so nothing moves when nodes or other clusters change.
 *
 * AWS, per zone z (in zone order): `private-<z>` (nodes, and pods outside custom networking), then
 * after all private subnets `public-<z>` (NAT gateway, public load balancers) and `endpoints-<z>`
 * (the reserved internal-LB addresses of the nodes pinned to z). Custom networking adds `pods-<z>`:
 * the pod range split evenly over the zones.
 * Azure (subnets are regional): `nodes` (first half of the VNet), then `endpoints`, then
 * `GatewaySubnet` (the VPN gateway's; Azure requires that exact name and a /27 or larger, so it is a
 * small subnet but at least a /27). It is reserved in every VNet, whether or not the stack has a VPN
 * yet, so adding one later moves nothing. Pod-subnet mode adds `pods`, the whole pod range. Overlay
 * pods use the pod range without a subnet.
 * Small subnets are /24 in a /16 VPC, shrinking with the VPC to at least /28 (the smallest subnet AWS
 * accepts). Both clouds keep 5 addresses of every subnet (the first four and the last).
 */

import type { ConfigIssue } from "../config/issue";
import type { CloudClusterConfig } from "../config/schema";
import { type Cidr, cidrSize, formatCidr, nthSubnet } from "./cidr";
import { error } from "./issues";
import type { SubnetPlan, SubnetPurpose } from "./types";

/** Addresses each cloud keeps in every subnet: the network address, three service ones, the last. */
const RESERVED_PER_SUBNET = 5;
const MIN_SUBNET_PREFIX = 28;
/** Azure: the gateway subnet's exact name and largest prefix. */
export const AZURE_GATEWAY_SUBNET = "GatewaySubnet";
const MAX_GATEWAY_SUBNET_PREFIX = 27;
/** Size of the small subnets in a /16, the largest VPC AWS allows. */
const SMALL_SUBNET_PREFIX_IN_A_16 = 24;

const usableAddresses = (cidr: Cidr): number => cidrSize(cidr) - RESERVED_PER_SUBNET;

const smallPrefix = (vpcPrefix: number) =>
  Math.min(MIN_SUBNET_PREFIX, Math.max(SMALL_SUBNET_PREFIX_IN_A_16, vpcPrefix + 8));

/** Prefix of the large subnets when `large` of them and `small` small ones fit a /vpcPrefix. */
function largePrefix(vpcPrefix: number, large: number, small: number): number | undefined {
  const smallSize = 2 ** (32 - smallPrefix(vpcPrefix));
  for (let p = vpcPrefix + 1; p <= smallPrefix(vpcPrefix); p++) {
    if (large * 2 ** (32 - p) + small * smallSize <= 2 ** (32 - vpcPrefix)) return p;
  }
  return undefined;
}

function subnet(name: string, purpose: SubnetPurpose, cidr: Cidr, zone?: string): SubnetPlan {
  return {
    name,
    purpose,
    ...(zone === undefined ? {} : { zone }),
    cidr: formatCidr(cidr),
    usableAddresses: usableAddresses(cidr),
  };
}

export interface SubnetRanges {
  readonly cidr: Cidr;
  /** Present in the modes that take pods off the node subnets. */
  readonly podCidr?: Cidr;
  /** Whether `cidr` came from `network.addressing.supernet`, for the error message. */
  readonly allocated: boolean;
}

export type SubnetLayout = { readonly subnets: readonly SubnetPlan[] } | { readonly issue: ConfigIssue };

export function layoutSubnets(
  cluster: CloudClusterConfig,
  path: string,
  zones: readonly string[],
  ranges: SubnetRanges,
): SubnetLayout {
  const vpc = ranges.cidr;
  const zonal = cluster.provider === "aws";
  const large = zonal ? zones.length : 1;
  // Azure: endpoints, then the gateway subnet on its own alignment (small blocks, in units of the
  // small size: a /27 among /28s takes two and starts on an even one, leaving one unused).
  const gatewayUnits =
    2 ** (smallPrefix(vpc.prefix) - Math.min(MAX_GATEWAY_SUBNET_PREFIX, smallPrefix(vpc.prefix)));
  const small = zonal ? 2 * zones.length : gatewayUnits + gatewayUnits;
  const prefix = largePrefix(vpc.prefix, large, small);
  if (prefix === undefined) return { issue: tooSmall(cluster, path, ranges, large, small) };
  const firstSmall = large * 2 ** (smallPrefix(vpc.prefix) - prefix);
  const smallBlock = (n: number) => nthSubnet(vpc, smallPrefix(vpc.prefix), firstSmall + n);

  if (!zonal) {
    const gatewayPrefix = Math.min(MAX_GATEWAY_SUBNET_PREFIX, smallPrefix(vpc.prefix));
    const gateway = smallBlock(gatewayUnits);
    const subnets = [
      subnet("nodes", "private", nthSubnet(vpc, prefix, 0)),
      subnet("endpoints", "endpoints", smallBlock(0)),
      subnet(AZURE_GATEWAY_SUBNET, "gateway", { base: gateway.base, prefix: gatewayPrefix }),
    ];
    if (cluster.cni.mode === "pod-subnet" && ranges.podCidr)
      subnets.push(subnet("pods", "pods", ranges.podCidr));
    return { subnets };
  }
  const subnets = [
    ...zones.map((z, i) => subnet(`private-${z}`, "private", nthSubnet(vpc, prefix, i), z)),
    ...zones.map((z, i) => subnet(`public-${z}`, "public", smallBlock(i), z)),
    ...zones.map((z, i) => subnet(`endpoints-${z}`, "endpoints", smallBlock(zones.length + i), z)),
  ];
  if (cluster.cni.mode === "custom-networking" && ranges.podCidr) {
    const pods = ranges.podCidr;
    const podPrefix = pods.prefix + Math.ceil(Math.log2(zones.length));
    if (podPrefix > MIN_SUBNET_PREFIX) {
      return {
        issue: error(
          `${path}.podCidr`,
          `${formatCidr(pods)} cannot hold one pod subnet of at least /${MIN_SUBNET_PREFIX} per zone (${zones.length} zones): use a /${MIN_SUBNET_PREFIX - (podPrefix - pods.prefix)} or larger.`,
        ),
      };
    }
    subnets.push(...zones.map((z, i) => subnet(`pods-${z}`, "pods", nthSubnet(pods, podPrefix, i), z)));
  }
  return { subnets };
}

function tooSmall(
  cluster: CloudClusterConfig,
  path: string,
  ranges: SubnetRanges,
  large: number,
  small: number,
): ConfigIssue {
  let needed = ranges.cidr.prefix - 1;
  while (needed > 0 && largePrefix(needed, large, small) === undefined) needed--;
  const what =
    cluster.provider === "aws"
      ? `${large} private, ${large} public and ${large} endpoints subnets (one each per zone)`
      : "a nodes, an endpoints and a GatewaySubnet (at least /27)";
  const origin = ranges.allocated
    ? ` (allocated with network.addressing.clusterPrefixLength ${ranges.cidr.prefix})`
    : "";
  return error(
    `${path}.cidr`,
    `${formatCidr(ranges.cidr)}${origin} is too small for ${what} of at least /${MIN_SUBNET_PREFIX}: it needs a /${needed} or larger.`,
  );
}
