/**
 * Programs some tests run that are not npm packages: Prometheus' checkers `promtool` and `amtool`, and
 * `busybox` (the shell and `timeout` of the GoQuorum image, to run the pod scripts as the pod does). Each
 * comes from the Debian package named here, which .ci/run installs; in CI (CI=true) a missing tool is a
 * failure, never a skip.
 */
import { spawnSync } from "node:child_process";

export const DEBIAN_PACKAGES = {
  promtool: "prometheus",
  amtool: "prometheus-alertmanager",
  busybox: "busybox",
} as const;

export type HostTool = keyof typeof DEBIAN_PACKAGES;

/** A harmless call that succeeds exactly when the tool is installed. */
const PROBE_ARGS: Readonly<Record<HostTool, readonly string[]>> = {
  promtool: ["--version"],
  amtool: ["--version"],
  busybox: ["true"],
};

/** Options for a node:test `it` that needs `tool`: skipped locally without it, failing in CI. */
export function needs(tool: HostTool): { skip?: string } {
  const available = spawnSync(tool, [...PROBE_ARGS[tool]], { encoding: "utf8" }).status === 0;
  if (available || process.env.CI === "true") return {};
  return {
    skip: `${tool} not installed (apt-get install -y ${DEBIAN_PACKAGES[tool]}); CI installs it and never skips`,
  };
}

/** Where `tool` is on PATH (for tests that link its applets); undefined when it is not installed. */
export function toolPath(tool: HostTool): string | undefined {
  const found = spawnSync("sh", ["-c", `command -v ${tool}`], { encoding: "utf8" });
  return found.status === 0 ? found.stdout.trim() : undefined;
}
