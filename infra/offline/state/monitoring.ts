/** Stand-ins for the monitoring resources' providers: the generated Grafana admin password. */
import * as pulumi from "@pulumi/pulumi";
import { throwawayBytes } from "./throwaway";
import type { ProviderMocks } from "./types";

export const monitoringMocks: ProviderMocks = {
  resources: {
    // Secret, as the provider's additionalSecretOutputs make it (mocks ignore those).
    "random:index/randomPassword:RandomPassword": ({ stack, name, inputs }) => ({
      result: pulumi.secret(throwawayBytes(`${stack}:${name}`, Number(inputs.length ?? 32)).toString("hex")),
    }),
  },
};
