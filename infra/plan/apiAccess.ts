/**
 * The deployer's path to every cloud cluster's API server (`clusters[].apiAccess`): which ranges reach which
 * endpoint, over what, and what the program opens for them. A cluster no declared range reaches is refused
 * here, before anything exists: otherwise `pulumi up` builds networks, clusters and node groups and then fails
 * at the first Kubernetes object, every time.
 *
 * - Public ranges reach the public endpoint over the Internet: EKS `publicAccessCidrs`, AKS authorized IP
 *   ranges. The endpoint sees the deployer's public source address, so private ranges are refused there.
 * - Private ranges reach the private endpoint through a network the stack connects to the cluster: a
 *   management network of the cluster's cloud (peered, `network.connectivity.managementNetworks`) or a site
 *   whose VPN ends in that cloud. EKS admits them on its cluster security group (TCP 443; EKS user guide,
 *   "Cluster API server endpoint": a connected network needs a rule for 443 on the control plane's security
 *   group); AKS becomes a private cluster (Private Link).
 * - `deployerPaths` is the required flow "deployer → API server, TCP 443" per cluster, for the flow verifier.
 */
import ipaddr from "ipaddr.js";
import type { ConfigIssue } from "../config/issue";
import type { CloudClusterConfig, ManagementNetworkConfig, StackConfig } from "../config/schema";
import { type Cidr, cidr, cidrContains, cidrsOverlap, formatCidr, parseCidr } from "./cidr";
import { error, warning } from "./issues";
import type { ClusterPlan } from "./types";

/** The API server's port on both clouds. */
export const API_SERVER_PORT = 443;

/** Ranges a public endpoint never sees as a source: RFC 1918, shared address space (RFC 6598), loopback. */
const NON_PUBLIC = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8"].map(
  cidr,
);

/** RFC 5737: TEST-NET-1, -2 and -3, reserved for documentation; no deployer has such an address. */
const DOCUMENTATION_V4 = ["192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"].map(cidr);
/** RFC 3849: the IPv6 documentation prefix. */
const DOCUMENTATION_V6 = ipaddr.parseCIDR("2001:db8::/32");

/** Whether a range lies in a documentation range (a placeholder someone has yet to replace). */
export function isDocumentationRange(text: string): boolean {
  const v4 = parseCidr(text);
  if (v4.ok) return DOCUMENTATION_V4.some((doc) => cidrContains(doc, v4.cidr));
  try {
    const [address, prefix] = ipaddr.parseCIDR(text);
    return address.kind() === "ipv6" && prefix >= DOCUMENTATION_V6[1] && address.match(DOCUMENTATION_V6);
  } catch {
    return false;
  }
}

/** How a deployer's packets get to the endpoint. */
export type DeployerRoute =
  | { readonly kind: "internet" }
  | {
      readonly kind: "management-network";
      readonly network: string;
      readonly link: "vpc-peering" | "vnet-peering";
    }
  | { readonly kind: "site"; readonly site: string };

/** One required flow: from a deployer range to a cluster's API server on TCP 443. */
export interface DeployerPath {
  readonly cluster: string;
  readonly provider: "aws" | "azure";
  readonly source: string;
  readonly endpoint: "public" | "private";
  readonly route: DeployerRoute;
  readonly protocol: "tcp";
  readonly port: typeof API_SERVER_PORT;
  /**
   * What admits the flow at the cluster: the EKS public endpoint's `publicAccessCidrs`, the EKS cluster
   * security group (private endpoint), the AKS authorized IP ranges, or the AKS private endpoint (no
   * firewall of its own: what reaches the VNet reaches it).
   */
  readonly admittedBy:
    | "eks-public-access-cidrs"
    | "eks-cluster-security-group"
    | "aks-authorized-ip-ranges"
    | "aks-private-endpoint";
}

type Planned = Pick<ClusterPlan, "name" | "provider" | "cidr" | "podCidr" | "serviceCidr">;

const isCloud = (c: StackConfig["clusters"][number]): c is CloudClusterConfig =>
  c.provider === "aws" || c.provider === "azure";

/** Whether the AKS API server is private: it has private ranges (and then no public ones, which the plan checks). */
export const aksApiServerIsPrivate = (cluster: Pick<CloudClusterConfig, "apiAccess">): boolean =>
  cluster.apiAccess.publicRanges.length === 0 && cluster.apiAccess.privateRanges.length > 0;

