import * as azure from "@pulumi/azure-native";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
  AKS_SKU,
  aksAgentPools,
  aksAutoUpgradeProfile,
  aksNetworkProfile,
  SECRETS_PROVIDER_ADDON,
} from "../../infra/azure/aks";
import {
  apiServerAccess,
  apiZoneLinks,
  managementPeerings,
  managementRanges,
  privateEndpointFence,
} from "../../infra/azure/apiAccess";
import { aksEnforcesNetworkPolicies } from "../../infra/azure/behaviour";
import { azureGatewayServiceAnnotations, dnsSolverIdentityPlan } from "../../infra/azure/ingress";
import { azureLoadBalancerAnnotations } from "../../infra/azure/loadBalancer";
import { aksMaintenanceConfigurations } from "../../infra/azure/maintenance";
import { clusterGrants, type Grant, roleDefinitionId } from "../../infra/azure/roles";
import { AZURE_STORAGE_CLASS_NAME, azureStorageClass } from "../../infra/azure/storageClass";
import {
  checkedIssuerUrl,
  WORKLOAD_IDENTITY_CLIENT_ID_ANNOTATION,
  WORKLOAD_IDENTITY_USE_LABEL,
} from "../../infra/azure/vault";
import type { Exposure } from "../../infra/config/ingress";
import type { AzureClusterConfig, NetworkConfig } from "../../infra/config/schema";
import { monitoringPaths } from "../../infra/monitoring/topology";
import type { MaintenanceWindowPlan } from "../../infra/plan/maintenance";
import type { ClusterPlan, EndpointPlacement, NetworkPlan } from "../../infra/plan/types";
import type { ClusterKubernetesVersions } from "../../infra/verify/kubernetesUpgrade";
import {
  type ClusterTarget,
  CRD_ADOPTION,
  type DnsSolverIdentity,
  type DnsSolverRequest,
  type NodeVault,
  once,
  type VaultArgs,
} from "../targets/ClusterTarget";
import { KubernetesSecretStore } from "../vault/KubernetesSecretStore";
import { AzureKeyVaultStore, type AzureKeyVaultStoreArgs } from "./AzureKeyVaultStore";
import { AzureKeyVaults } from "./AzureKeyVaults";
import { AzureNetwork } from "./AzureNetwork";

/** What a Key Vault store needs of its cluster, besides the `VaultArgs` every vault gets. */
export type AzureVaultInputs = Omit<AzureKeyVaultStoreArgs, keyof VaultArgs>;

export interface AzureClusterArgs {
  readonly config: AzureClusterConfig;
  readonly network: NetworkConfig;
  readonly cluster: ClusterPlan;
  /** The network plan: where the NSG rules get the peer ranges and the monitoring paths. */
  readonly plan: NetworkPlan;
  /** The cluster's planned maintenance windows (`plan.maintenance`). */
  readonly maintenance: readonly MaintenanceWindowPlan[];
}

/**
 * One AKS cluster built from the plan: resource group and VNet (`AzureNetwork`), a user-assigned cluster
 * identity with exactly the grants `clusterGrants` lists, a KMS vault and key for etcd encryption, the node
 * key vault, the managed cluster (Entra ID with Azure RBAC, no local accounts, OIDC issuer and workload
 * identity, Key Vault Secrets Provider add-on), its agent pools, and a Kubernetes provider that reaches it
 * through kubelogin.
 *
 * Agent pools: the first (System) pool is inline in `agentPoolProfiles`, because AKS needs one at creation
 * and refuses a pool's version change through the cluster (`NotAllAgentPoolOrchestratorVersionSpecified
 * AndUnchanged`: per-pool changes go through the agent pool API); every further pool is a separate `AgentPool` resource, so
 * adding, resizing or removing User pools never touches the cluster resource. The inline list is then
 * ignored after creation (`ignoreChanges`): a changed System pool is a new pool plus a migration, never
 * a replaced cluster.
 */
