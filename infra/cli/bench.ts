/**
 * `npm run bench`: how planning, rendering and key generation grow with network size. Each case runs in
 * its own process (so peak memory is its own) and reports wall time of the work and peak RSS; the summary
 * gives large/small ratios, which mean something on a noisy shared machine where absolute times do not.
 */
import { execFileSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { renderProgram, renderStack } from "../offline/render";
import { program } from "../program";
import { benchKeysAndGenesis } from "../quorum/bench";
import { planRawConfig } from "../stackPlan";

const REGIONS = ["eu-west-1", "eu-central-1", "us-east-1", "us-east-2", "us-west-2"];

/** 10 EKS clusters of 100 Kubernetes nodes each, hosting 10 GoQuorum nodes each (100 in all). */
function largeCloudStack(): Record<string, unknown> {
  const clusters = Array.from({ length: 10 }, (_, i) => ({
    name: `c${i}`,
    provider: "aws",
    region: REGIONS[i % REGIONS.length],
    nodePools: [{ name: "quorum", instanceType: "m6i.2xlarge", count: 100 }],
    nodes: { validators: 4, rpc: 3, members: 3 },
  }));
  return { "goquorum:network": { name: "bench", chainId: 4242 }, "goquorum:clusters": clusters };
}

/** One existing cluster with `nodes` GoQuorum nodes of every role, all deployed (workloads included). */
function localStack(validators: number, rpc: number, members: number): Record<string, unknown> {
  return {
    "goquorum:network": { name: "bench", chainId: 4242 },
    "goquorum:clusters": [{ name: "kind", provider: "local", nodes: { validators, rpc, members } }],
  };
}

const CASES: Record<string, () => Promise<unknown> | unknown> = {
  "plan-small": () => planRawConfig(localStack(4, 1, 1)),
  "plan-large": () => planRawConfig(largeCloudStack()),
  "render-small": () => renderProgram("bench", localStack(4, 1, 1), program),
  "render-large-cloud": () => renderProgram("bench", largeCloudStack(), program),
  "render-large-local": () => renderProgram("bench", localStack(64, 32, 64), program),
  // The `prod` stack as committed: every cloud resource of its three clusters, peering and workloads.
  "render-prod": () => renderStack("prod", program),
  "keys-genesis-4": () => benchKeysAndGenesis(4),
  "keys-genesis-64": () => benchKeysAndGenesis(64),
};

const PAIRS: [string, string][] = [
  ["plan-small", "plan-large"],
  ["render-small", "render-large-cloud"],
  ["render-small", "render-large-local"],
  ["render-small", "render-prod"],
  ["keys-genesis-4", "keys-genesis-64"],
];

interface Measurement {
  readonly ms: number;
  readonly peakRssMb: number;
}

async function runCase(name: string): Promise<void> {
  const work = CASES[name];
  if (!work) throw new Error(`unknown case ${name}`);
  const start = performance.now();
  await work();
  const ms = performance.now() - start;
  const measurement: Measurement = { ms, peakRssMb: process.resourceUsage().maxRSS / 1024 };
  console.log(JSON.stringify(measurement));
}

function measure(name: string): Measurement {
  // The program's own warnings (stderr) are not the benchmark's business; a failing case still throws with them.
  const out = execFileSync(process.execPath, [...process.execArgv, __filename, "--case", name], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines = out.trim().split("\n");
  return JSON.parse(lines[lines.length - 1]) as Measurement;
}

function main(): void {
  const results = new Map<string, Measurement>();
  console.log(`${"case".padEnd(22)} ${"time".padStart(10)} ${"peak RSS".padStart(10)}`);
  for (const name of Object.keys(CASES)) {
    const m = measure(name);
    results.set(name, m);
    console.log(
      `${name.padEnd(22)} ${`${m.ms.toFixed(1)} ms`.padStart(10)} ${`${m.peakRssMb.toFixed(0)} MB`.padStart(10)}`,
    );
  }
  console.log("");
  for (const [small, large] of PAIRS) {
    const a = results.get(small);
    const b = results.get(large);
    if (a && b)
      console.log(
        `${large} / ${small}: time x${(b.ms / a.ms).toFixed(1)}, memory x${(b.peakRssMb / a.peakRssMb).toFixed(2)}`,
      );
  }
}

const caseIndex = process.argv.indexOf("--case");
if (caseIndex >= 0) {
  runCase(process.argv[caseIndex + 1]).catch((e) => {
    console.error(e);
    process.exit(1);
  });
} else {
  main();
}
