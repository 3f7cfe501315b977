/** Stand-ins for the Azure resources of the Key Vault vault: managed identities and the deployer's client config. */
import { uuidV5 } from "../../azure/vault";
import type { ProviderMocks } from "./types";

/** Namespace of the throwaway ids below: never a real tenant's, subscription's or identity's. */
const THROWAWAY_IDS = "6f1d3a52-0b7e-4c39-a8e4-93d5b1c07f21";
const throwawayId = (...parts: string[]) => uuidV5(THROWAWAY_IDS, parts.join(":"));

export const azureVaultMocks: ProviderMocks = {
  resources: {
    // Azure assigns the client and principal ids; the name is the one asked for.
    "azure-native:managedidentity:UserAssignedIdentity": ({ stack, name, inputs }) => ({
      name: inputs.resourceName ?? name,
      clientId: throwawayId(stack, name, "clientId"),
      principalId: throwawayId(stack, name, "principalId"),
      tenantId: throwawayId(stack, "tenant"),
    }),
  },
  invokes: {
    "azure-native:authorization:getClientConfig": (_inputs, stack) => ({
      subscriptionId: throwawayId(stack, "subscription"),
      tenantId: throwawayId(stack, "tenant"),
      clientId: throwawayId(stack, "deployer", "clientId"),
      objectId: throwawayId(stack, "deployer", "objectId"),
    }),
  },
};
