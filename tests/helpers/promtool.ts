/**
 * Runs Prometheus' `promtool` on generated files. In CI (CI=true) a missing promtool is a failure, never a
 * skip: .ci/run installs it (Debian package `prometheus`).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";

export function promtoolAvailable(): boolean {
  return spawnSync("promtool", ["--version"], { encoding: "utf8" }).status === 0;
}

/** Options for a node:test `it` that needs promtool: skipped locally without it, failing in CI. */
export function needsPromtool(): { skip?: string } {
  if (promtoolAvailable() || process.env.CI === "true") return {};
  return { skip: "promtool not installed (apt-get install -y prometheus); CI installs it and never skips" };
}

/** Writes `files` (objects as YAML) into a fresh directory and runs promtool with `args` there. */
export function runPromtool(
  args: readonly string[],
  files: Readonly<Record<string, unknown>>,
): { status: number | null; output: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "promtool-"));
  for (const [name, content] of Object.entries(files))
    writeFileSync(path.join(dir, name), stringify(content));
  const result = spawnSync("promtool", [...args], { cwd: dir, encoding: "utf8" });
  if (result.error) throw new Error(`promtool did not run: ${result.error.message}`);
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}
