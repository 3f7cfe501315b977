/**
 * Where on-call reads an alert's runbook: an absolute URL of `docs/alerts.md`, so the link works from
 * Alertmanager, Slack or a pager. `network.monitoring.runbookUrl` sets it; without it, it is built from
 * package.json's `repository` (the file on GitHub's `main` branch).
 */
import packageJson from "../../package.json";
import type { NetworkConfig } from "./schema";

/** The runbook's path in the repository. */
export const RUNBOOK_PATH = "docs/alerts.md";

const GITHUB_URL =
  /^(?:git\+)?(?:https?|ssh|git):\/\/(?:git@)?github\.com[/:]([\w.-]+)\/([\w.-]+?)(?:\.git)?\/?$/;
const GITHUB_SCP = /^git@github\.com:([\w.-]+)\/([\w.-]+?)(?:\.git)?$/;
const NPM_SHORTHAND = /^(?:github:)?([\w.-]+)\/([\w.-]+)$/;

/**
 * The runbook's URL on GitHub from a package.json `repository` field: npm's shorthands (`owner/repo`,
 * `github:owner/repo`) or a GitHub URL, alone or as `{ url }` (npm docs, package.json, "repository").
 * Anything else (another host, a malformed value) gives none rather than a guess.
 */
export function runbookUrlFromRepository(repository: unknown, branch = "main"): string | undefined {
  const spec =
    typeof repository === "string"
      ? repository
      : typeof repository === "object" && repository !== null && "url" in repository
        ? repository.url
        : undefined;
  if (typeof spec !== "string") return undefined;
  const match = GITHUB_URL.exec(spec) ?? GITHUB_SCP.exec(spec) ?? NPM_SHORTHAND.exec(spec);
  if (!match) return undefined;
  return `https://github.com/${match[1]}/${match[2]}/blob/${branch}/${RUNBOOK_PATH}`;
}

/** The default of `network.monitoring.runbookUrl`: none while package.json names no repository. */
export const DEFAULT_RUNBOOK_URL = runbookUrlFromRepository(
  (packageJson as { repository?: unknown }).repository,
);

/** The stack's runbook URL, or none when neither the config nor package.json gives one (the plan warns). */
export function runbookUrl(network: NetworkConfig): string | undefined {
  return network.monitoring.runbookUrl ?? DEFAULT_RUNBOOK_URL;
}

/**
 * An alert's section of the runbook: its heading is the alert name in backticks, whose GitHub anchor is the
 * name in lower case (backticks dropped).
 */
export function alertRunbookUrl(base: string, alert: string): string {
  return `${base}#${alert.toLowerCase()}`;
}
