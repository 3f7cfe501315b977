/**
 * Shared argument handling of the offline commands: `--help`, the stack list when `--stack` is missing, and one
 * clear line (with the usage) for an unknown flag or stack. Usage errors exit 2, as command-line tools do.
 */
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { listStacks, STACKS_DIR, stackFilePath } from "../config/load";
import { didYouMean } from "../plan/suggest";

export interface CommandSpec {
  /** `plan`, `render`: the npm script. */
  readonly command: string;
  readonly json?: boolean;
  readonly out?: boolean;
  readonly firstDeployment?: boolean;
  /** `render`, `plan`: `--previous <dir>`, an earlier render whose update to show. */
  readonly previous?: boolean;
}

export interface CliArgs {
  readonly stack: string;
  readonly "stacks-dir"?: string;
  readonly json?: boolean;
  readonly out?: string;
  readonly "first-deployment"?: boolean;
  readonly previous?: string;
}

export function usage(spec: CommandSpec): string {
  const flags = [
    "--stack <name>",
    ...(spec.json ? ["[--json]"] : []),
    ...(spec.out ? ["[--out <dir>]"] : []),
    ...(spec.firstDeployment ? ["[--first-deployment]"] : []),
    ...(spec.previous ? ["[--previous <dir of an earlier render>]"] : []),
    "[--stacks-dir <dir>]",
  ];
  return `usage: npm run ${spec.command} -- ${flags.join(" ")}`;
}

/** What the command line asks for, or what to print and the exit code when it asks for no run. */
export function parseCliArgs(
  spec: CommandSpec,
  argv: readonly string[],
): { args: CliArgs } | { exit: number; stdout?: string; stderr?: string } {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        stack: { type: "string", short: "s" },
        "stacks-dir": { type: "string" },
        help: { type: "boolean", short: "h" },
        ...(spec.json ? { json: { type: "boolean" as const } } : {}),
        ...(spec.out ? { out: { type: "string" as const, short: "o" } } : {}),
        ...(spec.firstDeployment ? { "first-deployment": { type: "boolean" as const } } : {}),
        ...(spec.previous ? { previous: { type: "string" as const } } : {}),
      },
    }));
  } catch (e) {
    // node:util's messages name the flag and say what is wrong with it, e.g. "Unknown option '--jsn'".
    const reason = e instanceof Error ? e.message.split("\n")[0] : String(e);
    return { exit: 2, stderr: `${reason}\n${usage(spec)}` };
  }
  if (values.help) return { exit: 0, stdout: usage(spec) };
  const dir = typeof values["stacks-dir"] === "string" ? values["stacks-dir"] : STACKS_DIR;
  const stacks = existsSync(dir) ? listStacks(dir) : [];
  const known = `stacks: ${stacks.length > 0 ? stacks.join(", ") : `none in ${dir}`}`;
  const stack = values.stack;
  if (typeof stack !== "string") return { exit: 2, stderr: `${usage(spec)}\n${known}` };
  if (!existsSync(stackFilePath(stack, dir))) {
    return {
      exit: 2,
      stderr: `no stack "${stack}" (no ${stackFilePath(stack, dir)}).${didYouMean(stack, stacks)}\n${known}`,
    };
  }
  return { args: values as unknown as CliArgs };
}

/** The parsed arguments; prints and exits for `--help` and usage errors. */
export function cliArgs(spec: CommandSpec): CliArgs {
  const parsed = parseCliArgs(spec, process.argv.slice(2));
  if ("args" in parsed) return parsed.args;
  if (parsed.stdout) console.log(parsed.stdout);
  if (parsed.stderr) console.error(parsed.stderr);
  process.exit(parsed.exit);
}
