/** Stack configs for the planner tests, parsed through the zod schema so every default applies. */
import {
  type NetworkConfig,
  type StackConfig,
  type StackConfigInput,
  StackConfig as StackConfigSchema,
} from "../../infra/config/schema";

type ClusterInput = StackConfigInput["clusters"][number];
type NetworkInput = Partial<StackConfigInput["network"]>;

export function stackConfig(clusters: ClusterInput[], network: NetworkInput = {}): StackConfig {
  return StackConfigSchema.parse({ network: { name: "testnet", chainId: 1337, ...network }, clusters });
}

/** The network settings of a one-cluster local stack, every default applied (the topology-dependent ones too). */
export function networkConfig(network: Record<string, unknown> = {}): NetworkConfig {
  return stackConfig([localCluster("kind")], network).network;
}

export function awsCluster(
  name: string,
  overrides: Partial<Extract<ClusterInput, { provider: "aws" }>> = {},
): ClusterInput {
  return {
    name,
    provider: "aws",
    region: "eu-west-1",
    nodePools: [{ name: "default", instanceType: "m6i.xlarge", count: 3 }],
    nodes: { validators: 1 },
    ...overrides,
  };
}

export function azureCluster(
  name: string,
  overrides: Partial<Extract<ClusterInput, { provider: "azure" }>> = {},
): ClusterInput {
  return {
    name,
    provider: "azure",
    region: "westeurope",
    nodePools: [{ name: "system", vmSize: "Standard_D4s_v5", count: 3 }],
    nodes: { validators: 1 },
    deployerRanges: ["203.0.113.0/24"],
    ...overrides,
  };
}

export function localCluster(
  name: string,
  overrides: Partial<Extract<ClusterInput, { provider: "local" }>> = {},
): ClusterInput {
  return { name, provider: "local", nodes: { validators: 4 }, ...overrides };
}
