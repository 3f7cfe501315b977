import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
  EBS_CSI_SERVICE_ACCOUNT,
  gp3StorageClass,
  KUBE_SYSTEM,
  LOAD_BALANCER_CONTROLLER_CHART,
  LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT,
  loadBalancerControllerValues,
  VPC_CNI_SERVICE_ACCOUNT,
} from "../../infra/aws/addons";
import { apiServerIngressRules } from "../../infra/aws/apiAccess";
import { EKS_NODE_UPDATE } from "../../infra/aws/behaviour";
import { eniConfigs, vpcCniConfiguration } from "../../infra/aws/cni";
import {
  accessEntries,
  CLUSTER_KEY,
  CONTROL_PLANE_LOG_TYPES,
  controlPlaneLogGroup,
  endpointAccess,
  upgradePolicy,
  withoutCreatorAdmin,
} from "../../infra/aws/eks";
import {
  CLUSTER_ROLE_POLICY,
  clusterKeyPolicy,
  clusterKeyUsePolicy,
  clusterRoleTrustPolicy,
  EBS_CSI_POLICY,
  loadBalancerControllerPolicy,
  managedPolicyArn,
  NODE_ROLE_POLICIES,
  nodeRoleTrustPolicy,
  type PolicyDocument,
  serviceAccountTrustPolicy,
  VPC_CNI_POLICY,
} from "../../infra/aws/iam";
import { awsSubnetName } from "../../infra/aws/names";
import { METADATA_OPTIONS, nodeGroupSettings, nodeUserData, ROOT_VOLUME } from "../../infra/aws/nodeGroups";
import type { AwsClusterConfig, NetworkConfig } from "../../infra/config/schema";
import type { DeployerPath } from "../../infra/plan/apiAccess";
import type { ClusterPlan } from "../../infra/plan/types";
import type { ClusterKubernetesVersions } from "../../infra/verify/kubernetesUpgrade";
import { CRD_ADOPTION, once } from "../targets/ClusterTarget";
import type { AwsNetwork } from "./AwsNetwork";

export interface EksClusterArgs {
  readonly config: AwsClusterConfig;
  readonly network: NetworkConfig;
  readonly plan: ClusterPlan;
  /** The cluster's name in EKS (`eksClusterName`). */
  readonly eksClusterName: string;
  readonly vpc: AwsNetwork;
  /** Provider of the cluster's region. */
  readonly provider: aws.Provider;
  /** StorageClass to create for chain data. */
  readonly storageClass: string;
  readonly tags: Readonly<Record<string, string>>;
  /** The plan's deployer paths: the cluster security group admits TCP 443 from the private ones. */
  readonly deployerPaths: readonly DeployerPath[];
  /** Peerings and routes runners reach the private endpoint through; the Kubernetes provider waits for them. */
  readonly deployerNetworks: readonly pulumi.Resource[];
}

/**
 * An EKS cluster built from the plan: its customer-managed KMS key, the control plane (private endpoint,
 * API authentication with access entries, envelope-encrypted Secrets, every log type into a log group with a
 * retention, standard support unless configured, OIDC provider, no default node group), the VPC CNI configured as planned, one managed node group per pool, and the add-ons
 * the node pods need (EBS CSI driver and gp3 StorageClass, AWS Load Balancer Controller, ENIConfigs).
 */
export class EksCluster extends pulumi.ComponentResource {
  /** The Kubernetes provider of the cluster (kubeconfig kept secret). */
  readonly kubernetes: k8s.Provider;
  readonly crdKubernetes: () => k8s.Provider;
  readonly kmsKeyArn: pulumi.Output<string>;
  readonly oidcProviderArn: pulumi.Output<string>;
  /** The minor the control plane was set to and what EKS reports for each node group (`version`). */
  readonly kubernetesVersions: pulumi.Output<ClusterKubernetesVersions>;
  /** The OIDC issuer without `https://`. */
  readonly oidcIssuer: pulumi.Output<string>;
  /** The EKS-created cluster security group, on every node and pod ENI. */
  readonly securityGroupId: pulumi.Output<string>;
  /** Add-ons the node pods need before they start. */
  readonly prerequisites: readonly pulumi.Resource[];

  private readonly args: EksClusterArgs;
  /** The account's partition (aws, aws-cn, aws-us-gov), as ARNs spell it. */
  readonly partition: pulumi.Output<string>;

