/**
 * Which VPC/VNet, service and pod ranges each cluster gets. A range the config gives is kept;
 * a missing one is allocated from its supernet in `network.addressing`.
 *
 * Stability: a cluster's allocation starts at the block its name hashes to (sha256 of the name,
 * modulo the blocks in the supernet) and probes forward to the first block that overlaps nothing
 * taken: every range the config gives, every range allocated to clusters earlier in the list, and
 * for Azure clusters Azure's reserved ranges. So list position does not pick the block, and adding
 * a cluster moves no existing allocation when it is appended, or, wherever it is inserted, when the
 * block its name prefers is free. A cluster that had to probe past its preferred block depends on
 * the range that holds it; a warning says so and gives the value that pins it.
 */
import { createHash } from "node:crypto";
import type { ConfigIssue } from "../config/issue";
import type { ClusterConfig, StackConfig } from "../config/schema";
import {
  allocateBlock,
  type Cidr,
  cidr,
  cidrsOverlap,
  formatCidr,
  nthSubnet,
  parseCidr,
  subnetCount,
} from "./cidr";
import { error, warning } from "./issues";

export type RangeKind = "cidr" | "serviceCidr" | "podCidr";
const RANGE_KINDS: readonly RangeKind[] = ["cidr", "serviceCidr", "podCidr"];

export interface AssignedRange {
  readonly cidr: Cidr;
  /** Allocated from a supernet rather than given in the config. */
  readonly allocated: boolean;
}

export type ClusterRanges = Partial<Readonly<Record<RangeKind, AssignedRange>>>;

/** Ranges Azure keeps for itself; no VNet, service or pod range of an Azure cluster may meet them. */
export const AZURE_RESERVED_RANGES: readonly string[] = [
  "169.254.0.0/16",
  "172.30.0.0/16",
  "172.31.0.0/16",
  "192.0.2.0/24",
  "168.63.129.16/32",
];

type Addressing = StackConfig["network"]["addressing"];
type SupernetKey = "supernet" | "serviceSupernet" | "podSupernet";
type PrefixKey = "clusterPrefixLength" | "servicePrefixLength" | "podPrefixLength";

/** The `network.addressing` keys each kind of range is allocated from. */
const SOURCES: Readonly<Record<RangeKind, { supernet: SupernetKey; prefixLength: PrefixKey }>> = {
  cidr: { supernet: "supernet", prefixLength: "clusterPrefixLength" },
  serviceCidr: { supernet: "serviceSupernet", prefixLength: "servicePrefixLength" },
  podCidr: { supernet: "podSupernet", prefixLength: "podPrefixLength" },
};

/** Whether the cluster's CNI mode keeps pods on a range of their own. */
export function usesPodCidr(cluster: ClusterConfig): boolean {
  if (cluster.provider === "aws") return cluster.cni.mode === "custom-networking";
  if (cluster.provider === "azure") return cluster.cni.mode !== "node-subnet";
  return false;
}

const givenText = (cluster: ClusterConfig, kind: RangeKind): string | undefined =>
  cluster.provider === "local" ? undefined : cluster[kind];

export function neededRanges(cluster: ClusterConfig): RangeKind[] {
  if (cluster.provider === "local") return [];
  return usesPodCidr(cluster) ? ["cidr", "serviceCidr", "podCidr"] : ["cidr", "serviceCidr"];
}

/** The block a name prefers among `slots` blocks: the first 48 bits of its sha256, modulo `slots`. */
export function preferredSlot(name: string, slots: number): number {
  return createHash("sha256").update(name).digest().readUIntBE(0, 6) % slots;
}

interface Taken {
  readonly cidr: Cidr;
  readonly owner: string;
  /** Azure's reserved ranges never change, so probing past them keeps an allocation stable. */
  readonly permanent?: boolean;
}

const azureReserved: readonly Taken[] = AZURE_RESERVED_RANGES.map((text) => ({
  cidr: cidr(text),
  owner: `Azure's reserved range ${text}`,
  permanent: true,
}));

interface Supernet {
  readonly cidr: Cidr;
  readonly prefix: number;
}

function parseSupernets(config: StackConfig, issues: ConfigIssue[]): Partial<Record<RangeKind, Supernet>> {
  const addressing: Addressing = config.network.addressing;
  const supernets: Partial<Record<RangeKind, Supernet>> = {};
  for (const kind of RANGE_KINDS) {
    const needed = config.clusters.some(
      (c) => neededRanges(c).includes(kind) && givenText(c, kind) === undefined,
    );
    if (!needed) continue;
    const { supernet: key, prefixLength: prefixKey } = SOURCES[kind];
    const text = addressing[key];
    const prefix = addressing[prefixKey];
    const parsed = parseCidr(text);
    if (!parsed.ok) {
      issues.push(error(`network.addressing.${key}`, parsed.reason));
    } else if (prefix < parsed.cidr.prefix) {
      issues.push(
        error(
          `network.addressing.${prefixKey}`,
          `${prefix} asks for /${prefix} blocks, larger than network.addressing.${key} ${text}: use at least ${parsed.cidr.prefix}, or a larger ${key}.`,
        ),
      );
    } else {
      supernets[kind] = { cidr: parsed.cidr, prefix };
    }
  }
  return supernets;
}

