/**
 * The mock runtime behind `npm run render` and the program tests: no cloud, no CLI, no state.
 * Random bytes are derived from the stack and resource name, so renders are reproducible and never
 * contain a real stack's keys.
 */
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";

/** Outputs the mocks invent for resources whose providers would compute them. */
function computedState(
  type: string,
  name: string,
  stack: string,
  inputs: Record<string, unknown>,
): Record<string, unknown> {
  if (type === "random:index/randomBytes:RandomBytes") {
    const length = Number(inputs.length ?? 32);
    const bytes = createHash("sha256").update(`throwaway:${stack}:${name}`).digest().subarray(0, length);
    return { hex: bytes.toString("hex"), base64: bytes.toString("base64") };
  }
  return {};
}

export interface OfflineRuntime {
  readonly registered: pulumi.runtime.MockResourceArgs[];
}

export async function useOfflineRuntime(
  stack: string,
  config: Record<string, string>,
  secretKeys: string[],
): Promise<OfflineRuntime> {
  const registered: pulumi.runtime.MockResourceArgs[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push(args);
        const state = { ...args.inputs, ...computedState(args.type, args.name, stack, args.inputs) };
        return { id: `${args.name}-id`, state };
      },
      call: (args) => args.inputs,
    },
    "goquorum",
    stack,
    false,
  );
  pulumi.runtime.setAllConfig(config, secretKeys);
  return { registered };
}