  constructor(name: string, args: EksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("goquorum:aws:EksCluster", name, {}, opts);
    this.args = args;
    const { config, plan, vpc, tags } = args;
    const child = { parent: this, provider: args.provider };
    const invokeOpts = { parent: this, provider: args.provider };
    const partition = aws.getPartitionOutput({}, invokeOpts).partition;
    this.partition = partition;
    const accountId = aws.getCallerIdentityOutput({}, invokeOpts).accountId;

    const key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `Kubernetes Secrets and node keys of EKS cluster ${args.eksClusterName}`,
        ...CLUSTER_KEY,
        policy: pulumi
          .all([partition, accountId])
          .apply(([p, a]) => json(clusterKeyPolicy({ partition: p, accountId: a, region: plan.region }))),
        tags,
      },
      { ...child, protect: args.network.protectKeys },
    );
    new aws.kms.Alias(`${name}-key`, { name: `alias/${args.eksClusterName}`, targetKeyId: key.keyId }, child);
    this.kmsKeyArn = key.arn;

    // The control plane's own role, granted the cluster key for envelope encryption and nothing else beyond EKS's policy.
    const serviceRole = new aws.iam.Role(
      `${name}-cluster`,
      { assumeRolePolicy: json(clusterRoleTrustPolicy()), tags },
      child,
    );
    const serviceRoleGrants = [
      this.managedPolicyAttachment(
        `${name}-cluster-${CLUSTER_ROLE_POLICY}`,
        serviceRole,
        CLUSTER_ROLE_POLICY,
      ),
      new aws.iam.RolePolicy(
        `${name}-cluster-key`,
        { role: serviceRole.name, policy: key.arn.apply((arn) => json(clusterKeyUsePolicy(arn))) },
        child,
      ),
    ];

    // Ours before the cluster's: EKS would otherwise create it, keeping logs forever.
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-control-plane-logs`,
      { ...controlPlaneLogGroup(args.eksClusterName, config), tags },
      child,
    );

    const privateSubnetIds = plan.subnets
      .filter((s) => s.purpose === "private")
      .map((s) => vpc.subnetId(awsSubnetName(plan, s)));
    const cluster = new eks.Cluster(
      name,
      {
        name: args.eksClusterName,
        serviceRole,
        version: config.kubernetesVersion,
        vpcId: vpc.vpcId,
        privateSubnetIds,
        nodeAssociatePublicIpAddress: false,
        ...endpointAccess(config),
        authenticationMode: eks.AuthenticationMode.Api,
        accessEntries: accessEntries(config),
        encryptionConfigKeyArn: key.arn,
        enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
        upgradePolicy: upgradePolicy(config),
        createOidcProvider: true,
        skipDefaultNodeGroup: true,
        // Nodes and pods then carry the EKS-created cluster security group, which the peer rules open.
        skipDefaultSecurityGroups: true,
        kubernetesServiceIpAddressRange: plan.serviceCidr,
        // The vpc-cni add-on is ours (below): its role can only trust the OIDC provider once the cluster exists.
        useDefaultVpcCni: true,
        tags,
      },
      {
        parent: this,
        providers: [args.provider],
        dependsOn: [...serviceRoleGrants, logGroup],
        // The admins are adminRoleArns, not whoever creates the cluster.
        transforms: [
          ({ type, props, opts }) => {
            const changed = withoutCreatorAdmin(type, props);
            return changed ? { props: changed, opts } : undefined;
          },
        ],
      },
    );
    this.oidcProviderArn = cluster.oidcProviderArn;
    this.oidcIssuer = cluster.oidcIssuer;
    this.securityGroupId = cluster.clusterSecurityGroupId;
    // Node groups and add-ons name the cluster; this ties them to its creation.
    const clusterName = cluster.kubeconfigJson.apply(() => args.eksClusterName);

    // Runners in apiAccess.privateRanges reach the private endpoint through the cluster security group.
    const apiIngress = apiServerIngressRules(plan, args.deployerPaths).map(
      (rule) =>
        new aws.vpc.SecurityGroupIngressRule(
          `${name}-${rule.key}`,
          {
            securityGroupId: cluster.clusterSecurityGroupId,
            ipProtocol: "tcp",
            fromPort: rule.port,
            toPort: rule.port,
            cidrIpv4: rule.cidr,
            description: rule.description,
          },
          child,
        ),
    );

    const connection = {
      kubeconfig: pulumi.secret(cluster.kubeconfigJson),
      // A refreshed token or endpoint in the kubeconfig must not replace the provider and every object behind it.
      clusterIdentifier: args.eksClusterName,
    };
    // Nothing reaches the cluster before the deployer's path to its API server exists.
    const providerOpts = { parent: this, dependsOn: [...apiIngress, ...args.deployerNetworks] };
    this.kubernetes = new k8s.Provider(
      `${name}-k8s`,
      { ...connection, enableConfigMapMutable: true },
      providerOpts,
    );
    this.crdKubernetes = once(
      () => new k8s.Provider(`${name}-k8s-crds`, { ...connection, ...CRD_ADOPTION }, providerOpts),
    );

    // The VPC CNI as planned, enforcing NetworkPolicies, with its own role; it adopts the cluster's bootstrap aws-node before any node boots.
    const vpcCni = this.managedAddon(`${name}-vpc-cni`, clusterName, {
      addonName: "vpc-cni",
      serviceAccount: VPC_CNI_SERVICE_ACCOUNT,
      managedPolicy: VPC_CNI_POLICY,
      configurationValues: JSON.stringify(vpcCniConfiguration(config.cni)),
    });
    // Custom networking: a node reads its zone's ENIConfig when it boots, so the ENIConfigs come first.
    const eniConfigResources = eniConfigs(plan, config.cni).map(
      (eni) =>
        new k8s.apiextensions.CustomResource(
          `${name}-eniconfig-${eni.zone}`,
          {
            apiVersion: "crd.k8s.amazonaws.com/v1alpha1",
            kind: "ENIConfig",
            metadata: { name: eni.zone },
            spec: { subnet: vpc.subnetId(eni.subnet), securityGroups: [cluster.clusterSecurityGroupId] },
          },
          { parent: this, provider: this.kubernetes, dependsOn: [vpcCni] },
        ),
    );
    const nodeGroups = this.nodeGroups(name, clusterName, privateSubnetIds, [vpcCni, ...eniConfigResources]);
    const k8sOpts = { parent: this, provider: this.kubernetes, dependsOn: nodeGroups };
    this.kubernetesVersions = pulumi
      .all([
        cluster.kubeconfigJson,
        pulumi.all(nodeGroups.map((g) => pulumi.all([g.nodeGroupName, g.version]))),
      ])
      .apply(([, groups]) => ({
        controlPlane: config.kubernetesVersion,
        nodePools: Object.fromEntries(groups),
      }));
    const ebsCsi = this.managedAddon(
      `${name}-ebs-csi`,
      clusterName,
      {
        addonName: "aws-ebs-csi-driver",
        serviceAccount: EBS_CSI_SERVICE_ACCOUNT,
        managedPolicy: EBS_CSI_POLICY,
      },
      nodeGroups,
    );
    const storageClass = new k8s.storage.v1.StorageClass(
      `${name}-${args.storageClass}`,
      gp3StorageClass(args.storageClass),
      k8sOpts,
    );
    const lbcRole = this.serviceAccountRole(
      `${name}-lb-controller`,
      LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT,
      {
        inlinePolicy: partition.apply((p) => json(loadBalancerControllerPolicy(p))),
      },
    );
    const loadBalancerController = new k8s.helm.v3.Release(
      `${name}-lb-controller`,
      {
        name: "aws-load-balancer-controller",
        chart: LOAD_BALANCER_CONTROLLER_CHART.chart,
        version: LOAD_BALANCER_CONTROLLER_CHART.version,
        repositoryOpts: { repo: LOAD_BALANCER_CONTROLLER_CHART.repo },
        namespace: KUBE_SYSTEM,
        values: loadBalancerControllerValues({
          eksClusterName: args.eksClusterName,
          region: plan.region,
          vpcId: vpc.vpcId,
          roleArn: lbcRole.arn,
        }),
        atomic: true,
      },
      k8sOpts,
    );
    this.prerequisites = [ebsCsi, storageClass, loadBalancerController, ...eniConfigResources];
    this.registerOutputs({
      kmsKeyArn: this.kmsKeyArn,
      oidcProviderArn: this.oidcProviderArn,
      oidcIssuer: this.oidcIssuer,
      securityGroupId: this.securityGroupId,
    });
  }

  /** One managed node group per pool, in the private subnets only, booting from its own launch template. */
  private nodeGroups(
    name: string,
    clusterName: pulumi.Output<string>,
    privateSubnetIds: pulumi.Output<string>[],
    bootPrerequisites: readonly pulumi.Resource[],
  ): aws.eks.NodeGroup[] {
    const { config, network, tags, provider } = this.args;
    const child = { parent: this, provider };
    const role = new aws.iam.Role(
      `${name}-node`,
      { assumeRolePolicy: json(nodeRoleTrustPolicy()), tags },
      child,
    );
    const attachments = NODE_ROLE_POLICIES.map((policy) =>
      this.managedPolicyAttachment(`${name}-node-${policy}`, role, policy),
    );
    return nodeGroupSettings(config, network).map((group) => {
      const template = new aws.ec2.LaunchTemplate(
        group.name,
        {
          // The user data is base64: say what it sets where a reviewer reads the preview.
          description: `${group.name}: kubelet maxPods ${group.maxPods} (nodeadm NodeConfig in the user data)`,
          metadataOptions: { ...METADATA_OPTIONS },
          blockDeviceMappings: [
            {
              deviceName: ROOT_VOLUME.deviceName,
              ebs: {
                volumeSize: group.rootVolumeGiB,
                volumeType: ROOT_VOLUME.type,
                encrypted: "true",
                deleteOnTermination: "true",
              },
            },
          ],
          userData: nodeUserData(group.maxPods),
          updateDefaultVersion: true,
          tagSpecifications: [{ resourceType: "instance", tags: { ...tags, Name: group.name } }],
          tags,
        },
        child,
      );
      return new aws.eks.NodeGroup(
        group.name,
        {
          clusterName,
          nodeGroupName: group.name,
          nodeRoleArn: role.arn,
          subnetIds: privateSubnetIds,
          instanceTypes: [group.instanceType],
          amiType: group.amiType,
          // Follows the control plane: without it a group keeps the minor it was created with, and EKS
          // upgrades only the control plane when kubernetesVersion moves (aws.eks.NodeGroup `version`).
          version: config.kubernetesVersion,
          scalingConfig: { ...group.scaling },
          updateConfig: { maxUnavailable: group.maxUnavailable },
          // A forced update would evict validators past their disruption budget.
          forceUpdateVersion: EKS_NODE_UPDATE.force,
          labels: { ...group.labels },
          taints: group.taints.map((t) => ({ ...t })),
          launchTemplate: { id: template.id, version: template.latestVersion.apply(String) },
          tags,
        },
        // The autoscaler owns the desired size once the group exists.
        {
          ...child,
          dependsOn: [...attachments, ...bootPrerequisites],
          ignoreChanges: ["scalingConfig.desiredSize"],
        },
      );
    });
  }

  /** A role only `kube-system/<serviceAccount>` can assume (IRSA), with one managed or inline policy. */
  /** An EKS add-on running as its own kube-system ServiceAccount, with a role of its own (IRSA). */
  private managedAddon(
    name: string,
    clusterName: pulumi.Input<string>,
    addon: {
      readonly addonName: string;
      readonly serviceAccount: string;
      readonly managedPolicy: string;
      readonly configurationValues?: string;
    },
    dependsOn: readonly pulumi.Resource[] = [],
  ): aws.eks.Addon {
    const role = this.serviceAccountRole(name, addon.serviceAccount, { managedPolicy: addon.managedPolicy });
    return new aws.eks.Addon(
      name,
      {
        clusterName,
        addonName: addon.addonName,
        serviceAccountRoleArn: role.arn,
        ...(addon.configurationValues ? { configurationValues: addon.configurationValues } : {}),
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "OVERWRITE",
        tags: this.args.tags,
      },
      { parent: this, provider: this.args.provider, dependsOn: [...dependsOn] },
    );
  }

  private serviceAccountRole(
    name: string,
    serviceAccount: string,
    policy: { managedPolicy: string } | { inlinePolicy: pulumi.Output<string> },
  ): aws.iam.Role {
    const child = { parent: this, provider: this.args.provider };
    const role = new aws.iam.Role(
      name,
      {
        assumeRolePolicy: pulumi
          .all([this.oidcProviderArn, this.oidcIssuer])
          .apply(([oidcProviderArn, oidcIssuer]) =>
            json(
              serviceAccountTrustPolicy({
                oidcProviderArn,
                oidcIssuer,
                namespace: KUBE_SYSTEM,
                serviceAccount,
              }),
            ),
          ),
        tags: this.args.tags,
      },
      child,
    );
    if ("managedPolicy" in policy) {
      this.managedPolicyAttachment(name, role, policy.managedPolicy);
    } else {
      new aws.iam.RolePolicy(name, { role: role.name, policy: policy.inlinePolicy }, child);
    }
    return role;
  }

  /** Attaches an AWS managed policy (by name, in the account's partition) to a role. */
  private managedPolicyAttachment(
    name: string,
    role: aws.iam.Role,
    policy: string,
  ): aws.iam.RolePolicyAttachment {
    return new aws.iam.RolePolicyAttachment(
      name,
      { role: role.name, policyArn: this.partition.apply((p) => managedPolicyArn(p, policy)) },
      { parent: this, provider: this.args.provider },
    );
  }
}

const json = (document: PolicyDocument): string => JSON.stringify(document);
