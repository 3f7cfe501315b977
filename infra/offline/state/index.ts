/** Every provider's stand-ins, by resource type and invoke token. Add a provider's mocks here. */
import { awsMocks } from "./aws";
import { awsVaultMocks } from "./awsVault";
import { azureMocks } from "./azure";
import { keyMocks } from "./keys";
import type { ComputedState, InvokeResult, ProviderMocks } from "./types";
import { vpnMocks } from "./vpn";

const ALL: readonly ProviderMocks[] = [keyMocks, azureMocks, awsMocks, awsVaultMocks, vpnMocks];

export const COMPUTED_STATE: Readonly<Record<string, ComputedState>> = Object.assign(
  {},
  ...ALL.map((m) => m.resources),
);

export const INVOKE_RESULTS: Readonly<Record<string, InvokeResult>> = Object.assign(
  {},
  ...ALL.map((m) => m.invokes ?? {}),
);
