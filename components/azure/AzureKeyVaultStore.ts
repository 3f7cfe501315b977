import * as authorization from "@pulumi/azure-native/authorization";
import * as keyvault from "@pulumi/azure-native/keyvault";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
  azureVaultPlan,
  checkedIssuerUrl,
  secretProviderClass,
  secretReaderAssignments,
  WORKLOAD_IDENTITY_CLIENT_ID_ANNOTATION,
  WORKLOAD_IDENTITY_USE_LABEL,
} from "../../infra/azure/vault";
import type { NodePlan } from "../../infra/plan/types";
import { keysSecretName } from "../../infra/quorum/manifests";
import type { NodeBinding, NodeVault, VaultArgs } from "../targets/ClusterTarget";
import { keyFileContents } from "../vault/keyFileContents";

export interface AzureKeyVaultStoreArgs extends VaultArgs {
  /** The cluster's Kubernetes provider (SecretProviderClasses go through it). */
  readonly provider: k8s.Provider;
  /** Resource group of the cluster: the nodes' managed identities are created there. */
  readonly resourceGroupName: pulumi.Input<string>;
  /** Azure region of the identities (the cluster's). */
  readonly location: string;
  /** The cluster's Key Vault (RBAC authorization, soft delete, purge protection). */
  readonly keyVaultName: pulumi.Input<string>;
  /** ARM id of that Key Vault: the root of every per-secret role assignment scope. */
  readonly keyVaultId: pulumi.Input<string>;
  /** Entra tenant of the Key Vault. */
  readonly tenantId: pulumi.Input<string>;
  /** The AKS cluster's OIDC issuer (`oidcIssuerProfile.issuerURL`), trusted by each node's identity. */
  readonly oidcIssuerUrl: pulumi.Input<string>;
  /** `network.protectKeys`: protect the secrets so `pulumi destroy` stops at them. */
  readonly protect: boolean;
  /** `network.retainSecretsOnDelete`: leave a removed node's secrets in the vault. */
  readonly retainOnDelete: boolean;
}

/**
 * The Key Vault vault of an AKS cluster: each key file of a node in its own Key Vault secret, one
 * user-assigned managed identity per node federated with exactly that node's ServiceAccount and allowed
 * to read exactly that node's secrets, and a SecretProviderClass per node through which the AKS Key Vault
 * Secrets Provider add-on mounts them with the pod's workload identity token. No identity can read two
 * nodes' keys, and no key ever lands in a Kubernetes Secret.
 */
export class AzureKeyVaultStore extends pulumi.ComponentResource implements NodeVault {
  /** The component: Pulumi waits for all its children (secrets, identities, federations, grants, SPCs). */
  readonly resource: pulumi.Resource = this;
  private readonly clientIds = new Map<string, pulumi.Output<string>>();

  constructor(name: string, args: AzureKeyVaultStoreArgs, opts?: pulumi.ComponentResourceOptions) {
    super("goquorum:azure:KeyVaultStore", name, {}, opts);
    const tls = args.tesseraTls !== undefined ? "strict" : "off";
    const namespace = args.cluster.namespace;
    const subscriptionId = authorization.getClientConfigOutput({ parent: this }).subscriptionId;
    const keyVaultId = pulumi.output(args.keyVaultId);

    for (const plan of azureVaultPlan(args.cluster, tls)) {
      const { node, secrets } = plan;
      const contents = keyFileContents(
        node,
        secrets.map((s) => s.file),
        args.keys,
        args.tesseraTls,
      );
      const identity = new managedidentity.UserAssignedIdentity(
        `${node.name}-keys`,
        {
          resourceGroupName: args.resourceGroupName,
          location: args.location,
          resourceName: plan.identityName,
        },
        { parent: this },
      );
      new managedidentity.FederatedIdentityCredential(
        `${node.name}-keys`,
        {
          resourceGroupName: args.resourceGroupName,
          resourceName: identity.name,
          federatedIdentityCredentialResourceName: plan.federatedCredential.name,
          issuer: pulumi.output(args.oidcIssuerUrl).apply(checkedIssuerUrl),
          subject: plan.federatedCredential.subject,
          audiences: [...plan.federatedCredential.audiences],
        },
        { parent: this },
      );

      const grants = pulumi
        .all([keyVaultId, subscriptionId, identity.principalId])
        .apply(([vaultId, subscription, principal]) =>
          secretReaderAssignments(vaultId, subscription, principal, secrets),
        );
      secrets.forEach((secret, i) => {
        const stored = new keyvault.Secret(
          secret.name,
          {
            resourceGroupName: args.resourceGroupName,
            vaultName: args.keyVaultName,
            secretName: secret.name,
            properties: {
              value: pulumi.secret(contents[secret.file.name]),
              contentType: secret.contentType,
            },
          },
          { parent: this, protect: args.protect, retainOnDelete: args.retainOnDelete },
        );
        const grant = grants.apply((all) => all[i]);
        new authorization.RoleAssignment(
          `${secret.name}-reader`,
          {
            scope: grant.scope,
            roleAssignmentName: grant.roleAssignmentName,
            roleDefinitionId: grant.roleDefinitionId,
            principalId: grant.principalId,
            // A new identity may not have replicated to Entra ID yet: saying what it is skips the lookup.
            principalType: "ServicePrincipal",
          },
          // The scope is the secret: it has to exist first.
          { parent: this, dependsOn: [stored] },
        );
      });

      new k8s.apiextensions.CustomResource(
        keysSecretName(node),
        secretProviderClass(namespace, node, secrets, {
          keyVaultName: pulumi.output(args.keyVaultName),
          tenantId: pulumi.output(args.tenantId),
          clientId: identity.clientId,
        }),
        { parent: this, provider: args.provider, dependsOn: [...args.dependsOn] },
      );
      this.clientIds.set(node.name, identity.clientId);
    }
    this.registerOutputs({});
  }

  binding(node: NodePlan): NodeBinding {
    const clientId = this.clientIds.get(node.name);
    if (!clientId) throw new Error(`node ${node.name} has no identity in this Key Vault store`);
    return {
      keys: { kind: "csi", secretProviderClass: keysSecretName(node) },
      serviceAccountAnnotations: { [WORKLOAD_IDENTITY_CLIENT_ID_ANNOTATION]: clientId },
      podLabels: { [WORKLOAD_IDENTITY_USE_LABEL]: "true" },
    };
  }
}
