/** Stack configs for the planner tests, parsed through the zod schema so every default applies. */
import type { ConfigIssue } from "../../infra/config/issue";
import {
  type NetworkConfig,
  type StackConfig,
  type StackConfigInput,
  StackConfig as StackConfigSchema,
} from "../../infra/config/schema";

type ClusterInput = StackConfigInput["clusters"][number];
type NetworkInput = Partial<StackConfigInput["network"]>;

/** A public range that is no documentation range: the plan warns about those. */
export const DEPLOYER_RANGE = "81.2.69.160/28";
/** The deploy role of the AWS test clusters (not in a documentation account: the plan warns about those). */
export const ADMIN_ROLE = "arn:aws:iam::210987654321:role/deploy";
/** The admin group of the Azure test clusters. */
export const ADMIN_GROUP = "4f8a1c2e-0b3d-4e5f-9a6b-7c8d9e0f1a2b";

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
    apiAccess: { publicRanges: [DEPLOYER_RANGE] },
    adminRoleArns: [ADMIN_ROLE],
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
    apiAccess: { publicRanges: [DEPLOYER_RANGE] },
    adminGroupObjectIds: [ADMIN_GROUP],
    ...overrides,
  };
}

export function localCluster(
  name: string,
  overrides: Partial<Extract<ClusterInput, { provider: "local" }>> = {},
): ClusterInput {
  return { name, provider: "local", nodes: { validators: 4 }, ...overrides };
}

/** The warning every plan whose nodes run GoQuorum carries (`infra/plan/besuIssues.ts`). */
export const isUnmaintainedWarning = (issue: ConfigIssue): boolean =>
  issue.severity === "warning" && issue.message.includes("which Consensys archived on 2026-06-05");

/** The issues without that warning, for tests of the other checks. */
export const withoutUnmaintained = <T extends ConfigIssue>(issues: readonly T[]): T[] =>
  issues.filter((i) => !isUnmaintainedWarning(i));