/** The networks through which a cluster's private endpoint is reachable, each with the range it covers. */
function privateRoutes(
  config: StackConfig,
  cluster: CloudClusterConfig,
): { readonly route: DeployerRoute; readonly range: Cidr }[] {
  const { managementNetworks, sites } = config.network.connectivity;
  const management = managementNetworks
    .filter((m) => m.provider === cluster.provider && parseCidr(m.cidr).ok)
    .map((m) => ({
      route: {
        kind: "management-network" as const,
        network: m.name,
        link: m.provider === "aws" ? ("vpc-peering" as const) : ("vnet-peering" as const),
      },
      range: cidr(m.cidr),
    }));
  const viaSites = sites
    .filter((s) => s.terminatesIn === cluster.provider)
    .flatMap((s) =>
      s.ranges
        .filter((r) => parseCidr(r).ok)
        .map((r) => ({ route: { kind: "site" as const, site: s.name }, range: cidr(r) })),
    );
  return [...management, ...viaSites];
}

/** Every deployer path of every cloud cluster; ranges that do not parse or reach nothing have none. */
export function deployerPaths(config: StackConfig): DeployerPath[] {
  return config.clusters.filter(isCloud).flatMap((cluster) => {
    const { publicRanges, privateRanges } = cluster.apiAccess;
    const aws = cluster.provider === "aws";
    const common = { cluster: cluster.name, provider: cluster.provider, protocol: "tcp", port: 443 } as const;
    const publicPaths = publicRanges
      .filter((r) => parseCidr(r).ok)
      .map(
        (source): DeployerPath => ({
          ...common,
          source,
          endpoint: "public",
          route: { kind: "internet" },
          admittedBy: aws ? "eks-public-access-cidrs" : "aks-authorized-ip-ranges",
        }),
      );
    // An AKS cluster with public ranges has no private endpoint to reach (refused below).
    const privatePaths =
      !aws && publicRanges.length > 0
        ? []
        : privateRanges.flatMap((source): DeployerPath[] => {
            const parsed = parseCidr(source);
            if (!parsed.ok) return [];
            const through = privateRoutes(config, cluster).find((r) => cidrContains(r.range, parsed.cidr));
            return through
              ? [
                  {
                    ...common,
                    source,
                    endpoint: "private",
                    route: through.route,
                    admittedBy: aws ? "eks-cluster-security-group" : "aks-private-endpoint",
                  },
                ]
              : [];
          });
    return [...publicPaths, ...privatePaths];
  });
}

function publicRangeIssues(path: string, text: string): ConfigIssue[] {
  const parsed = parseCidr(text);
  if (!parsed.ok) return [error(path, parsed.reason)];
  if (parsed.cidr.prefix === 0) {
    return [error(path, `${text} admits every address: list the public ranges pulumi up runs from.`)];
  }
  const inside = NON_PUBLIC.find((r) => cidrsOverlap(r, parsed.cidr));
  return inside
    ? [
        error(
          path,
          `${text} meets the non-public range ${formatCidr(inside)}: a public endpoint sees the deployer's public address. List it in apiAccess.privateRanges if the runner reaches the private endpoint through a management network or site.`,
        ),
      ]
    : [];
}

function documentationWarning(path: string, text: string): ConfigIssue[] {
  return isDocumentationRange(text)
    ? [
        warning(
          path,
          `${text} is a documentation range (RFC 5737/3849), a placeholder no deployer has: replace it with your own egress (curl https://checkip.amazonaws.com) or your runners' range, or the first Kubernetes object of pulumi up will time out.`,
        ),
      ]
    : [];
}

