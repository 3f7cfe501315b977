/**
 * The Azure built-in roles the program grants, and to whom at which scope. Every grant is the narrowest
 * scope that works: a subnet, a key, a vault, the cluster; never a resource group or subscription.
 */
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
  /** Everything in the cluster through Kubernetes RBAC on Azure RBAC (the deployer). */
  aksRbacClusterAdmin: "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b",
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

export interface Grant {
  /** Unique within the cluster; names the role assignment resource. */
  readonly name: string;
  readonly principal: "clusterIdentity" | "deployer";
  readonly role: AzureRole;
  readonly scope: GrantScope;
}

/**
 * The grants of one cluster:
 * - the cluster's user-assigned identity: Network Contributor on each planned subnet (AKS joins nodes
 *   and pods to them, and the cloud provider places internal load balancers on fixed addresses in the
 *   endpoints subnet), Key Vault Crypto User on the KMS key only, and with a private API server Private
 *   DNS Zone Contributor on its zone and Network Contributor on the VNet;
 * - the deployer (the principal running `pulumi up`): the AKS RBAC cluster-admin role on the cluster (the
 *   Kubernetes provider deploys through it, local accounts being off) and Key Vault Secrets Officer on the
 *   node key vault (it writes the nodes' secrets).
 */
export function clusterGrants(cluster: ClusterPlan, privateApiServer: boolean): Grant[] {
  // The GatewaySubnet holds only the VPN gateway: AKS never joins anything to it.
  const subnets = cluster.subnets
    .filter((s) => s.purpose !== "gateway")
    .map(
      (s): Grant => ({
        name: `network-${s.name}`,
        principal: "clusterIdentity",
        role: "networkContributor",
        scope: { kind: "subnet", subnet: s.name },
      }),
    );
  // A private API server in a zone of ours: AKS writes its record there and links the zone to the VNet, which
  // needs the zone and the VNet itself, not just its subnets (AKS private clusters doc, custom private DNS zone).
  const privateZone: Grant[] = privateApiServer
    ? [
        {
          name: "private-dns-zone",
          principal: "clusterIdentity",
          role: "privateDnsZoneContributor",
          scope: { kind: "privateDnsZone" },
        },
        {
          name: "network-vnet",
          principal: "clusterIdentity",
          role: "networkContributor",
          scope: { kind: "vnet" },
        },
      ]
    : [];
  return [
    ...subnets,
    ...privateZone,
    { name: "kms-key", principal: "clusterIdentity", role: "keyVaultCryptoUser", scope: { kind: "kmsKey" } },
    {
      name: "deployer-admin",
      principal: "deployer",
      role: "aksRbacClusterAdmin",
      scope: { kind: "cluster" },
    },
    {
      name: "deployer-secrets",
      principal: "deployer",
      role: "keyVaultSecretsOfficer",
      scope: { kind: "keysVault" },
    },
  ];
}

/** Subnets the node key vault's firewall admits (with their Key Vault service endpoint). */
export const keyVaultSubnets = (cluster: ClusterPlan): string[] =>
  workloadSubnets(cluster).map((s) => s.name);

export type PrincipalType = "User" | "ServicePrincipal";

/**
 * Whether the principal behind an Entra access token is a person or an application (service principal or
 * managed identity): role assignments must name the right type, and the same stack is deployed by people
 * (`az login`) and by the workflow's app. `idtyp` says so when present; otherwise only delegated (user)
 * tokens carry scopes (`scp`).
 */
export function principalTypeOfToken(token: string): PrincipalType {
  const payload = token.split(".")[1];
  if (!payload) throw new Error("the Azure access token is not a JWT");
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
  if (claims.idtyp === "app") return "ServicePrincipal";
  if (claims.idtyp === "user") return "User";
  return typeof claims.scp === "string" ? "User" : "ServicePrincipal";
}
