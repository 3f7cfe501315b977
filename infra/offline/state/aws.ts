/**
 * Stand-ins for the AWS providers (aws, eks): ids, ARNs and the outputs of the remote eks.Cluster component
 * (kubeconfig, OIDC issuer and provider, cluster security group), derived from the inputs and the region of
 * the provider each resource is registered with. The account id is a throwaway derived from the stack.
 */
import { throwawayBytes } from "./throwaway";
import type { MockContext, ProviderMocks } from "./types";

/** Region by provider id and by VPC id: a VPC's region is its provider's, an EKS cluster's is its VPC's. */
const regions = new Map<string, string>();
/** The mock runtime's id of a resource (see mocks.ts). */
const mockId = (name: string) => `${name}-id`;
/** `<urn>::<id>` → id. */
const idOf = (reference: string | undefined) => reference?.split("::").pop();

function regionOf(ctx: MockContext): string {
  const region = regions.get(idOf(ctx.provider) ?? "");
  if (!region) throw new Error(`mock AWS resource ${ctx.name} has no regional provider`);
  return region;
}

const partitionOf = (region: string) =>
  region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";

/** A 12-digit account id for the stack. */
const accountId = (stack: string) =>
  String(throwawayBytes(`account:${stack}`).readUIntBE(0, 6) % 1_000_000_000_000).padStart(12, "0");

const hex = (label: string, length: number) =>
  throwawayBytes(label, Math.ceil(length / 2))
    .toString("hex")
    .slice(0, length);

const uuid = (label: string) => {
  const h = hex(label, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

const arn = (ctx: MockContext, service: string, resource: string, global = false) => {
  const region = regionOf(ctx);
  return `arn:${partitionOf(region)}:${service}:${global ? "" : region}:${accountId(ctx.stack)}:${resource}`;
};

/** A session of the first role in an AWS cluster's `adminRoleArns`, if the config lists one. */
function firstAdminSession(config: Readonly<Record<string, string>>): string | undefined {
  const clusters = JSON.parse(config["goquorum:clusters"] ?? "[]") as { adminRoleArns?: string[] }[];
  const role = clusters.flatMap((c) => c.adminRoleArns ?? [])[0];
  const parts = role && /^arn:(aws[a-z-]*):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(role);
  return parts ? `arn:${parts[1]}:sts::${parts[2]}:assumed-role/${parts[3]}/pulumi` : undefined;
}

/** A kubeconfig as eks.Cluster writes it: the endpoint and CA, a token from `aws eks get-token`. */
function kubeconfig(clusterName: string, region: string, endpoint: string, stack: string) {
  const user = `aws-${clusterName}`;
  const ca = Buffer.from(`throwaway cluster CA for ${stack}/${clusterName}`).toString("base64");
  return {
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "kubernetes", cluster: { server: endpoint, "certificate-authority-data": ca } }],
    contexts: [{ name: user, context: { cluster: "kubernetes", user } }],
    "current-context": user,
    users: [
      {
        name: user,
        user: {
          exec: {
            apiVersion: "client.authentication.k8s.io/v1beta1",
            command: "aws",
            args: ["eks", "get-token", "--cluster-name", clusterName, "--region", region, "--output", "json"],
          },
        },
      },
    ],
  };
}