export class AzureCluster extends pulumi.ComponentResource implements ClusterTarget {
  readonly kubernetes: k8s.Provider;
  readonly crdKubernetes: () => k8s.Provider;
  readonly enforcesNetworkPolicies: boolean;
  readonly kubernetesVersions: pulumi.Output<ClusterKubernetesVersions>;
  readonly storageClass: string;
  readonly prerequisites: readonly pulumi.Resource[];
  readonly managedCluster: azure.containerservice.ManagedCluster;
  readonly network: AzureNetwork;
  /** What the per-node Key Vault store needs (see `AzureVaultInputs`). */
  readonly vaultInputs: AzureVaultInputs;
  /** The admin groups' Key Vault Secrets Officer grants on the node key vault; secrets wait for them. */
  readonly secretsWriterGrants: readonly pulumi.Resource[];
  private readonly plan: ClusterPlan;
  private readonly vaultKind: AzureClusterConfig["vault"];

  constructor(name: string, args: AzureClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("goquorum:azure:Cluster", name, {}, opts);
    const { config, cluster, network } = args;
    this.plan = cluster;
    this.vaultKind = config.vault;
    const location = cluster.region;
    const parent = { parent: this };
    const protect = network.protectKeys;
    const client = azure.authorization.getClientConfigOutput(parent);

    const fence = privateEndpointFence(config, args.plan.deployerPaths);
    this.network = new AzureNetwork(
      name,
      {
        cluster,
        plan: args.plan,
        monitoring: monitoringPaths(network, args.plan),
        management: managementRanges(network.connectivity.managementNetworks),
        ...(fence ? { fence } : {}),
      },
      parent,
    );
    const resourceGroupName = this.network.resourceGroup.name;

    // Also the identity AKS KMS uses the key with: deleting it is unsupported (AKS KMS doc, limitations),
    // so it is protected like the key itself.
    const identity = new azure.managedidentity.UserAssignedIdentity(
      `${name}-identity`,
      { resourceGroupName, location, resourceName: `${cluster.name}-aks` },
      { ...parent, protect },
    );

    const vaults = new AzureKeyVaults(
      name,
      { config, cluster, network: this.network, tenantId: client.tenantId, protect },
      parent,
    );
    const { kmsKey, keysVault } = vaults;

    // A private API server answers under a name in a zone of ours, linked to every management VNet.
    const access = apiServerAccess(network, config);
    const privateZone = access.enablePrivateCluster
      ? new azure.privatedns.PrivateZone(
          `${name}-api-zone`,
          { resourceGroupName, privateZoneName: access.privateDnsZone, location: "Global" },
          parent,
        )
      : undefined;
    const managementNetworks = network.connectivity.managementNetworks;
    const zoneLinks = privateZone
      ? apiZoneLinks(access, managementNetworks).map(
          (m) =>
            new azure.privatedns.VirtualNetworkLink(
              `${name}-api-zone-${m.network}`,
              {
                resourceGroupName,
                privateZoneName: privateZone.name,
                virtualNetworkLinkName: m.network,
                location: "Global",
                registrationEnabled: false,
                virtualNetwork: { id: m.virtualNetworkId },
              },
              parent,
            ),
        )
      : [];
    const vnetReady = [...this.network.subnets.values()];
    const peerings = managementPeerings(config, managementNetworks).map((p) =>
      p.side === "cluster"
        ? new azure.network.VirtualNetworkPeering(
            p.name,
            {
              resourceGroupName,
              virtualNetworkName: this.network.virtualNetwork.name,
              virtualNetworkPeeringName: p.name,
              remoteVirtualNetwork: { id: p.management.virtualNetworkId },
              ...p.flags,
            },
            { parent: this, dependsOn: vnetReady },
          )
        : new azure.network.VirtualNetworkPeering(
            p.name,
            {
              resourceGroupName: p.management.resourceGroupName,
              virtualNetworkName: p.management.virtualNetworkName,
              virtualNetworkPeeringName: p.name,
              remoteVirtualNetwork: { id: this.network.virtualNetwork.id },
              ...p.flags,
            },
            { parent: this, dependsOn: vnetReady },
          ),
    );

    const scopeOf = (grant: Grant): pulumi.Input<string> => {
      switch (grant.scope.kind) {
        case "subnet":
          return this.network.subnet(grant.scope.subnet).id;
        case "vnet":
          return this.network.virtualNetwork.id;
        case "privateDnsZone":
          if (!privateZone)
            throw new Error(`cluster ${cluster.name} has a public API server: no zone to grant`);
          return privateZone.id;
        case "kmsKey":
          return kmsKey.id;
        case "keysVault":
          return keysVault.id;
        case "cluster":
          return this.managedCluster.id;
      }
    };
    const grant = (g: Grant) =>
      new azure.authorization.RoleAssignment(
        `${name}-${g.name}`,
        {
          scope: scopeOf(g),
          roleDefinitionId: client.subscriptionId.apply((sub) => roleDefinitionId(sub, g.role)),
          // Naming the type skips Entra's lookup of the principal, which a new identity may not have reached yet.
          ...(g.principal.kind === "clusterIdentity"
            ? { principalId: identity.principalId, principalType: "ServicePrincipal" }
            : { principalId: g.principal.objectId, principalType: g.principal.type }),
        },
        parent,
      );
    const grants = clusterGrants(cluster, config);
    // The cluster can only be created once its identity may join the subnets and use the KMS key.
    const beforeGrants = grants.filter((g) => g.scope.kind !== "cluster");
    const before = beforeGrants.map(grant);

    const nodesSubnet = cluster.subnets.find((s) => s.purpose === "private");
    const podsSubnet = cluster.subnets.find((s) => s.purpose === "pods");
    if (!nodesSubnet) throw new Error(`cluster ${cluster.name} has no nodes subnet in the plan`);
    const pools = aksAgentPools(cluster, config, network.workloads.scheduling);
    const poolArgs = ({ usesPodSubnet, ...pool }: (typeof pools)[number]) => ({
      ...pool,
      availabilityZones: pool.availabilityZones ? [...pool.availabilityZones] : undefined,
      nodeTaints: pool.nodeTaints ? [...pool.nodeTaints] : undefined,
      vnetSubnetID: this.network.subnet(nodesSubnet.name).id,
      ...(usesPodSubnet && podsSubnet ? { podSubnetID: this.network.subnet(podsSubnet.name).id } : {}),
      orchestratorVersion: config.kubernetesVersion,
    });
    const [systemPool, ...userPools] = pools;
    const networkProfile = aksNetworkProfile(cluster, config);
    this.enforcesNetworkPolicies = aksEnforcesNetworkPolicies(networkProfile);

    this.managedCluster = new azure.containerservice.ManagedCluster(
      `${name}-aks`,
      {
        resourceGroupName,
        resourceName: cluster.name,
        location,
        dnsPrefix: cluster.name,
        kubernetesVersion: config.kubernetesVersion,
        sku: { ...AKS_SKU },
        identity: { type: "UserAssigned", userAssignedIdentities: [identity.id] },
        aadProfile: { managed: true, enableAzureRBAC: true, tenantID: client.tenantId },
        enableRBAC: true,
        disableLocalAccounts: true,
        apiServerAccessProfile: access.enablePrivateCluster
          ? {
              enablePrivateCluster: true,
              enablePrivateClusterPublicFQDN: access.enablePrivateClusterPublicFQDN,
              privateDNSZone: privateZone?.id,
            }
          : { enablePrivateCluster: false, authorizedIPRanges: [...access.authorizedIPRanges] },
        oidcIssuerProfile: { enabled: true },
        securityProfile: {
          workloadIdentity: { enabled: true },
          azureKeyVaultKms: {
            enabled: true,
            keyId: kmsKey.keyUriWithVersion,
            keyVaultNetworkAccess: "Public",
          },
        },
        addonProfiles: SECRETS_PROVIDER_ADDON,
        networkProfile,
        agentPoolProfiles: [poolArgs(systemPool)],
        autoUpgradeProfile: aksAutoUpgradeProfile(config),
      },
      { parent: this, dependsOn: before, ignoreChanges: ["agentPoolProfiles"] },
    );
    // When AKS may upgrade on its own: the network's windows never overlap (`infra/plan/maintenance.ts`).
    for (const maintenance of aksMaintenanceConfigurations(args.maintenance)) {
      new azure.containerservice.MaintenanceConfiguration(
        `${name}-${maintenance.configName}`,
        {
          resourceGroupName,
          resourceName: this.managedCluster.name,
          configName: maintenance.configName,
          maintenanceWindow: {
            ...maintenance.maintenanceWindow,
            schedule: { weekly: { ...maintenance.maintenanceWindow.schedule.weekly } },
          },
        },
        { parent: this },
      );
    }
    const userPoolResources = userPools.map((pool) => {
      // An AgentPool is named by agentPoolName; `name` belongs to the inline profile only.
      const { name: agentPoolName, ...profile } = poolArgs(pool);
      return new azure.containerservice.AgentPool(
        `${name}-${agentPoolName}`,
        { resourceGroupName, resourceName: this.managedCluster.name, agentPoolName, ...profile },
        // The autoscaler owns the node count between minCount and maxCount.
        { parent: this, ignoreChanges: pool.enableAutoScaling ? ["count"] : [] },
      );
    });
    // What AKS reports running: the inline System pool keeps the minor it was created with until upgraded
    // on its own (AKS refuses a pool's version change through the cluster: docs/operations/upgrade.md).
    this.kubernetesVersions = pulumi
      .all([
        this.managedCluster.currentKubernetesVersion,
        this.managedCluster.agentPoolProfiles,
        pulumi.all(userPoolResources.map((p) => pulumi.all([p.name, p.currentOrchestratorVersion]))),
      ])
      .apply(([controlPlane, inline, user]) => ({
        controlPlane,
        nodePools: Object.fromEntries([
          ...(inline ?? []).map((p) => [p.name, p.currentOrchestratorVersion] as const),
          ...user,
        ]),
      }));
    const after = grants.filter((g) => g.scope.kind === "cluster").map(grant);
    this.secretsWriterGrants = before.filter((_, i) => beforeGrants[i]?.scope.kind === "keysVault");

    // Local accounts are off: this kubeconfig runs kubelogin, which must be on PATH (see docs/azure.md).
    const kubeconfig = azure.containerservice
      .listManagedClusterUserCredentialsOutput(
        { resourceGroupName, resourceName: this.managedCluster.name, format: "exec" },
        parent,
      )
      .apply((creds) => {
        const first = creds.kubeconfigs[0];
        if (!first) throw new Error(`AKS returned no kubeconfig for ${cluster.name}`);
        return Buffer.from(first.value, "base64").toString("utf8");
      });
    const connection = {
      kubeconfig: pulumi.secret(kubeconfig),
      // A refreshed kubeconfig must not replace the provider and every object behind it.
      clusterIdentifier: `azure-${cluster.name}`,
    };
    // Nothing reaches the cluster before its admins' grants and the deployer's path to the API server exist.
    const providerOpts = { parent: this, dependsOn: [...after, ...peerings, ...zoneLinks] };
    this.kubernetes = new k8s.Provider(
      `${name}-k8s`,
      // The peer list ConfigMap is updated in place (peer-sync applies it), never replaced.
      { ...connection, enableConfigMapMutable: true },
      providerOpts,
    );
    this.crdKubernetes = once(
      () => new k8s.Provider(`${name}-k8s-crds`, { ...connection, ...CRD_ADOPTION }, providerOpts),
    );

    const storageClass = config.storageClass
      ? undefined
      : new k8s.storage.v1.StorageClass(
          `${name}-${AZURE_STORAGE_CLASS_NAME}`,
          {
            ...azureStorageClass,
            metadata: { ...azureStorageClass.metadata },
            parameters: { ...azureStorageClass.parameters },
          },
          { parent: this, provider: this.kubernetes },
        );
    this.storageClass = config.storageClass ?? AZURE_STORAGE_CLASS_NAME;
    this.prerequisites = storageClass ? [storageClass] : [];

    const issuerUrl = this.managedCluster.oidcIssuerProfile.apply((p) => {
      if (!p?.issuerURL) throw new Error(`AKS ${cluster.name} has no OIDC issuer URL`);
      return p.issuerURL;
    });
    this.vaultInputs = {
      provider: this.kubernetes,
      resourceGroupName,
      location,
      keyVaultName: keysVault.name,
      keyVaultId: keysVault.id,
      tenantId: client.tenantId,
      oidcIssuerUrl: issuerUrl,
      protect,
      retainOnDelete: network.retainSecretsOnDelete,
    };
    this.registerOutputs({
      clusterId: this.managedCluster.id,
      oidcIssuerUrl: issuerUrl,
      keyVaultId: keysVault.id,
      kmsKeyId: kmsKey.keyUriWithVersion,
    });
  }