function clusterIssues(
  cluster: CloudClusterConfig,
  i: number,
  paths: readonly DeployerPath[],
): ConfigIssue[] {
  const base = `clusters[${i}].apiAccess`;
  const { publicRanges, privateRanges } = cluster.apiAccess;
  const issues: ConfigIssue[] = [];
  publicRanges.forEach((text, k) => {
    const path = `${base}.publicRanges[${k}]`;
    issues.push(...publicRangeIssues(path, text), ...documentationWarning(path, text));
  });
  const cloud = cluster.provider === "aws" ? "AWS" : "Azure";
  privateRanges.forEach((text, k) => {
    const path = `${base}.privateRanges[${k}]`;
    const parsed = parseCidr(text);
    if (!parsed.ok) {
      issues.push(error(path, parsed.reason));
      return;
    }
    issues.push(...documentationWarning(path, text));
    if (cluster.provider === "azure" && publicRanges.length > 0) return;
    const reached = paths.find((p) => p.cluster === cluster.name && p.source === text);
    if (!reached) {
      issues.push(
        error(
          path,
          `${text} lies in no network connected to ${cluster.name}'s private API endpoint: declare the runners' network in network.connectivity.managementNetworks (an ${cloud} one, peered with every ${cloud} cluster) or network.connectivity.sites (terminatesIn: ${cluster.provider}), or reach the public endpoint through apiAccess.publicRanges.`,
        ),
      );
    } else if (reached.route.kind === "site") {
      issues.push(
        warning(
          path,
          `${text} reaches ${cluster.name} over the VPN of site ${reached.route.site}, which carries traffic only once the site's device is configured from this stack's outputs: run the first pulumi up from apiAccess.publicRanges or a management network.${cluster.provider === "azure" ? " The private API server's name resolves only in VNets linked to its DNS zone: forward privatelink.<region>.azmk8s.io from the site's DNS to Azure." : ""}`,
        ),
      );
    }
  });
  if (publicRanges.length === 0 && privateRanges.length === 0) {
    issues.push(
      error(
        base,
        `no deployer can reach ${cluster.name}'s API server, so pulumi up would build the network, the cluster and its nodes and then fail at the first Kubernetes object: list apiAccess.publicRanges (your egress /32 for a laptop) or apiAccess.privateRanges (runners in a management network), see docs/deployer-path.md.`,
      ),
    );
  } else if (cluster.provider === "azure" && publicRanges.length > 0 && privateRanges.length > 0) {
    issues.push(
      error(
        `${base}.privateRanges`,
        "an AKS API server is either public with authorized IP ranges or private (Private Link), never both (AKS private clusters doc: authorized ranges apply only to the public API server): keep publicRanges, or move every deployer into privateRanges for a private cluster.",
      ),
    );
  } else if (cluster.provider === "aws" && publicRanges.length > 0 && privateRanges.length > 0) {
    issues.push(
      warning(
        `${base}.privateRanges`,
        "with the public endpoint on, the EKS endpoint's name resolves to public addresses outside the VPC (EKS user guide, Cluster API server endpoint): runners in privateRanges then reach it from their NAT address, which must be in publicRanges. Drop publicRanges to make the name resolve to the private endpoint everywhere.",
      ),
    );
  }
  return issues;
}

function managementIssues(config: StackConfig, clusters: readonly Planned[]): ConfigIssue[] {
  const { managementNetworks, sites } = config.network.connectivity;
  const taken = new Set([...config.clusters.map((c) => c.name), ...sites.map((s) => s.name)]);
  return managementNetworks.flatMap((network: ManagementNetworkConfig, i) => {
    const path = `network.connectivity.managementNetworks[${i}]`;
    const issues: ConfigIssue[] = [];
    const first = managementNetworks.findIndex((m) => m.name === network.name);
    if (first !== i) {
      issues.push(
        error(`${path}.name`, `"${network.name}" is already used by managementNetworks[${first}].`),
      );
    } else if (taken.has(network.name)) {
      issues.push(error(`${path}.name`, `"${network.name}" is a cluster or site name: pick another.`));
    }
    if (!config.clusters.some((c) => c.provider === network.provider)) {
      issues.push(
        warning(
          path,
          `the stack has no ${network.provider} cluster to peer with: this management network reaches nothing.`,
        ),
      );
    }
    const parsed = parseCidr(network.cidr);
    if (!parsed.ok) return [...issues, error(`${path}.cidr`, parsed.reason)];
    for (const cluster of clusters) {
      const ranges = [cluster.cidr, cluster.podCidr, cluster.serviceCidr].filter(
        (r): r is string => r !== undefined,
      );
      const met = ranges.find((r) => cidrsOverlap(cidr(r), parsed.cidr));
      if (met) {
        issues.push(
          error(
            `${path}.cidr`,
            `${network.cidr} meets ${met} of cluster ${cluster.name}: peered networks need distinct ranges, and its nodes would route runner traffic to themselves.`,
          ),
        );
      }
    }
    return issues;
  });
}

/** Every issue of the stack's deployer paths: unreachable clusters, bad ranges, placeholders. */
export function apiAccessIssues(config: StackConfig, clusters: readonly Planned[]): ConfigIssue[] {
  const paths = deployerPaths(config);
  return [
    ...config.clusters.flatMap((cluster, i) => (isCloud(cluster) ? clusterIssues(cluster, i, paths) : [])),
    ...managementIssues(config, clusters),
  ];
}
