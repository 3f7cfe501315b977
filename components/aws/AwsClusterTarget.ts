import * as aws from "@pulumi/aws";
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_AWS_STORAGE_CLASS } from "../../infra/aws/addons";
import { managementPeeringPlans } from "../../infra/aws/apiAccess";
import { vpcCniEnforcesNetworkPolicies } from "../../infra/aws/behaviour";
import { vpcCniConfiguration } from "../../infra/aws/cni";
import { eksClusterName } from "../../infra/aws/eks";
import { IRSA_ROLE_ANNOTATION, serviceAccountTrustPolicy } from "../../infra/aws/iam";
import { awsGatewayServiceAnnotations, dnsSolverPolicy } from "../../infra/aws/ingress";
import { awsLoadBalancerAnnotations } from "../../infra/aws/loadBalancer";
import { type AwsRouteTable, awsNetworkLayout } from "../../infra/aws/network";
import type { Exposure } from "../../infra/config/ingress";
import type { AwsClusterConfig, NetworkConfig } from "../../infra/config/schema";
import type { DeployerPath } from "../../infra/plan/apiAccess";
import type { ClusterPlan, EndpointPlacement } from "../../infra/plan/types";
import type { ClusterKubernetesVersions } from "../../infra/verify/kubernetesUpgrade";
import type {
  ClusterTarget,
  DnsSolverIdentity,
  DnsSolverRequest,
  NodeVault,
  VaultArgs,
} from "../targets/ClusterTarget";
import { KubernetesSecretStore } from "../vault/KubernetesSecretStore";
import { AwsManagementPeering } from "./AwsManagementPeering";
import { AwsNetwork } from "./AwsNetwork";
import { AwsSecretsVault, type AwsSecretsVaultArgs } from "./AwsSecretsVault";
import { EksCluster } from "./EksCluster";

/** What the cloud vault of an AWS cluster needs besides `VaultArgs`. */
export type AwsVaultInputs = Omit<AwsSecretsVaultArgs, keyof VaultArgs>;

export interface AwsClusterTargetArgs {
  readonly config: AwsClusterConfig;
  readonly network: NetworkConfig;
  readonly plan: ClusterPlan;
  /** Provider of the cluster's region (one per region, shared by the stack's clusters there). */
  readonly provider: aws.Provider;
  /** The provider of a region (a management VPC's). */
  readonly providerFor: (region: string) => aws.Provider;
  /** The plan's deployer paths (`NetworkPlan.deployerPaths`): the cluster security group admits the private ones. */
  readonly deployerPaths: readonly DeployerPath[];
}

/**
 * An AWS cluster as a target for the GoQuorum workloads: its VPC and EKS cluster built from the plan, the
 * node load balancers' annotations, and the vault of the nodes' keys.
 */
export class AwsClusterTarget extends pulumi.ComponentResource implements ClusterTarget {
  readonly kubernetes: k8s.Provider;
  readonly crdKubernetes: () => k8s.Provider;
  readonly enforcesNetworkPolicies: boolean;
  readonly kubernetesVersions: pulumi.Output<ClusterKubernetesVersions>;
  readonly storageClass: string;
  readonly prerequisites: readonly pulumi.Resource[];
  readonly loadBalancerAnnotations: (node: EndpointPlacement) => Record<string, string>;
  readonly gatewayServiceAnnotations: (exposure: Exposure) => Record<string, string>;
  /** Everything the cloud vault needs from the cluster. */
  readonly vaultInputs: AwsVaultInputs;
  readonly network: AwsNetwork;
  readonly eks: EksCluster;
  /** The VPC's route tables, as planned (the peering mesh routes through every one). */
  readonly routeTables: readonly AwsRouteTable[];
  readonly plan: ClusterPlan;
  readonly provider: aws.Provider;

  private readonly config: AwsClusterConfig;
  private readonly tags: Readonly<Record<string, string>>;

