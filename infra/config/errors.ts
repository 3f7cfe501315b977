/** Config problems as users see them: every issue at once, each naming its key path, no stack trace. */
import type { z } from "zod";
import { didYouMean } from "../plan/suggest";
import type { ConfigIssue } from "./issue";
import { RETIRED_KEYS } from "./schema";

export class ConfigError extends Error {
  constructor(readonly issues: readonly ConfigIssue[]) {
    super(formatIssues(issues));
    this.name = "ConfigError";
  }
}

/** `clusters[1].cidr` from `["clusters", 1, "cidr"]`. */
export function keyPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => {
    if (typeof key === "number") return `${acc}[${key}]`;
    return acc ? `${acc}.${String(key)}` : String(key);
  }, "");
}

export function formatIssues(issues: readonly ConfigIssue[]): string {
  const errors = issues.filter((i) => i.severity === "error");
  const warnings = issues.filter((i) => i.severity === "warning");
  const lines: string[] = [];
  if (errors.length > 0) {
    lines.push(`The stack configuration has ${errors.length} error${errors.length === 1 ? "" : "s"}:`);
    for (const i of errors) lines.push(`  - ${i.path}: ${i.message}`);
  }
  if (warnings.length > 0) {
    lines.push(`${warnings.length} warning${warnings.length === 1 ? "" : "s"}:`);
    for (const i of warnings) lines.push(`  - ${i.path}: ${i.message}`);
  }
  return lines.join("\n");
}

/** A short rendering of a user's value for a message. */
export function showValue(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node: unknown = root;
  for (const key of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

interface SchemaDef {
  readonly type: string;
  readonly shape?: Record<string, z.ZodType>;
  readonly element?: z.ZodType;
  readonly innerType?: z.ZodType;
  readonly in?: z.ZodType;
  readonly options?: readonly z.ZodType[];
  readonly discriminator?: string;
  readonly valueType?: z.ZodType;
}
const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;

/** The schema of an object, seen through defaults, optionals, pipes, and the union option `input` picks. */
function objectSchema(schema: z.ZodType, input: unknown): SchemaDef | undefined {
  const def = defOf(schema);
  const inner = def.innerType ?? def.in;
  if (inner) return objectSchema(inner, input);
  if (def.type === "union" && def.discriminator && def.options) {
    const tag = (input as Record<string, unknown> | undefined)?.[def.discriminator];
    const option = def.options.find((o) => {
      const literal = defOf(o).shape?.[def.discriminator ?? ""];
      return literal && (defOf(literal) as { values?: unknown[] }).values?.includes(tag);
    });
    return option ? objectSchema(option, input) : undefined;
  }
  return def.type === "object" ? def : undefined;
}

/** The keys the schema allows at `path` of `input` (to suggest one for a misspelt key). */
export function keysAt(schema: z.ZodType, input: unknown, path: readonly PropertyKey[]): string[] {
  let node: z.ZodType | undefined = schema;
  let value = input;
  for (const key of path) {
    if (!node) return [];
    const def = defOf(node);
    const inner = def.innerType ?? def.in;
    if (inner) return keysAt(inner, value, path.slice(path.indexOf(key)));
    if (def.type === "array") node = def.element;
    else if (def.type === "record") node = def.valueType;
    else node = objectSchema(node, value)?.shape?.[String(key)];
    value = (value as Record<PropertyKey, unknown> | undefined)?.[key];
  }
  return node ? Object.keys(objectSchema(node, value)?.shape ?? {}) : [];
}

/**
 * Turns zod's issues into ours: the key path, the value given and what would be valid; with the schema, a
 * misspelt key gets the closest keys allowed where it stands.
 */
export function fromZodIssues(error: z.ZodError, input: unknown, schema?: z.ZodType): ConfigIssue[] {
  return error.issues.map((issue) => {
    const given = valueAt(input, issue.path);
    const known = schema && issue.code === "unrecognized_keys" ? keysAt(schema, input, issue.path) : [];
    const retired =
      issue.code === "unrecognized_keys" && issue.path[0] === "clusters" && issue.path.length === 2;
    return {
      severity: "error",
      path: keyPath(issue.path) || "(root)",
      message: describeZodIssue(issue, given, known, retired),
    };
  });
}

function describeZodIssue(
  issue: z.core.$ZodIssue,
  given: unknown,
  knownKeys: readonly string[],
  clusterKeys = false,
): string {
  const got = showValue(given);
  switch (issue.code) {
    case "invalid_type":
      return given === undefined
        ? `is required (${issue.expected})`
        : `${got} is not valid: expected ${issue.expected}`;
    case "too_small":
      return `${got} is too small: must be ${issue.inclusive ? "at least" : "more than"} ${String(issue.minimum)}${sizeUnit(issue.origin)}${customNote(issue.message)}`;
    case "too_big":
      return `${got} is too big: must be ${issue.inclusive ? "at most" : "less than"} ${String(issue.maximum)}${sizeUnit(issue.origin)}${customNote(issue.message)}`;
    case "invalid_value":
      return `${got} is not valid: expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "invalid_union":
      return `${got} is not valid: ${issue.message}`;
    case "unrecognized_keys": {
      const retired = clusterKeys ? issue.keys.filter((k) => RETIRED_KEYS[k]) : [];
      const unknown = issue.keys.filter((k) => !retired.includes(k));
      const parts = retired.map(
        (k) => `"${k}" was replaced by ${RETIRED_KEYS[k]}: see docs/deployer-path.md`,
      );
      if (unknown.length > 0) {
        parts.push(
          `unknown key${unknown.length === 1 ? "" : "s"} ${unknown
            .map((k) => `${JSON.stringify(k)}${knownKeys.length > 0 ? `.${didYouMean(k, knownKeys)}` : ""}`)
            .join("; ")}${knownKeys.length > 0 ? "" : " (misspelt?)"}`,
        );
      }
      return parts.join("; ");
    }
    case "invalid_format":
      return `${got} ${issue.message}`;
    default:
      return `${got} is not valid: ${issue.message}`;
  }
}

/** zod's own messages start with "Too"; ours explain why a bound exists. */
function customNote(message: string): string {
  return message.startsWith("Too ") ? "" : ` (${message})`;
}

function sizeUnit(origin: string): string {
  if (origin === "array") return " items";
  if (origin === "string") return " characters";
  return "";
}
