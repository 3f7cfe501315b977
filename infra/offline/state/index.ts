/** Every provider's stand-ins, by resource type and invoke token. Add a provider's mocks here. */
import { azureVaultMocks } from "./azureVault";
import { keyMocks } from "./keys";
import type { ComputedState, InvokeResult, ProviderMocks } from "./types";

const ALL: readonly ProviderMocks[] = [keyMocks, azureVaultMocks];

export const COMPUTED_STATE: Readonly<Record<string, ComputedState>> = Object.assign(
  {},
  ...ALL.map((m) => m.resources),
);

export const INVOKE_RESULTS: Readonly<Record<string, InvokeResult>> = Object.assign(
  {},
  ...ALL.map((m) => m.invokes ?? {}),
);
