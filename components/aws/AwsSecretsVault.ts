import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { IRSA_ROLE_ANNOTATION } from "../../infra/aws/iam";
import {
  awsProviderValues,
  csiDriverValues,
  type HelmChart,
  nodeKeyDocument,
  nodeVaultTags,
  SECRETS_STORE_CHARTS,
  SECRETS_STORE_NAMESPACE,
  secretProviderClassSpec,
} from "../../infra/aws/secretsStore";
import { nodeKeysReadPolicy, nodeKeysRoleTrustPolicy } from "../../infra/aws/vaultPolicies";
import type { NodePlan } from "../../infra/plan/types";
import {
  keysSecretName,
  LABELS,
  nodeKeyFiles,
  nodeTesseraTls,
  SECRETS_STORE_CSI_API_VERSION,
  serviceAccountName,
} from "../../infra/quorum/manifests";
import type { NodeBinding, NodeVault, VaultArgs } from "../targets/ClusterTarget";
import { keyFileContents } from "../vault/keyFileContents";

export interface AwsSecretsVaultArgs extends VaultArgs {
  /** The cluster's Kubernetes provider. */
  readonly provider: k8s.Provider;
  /** Provider for the cluster's region, if one per region is used; the default provider otherwise. */
  readonly awsProvider?: aws.Provider;
  /** The cluster's region: where its secrets live (set on every regional resource). */
  readonly region: string;
  /** The cluster's customer-managed KMS key: encrypts every secret of the cluster. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** The cluster's IAM OIDC provider (IRSA). */
  readonly oidcProviderArn: pulumi.Input<string>;
  /** The cluster's OIDC issuer host and path, without https://. */
  readonly oidcIssuer: pulumi.Input<string>;
  /** `network.protectKeys`: protect each node's secret in state. */
  readonly protect: boolean;
  /** `network.retainSecretsOnDelete`: keep a removed node's secret in AWS. */
  readonly retainOnDelete: boolean;
}

/**
 * The vault of an AWS cluster: per node one Secrets Manager secret (its key files as one JSON document,
 * encrypted with the cluster's key), one IAM role only the node's ServiceAccount can assume (IRSA) that
 * reads only that secret, and one SecretProviderClass that mounts the document's fields as the node's key
 * files; plus the Secrets Store CSI driver and its AWS provider. See "Keys on AWS" in docs/keys.md.
 */
export class AwsSecretsVault extends pulumi.ComponentResource implements NodeVault {
  readonly resource: pulumi.Resource = this;
  /** Each node's role, by node name. */
  private readonly roles: ReadonlyMap<string, aws.iam.Role>;

  constructor(name: string, args: AwsSecretsVaultArgs, opts?: pulumi.ComponentResourceOptions) {
    super("goquorum:aws:SecretsVault", name, {}, opts);
    const { cluster } = args;
    if (cluster.provider !== "aws")
      throw new Error(`cluster ${cluster.name}: the AWS vault needs provider aws`);
    if (args.region !== cluster.region) {
      throw new Error(
        `clusters[${cluster.name}].region is ${cluster.region}, but its vault was given ${args.region}`,
      );
    }
    const release = (releaseName: string, chart: HelmChart, values: object, after: pulumi.Resource[]) =>
      new k8s.helm.v3.Release(
        `${name}-${releaseName}`,
        {
          name: releaseName,
          chart: chart.chart,
          version: chart.version,
          repositoryOpts: { repo: chart.repo },
          namespace: SECRETS_STORE_NAMESPACE,
          values,
        },
        { parent: this, provider: args.provider, dependsOn: [...args.dependsOn, ...after] },
      );
    const driver = release("secrets-store-csi-driver", SECRETS_STORE_CHARTS.driver, csiDriverValues(), []);
    const provider = release(
      "secrets-store-provider-aws",
      SECRETS_STORE_CHARTS.awsProvider,
      awsProviderValues(args.region),
      [driver],
    );
    // The SecretProviderClass CRD comes with the driver; a pod's mount needs the provider running.
    const addOns = [driver, provider];
    this.roles = new Map(cluster.nodes.map((node) => [node.name, this.nodeVault(node, args, addOns)]));
    this.registerOutputs({});
  }