  loadBalancerAnnotations = (node: EndpointPlacement): Record<string, string> =>
    azureLoadBalancerAnnotations(this.plan, node);

  gatewayServiceAnnotations = (exposure: Exposure): Record<string, string> =>
    azureGatewayServiceAnnotations(this.plan, exposure);

  /**
   * cert-manager's Azure DNS identity: a user-assigned identity federated with exactly cert-manager's
   * ServiceAccount, DNS Zone Contributor on the configured zone only. cert-manager starts once both exist.
   */
  createDnsSolverIdentity(
    name: string,
    { serviceAccount, acme }: DnsSolverRequest,
    opts: pulumi.ComponentResourceOptions,
  ): DnsSolverIdentity {
    if (!acme.azureDns) {
      throw new pulumi.RunError(
        `ingress.tls.acme.azureDns of cluster ${this.plan.name}: an azure cluster solves DNS-01 through Azure DNS; set it`,
      );
    }
    const plan = dnsSolverIdentityPlan(this.plan, serviceAccount, acme.azureDns);
    const { resourceGroupName, location, oidcIssuerUrl } = this.vaultInputs;
    const identity = new azure.managedidentity.UserAssignedIdentity(
      name,
      { resourceGroupName, location, resourceName: plan.identityName },
      opts,
    );
    const federation = new azure.managedidentity.FederatedIdentityCredential(
      name,
      {
        resourceGroupName,
        resourceName: identity.name,
        federatedIdentityCredentialResourceName: plan.federatedCredential.name,
        issuer: pulumi.output(oidcIssuerUrl).apply(checkedIssuerUrl),
        subject: plan.federatedCredential.subject,
        audiences: [...plan.federatedCredential.audiences],
      },
      opts,
    );
    const assignment = new azure.authorization.RoleAssignment(
      name,
      {
        scope: plan.scope,
        roleDefinitionId: plan.roleDefinitionId,
        principalId: identity.principalId,
        // A new identity may not have replicated to Entra ID yet: saying what it is skips the lookup.
        principalType: "ServicePrincipal",
      },
      opts,
    );
    return {
      serviceAccountAnnotations: { [WORKLOAD_IDENTITY_CLIENT_ID_ANNOTATION]: identity.clientId },
      podLabels: { [WORKLOAD_IDENTITY_USE_LABEL]: "true" },
      azureClientId: identity.clientId,
      dependsOn: [federation, assignment],
    };
  }

  createVault(name: string, args: VaultArgs, opts: pulumi.ComponentResourceOptions): NodeVault {
    if (this.vaultKind === "kubernetes") {
      return new KubernetesSecretStore(name, { ...args, provider: this.kubernetes }, opts);
    }
    // Secrets are written by an admin: they wait for the admins' grants on the vault.
    return new AzureKeyVaultStore(
      name,
      { ...args, ...this.vaultInputs, dependsOn: [...args.dependsOn, ...this.secretsWriterGrants] },
      opts,
    );
  }
}
