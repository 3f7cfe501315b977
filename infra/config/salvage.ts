/**
 * Every problem in one run: when the schema rejects values, a stand-in config without them still goes
 * through the cross-key checks (overlaps, capacity, placement), so those problems are reported next to the
 * shape errors instead of on the next run. A rejected value is removed where it has a default, or replaced
 * by a neutral stand-in where it is required; a cross-key issue that touches a replaced value is dropped,
 * since it would describe the stand-in rather than the user's config.
 */
import type { z } from "zod";
import { keyPath } from "./errors";
import { StackConfig } from "./schema";

type Path = readonly PropertyKey[];

/** Neutral values for required keys, by path shape (`#` stands for an index). */
const STAND_INS: Readonly<Record<string, (path: Path) => unknown>> = {
  "network.name": () => "invalid",
  "network.chainId": () => 2,
  "clusters.#.name": (path) => `invalid-${String(path[1])}`,
  "clusters.#.nodePools.#.name": (path) => `invalid${String(path[3])}`,
  "clusters.#.nodePools.#.count": () => 1,
};

/** Config keys whose checks depend on other keys: replacing the first taints the second. */
const DEPENDENTS: readonly [RegExp, readonly string[]][] = [
  [/\.nodes(\.|$)|\.name$/, ["network.faultTolerance", "network.genesisValidators", "network.adoptKeysFor"]],
];

const shape = (path: Path) => path.map((k) => (typeof k === "number" ? "#" : String(k))).join(".");

function parentOf(root: unknown, path: Path): Record<PropertyKey, unknown> | undefined {
  let node: unknown = root;
  for (const key of path.slice(0, -1)) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node !== null && typeof node === "object" ? (node as Record<PropertyKey, unknown>) : undefined;
}

/** Applies one round of repairs; returns the key paths it replaced or removed. */
function repair(values: unknown, issues: readonly z.core.$ZodIssue[]): string[] {
  const replaced: string[] = [];
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") {
      const target = parentOf(values, [...issue.path, ""]);
      for (const key of issue.keys) if (target) delete target[key];
      continue;
    }
    const parent = parentOf(values, issue.path);
    const key = issue.path[issue.path.length - 1];
    if (!parent || key === undefined) continue;
    const standIn = STAND_INS[shape(issue.path)];
    if (standIn) parent[key] = standIn(issue.path);
    else delete parent[key];
    replaced.push(keyPath(issue.path));
  }
  return replaced;
}

export interface StandInConfig {
  readonly config: StackConfig;
  /** Key paths whose values were replaced or removed, and the checks that depend on them. */
  readonly tainted: readonly string[];
}

/** A config the schema accepts, made from `values` by dropping what it rejected; undefined if none can be. */
export function standInConfig(values: Record<string, unknown>): StandInConfig | undefined {
  const working: unknown = structuredClone(values);
  const tainted = new Set<string>();
  for (let round = 0; round < 4; round++) {
    const result = StackConfig.safeParse(working);
    if (result.success) return { config: result.data, tainted: [...tainted] };
    for (const path of repair(working, result.error.issues)) {
      tainted.add(path);
      for (const [pattern, dependents] of DEPENDENTS)
        if (pattern.test(path)) for (const d of dependents) tainted.add(d);
    }
  }
  return undefined;
}

/** Whether an issue at `path` concerns a tainted key (the same key, one inside it, or one containing it). */
export function touchesTainted(path: string, tainted: readonly string[]): boolean {
  const within = (inner: string, outer: string) =>
    inner === outer || inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`);
  return tainted.some((t) => within(path, t) || within(t, path));
}
