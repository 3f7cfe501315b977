/** Shared argument handling of the offline commands. */
import { parseArgs } from "node:util";

export function cliArgs(options: {
  json?: boolean;
  out?: boolean;
  firstDeployment?: boolean;
  previous?: boolean;
}) {
  const { values } = parseArgs({
    options: {
      stack: { type: "string", short: "s" },
      "stacks-dir": { type: "string" },
      ...(options.json ? { json: { type: "boolean" as const } } : {}),
      ...(options.out ? { out: { type: "string" as const, short: "o" } } : {}),
      ...(options.firstDeployment ? { "first-deployment": { type: "boolean" as const } } : {}),
      ...(options.previous ? { previous: { type: "string" as const } } : {}),
    },
  });
  if (!values.stack) {
    console.error("usage: --stack <name> (one of the stacks/Pulumi.<name>.yaml files)");
    process.exit(2);
  }
  return values as {
    stack: string;
    "stacks-dir"?: string;
    json?: boolean;
    out?: string;
    "first-deployment"?: boolean;
    previous?: string;
  };
}
