/**
 * IAM and KMS policy documents of an AWS cluster, as plain objects: the components only serialise them.
 * Every role a pod assumes trusts exactly one service account (IRSA), and grants only what its controller needs.
 */
import { parseArn } from "./arn";

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: Readonly<Record<string, string | readonly string[]>>;
  readonly Action: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly PolicyStatement[];
}

const doc = (...Statement: PolicyStatement[]): PolicyDocument => ({ Version: "2012-10-17", Statement });

/** Where the account's identity lives: partition (aws, aws-cn, aws-us-gov), account id, region. */
export interface AwsAccount {
  readonly partition: string;
  readonly accountId: string;
  readonly region: string;
}

/** The audience of the tokens STS accepts from a pod (IRSA), and the Secrets Store CSI driver requests. */
export const IRSA_AUDIENCE = "sts.amazonaws.com";

/** ServiceAccount annotation naming the role its pods assume (IRSA). */
export const IRSA_ROLE_ANNOTATION = "eks.amazonaws.com/role-arn";

/** `system:serviceaccount:<namespace>:<name>`: the subject of a service account's token. */
export const serviceAccountSubject = (namespace: string, name: string): string =>
  `system:serviceaccount:${namespace}:${name}`;

/** One Kubernetes service account of one cluster, as IRSA names it. */
export interface ServiceAccountTrust {
  /** The cluster's IAM OIDC provider. */
  readonly oidcProviderArn: string;
  /** The cluster's OIDC issuer, without `https://` (as IAM condition keys spell it). */
  readonly oidcIssuer: string;
  readonly namespace: string;
  readonly serviceAccount: string;
}

/**
 * Trust of a role for exactly one Kubernetes service account through its cluster's OIDC provider (IRSA): a
 * token of that account, issued by that cluster for STS. The issuer must be the OIDC provider's own, or the
 * conditions would never match. `sid` names the statement.
 */
export function serviceAccountTrustPolicy(trust: ServiceAccountTrust, sid?: string): PolicyDocument {
  const provider = parseArn(trust.oidcProviderArn, "iam", "the OIDC provider ARN");
  if (trust.oidcIssuer.includes("://")) {
    throw new Error(
      `the OIDC issuer must not name a scheme (IAM condition keys omit it): ${trust.oidcIssuer}`,
    );
  }
  if (provider.resource !== `oidc-provider/${trust.oidcIssuer}`) {
    throw new Error(
      `OIDC provider ${trust.oidcProviderArn} is not the provider of issuer ${trust.oidcIssuer}`,
    );
  }
  return doc({
    ...(sid ? { Sid: sid } : {}),
    Effect: "Allow",
    Principal: { Federated: trust.oidcProviderArn },
    Action: "sts:AssumeRoleWithWebIdentity",
    Condition: {
      StringEquals: {
        [`${trust.oidcIssuer}:sub`]: serviceAccountSubject(trust.namespace, trust.serviceAccount),
        [`${trust.oidcIssuer}:aud`]: IRSA_AUDIENCE,
      },
    },
  });
}

