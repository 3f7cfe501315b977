/** The EKS control plane's settings as plain values: endpoint exposure, access entries, logs, key policy shape. */
import type { ConfigIssue } from "../config/issue";
import type { AwsClusterConfig, NetworkConfig } from "../config/schema";
import { error } from "../plan/issues";

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

type AccessPolicyName = "AmazonEKSClusterAdminPolicy" | "AmazonEKSViewPolicy";

export interface AccessEntry {
  readonly principalArn: string;
  readonly accessPolicies: {
    readonly [name: string]: {
      readonly policyArn: string;
      readonly accessScope: { readonly type: "cluster" };
    };
  };
}

const accessEntry = (principalArn: string, policy: AccessPolicyName): AccessEntry => ({
  principalArn,
  accessPolicies: {
    [policy === "AmazonEKSClusterAdminPolicy" ? "clusterAdmin" : "view"]: {
      policyArn: `arn:${principalArn.split(":")[1]}:eks::aws:cluster-access-policy/${policy}`,
      accessScope: { type: "cluster" },
    },
  },
});

/**
 * The cluster's access entries, its only Kubernetes identities besides the nodes: cluster-admin for
 * `adminRoleArns`, read-only for `viewerRoleArns` (AmazonEKSViewPolicy: most objects, no Secrets; EKS user
 * guide, "Review access policy permissions"). A principal has one access entry per cluster, so a role in both
 * lists is refused by the plan.
 */
export function accessEntries(
  cluster: Pick<AwsClusterConfig, "adminRoleArns" | "viewerRoleArns">,
): Record<string, AccessEntry> {
  return Object.fromEntries([
    ...cluster.adminRoleArns.map((arn, i) => [`admin-${i}`, accessEntry(arn, "AmazonEKSClusterAdminPolicy")]),
    ...cluster.viewerRoleArns.map((arn, i) => [`viewer-${i}`, accessEntry(arn, "AmazonEKSViewPolicy")]),
  ]);
}

/** The type token of the EKS cluster resource inside the eks.Cluster component. */
export const EKS_CLUSTER_TYPE = "aws:eks/cluster:Cluster";

/**
 * The inputs of the EKS cluster resource without the creator's implicit cluster-admin. pulumi-eks always sets
 * `accessConfig.bootstrapClusterCreatorAdminPermissions: true` (pulumi/pulumi-eks `nodejs/eks/cluster/cluster.ts`,
 * issue #2373), which makes whoever runs the first `pulumi up` an admin outside the config, and makes an access
 * entry for that same role fail (EKS answers 409 ResourceInUseException). The component applies this as a
 * `transforms` entry (transforms reach packaged components' children; Pulumi docs, "transforms"); the
 * component ignores later changes to the flag, so an existing cluster is left as it is.
 */
export function withoutCreatorAdmin(
  type: string,
  props: Record<string, unknown>,
): Record<string, unknown> | undefined {
  if (type !== EKS_CLUSTER_TYPE) return undefined;
  const access = (props.accessConfig ?? {}) as Record<string, unknown>;
  return { ...props, accessConfig: { ...access, bootstrapClusterCreatorAdminPermissions: false } };
}

/** The IAM role a caller ARN acts as: an assumed-role session names its role without the role's path. */
function callerRole(arn: string): { readonly account: string; readonly name: string } | undefined {
  const session = /^arn:aws[a-z-]*:sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(arn);
  return session ? { account: session[1] as string, name: session[2] as string } : undefined;
}

/** Whether a role ARN names the role a caller acts as (IAM role names are unique in an account, paths aside). */
const sameRole = (roleArn: string, caller: { account: string; name: string }) => {
  const role = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
  return role?.[1] === caller.account && role?.[2] === caller.name;
};

export interface AwsAccessLists {
  /** The cluster's config path, e.g. `clusters[0]`. */
  readonly path: string;
  readonly adminRoleArns: readonly string[];
  readonly viewerRoleArns: readonly string[];
}

/**
 * Before anything is created: the identity running the program must be an admin of every AWS cluster (a
 * viewer suffices for a preview), or `pulumi up` would build the clusters and then be refused at the first
 * Kubernetes object.
 */
export function deployerRoleIssues(
  callerArn: string,
  clusters: readonly AwsAccessLists[],
  preview: boolean,
): ConfigIssue[] {
  const caller = callerRole(callerArn);
  return clusters.flatMap((cluster) => {
    const allowed = preview ? [...cluster.adminRoleArns, ...cluster.viewerRoleArns] : cluster.adminRoleArns;
    if (caller && allowed.some((arn) => sameRole(arn, caller))) return [];
    const key = preview ? "adminRoleArns or viewerRoleArns" : "adminRoleArns";
    return [
      error(
        `${cluster.path}.${preview ? "viewerRoleArns" : "adminRoleArns"}`,
        caller
          ? `this ${preview ? "preview" : "update"} runs as role ${caller.name} of account ${caller.account}, which is not in ${key}: the cluster would refuse its Kubernetes objects. Add the role's ARN, or run as a listed role.`
          : `this ${preview ? "preview" : "update"} runs as ${callerArn}, not an assumed IAM role: EKS access entries here name roles. Assume a role listed in ${key}.`,
      ),
    ];
  });
}
