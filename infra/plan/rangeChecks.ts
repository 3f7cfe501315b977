/**
 * Rules across the clusters' ranges: VPC/VNet, pod and service ranges must all be distinct (peering
 * and VPN routes, and kube-proxy's service rules, would otherwise capture each other's traffic), plus
 * each cloud's own limits. Only Azure overlay pod ranges may repeat across clusters: they never leave
 * their cluster.
 */

import type { ConfigIssue } from "../config/issue";
import type { StackConfig } from "../config/schema";
import { AZURE_RESERVED_RANGES, type ClusterRanges, type RangeKind } from "./addressing";
import { type Cidr, cidr, cidrContains, cidrsOverlap, formatCidr } from "./cidr";
import { error } from "./issues";

const RFC1918 = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];
const RFC1918_RANGES = RFC1918.map(cidr);
const AZURE_RESERVED = AZURE_RESERVED_RANGES.map(cidr);
/** Largest service range kube-apiserver accepts for IPv4. */
const MAX_SERVICE_PREFIX = 12;
/** EKS: the service range must be /12 to /24 inside RFC 1918 space. */
const EKS_SERVICE_PREFIXES = { min: 12, max: 24 };
/** AWS VPC CIDR blocks, primary or secondary. */
const AWS_VPC_PREFIXES = { min: 16, max: 28 };

const KIND_NAMES: Readonly<Record<RangeKind, string>> = {
  cidr: "VPC/VNet range",
  serviceCidr: "service range",
  podCidr: "pod range",
};

interface Entry {
  readonly path: string;
  readonly cluster: number;
  readonly kind: RangeKind;
  readonly cidr: Cidr;
  readonly allocated: boolean;
  /** Azure overlay pod ranges stay inside their cluster and may repeat across clusters. */
  readonly private: boolean;
}

function entries(config: StackConfig, ranges: readonly ClusterRanges[]): Entry[] {
  return config.clusters.flatMap((cluster, i) =>
    (["cidr", "serviceCidr", "podCidr"] as const).flatMap((kind) => {
      const range = ranges[i][kind];
      if (!range) return [];
      const isPrivate = kind === "podCidr" && cluster.provider === "azure" && cluster.cni.mode === "overlay";
      return [
        {
          path: `clusters[${i}].${kind}`,
          cluster: i,
          kind,
          cidr: range.cidr,
          allocated: range.allocated,
          private: isPrivate,
        },
      ];
    }),
  );
}

const origin = (e: Entry, config: StackConfig) =>
  e.allocated ? ` (allocated from network.addressing ${supernetOf(e.kind, config)})` : "";

function supernetOf(kind: RangeKind, config: StackConfig): string {
  const a = config.network.addressing;
  if (kind === "cidr") return `supernet ${a.supernet}`;
  return kind === "serviceCidr" ? `serviceSupernet ${a.serviceSupernet}` : `podSupernet ${a.podSupernet}`;
}

function overlaps(all: readonly Entry[], config: StackConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const [j, b] of all.entries()) {
    for (const a of all.slice(0, j)) {
      if (!cidrsOverlap(a.cidr, b.cidr) || (a.private && b.private && a.cluster !== b.cluster)) continue;
      const owner = config.clusters[a.cluster].name;
      issues.push(
        error(
          b.path,
          `${formatCidr(b.cidr)} overlaps ${a.path} ${formatCidr(a.cidr)} (the ${KIND_NAMES[a.kind]} of cluster "${owner}"): VPC/VNet, pod and service ranges must not meet; pick a range outside ${formatCidr(a.cidr)}.`,
        ),
      );
    }
  }
  return issues;
}

function cloudRules(all: readonly Entry[], config: StackConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const e of all) {
    const cluster = config.clusters[e.cluster];
    const value = `${formatCidr(e.cidr)}${origin(e, config)}`;
    if (cluster.provider === "azure") {
      const reserved = AZURE_RESERVED.find((r) => cidrsOverlap(r, e.cidr));
      if (reserved) {
        issues.push(
          error(
            e.path,
            `${value} meets ${formatCidr(reserved)}, which Azure reserves: keep Azure ranges clear of ${AZURE_RESERVED_RANGES.join(", ")}.`,
          ),
        );
      }
      if (e.kind === "serviceCidr" && e.cidr.prefix < MAX_SERVICE_PREFIX) {
        issues.push(
          error(
            e.path,
            `${value} is too large for a service range: use a /${MAX_SERVICE_PREFIX} or smaller.`,
          ),
        );
      }
    }
    if (cluster.provider !== "aws") continue;
    if (e.kind === "serviceCidr") {
      const { min, max } = EKS_SERVICE_PREFIXES;
      const inPrivateSpace = RFC1918_RANGES.some((r) => cidrContains(r, e.cidr));
      if (!inPrivateSpace || e.cidr.prefix < min || e.cidr.prefix > max) {
        issues.push(
          error(
            e.path,
            `${value} is not a valid EKS service range: it must be a /${min} to /${max} inside ${RFC1918.join(", ")}.`,
          ),
        );
      }
    } else if (e.cidr.prefix < AWS_VPC_PREFIXES.min || e.cidr.prefix > AWS_VPC_PREFIXES.max) {
      const block = e.kind === "cidr" ? "a VPC CIDR block" : "the pods' secondary VPC CIDR block";
      issues.push(
        error(
          e.path,
          `${value} cannot be ${block}: AWS accepts /${AWS_VPC_PREFIXES.min} to /${AWS_VPC_PREFIXES.max}.`,
        ),
      );
    }
  }
  return issues;
}

/** AWS refuses a secondary VPC block from a different RFC 1918 range than the primary block. */
function awsSecondaryBlockRule(config: StackConfig, ranges: readonly ClusterRanges[]): ConfigIssue[] {
  return config.clusters.flatMap((cluster, i) => {
    const primary = ranges[i].cidr?.cidr;
    const pods = ranges[i].podCidr?.cidr;
    if (cluster.provider !== "aws" || !primary || !pods) return [];
    const primaryBlock = RFC1918_RANGES.findIndex((r) => cidrContains(r, primary));
    const podBlock = RFC1918_RANGES.findIndex((r) => cidrContains(r, pods));
    if (primaryBlock < 0 || podBlock < 0 || primaryBlock === podBlock) return [];
    return [
      error(
        `clusters[${i}].podCidr`,
        `${formatCidr(pods)} cannot be added to a VPC whose primary block ${formatCidr(primary)} lies in ${RFC1918[primaryBlock]}: AWS allows a secondary block from the same RFC 1918 range, 100.64.0.0/10 or public space.`,
      ),
    ];
  });
}

export function checkRanges(config: StackConfig, ranges: readonly ClusterRanges[]): ConfigIssue[] {
  const all = entries(config, ranges);
  return [...overlaps(all, config), ...cloudRules(all, config), ...awsSecondaryBlockRule(config, ranges)];
}
