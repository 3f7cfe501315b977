/**
 * Runs Prometheus' own checkers on generated files: `promtool` (Debian package `prometheus`) and `amtool`
 * (`prometheus-alertmanager`). In CI (CI=true) a missing tool is a failure, never a skip: .ci/run installs both
 * (see ./hostTools.ts).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";

export { needs } from "./hostTools";

export type Tool = "promtool" | "amtool";
/** Writes `files` (objects as YAML) into a fresh directory and runs `tool` with `args` there. */
export function run(
  tool: Tool,
  args: readonly string[],
  files: Readonly<Record<string, unknown>>,
): { status: number | null; output: string } {
  const dir = mkdtempSync(path.join(tmpdir(), `${tool}-`));
  for (const [name, content] of Object.entries(files))
    writeFileSync(path.join(dir, name), stringify(content));
  const result = spawnSync(tool, [...args], { cwd: dir, encoding: "utf8" });
  if (result.error) throw new Error(`${tool} did not run: ${result.error.message}`);
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}
