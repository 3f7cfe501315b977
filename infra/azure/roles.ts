/**
 * The Azure built-in roles the program grants, and to whom at which scope. Every grant is the narrowest
 * scope that works: a subnet, a key, a vault, the cluster; never a resource group or subscription.
 */
import type { AzureClusterConfig } from "../config/schema";
import { aksApiServerIsPrivate } from "../plan/apiAccess";
import type { ClusterPlan } from "../plan/types";
import { workloadSubnets } from "./network";

/**
 * Built-in role definition GUIDs (the same in every tenant), the one list of the roles the program grants.
 * Source: Microsoft Learn, "Azure built-in roles".
 */
export const AZURE_ROLES = {
  /** Join subnets and place internal load balancer frontends on a fixed address in them. */
  networkContributor: "4d97b98b-1d4f-4787-a291-c67834d212e7",
  /** Encrypt and decrypt with a Key Vault key (KMS etcd encryption). */
  keyVaultCryptoUser: "12338af0-0e69-4776-bea7-57ae8d297424",
  /** Read secret values (the per-node identities, scoped to their own secrets). */
  keyVaultSecretsUser: "4633458b-17de-408a-b874-0445c86b69e6",
  /** Write and delete secrets (the deployer, on the node key vault). */
  keyVaultSecretsOfficer: "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
  /** Everything in the cluster through Kubernetes RBAC on Azure RBAC (the admin groups). */
  aksRbacClusterAdmin: "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b",
  /** Read most objects, never Secrets (the viewers: the preview identity). */
  aksRbacReader: "7f6c6a51-bcf8-42ba-9220-52d62157d7db",
  /** List the cluster user credential, i.e. fetch the kubeconfig (admins and viewers). */
  aksClusterUser: "4abbcc35-e782-43d8-92c5-2d3f1bd2253f",
  /** Record sets of one DNS zone (cert-manager's ACME DNS-01 identity). */
  dnsZoneContributor: "befefa01-2a29-4197-83a8-272ff33ce314",
  /** Records of one private DNS zone (the cluster identity, on a private API server's own zone). */
  privateDnsZoneContributor: "b12aa53e-6015-4669-85d0-8515ebb3ae7f",
} as const;

export type AzureRole = keyof typeof AZURE_ROLES;

/** The full role definition id ARM expects in a role assignment. */
export const roleDefinitionId = (subscriptionId: string, role: AzureRole): string =>
  `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${AZURE_ROLES[role]}`;

/**
 * What a grant's scope is: a planned subnet, the VNet, the private API server's DNS zone, the KMS key, the
 * node key vault, or the AKS cluster.
 */
export type GrantScope =
  | { readonly kind: "subnet"; readonly subnet: string }
  | { readonly kind: "vnet" }
  | { readonly kind: "privateDnsZone" }
  | { readonly kind: "kmsKey" }
  | { readonly kind: "keysVault" }
  | { readonly kind: "cluster" };

/** Who a grant is for: the cluster's own identity, or a principal named in the cluster's config. */
export type GrantPrincipal =
  | { readonly kind: "clusterIdentity" }
  | {
      readonly kind: "named";
      readonly objectId: string;
      readonly type: AzureClusterConfig["viewerPrincipals"][number]["type"];
    };

export interface Grant {
  /** Unique within the cluster; names the role assignment resource. */
  readonly name: string;
  readonly principal: GrantPrincipal;
  readonly role: AzureRole;
  readonly scope: GrantScope;
}

const CLUSTER_IDENTITY: GrantPrincipal = { kind: "clusterIdentity" };

/**
 * The grants of one cluster, every principal named by the cluster's config or created with it (never the
 * identity that happens to run `pulumi up`, whose grants a later run by someone else would replace):
 * - the cluster's user-assigned identity: Network Contributor on each planned subnet (AKS joins nodes
 *   and pods to them, and the cloud provider places internal load balancers on fixed addresses in the
 *   endpoints subnet), Key Vault Crypto User on the KMS key only, and with a private API server Private
 *   DNS Zone Contributor on its zone and Network Contributor on the VNet;
 * - each `adminGroupObjectIds` group: AKS RBAC Cluster Admin (the Kubernetes provider deploys through it,
 *   local accounts being off) and Cluster User Role (the program lists the kubeconfig) on the cluster, Key
 *   Vault Secrets Officer on the node key vault (the nodes' secrets);
 * - each `viewerPrincipals` principal: AKS RBAC Reader and Cluster User Role on the cluster (a preview reads
 *   the cluster; pulumi-kubernetes falls back to a client-side diff when its server-side dry run is refused,
 *   pulumi/pulumi-kubernetes#2419).
 */
export function clusterGrants(
  cluster: ClusterPlan,
  config: Pick<AzureClusterConfig, "apiAccess" | "adminGroupObjectIds" | "viewerPrincipals">,
): Grant[] {
  // The GatewaySubnet holds only the VPN gateway: AKS never joins anything to it.
  const subnets = cluster.subnets
    .filter((s) => s.purpose !== "gateway")
    .map(
      (s): Grant => ({
        name: `network-${s.name}`,
        principal: CLUSTER_IDENTITY,
        role: "networkContributor",
        scope: { kind: "subnet", subnet: s.name },
      }),
    );
  // A private API server in a zone of ours: AKS writes its record there and links the zone to the VNet, which
  // needs the zone and the VNet itself, not just its subnets (AKS private clusters doc, custom private DNS zone).
  const privateZone: Grant[] = aksApiServerIsPrivate(config)
    ? [
        {
          name: "private-dns-zone",
          principal: CLUSTER_IDENTITY,
          role: "privateDnsZoneContributor",
          scope: { kind: "privateDnsZone" },
        },
        {
          name: "network-vnet",
          principal: CLUSTER_IDENTITY,
          role: "networkContributor",
          scope: { kind: "vnet" },
        },
      ]
    : [];
  const admins = config.adminGroupObjectIds.flatMap((objectId): Grant[] => {
    const principal: GrantPrincipal = { kind: "named", objectId, type: "Group" };
    return [
      { name: `admin-${objectId}`, principal, role: "aksRbacClusterAdmin", scope: { kind: "cluster" } },
      { name: `admin-${objectId}-user`, principal, role: "aksClusterUser", scope: { kind: "cluster" } },
      {
        name: `admin-${objectId}-secrets`,
        principal,
        role: "keyVaultSecretsOfficer",
        scope: { kind: "keysVault" },
      },
    ];
  });
  const viewers = config.viewerPrincipals.flatMap(({ objectId, type }): Grant[] => {
    const principal: GrantPrincipal = { kind: "named", objectId, type };
    return [
      { name: `viewer-${objectId}`, principal, role: "aksRbacReader", scope: { kind: "cluster" } },
      { name: `viewer-${objectId}-user`, principal, role: "aksClusterUser", scope: { kind: "cluster" } },
    ];
  });
  return [
    ...subnets,
    ...privateZone,
    { name: "kms-key", principal: CLUSTER_IDENTITY, role: "keyVaultCryptoUser", scope: { kind: "kmsKey" } },
    ...admins,
    ...viewers,
  ];
}

/** Subnets the node key vault's firewall admits (with their Key Vault service endpoint). */
export const keyVaultSubnets = (cluster: ClusterPlan): string[] =>
  workloadSubnets(cluster).map((s) => s.name);
