/**
 * Ranges from outside the stack (sites and external peers) against the stack's own: a site's or
 * peer's range must not meet any cluster range (VPC/VNet, pod, service; overlay pod ranges too,
 * since pods reach them from inside the cluster), sites must not meet each other (two routes to one
 * place), and none may meet the link-local block the tunnels live in. Peers may share ranges with each
 * other and lie inside a site: that is where they live.
 */
import type { ConfigIssue } from "../config/issue";
import type { StackConfig } from "../config/schema";
import type { ClusterRanges } from "./addressing";
import { type Cidr, cidr, cidrsOverlap, formatCidr, parseCidr } from "./cidr";
import { error } from "./issues";

const LINK_LOCAL = cidr("169.254.0.0/16");

interface Entry {
  readonly path: string;
  readonly cidr: Cidr;
  readonly site: boolean;
}

export function externalRangeIssues(config: StackConfig, ranges: readonly ClusterRanges[]): ConfigIssue[] {
  const { sites, externalPeers } = config.network.connectivity;
  const issues: ConfigIssue[] = [];
  const parsed = (path: string, text: string, site: boolean): Entry[] => {
    const result = parseCidr(text);
    if (result.ok) return [{ path, cidr: result.cidr, site }];
    // Peer ranges are reported by planExternalPeers.
    if (site) issues.push(error(path, result.reason));
    return [];
  };
  const outside = [
    ...sites.flatMap((s, i) =>
      s.ranges.flatMap((r, k) => parsed(`network.connectivity.sites[${i}].ranges[${k}]`, r, true)),
    ),
    ...externalPeers.flatMap((p, i) =>
      parsed(`network.connectivity.externalPeers[${i}].range`, p.range, false),
    ),
  ];
  const inside = config.clusters.flatMap((c, i) =>
    (["cidr", "serviceCidr", "podCidr"] as const).flatMap((kind) => {
      const range = ranges[i]?.[kind];
      return range ? [{ path: `clusters[${i}].${kind}`, cidr: range.cidr, owner: c.name }] : [];
    }),
  );
  outside.forEach((e, j) => {
    const text = formatCidr(e.cidr);
    if (cidrsOverlap(e.cidr, LINK_LOCAL)) {
      issues.push(error(e.path, `${text} meets 169.254.0.0/16, the link-local block of the VPN tunnels.`));
    }
    const cluster = inside.find((c) => cidrsOverlap(c.cidr, e.cidr));
    if (cluster) {
      issues.push(
        error(
          e.path,
          `${text} overlaps ${cluster.path} ${formatCidr(cluster.cidr)} of cluster "${cluster.owner}": ranges outside the stack must not meet the clusters' ranges.`,
        ),
      );
    }
    const site = e.site ? outside.slice(0, j).find((o) => o.site && cidrsOverlap(o.cidr, e.cidr)) : undefined;
    if (site)
      issues.push(
        error(
          e.path,
          `${text} overlaps ${site.path} ${formatCidr(site.cidr)}: two sites cannot route the same addresses.`,
        ),
      );
  });
  return issues;
}
