/** The EKS control plane's settings as plain values: endpoint exposure, access entries, logs, key policy shape. */
import type { AwsClusterConfig, NetworkConfig } from "../config/schema";

/** Every control-plane log type EKS has: all on. */
export const CONTROL_PLANE_LOG_TYPES = [
  "api",
  "audit",
  "authenticator",
  "controllerManager",
  "scheduler",
] as const;

/**
 * EKS sends the control-plane logs of a cluster to the log group `/aws/eks/<cluster name>/cluster`, creating it
 * without expiry when it does not exist (EKS user guide, "Send control plane logs to CloudWatch Logs": one group
 * per cluster). The program creates the group first with a retention; terraform-aws-modules/terraform-aws-eks
 * (`cluster.tf`) does the same, with the same name, before the cluster.
 */
export const controlPlaneLogGroupName = (eksClusterName: string) => `/aws/eks/${eksClusterName}/cluster`;

export interface ControlPlaneLogGroup {
  readonly name: string;
  readonly retentionInDays: number;
}

export const controlPlaneLogGroup = (
  eksClusterName: string,
  cluster: Pick<AwsClusterConfig, "controlPlaneLogRetentionDays">,
): ControlPlaneLogGroup => ({
  name: controlPlaneLogGroupName(eksClusterName),
  retentionInDays: cluster.controlPlaneLogRetentionDays,
});

/**
 * Without an upgrade policy EKS puts a cluster into extended support (0.60 instead of 0.10 USD an hour) when its
 * version leaves standard support (EKS user guide, "Kubernetes version lifecycle"); STANDARD upgrades it instead.
 */
export const upgradePolicy = (cluster: Pick<AwsClusterConfig, "supportType">) => ({
  supportType: cluster.supportType,
});

/** KMS key of a cluster: yearly automatic rotation, the longest deletion window. */
export const CLUSTER_KEY = {
  enableKeyRotation: true,
  rotationPeriodInDays: 365,
  deletionWindowInDays: 30,
} as const;

/** The cluster's name in EKS (and in the subnets' cluster tag): unique per network in an account. */
export const eksClusterName = (
  network: Pick<NetworkConfig, "name">,
  cluster: Pick<AwsClusterConfig, "name">,
) => `${network.name}-${cluster.name}`;

export interface EndpointAccess {
  /** Always on: nodes, and runners in `apiAccess.privateRanges`, use the private endpoint. */
  readonly endpointPrivateAccess: true;
  readonly endpointPublicAccess: boolean;
  /** Only when the public endpoint is on: `apiAccess.publicRanges`, never 0.0.0.0/0 (the plan checks). */
  readonly publicAccessCidrs?: string[];
}

/**
 * The EKS endpoints from `apiAccess`: the public one only for `publicRanges`. With it off, the endpoint's
 * name resolves to the private addresses from public DNS too, so connected networks reach it by name (EKS
 * user guide, "Cluster API server endpoint", the private-only row of its table).
 */
export function endpointAccess(cluster: Pick<AwsClusterConfig, "apiAccess">): EndpointAccess {
  const { publicRanges } = cluster.apiAccess;
  const open = publicRanges.filter((c) => c.endsWith("/0"));
  if (open.length > 0)
    throw new Error(
      `clusters[].apiAccess.publicRanges may not open the API to everyone (${open.join(", ")})`,
    );
  return publicRanges.length === 0
    ? { endpointPrivateAccess: true, endpointPublicAccess: false }
    : { endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs: [...publicRanges] };
}

export interface AdminAccessEntry {
  readonly principalArn: string;
  readonly accessPolicies: {
    readonly clusterAdmin: { readonly policyArn: string; readonly accessScope: { readonly type: "cluster" } };
  };
}

/** One access entry per admin role, with the EKS cluster-admin access policy over the whole cluster. */
export function adminAccessEntries(roleArns: readonly string[]): Record<string, AdminAccessEntry> {
  return Object.fromEntries(
    roleArns.map((principalArn, i) => {
      const partition = principalArn.split(":")[1];
      return [
        `admin-${i}`,
        {
          principalArn,
          accessPolicies: {
            clusterAdmin: {
              policyArn: `arn:${partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`,
              accessScope: { type: "cluster" },
            },
          },
        },
      ];
    }),
  );
}
