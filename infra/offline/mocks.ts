/**
 * The mock runtime behind `npm run render` and the program tests: no cloud, no CLI, no state.
 * Providers' computed outputs come from `state/`, derived from the resource's inputs (which come from the
 * plan); random bytes from the stack and resource name, so renders are reproducible and never contain a
 * real stack's keys.
 */
import * as pulumi from "@pulumi/pulumi";
import { COMPUTED_STATE, INVOKE_RESULTS } from "./state";

export { throwawayBytes } from "./state/throwaway";

export interface OfflineRuntime {
  readonly registered: pulumi.runtime.MockResourceArgs[];
}

/**
 * @param previousOutputs what the stack's reference to itself reads: the outputs of its last deployment
 *   (none for a stack never deployed)
 */
export async function useOfflineRuntime(
  stack: string,
  config: Record<string, string>,
  secretKeys: string[],
  previousOutputs: Record<string, unknown> = {},
): Promise<OfflineRuntime> {
  const registered: pulumi.runtime.MockResourceArgs[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push(args);
        const computed =
          args.type === "pulumi:pulumi:StackReference"
            ? { outputs: previousOutputs }
            : (COMPUTED_STATE[args.type]?.({
                stack,
                name: args.name,
                inputs: args.inputs,
                provider: args.provider,
              }) ?? {});
        // A provider's own id (e.g. an ARM id) when its stand-in gives one.
        const id = typeof computed.id === "string" ? computed.id : `${args.name}-id`;
        return { id, state: { ...args.inputs, ...computed } };
      },
      call: (args) => INVOKE_RESULTS[args.token]?.(args.inputs, stack, config) ?? args.inputs,
    },
    "goquorum",
    stack,
    false,
    // A self-managed backend's organization.
    "organization",
  );
  pulumi.runtime.setAllConfig(config, secretKeys);
  return { registered };
}