/** Parses the ranges each cluster gives, reporting malformed ones and ignored pod ranges. */
function givenRanges(config: StackConfig, issues: ConfigIssue[]): ClusterRanges[] {
  return config.clusters.map((cluster, i) => {
    if (cluster.provider === "local") return {};
    const ranges: Partial<Record<RangeKind, AssignedRange>> = {};
    for (const kind of RANGE_KINDS) {
      const text = cluster[kind];
      if (text === undefined) continue;
      if (kind === "podCidr" && !usesPodCidr(cluster)) {
        issues.push(
          warning(
            `clusters[${i}].podCidr`,
            `${text} is ignored: cni.mode ${cluster.cni.mode} puts pods on the node subnets. Only AWS custom-networking and Azure pod-subnet or overlay use podCidr.`,
          ),
        );
        continue;
      }
      const parsed = parseCidr(text);
      if (parsed.ok) ranges[kind] = { cidr: parsed.cidr, allocated: false };
      else issues.push(error(`clusters[${i}].${kind}`, parsed.reason));
    }
    return ranges;
  });
}

/** Every cluster's ranges, given or allocated, with the issues found on the way. */
export function assignRanges(config: StackConfig): { ranges: ClusterRanges[]; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const given = givenRanges(config, issues);
  const supernets = parseSupernets(config, issues);
  const taken: Taken[] = given.flatMap((ranges, i) =>
    RANGE_KINDS.flatMap((kind) => {
      const range = ranges[kind];
      return range ? [{ cidr: range.cidr, owner: `clusters[${i}].${kind}` }] : [];
    }),
  );
  const ranges = config.clusters.map((cluster, i) => {
    const assigned: Partial<Record<RangeKind, AssignedRange>> = { ...given[i] };
    for (const kind of neededRanges(cluster)) {
      const supernet = supernets[kind];
      // A given range that failed to parse is already an error; allocating one would hide it.
      if (assigned[kind] || givenText(cluster, kind) !== undefined || !supernet) continue;
      const result = allocate(
        cluster,
        i,
        kind,
        supernet,
        cluster.provider === "azure" ? [...taken, ...azureReserved] : taken,
      );
      if ("issue" in result) {
        issues.push(result.issue);
        continue;
      }
      if (result.warning) issues.push(result.warning);
      assigned[kind] = { cidr: result.cidr, allocated: true };
      taken.push({ cidr: result.cidr, owner: `clusters[${i}].${kind}` });
    }
    return assigned;
  });
  return { ranges, issues };
}

type Allocation = { readonly cidr: Cidr; readonly warning?: ConfigIssue } | { readonly issue: ConfigIssue };

function allocate(
  cluster: ClusterConfig,
  index: number,
  kind: RangeKind,
  supernet: Supernet,
  taken: readonly Taken[],
): Allocation {
  const path = `clusters[${index}].${kind}`;
  const slots = subnetCount(supernet.cidr, supernet.prefix);
  const slot = preferredSlot(cluster.name, slots);
  const block = allocateBlock(
    supernet.cidr,
    supernet.prefix,
    taken.map((t) => t.cidr),
    slot,
  );
  const source = `network.addressing.${SOURCES[kind].supernet}`;
  if (!block) {
    return {
      issue: error(
        source,
        `no free /${supernet.prefix} block left in ${formatCidr(supernet.cidr)} for ${path} (cluster "${cluster.name}"): each of its ${slots} blocks meets a range already taken or reserved. Give ${path} explicitly or use a larger ${SOURCES[kind].supernet}.`,
      ),
    };
  }
  const preferred = nthSubnet(supernet.cidr, supernet.prefix, slot);
  const blocker = taken.find((t) => !t.permanent && cidrsOverlap(t.cidr, preferred));
  if (!blocker) return { cidr: block };
  const value = formatCidr(block);
  return {
    cidr: block,
    warning: warning(
      path,
      `allocated ${value} because the block cluster "${cluster.name}" prefers, ${formatCidr(preferred)}, meets ${blocker.owner}, so it would move if that range changed. Set ${kind}: ${value} to pin it.`,
    ),
  };
}