  constructor(name: string, args: AwsClusterTargetArgs, opts?: pulumi.ComponentResourceOptions) {
    super("goquorum:aws:ClusterTarget", name, {}, opts);
    const { config, network, plan, provider } = args;
    this.config = config;
    this.plan = plan;
    this.provider = provider;
    const eksName = eksClusterName(network, config);
    const tags = { "goquorum:network": network.name, "goquorum:cluster": config.name };
    this.tags = tags;
    const layout = awsNetworkLayout(plan, eksName, config.natGateways);
    this.routeTables = layout.routeTables;
    this.network = new AwsNetwork(name, { layout, provider, tags }, { parent: this });
    this.storageClass = config.storageClass ?? DEFAULT_AWS_STORAGE_CLASS;
    const management = managementPeeringPlans(
      plan,
      layout.routeTables,
      network.connectivity.managementNetworks,
    ).map(
      (peering) =>
        new AwsManagementPeering(
          peering.name,
          {
            peering,
            vpc: this.network,
            provider,
            peerProvider: args.providerFor(peering.peerRegion),
            tags,
          },
          { parent: this },
        ),
    );
    this.eks = new EksCluster(
      name,
      {
        config,
        network,
        plan,
        eksClusterName: eksName,
        vpc: this.network,
        provider,
        storageClass: this.storageClass,
        tags,
        deployerPaths: args.deployerPaths,
        deployerNetworks: management.flatMap((m) => m.ready),
      },
      { parent: this },
    );
    this.kubernetes = this.eks.kubernetes;
    this.crdKubernetes = this.eks.crdKubernetes;
    this.kubernetesVersions = this.eks.kubernetesVersions;
    this.enforcesNetworkPolicies = vpcCniEnforcesNetworkPolicies(vpcCniConfiguration(config.cni));
    this.prerequisites = this.eks.prerequisites;
    this.loadBalancerAnnotations = (node) => awsLoadBalancerAnnotations(plan, node);
    this.gatewayServiceAnnotations = (exposure) => awsGatewayServiceAnnotations(plan, exposure);
    this.vaultInputs = {
      provider: this.kubernetes,
      awsProvider: provider,
      region: plan.region,
      kmsKeyArn: this.eks.kmsKeyArn,
      oidcProviderArn: this.eks.oidcProviderArn,
      oidcIssuer: this.eks.oidcIssuer,
      protect: network.protectKeys,
      retainOnDelete: network.retainSecretsOnDelete,
    };
    this.registerOutputs({});
  }

  createVault(name: string, args: VaultArgs, opts: pulumi.ComponentResourceOptions): NodeVault {
    if (this.config.vault === "kubernetes") {
      return new KubernetesSecretStore(name, { ...args, provider: this.kubernetes }, opts);
    }
    return new AwsSecretsVault(name, { ...args, ...this.vaultInputs }, opts);
  }

  /**
   * cert-manager's Route 53 identity: a role only its ServiceAccount can assume (IRSA), allowed to write
   * records in the configured hosted zone only. cert-manager starts once the role has its policy.
   */
  createDnsSolverIdentity(
    name: string,
    { serviceAccount, acme }: DnsSolverRequest,
    opts: pulumi.ComponentResourceOptions,
  ): DnsSolverIdentity {
    const zone = acme.route53;
    if (!zone) {
      throw new pulumi.RunError(
        `ingress.tls.acme.route53 of cluster ${this.plan.name}: an aws cluster solves DNS-01 through Route 53; set it`,
      );
    }
    const child = { ...opts, provider: this.provider };
    const { oidcProviderArn, oidcIssuer, partition } = this.eks;
    const role = new aws.iam.Role(
      name,
      {
        assumeRolePolicy: pulumi.all([oidcProviderArn, oidcIssuer]).apply(([arn, issuer]) =>
          JSON.stringify(
            serviceAccountTrustPolicy(
              {
                oidcProviderArn: arn,
                oidcIssuer: issuer,
                namespace: serviceAccount.namespace,
                serviceAccount: serviceAccount.name,
              },
              "OnlyCertManager",
            ),
          ),
        ),
        tags: this.tags,
      },
      child,
    );
    const policy = new aws.iam.RolePolicy(
      name,
      {
        role: role.name,
        policy: partition.apply((p) => JSON.stringify(dnsSolverPolicy(p, zone.hostedZoneId))),
      },
      child,
    );
    return { serviceAccountAnnotations: { [IRSA_ROLE_ANNOTATION]: role.arn }, dependsOn: [policy] };
  }
}