export const awsMocks: ProviderMocks = {
  resources: {
    "pulumi:providers:aws": ({ name, inputs }) => {
      regions.set(mockId(name), String(inputs.region));
      return {};
    },
    "aws:ec2/vpc:Vpc": (ctx) => {
      regions.set(mockId(ctx.name), regionOf(ctx));
      return {
        arn: arn(ctx, "ec2", `vpc/${mockId(ctx.name)}`),
        ownerId: accountId(ctx.stack),
        mainRouteTableId: mockId(`${ctx.name}-main-rt`),
        defaultSecurityGroupId: mockId(`${ctx.name}-default-sg`),
      };
    },
    "aws:ec2/subnet:Subnet": (ctx) => ({
      arn: arn(ctx, "ec2", `subnet/${mockId(ctx.name)}`),
      ownerId: accountId(ctx.stack),
    }),
    "aws:ec2/vpcPeeringConnection:VpcPeeringConnection": (ctx) => ({
      acceptStatus: ctx.inputs.autoAccept ? "active" : "pending-acceptance",
      peerOwnerId: accountId(ctx.stack),
      peerRegion: ctx.inputs.peerRegion ?? regionOf(ctx),
    }),
    "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter": () => ({ acceptStatus: "active" }),
    "aws:ec2/launchTemplate:LaunchTemplate": (ctx) => ({
      arn: arn(ctx, "ec2", `launch-template/lt-${hex(`${ctx.stack}:${ctx.name}`, 17)}`),
      latestVersion: 1,
      defaultVersion: 1,
    }),
    "aws:kms/key:Key": (ctx) => {
      const keyId = uuid(`${ctx.stack}:${ctx.name}`);
      return { keyId, arn: arn(ctx, "kms", `key/${keyId}`) };
    },
    "aws:kms/alias:Alias": (ctx) => ({ arn: arn(ctx, "kms", String(ctx.inputs.name)) }),
    // IAM names get Pulumi's random suffix when none is given.
    "aws:iam/role:Role": (ctx) => {
      const name = String(ctx.inputs.name ?? `${ctx.name}-${hex(`${ctx.stack}:${ctx.name}`, 7)}`);
      return {
        name,
        arn: arn(ctx, "iam", `role/${name}`, true),
        uniqueId: `AROA${hex(ctx.name, 17).toUpperCase()}`,
      };
    },
    "aws:eks/nodeGroup:NodeGroup": (ctx) => ({
      arn: arn(
        ctx,
        "eks",
        `nodegroup/${ctx.inputs.clusterName}/${ctx.inputs.nodeGroupName}/${uuid(ctx.name)}`,
      ),
      status: "ACTIVE",
    }),
    "aws:eks/addon:Addon": (ctx) => ({
      arn: arn(ctx, "eks", `addon/${ctx.inputs.clusterName}/${ctx.inputs.addonName}/${uuid(ctx.name)}`),
      addonVersion: "v1.0.0-eksbuild.1",
    }),
    // The remote component: its region is its VPC's.
    "eks:index:Cluster": ({ stack, name, inputs }) => {
      const region = regions.get(String(inputs.vpcId));
      if (!region) throw new Error(`mock eks.Cluster ${name} is not in a known VPC`);
      const clusterName = String(inputs.name ?? name);
      const id = hex(`${stack}:${clusterName}:oidc`, 32).toUpperCase();
      const oidcIssuer = `oidc.eks.${region}.amazonaws.com/id/${id}`;
      const endpoint = `https://${id}.gr7.${region}.eks.amazonaws.com`;
      const config = kubeconfig(clusterName, region, endpoint, stack);
      return {
        kubeconfig: config,
        kubeconfigJson: JSON.stringify(config),
        oidcIssuer,
        oidcProviderUrl: `https://${oidcIssuer}`,
        oidcProviderArn: `arn:${partitionOf(region)}:iam::${accountId(stack)}:oidc-provider/${oidcIssuer}`,
        clusterSecurityGroupId: `sg-${hex(`${stack}:${clusterName}:cluster-sg`, 17)}`,
        nodeSecurityGroupId: "",
      };
    },
  },
  invokes: {
    // The render deploys as the stack's first AWS admin role, as the deploy workflow would.
    "aws:index/getCallerIdentity:getCallerIdentity": (_inputs, stack, config) => ({
      accountId: accountId(stack),
      arn: firstAdminSession(config) ?? `arn:aws:sts::${accountId(stack)}:assumed-role/deploy/pulumi`,
      userId: `AROA${hex(`${stack}:caller`, 17).toUpperCase()}:pulumi`,
      id: accountId(stack),
    }),
    "aws:index/getPartition:getPartition": () => ({
      partition: "aws",
      dnsSuffix: "amazonaws.com",
      reverseDnsPrefix: "com.amazonaws",
      id: "aws",
    }),
  },
};