  binding(node: NodePlan): NodeBinding {
    const role = this.roles.get(node.name);
    if (!role) throw new Error(`node ${node.name} is not in this vault's cluster`);
    return {
      keys: { kind: "csi", secretProviderClass: keysSecretName(node) },
      serviceAccountAnnotations: { [IRSA_ROLE_ANNOTATION]: role.arn },
    };
  }

  /** A node's secret, its role and its SecretProviderClass; returns the role. */
  private nodeVault(node: NodePlan, args: AwsSecretsVaultArgs, addOns: pulumi.Resource[]): aws.iam.Role {
    const { cluster } = args;
    const files = nodeKeyFiles(node.role, nodeTesseraTls(node, args.tesseraTls ? "strict" : "off"));
    const contents = keyFileContents(node, files, args.keys, args.tesseraTls);
    const tags = nodeVaultTags(cluster, node);
    const awsOpts = { parent: this, ...(args.awsProvider ? { provider: args.awsProvider } : {}) };

    const secret = new aws.secretsmanager.Secret(
      keysSecretName(node),
      {
        description: `Key files of GoQuorum node ${node.name} (cluster ${cluster.name})`,
        region: args.region,
        kmsKeyId: args.kmsKeyArn,
        recoveryWindowInDays: 30,
        tags,
      },
      { ...awsOpts, protect: args.protect, retainOnDelete: args.retainOnDelete },
    );
    // Node keys never change; a renewed Tessera certificate replaces the version (AWSCURRENT moves to the
    // new one). Not protected: protection would block that replacement.
    new aws.secretsmanager.SecretVersion(
      keysSecretName(node),
      {
        secretId: secret.arn,
        region: args.region,
        secretString: pulumi.secret(pulumi.all(contents).apply((c) => nodeKeyDocument(files, c))),
      },
      { ...awsOpts, retainOnDelete: args.retainOnDelete, additionalSecretOutputs: ["secretString"] },
    );

    const roleName = `${node.name}-keys-reader`;
    const role = new aws.iam.Role(
      roleName,
      {
        description: `Reads the keys of GoQuorum node ${node.name}; only its ServiceAccount may assume it`,
        assumeRolePolicy: pulumi
          .all([args.oidcProviderArn, args.oidcIssuer])
          .apply(([oidcProviderArn, oidcIssuer]) =>
            JSON.stringify(
              nodeKeysRoleTrustPolicy({
                oidcProviderArn,
                oidcIssuer,
                namespace: cluster.namespace,
                serviceAccount: serviceAccountName(node),
              }),
            ),
          ),
        tags,
      },
      awsOpts,
    );
    // Inline: the policy belongs to this one role and cannot be attached to another.
    new aws.iam.RolePolicy(
      roleName,
      {
        role: role.name,
        policy: pulumi
          .all([secret.arn, args.kmsKeyArn])
          .apply(([secretArn, kmsKeyArn]) => JSON.stringify(nodeKeysReadPolicy({ secretArn, kmsKeyArn }))),
      },
      awsOpts,
    );

    new k8s.apiextensions.CustomResource(
      keysSecretName(node),
      {
        apiVersion: SECRETS_STORE_CSI_API_VERSION,
        kind: "SecretProviderClass",
        metadata: {
          name: keysSecretName(node),
          namespace: cluster.namespace,
          labels: {
            [LABELS.managedBy]: "pulumi",
            [LABELS.cluster]: cluster.name,
            [LABELS.instance]: node.name,
          },
        },
        spec: secret.arn.apply((secretArn) =>
          secretProviderClassSpec({ region: args.region, secretArn, files }),
        ),
      },
      { parent: this, provider: args.provider, dependsOn: [...args.dependsOn, ...addOns] },
    );
    return role;
  }
}
