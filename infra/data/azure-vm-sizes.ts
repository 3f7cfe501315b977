/**
 * Azure VM sizes accepted for AKS node pools: the general-purpose, memory-optimised, compute-optimised
 * and burstable series most clusters use, name → vCPUs. A size missing here is refused with close
 * suggestions; add its series below when a cluster really needs it.
 *
 * Each series expands `Standard_<letter><vcpus><suffix>` over its sizes, e.g. D{4}s_v5 → Standard_D4s_v5.
 * Sizes as listed by Azure Resource SKUs for AKS (≥ 2 vCPUs; constrained-core variants left out).
 */
interface Series {
  readonly letter: "B" | "D" | "E" | "F";
  readonly suffixes: readonly string[];
  readonly vcpus: readonly number[];
}

const D_V3 = [2, 4, 8, 16, 32, 48, 64];
const D_V5 = [...D_V3, 96];
const E_V3 = [2, 4, 8, 16, 20, 32, 48, 64];
const E_V5 = [...E_V3, 96];
const B_V2 = [2, 4, 8, 16, 32];

const SERIES: readonly Series[] = [
  { letter: "D", suffixes: ["_v3", "s_v3", "_v4", "s_v4", "d_v4", "ds_v4"], vcpus: D_V3 },
  {
    letter: "D",
    suffixes: ["a_v4", "as_v4", "_v5", "s_v5", "d_v5", "ds_v5", "as_v5", "ads_v5"],
    vcpus: D_V5,
  },
  { letter: "D", suffixes: ["s_v6", "ds_v6"], vcpus: [...D_V5, 128, 192] },
  { letter: "D", suffixes: ["as_v6", "ads_v6"], vcpus: D_V5 },
  { letter: "E", suffixes: ["_v3", "s_v3", "_v4", "s_v4", "d_v4", "ds_v4"], vcpus: E_V3 },
  {
    letter: "E",
    suffixes: ["a_v4", "as_v4", "_v5", "s_v5", "d_v5", "ds_v5", "as_v5", "ads_v5"],
    vcpus: E_V5,
  },
  { letter: "E", suffixes: ["s_v6", "ds_v6"], vcpus: [...E_V5, 128] },
  { letter: "E", suffixes: ["as_v6", "ads_v6"], vcpus: E_V5 },
  { letter: "F", suffixes: ["s_v2"], vcpus: [2, 4, 8, 16, 32, 48, 64, 72] },
  { letter: "F", suffixes: ["as_v6"], vcpus: [2, 4, 8, 16, 32, 48, 64] },
  { letter: "B", suffixes: ["s", "ms"], vcpus: [2] },
  { letter: "B", suffixes: ["ms"], vcpus: [4, 8, 12, 16, 20] },
  { letter: "B", suffixes: ["s_v2", "as_v2", "ls_v2"], vcpus: B_V2 },
  { letter: "B", suffixes: ["ps_v2"], vcpus: [2, 4, 8, 16] },
];

/** VM size name → vCPUs, e.g. `Standard_D4s_v5` → 4. */
export const AZURE_VM_SIZES: Readonly<Record<string, number>> = Object.fromEntries(
  SERIES.flatMap(({ letter, suffixes, vcpus }) =>
    suffixes.flatMap((suffix) => vcpus.map((n) => [`Standard_${letter}${n}${suffix}`, n] as const)),
  ),
);