/** Trust of the node role: EC2 instances of the managed node groups. */
export const nodeRoleTrustPolicy = (): PolicyDocument =>
  doc({ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" });

/** Trust of the cluster's service role: the EKS control plane. */
export const clusterRoleTrustPolicy = (): PolicyDocument =>
  doc({ Effect: "Allow", Principal: { Service: "eks.amazonaws.com" }, Action: "sts:AssumeRole" });

/** The control plane's AWS managed policy. */
export const CLUSTER_ROLE_POLICY = "AmazonEKSClusterPolicy";

/** What the control plane does with the cluster key to envelope-encrypt Secrets: on that key only. */
export const clusterKeyUsePolicy = (keyArn: string): PolicyDocument =>
  doc({
    Effect: "Allow",
    Action: ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey", "kms:ListGrants", "kms:CreateGrant"],
    Resource: keyArn,
  });

/** AWS managed policies of the node role: join the cluster and pull images; the VPC CNI has a role of its own. */
export const NODE_ROLE_POLICIES = [
  "AmazonEKSWorkerNodePolicy",
  "AmazonEC2ContainerRegistryReadOnly",
] as const;

/** The VPC CNI's AWS managed policy (ENIs and addresses), on the role of the `aws-node` service account. */
export const VPC_CNI_POLICY = "AmazonEKS_CNI_Policy";

/** The EBS CSI controller's AWS managed policy (volumes, snapshots, attachments). */
export const EBS_CSI_POLICY = "service-role/AmazonEBSCSIDriverPolicy";

export const managedPolicyArn = (partition: string, name: string): string =>
  `arn:${partition}:iam::aws:policy/${name}`;

/**
 * The cluster's customer-managed key: the account administers it (through IAM policies: the root
 * principal never lets the key become unmanageable), and it encrypts and decrypts only on behalf of EKS
 * (Kubernetes Secrets envelope) and Secrets Manager (the nodes' secrets), for callers of this account.
 * Which roles may use it is then decided by their IAM policies.
 */
export function clusterKeyPolicy(account: AwsAccount): PolicyDocument {
  const root = `arn:${account.partition}:iam::${account.accountId}:root`;
  return doc(
    {
      Sid: "AccountAdministersTheKey",
      Effect: "Allow",
      Principal: { AWS: root },
      // Never `kms:Create*`: it includes kms:CreateGrant, and a grant lets its grantee use the key outside
      // the kms:ViaService condition below. Creating the key's alias is all administration needs here.
      Action: [
        "kms:CreateAlias",
        "kms:Describe*",
        "kms:Enable*",
        "kms:List*",
        "kms:Put*",
        "kms:Update*",
        "kms:Revoke*",
        "kms:Disable*",
        "kms:Get*",
        "kms:Delete*",
        "kms:TagResource",
        "kms:UntagResource",
        "kms:ScheduleKeyDeletion",
        "kms:CancelKeyDeletion",
        "kms:RotateKeyOnDemand",
      ],
      Resource: "*",
    },
    {
      Sid: "UseOnlyThroughEksAndSecretsManager",
      Effect: "Allow",
      Principal: { AWS: root },
      Action: [
        "kms:Encrypt",
        "kms:Decrypt",
        "kms:ReEncrypt*",
        "kms:GenerateDataKey*",
        "kms:DescribeKey",
        "kms:CreateGrant",
      ],
      Resource: "*",
      Condition: {
        StringEquals: {
          "kms:CallerAccount": account.accountId,
          "kms:ViaService": [
            `eks.${account.region}.amazonaws.com`,
            `secretsmanager.${account.region}.amazonaws.com`,
          ],
        },
      },
    },
  );
}

/** Tag the load balancer controller puts on everything it creates, and only touches what carries it. */
const LBC_CLUSTER_TAG = "elbv2.k8s.aws/cluster";
const tagged = { Null: { [`aws:ResourceTag/${LBC_CLUSTER_TAG}`]: "false" } };
const taggedOnCreate = { Null: { [`aws:RequestTag/${LBC_CLUSTER_TAG}`]: "false" } };

/**
 * The AWS Load Balancer Controller's permissions for Service load balancers (NLBs with IP targets and their
 * security groups): read the network and ELB state, create load balancers and target groups only with its
 * cluster tag, change or delete only what carries that tag. No ALB extras (WAF, Shield, ACM, Cognito): the
 * program creates no Ingress.
 */
export function loadBalancerControllerPolicy(partition: string): PolicyDocument {
  const elb = (resource: string) => `arn:${partition}:elasticloadbalancing:*:*:${resource}`;
  const ec2 = (resource: string) => `arn:${partition}:ec2:*:*:${resource}`;
  return doc(
    {
      Sid: "ElbServiceLinkedRole",
      Effect: "Allow",
      Action: "iam:CreateServiceLinkedRole",
      Resource: "*",
      Condition: { StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" } },
    },
    {
      Sid: "Read",
      Effect: "Allow",
      Action: [
        "ec2:DescribeAccountAttributes",
        "ec2:DescribeAddresses",
        "ec2:DescribeAvailabilityZones",
        "ec2:DescribeInternetGateways",
        "ec2:DescribeVpcs",
        "ec2:DescribeVpcPeeringConnections",
        "ec2:DescribeSubnets",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeInstances",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DescribeTags",
        "ec2:DescribeRouteTables",
        "ec2:GetSecurityGroupsForVpc",
        "elasticloadbalancing:DescribeLoadBalancers",
        "elasticloadbalancing:DescribeLoadBalancerAttributes",
        "elasticloadbalancing:DescribeListeners",
        "elasticloadbalancing:DescribeListenerAttributes",
        "elasticloadbalancing:DescribeTargetGroups",
        "elasticloadbalancing:DescribeTargetGroupAttributes",
        "elasticloadbalancing:DescribeTargetHealth",
        "elasticloadbalancing:DescribeTags",
        "elasticloadbalancing:DescribeCapacityReservation",
      ],
      Resource: "*",
    },
    {
      Sid: "SecurityGroups",
      Effect: "Allow",
      Action: [
        "ec2:CreateSecurityGroup",
        "ec2:AuthorizeSecurityGroupIngress",
        "ec2:RevokeSecurityGroupIngress",
      ],
      Resource: "*",
    },
    {
      Sid: "TagNewSecurityGroups",
      Effect: "Allow",
      Action: "ec2:CreateTags",
      Resource: ec2("security-group/*"),
      Condition: { StringEquals: { "ec2:CreateAction": "CreateSecurityGroup" }, ...taggedOnCreate },
    },
    {
      Sid: "OwnSecurityGroups",
      Effect: "Allow",
      Action: ["ec2:CreateTags", "ec2:DeleteTags", "ec2:DeleteSecurityGroup"],
      Resource: ec2("security-group/*"),
      Condition: tagged,
    },
    {
      Sid: "CreateTaggedLoadBalancers",
      Effect: "Allow",
      Action: [
        "elasticloadbalancing:CreateLoadBalancer",
        "elasticloadbalancing:CreateTargetGroup",
        "elasticloadbalancing:AddTags",
      ],
      Resource: [elb("loadbalancer/*"), elb("targetgroup/*/*")],
      Condition: taggedOnCreate,
    },
    {
      Sid: "OwnLoadBalancers",
      Effect: "Allow",
      Action: [
        "elasticloadbalancing:ModifyLoadBalancerAttributes",
        "elasticloadbalancing:SetIpAddressType",
        "elasticloadbalancing:SetSecurityGroups",
        "elasticloadbalancing:SetSubnets",
        "elasticloadbalancing:DeleteLoadBalancer",
        "elasticloadbalancing:ModifyTargetGroup",
        "elasticloadbalancing:ModifyTargetGroupAttributes",
        "elasticloadbalancing:DeleteTargetGroup",
        "elasticloadbalancing:AddTags",
        "elasticloadbalancing:RemoveTags",
      ],
      Resource: [elb("loadbalancer/*"), elb("targetgroup/*/*")],
      Condition: tagged,
    },
    {
      Sid: "TagListeners",
      Effect: "Allow",
      Action: "elasticloadbalancing:AddTags",
      Resource: elb("listener/*"),
    },
    {
      Sid: "ListenersAndTargets",
      Effect: "Allow",
      Action: [
        "elasticloadbalancing:CreateListener",
        "elasticloadbalancing:DeleteListener",
        "elasticloadbalancing:ModifyListener",
        "elasticloadbalancing:ModifyListenerAttributes",
        "elasticloadbalancing:RegisterTargets",
        "elasticloadbalancing:DeregisterTargets",
      ],
      Resource: [elb("loadbalancer/*"), elb("listener/*"), elb("targetgroup/*/*")],
    },
  );
}
