/**
 * Reading stack config: from a `stacks/Pulumi.<stack>.yaml` file (offline plan/render) or from the
 * Pulumi runtime (`pulumi up`). Both end in the same schema parse, so both report the same errors.
 */
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { parse as parseYaml, YAMLError } from "yaml";
import { didYouMean } from "../plan/suggest";
import { fromZodIssues } from "./errors";
import { INGRESS_SECRETS_CONFIG_KEY } from "./ingress";
import type { ConfigIssue } from "./issue";
import { ADOPTED_KEYS_CONFIG_KEY, ALERTING_SECRETS_CONFIG_KEY, PROJECT, StackConfig } from "./schema";

/** The config keys the program reads; anything else under `goquorum:` is a typo. */
export const STACK_KEYS = ["network", "clusters"] as const;
const SECRET_KEYS = [ADOPTED_KEYS_CONFIG_KEY, ALERTING_SECRETS_CONFIG_KEY, INGRESS_SECRETS_CONFIG_KEY];

export const STACKS_DIR = path.join(__dirname, "..", "..", "stacks");

export function stackFilePath(stack: string, dir = STACKS_DIR): string {
  return path.join(dir, `Pulumi.${stack}.yaml`);
}

/** The stacks that have a `Pulumi.<stack>.yaml` file in the directory, sorted. */
export function listStacks(dir = STACKS_DIR): string[] {
  return readdirSync(dir)
    .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
    .filter((stack): stack is string => stack !== undefined)
    .sort();
}

/** A stack file that cannot be read as YAML: its message is one line naming the file, line and column. */
export class StackFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StackFileError";
  }
}

/** The raw `config:` map of a stack file, e.g. `{ "goquorum:network": {...}, "aws:region": "..." }`. */
export function readStackFile(file: string): Record<string, unknown> {
  let doc: { config?: Record<string, unknown> } | null;
  try {
    doc = parseYaml(readFileSync(file, "utf8")) as typeof doc;
  } catch (e) {
    if (!(e instanceof YAMLError)) throw e;
    // The parser's message is its reason, its position, then a drawing of the line: keep the first line.
    const reason = (e.message.split("\n")[0] ?? "").replace(/:$/, "");
    const shown = path.relative(process.cwd(), file).startsWith("..")
      ? file
      : path.relative(process.cwd(), file);
    throw new StackFileError(`${shown}: YAML syntax error: ${reason}`);
  }
  return doc?.config ?? {};
}

/** Whether a config value is an encrypted `secure:` value (or contains one). */
export function isSecureValue(value: unknown): boolean {
  if (value === null || typeof value !== "object") return false;
  if ("secure" in value && Object.keys(value).length === 1) return true;
  return Object.values(value).some(isSecureValue);
}

/** Our keys without the project prefix; other namespaces (aws:, azure-native:, kubernetes:) are left to their providers. */
export function projectKeys(raw: Record<string, unknown>): {
  values: Record<string, unknown>;
  issues: ConfigIssue[];
} {
  const values: Record<string, unknown> = {};
  const issues: ConfigIssue[] = [];
  for (const [key, value] of Object.entries(raw)) {
    const [namespace, name] = key.includes(":") ? key.split(":", 2) : [PROJECT, key];
    if (namespace !== PROJECT) continue;
    if ((STACK_KEYS as readonly string[]).includes(name)) {
      if (isSecureValue(value)) {
        issues.push({
          severity: "error",
          path: name,
          message: "must not be a secret: it is printed in plans and previews",
        });
      }
      values[name] = value;
    } else if (!SECRET_KEYS.includes(name)) {
      const known = [...STACK_KEYS, ...SECRET_KEYS].map((k) => `${PROJECT}:${k}`);
      issues.push({
        severity: "error",
        path: key,
        message: `unknown config key.${didYouMean(`${PROJECT}:${name}`, known)} The program reads ${known.join(", ")}`,
      });
    }
  }
  return { values, issues };
}

export type ParsedConfig =
  | { config: StackConfig; issues: ConfigIssue[] }
  | { config?: undefined; issues: ConfigIssue[] };

/** Schema parse of `{ network, clusters }`, with every problem reported at once. */
export function parseStackConfig(values: Record<string, unknown>): ParsedConfig {
  const result = StackConfig.safeParse(values);
  if (!result.success) return { issues: fromZodIssues(result.error, values, StackConfig) };
  return { config: result.data, issues: [] };
}
