/**
 * Azure clusters under the mock runtime: the program registers the VNets, subnets, NSGs, AKS clusters,
 * identities, grants, vaults and peerings of the plan, wired by the ids Azure gives them.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { managementRanges, privateEndpointFence } from "../infra/azure/apiAccess";
import { nsgRules, vnetAddressSpace } from "../infra/azure/network";
import { monitoringPaths } from "../infra/monitoring/topology";
import {
  type RenderedResource,
  type RenderResult,
  renderProgram,
  SECRET_PLACEHOLDER,
} from "../infra/offline/render";
import { INVOKE_RESULTS } from "../infra/offline/state";
import type { ClusterPlan, NetworkPlan } from "../infra/plan/types";
import { program } from "../infra/program";
import { peerRanges } from "../infra/quorum/peers";
import { planRawConfig } from "../infra/stackPlan";

/** The runners' VNet, made outside the stack. */
const OPS_VNET =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/ops-rg/providers/Microsoft.Network/virtualNetworks/ops";

/** The admins' Entra group and the preview workflow's service principal. */
const ADMINS = "4f8a1c2e-0b3d-4e5f-9a6b-7c8d9e0f1a2b";
const PREVIEW = "0d3b5f7a-9c1e-4a2b-8d6f-1e3a5c7b9d0f";

const RAW = {
  "goquorum:network": {
    name: "aznet",
    chainId: 4242,
    connectivity: {
      managementNetworks: [
        { name: "ops", provider: "azure", virtualNetworkId: OPS_VNET, cidr: "10.250.0.0/24" },
      ],
    },
  },
  "goquorum:clusters": [
    {
      name: "weu",
      provider: "azure",
      region: "westeurope",
      cidr: "10.70.0.0/16",
      podCidr: "100.70.0.0/16",
      nodePools: [
        { name: "system", vmSize: "Standard_D4s_v5", count: 3 },
        { name: "quorum", vmSize: "Standard_D8s_v5", count: 3, maxCount: 5, maxSurge: 2 },
      ],
      cni: { mode: "pod-subnet" },
      apiAccess: { publicRanges: ["203.0.113.0/24"] },
      adminGroupObjectIds: [ADMINS],
      viewerPrincipals: [{ objectId: PREVIEW, type: "ServicePrincipal" }],
      vault: "kubernetes",
      nodes: { validators: 2, members: 1 },
    },
    {
      name: "neu",
      provider: "azure",
      region: "northeurope",
      cidr: "10.71.0.0/16",
      nodePools: [{ name: "system", vmSize: "Standard_D4s_v5", count: 3 }],
      cni: { mode: "overlay" },
      apiAccess: { privateRanges: ["10.250.0.0/26"] },
      adminGroupObjectIds: [ADMINS],
      vault: "kubernetes",
      nodes: { validators: 2 },
    },
  ],
};

const config = () => {
  const { config } = planRawConfig(RAW);
  assert.ok(config);
  return config;
};
const plan = (): NetworkPlan => {
  const { plan } = planRawConfig(RAW);
  assert.ok(plan);
  return plan;
};

type Inputs = Record<string, unknown>;
const ofType = (r: RenderResult, type: string) => r.resources.filter((x) => x.type === type);
const named = (r: RenderResult, type: string, name: string): RenderedResource => {
  const found = ofType(r, type).find((x) => x.name === name);
  assert.ok(found, `${type} ${name}`);
  return found;
};
const inputs = (r: RenderedResource) => r.inputs as Inputs;
const armGroup = /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\//;

describe("Azure clusters under the mock runtime", () => {
  let result: RenderResult;
  let clusters: readonly ClusterPlan[];
  before(async () => {
    result = await renderProgram("aztest", RAW, program);
    clusters = plan().clusters;
  });

  it("records what AKS reports each control plane and pool running, the inline System pool too", () => {
    assert.deepEqual(result.outputs.kubernetesVersions, {
      weu: { controlPlane: "1.35.0", nodePools: { system: "1.35.0", quorum: "1.35.0" } },
      neu: { controlPlane: "1.35.0", nodePools: { system: "1.35.0" } },
    });
  });

  it("schedules AKS's own upgrades in the network's windows, no two at once (weu, then neu, 42 h apart)", () => {
    const configs = ofType(result, "azure-native:containerservice:MaintenanceConfiguration").map((r) => {
      const i = inputs(r);
      const window = i.maintenanceWindow as {
        schedule: { weekly: { dayOfWeek: string } };
        startTime: string;
      };
      return [i.resourceName, i.configName, window.schedule.weekly.dayOfWeek, window.startTime];
    });
    assert.deepEqual(configs.sort(), [
      ["neu", "aksManagedAutoUpgradeSchedule", "Sunday", "18:00"],
      ["neu", "aksManagedNodeOSUpgradeSchedule", "Thursday", "06:00"],
      ["weu", "aksManagedAutoUpgradeSchedule", "Saturday", "00:00"],
      ["weu", "aksManagedNodeOSUpgradeSchedule", "Tuesday", "12:00"],
    ]);
  });

  it("gives each cluster a VNet with the planned address space (pod range included in pod-subnet mode)", () => {
    assert.deepEqual(
      (inputs(named(result, "azure-native:network:VirtualNetwork", "weu-vnet")).addressSpace as Inputs)
        .addressPrefixes,
      ["10.70.0.0/16", "100.70.0.0/16"],
    );
    for (const c of clusters) {
      const vnet = inputs(named(result, "azure-native:network:VirtualNetwork", `${c.name}-vnet`));
      assert.deepEqual((vnet.addressSpace as Inputs).addressPrefixes, vnetAddressSpace(c));
      assert.equal(vnet.location, c.region);
      assert.equal(vnet.subnets, undefined, "never inline subnets");
    }
  });

  it("registers the planned subnets as standalone resources, each with its own NSG", () => {
    for (const c of clusters) {
      const subnets = ofType(result, "azure-native:network:Subnet").filter((s) =>
        String(inputs(s).resourceGroupName).startsWith(`${c.name}-`),
      );
      assert.deepEqual(
        subnets.map((s) => [inputs(s).subnetName, inputs(s).addressPrefix]).sort(),
        c.subnets.map((s) => [s.name, s.cidr]).sort(),
      );
      for (const s of subnets) {
        if (inputs(s).subnetName === "GatewaySubnet") {
          assert.equal(inputs(s).networkSecurityGroup, undefined, "no NSG on the GatewaySubnet");
          continue;
        }
        const nsg = (inputs(s).networkSecurityGroup as Inputs).id as string;
        assert.match(nsg, armGroup);
        assert.ok(nsg.endsWith(`/networkSecurityGroups/${c.name}-${inputs(s).subnetName}-nsg`), nsg);
      }
    }
  });

  it("opens TCP 30303 and 9000 from the peer ranges and the monitoring path on every NSG, as planned", () => {
    for (const c of clusters) {
      const peers = peerRanges(c, plan());
      const clusterConfig = config().clusters.find((x) => x.name === c.name);
      assert.ok(clusterConfig?.provider === "azure");
      const planned = nsgRules(
        c,
        plan(),
        monitoringPaths(config().network, plan()),
        managementRanges(config().network.connectivity.managementNetworks),
        privateEndpointFence(clusterConfig, plan().deployerPaths),
      );
      for (const nsg of ofType(result, "azure-native:network:NetworkSecurityGroup").filter((n) =>
        n.name.startsWith(`${c.name}-`),
      )) {
        const rules = inputs(nsg).securityRules as Inputs[];
        assert.deepEqual(
          rules.map((r) => r.name),
          planned.map((r) => r.name),
          nsg.name,
        );
        const allows = rules.filter((r) => r.access === "Allow" && String(r.name).startsWith("allow-peers"));
        assert.equal(allows.length, 2, nsg.name);
        for (const r of allows) assert.deepEqual(r.destinationPortRanges, ["30303", "9000"]);
        assert.deepEqual(allows.find((r) => r.direction === "Inbound")?.sourceAddressPrefixes, peers);
        assert.ok(rules.some((r) => r.access === "Deny" && r.sourceAddressPrefix === "Internet"));
      }
    }
  });

  it("fences the private API server's endpoint: NSG network policies on neu's node subnet, 443 from the runners", () => {
    const policies = ofType(result, "azure-native:network:Subnet")
      // Azure's default (and the mock's) is Disabled: only the fenced subnet differs.
      .filter((s) => (inputs(s).privateEndpointNetworkPolicies ?? "Disabled") !== "Disabled")
      .map((s) => [
        inputs(s).resourceGroupName,
        inputs(s).subnetName,
        inputs(s).privateEndpointNetworkPolicies,
      ]);
    const neu = clusters.find((c) => c.name === "neu");
    const nodeSubnet = neu?.subnets.find((s) => s.purpose === "private");
    assert.ok(nodeSubnet);
    assert.deepEqual(policies, [["neu-rg", nodeSubnet.name, "NetworkSecurityGroupEnabled"]]);
    const nsg = named(result, "azure-native:network:NetworkSecurityGroup", `neu-${nodeSubnet.name}-nsg`);
    const rule = (inputs(nsg).securityRules as Inputs[]).find((r) => r.name === "allow-deployers-api-server");
    assert.deepEqual(
      [
        rule?.access,
        rule?.sourceAddressPrefixes,
        rule?.destinationAddressPrefixes,
        rule?.destinationPortRange,
      ],
      ["Allow", ["10.250.0.0/26"], [nodeSubnet.cidr], "443"],
    );
  });

  it("peers the VNets in both directions", () => {
    const peerings = ofType(result, "azure-native:network:VirtualNetworkPeering").filter(
      (p) => !p.name.includes("ops"),
    );
    assert.deepEqual(peerings.map((p) => p.name).sort(), ["neu-to-weu", "weu-to-neu"]);
    for (const [from, to] of [
      ["weu", "neu"],
      ["neu", "weu"],
    ]) {
      const p = inputs(named(result, "azure-native:network:VirtualNetworkPeering", `${from}-to-${to}`));
      assert.equal(p.resourceGroupName, `${from}-rg`);
      assert.equal(p.virtualNetworkName, `${from}-vnet`);
      assert.match(
        (p.remoteVirtualNetwork as Inputs).id as string,
        new RegExp(`/resourceGroups/${to}-rg/providers/Microsoft.Network/virtualNetworks/${to}-vnet$`),
      );
      assert.equal(p.allowVirtualNetworkAccess, true);
      assert.equal(p.allowForwardedTraffic, false);
    }
  });

  it("peers the management VNet with every cluster's VNet, both directions, each side in its own VNet", () => {
    for (const c of ["weu", "neu"]) {
      const out = inputs(named(result, "azure-native:network:VirtualNetworkPeering", `${c}-to-ops`));
      assert.equal(out.resourceGroupName, `${c}-rg`);
      assert.equal((out.remoteVirtualNetwork as Inputs).id, OPS_VNET);
      const back = inputs(named(result, "azure-native:network:VirtualNetworkPeering", `ops-to-${c}`));
      assert.deepEqual([back.resourceGroupName, back.virtualNetworkName], ["ops-rg", "ops"]);
      assert.match(
        (back.remoteVirtualNetwork as Inputs).id as string,
        new RegExp(`/virtualNetworks/${c}-vnet$`),
      );
      for (const p of [out, back])
        assert.deepEqual([p.allowGatewayTransit, p.useRemoteGateways], [false, false]);
    }
  });

  it("gives the private API server its own DNS zone, linked to the management VNet, with a grant to manage it", () => {
    const zone = named(result, "azure-native:privatedns:PrivateZone", "neu-api-zone");
    assert.equal(inputs(zone).privateZoneName, "aznet-neu.privatelink.northeurope.azmk8s.io");
    assert.equal(inputs(zone).resourceGroupName, "neu-rg");
    const link = inputs(named(result, "azure-native:privatedns:VirtualNetworkLink", "neu-api-zone-ops"));
    assert.deepEqual([link.virtualNetwork, link.registrationEnabled], [{ id: OPS_VNET }, false]);
    assert.equal(ofType(result, "azure-native:privatedns:PrivateZone").length, 1, "weu is public: no zone");
    const grants = ofType(result, "azure-native:authorization:RoleAssignment").map((r) => r.name);
    assert.ok(grants.includes("neu-private-dns-zone") && grants.includes("neu-network-vnet"));
    assert.ok(!grants.includes("weu-private-dns-zone"));
  });

  it("creates AKS with Entra RBAC, no local accounts, OIDC + workload identity, KMS and restricted API access", () => {
    const weu = inputs(named(result, "azure-native:containerservice:ManagedCluster", "weu-aks"));
    assert.equal(weu.kubernetesVersion, "1.35");
    assert.equal(weu.disableLocalAccounts, true);
    assert.deepEqual(
      { ...(weu.aadProfile as Inputs), tenantID: undefined },
      {
        managed: true,
        enableAzureRBAC: true,
        tenantID: undefined,
      },
    );
    assert.deepEqual(weu.oidcIssuerProfile, { enabled: true });
    const security = weu.securityProfile as { workloadIdentity: Inputs; azureKeyVaultKms: Inputs };
    assert.deepEqual(security.workloadIdentity, { enabled: true });
    assert.equal(security.azureKeyVaultKms.enabled, true);
    const kmsVault = inputs(named(result, "azure-native:keyvault:Vault", "weu-kms-vault"))
      .vaultName as string;
    assert.match(
      security.azureKeyVaultKms.keyId as string,
      new RegExp(`^https://${kmsVault}\\.vault\\.azure\\.net/keys/etcd-kms/[0-9a-f]{32}$`),
    );
    assert.deepEqual(weu.apiServerAccessProfile, {
      enablePrivateCluster: false,
      authorizedIPRanges: ["203.0.113.0/24"],
    });
    assert.deepEqual((weu.addonProfiles as Inputs).azureKeyvaultSecretsProvider, {
      enabled: true,
      config: { enableSecretRotation: "true", rotationPollInterval: "2m" },
    });
    const identity = weu.identity as { type: string; userAssignedIdentities: string[] };
    assert.equal(identity.type, "UserAssigned");
    assert.match(identity.userAssignedIdentities[0] ?? "", /\/userAssignedIdentities\/weu-aks$/);

    const neu = inputs(named(result, "azure-native:containerservice:ManagedCluster", "neu-aks"));
    assert.deepEqual(neu.apiServerAccessProfile, {
      enablePrivateCluster: true,
      enablePrivateClusterPublicFQDN: false,
      // The zone's id, as the mock runtime gives it (its name + -id).
      privateDNSZone: "neu-api-zone-id",
    });
    const profile = neu.networkProfile as Inputs;
    assert.equal(profile.networkPluginMode, "overlay");
    assert.equal(profile.podCidr, clusters[1]?.podCidr);
    assert.equal(profile.serviceCidr, clusters[1]?.serviceCidr);
  });

  it("puts the System pool inline and each further pool in its own AgentPool, on the planned subnets", () => {
    const weu = inputs(named(result, "azure-native:containerservice:ManagedCluster", "weu-aks"));
    const [system, ...rest] = weu.agentPoolProfiles as Inputs[];
    assert.equal(rest.length, 0);
    assert.equal(system?.mode, "System");
    assert.equal(system?.maxPods, clusters[0]?.capacity?.podsPerNode);
    assert.match(system?.vnetSubnetID as string, /\/virtualNetworks\/weu-vnet\/subnets\/nodes$/);
    assert.match(system?.podSubnetID as string, /\/virtualNetworks\/weu-vnet\/subnets\/pods$/);
    const pool = inputs(named(result, "azure-native:containerservice:AgentPool", "weu-quorum"));
    assert.equal(pool.resourceName, "weu");
    assert.equal(pool.agentPoolName, "quorum");
    assert.equal(pool.name, undefined, "AgentPool has no name input");
    assert.equal(pool.mode, "User");
    assert.deepEqual(pool.availabilityZones, ["1", "2", "3"]);
    assert.deepEqual([pool.enableAutoScaling, pool.minCount, pool.maxCount], [true, 3, 5]);
    assert.deepEqual(pool.upgradeSettings, { maxSurge: "2" });
    assert.equal(pool.maxPods, 110);
  });

  it("grants the cluster identity Network Contributor on each subnet and Crypto User on the KMS key only", () => {
    const grants = ofType(result, "azure-native:authorization:RoleAssignment").filter((g) =>
      g.name.startsWith("weu-"),
    );
    const byRole = (guid: string) =>
      grants.filter((g) => String(inputs(g).roleDefinitionId).endsWith(`/roleDefinitions/${guid}`));
    const network = byRole("4d97b98b-1d4f-4787-a291-c67834d212e7");
    const subnetIds = ofType(result, "azure-native:network:Subnet")
      .filter((s) => inputs(s).virtualNetworkName === "weu-vnet" && inputs(s).subnetName !== "GatewaySubnet")
      .map((s) => `${inputs(s).subnetName}`);
    // Not the GatewaySubnet: it holds only the VPN gateway.
    assert.deepEqual(
      network.map((g) => String(inputs(g).scope).split("/subnets/")[1]).sort(),
      [...subnetIds].sort(),
    );
    const crypto = byRole("12338af0-0e69-4776-bea7-57ae8d297424");
    assert.equal(crypto.length, 1);
    assert.match(
      String(inputs(crypto[0] as RenderedResource).scope),
      /\/vaults\/weu-kms-[a-z0-9]{5}\/keys\/etcd-kms$/,
    );
    const identityGrants = [...network, ...crypto].map((g) => inputs(g));
    assert.equal(new Set(identityGrants.map((g) => g.principalId)).size, 1);
    for (const g of identityGrants) assert.equal(g.principalType, "ServicePrincipal");
  });

  it("grants only the principals the config names: the admin group administers, the preview identity reads", () => {
    const grants = ofType(result, "azure-native:authorization:RoleAssignment").filter((g) =>
      g.name.startsWith("weu-"),
    );
    const to = (principalId: string) =>
      grants
        .filter((g) => inputs(g).principalId === principalId)
        .map((g) => [
          String(inputs(g).roleDefinitionId).split("/roleDefinitions/")[1],
          String(inputs(g).scope).split("/providers/").at(-1),
          inputs(g).principalType,
        ])
        .sort();
    const vault = inputs(named(result, "azure-native:keyvault:Vault", "weu-keys-vault")).vaultName;
    const cluster = "Microsoft.ContainerService/managedClusters/weu";
    assert.deepEqual(to(ADMINS), [
      ["4abbcc35-e782-43d8-92c5-2d3f1bd2253f", cluster, "Group"],
      ["b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b", cluster, "Group"],
      ["b86a8fe4-44ce-4948-aee5-eccb2c155cd7", `Microsoft.KeyVault/vaults/${vault}`, "Group"],
    ]);
    assert.deepEqual(to(PREVIEW), [
      ["4abbcc35-e782-43d8-92c5-2d3f1bd2253f", cluster, "ServicePrincipal"],
      ["7f6c6a51-bcf8-42ba-9220-52d62157d7db", cluster, "ServicePrincipal"],
    ]);
    // Nothing for the identity that runs pulumi up: a later run by someone else would replace it.
    const deployer = INVOKE_RESULTS["azure-native:authorization:getClientConfig"]?.(
      {},
      "aztest",
      {},
    ).objectId;
    assert.ok(deployer);
    assert.ok(!grants.some((g) => inputs(g).principalId === deployer));
  });

  it("creates the KMS key for the operations the AKS KMS plugin calls: encrypt and decrypt", () => {
    const key = inputs(named(result, "azure-native:keyvault:Key", "weu-kms-key")).properties as Inputs;
    // Key Vault enforces key_ops per call: a wrap/unwrap-only key refuses the plugin's encrypt (403).
    assert.deepEqual(key.keyOps, ["encrypt", "decrypt"]);
    assert.deepEqual([key.kty, key.keySize], ["RSA", 2048]);
  });

  it("protects both vaults, the KMS key and the identity KMS uses it with; the node key vault has a firewall", () => {
    for (const name of ["weu-kms-vault", "weu-keys-vault", "weu-kms-key"]) {
      const r = ofType(
        result,
        name.endsWith("key") ? "azure-native:keyvault:Key" : "azure-native:keyvault:Vault",
      ).find((x) => x.name === name);
      assert.equal(r?.options?.protect, true, name);
    }
    // AKS does not support deleting the KMS identity (the cluster's own).
    const identity = named(result, "azure-native:managedidentity:UserAssignedIdentity", "weu-identity");
    assert.equal(inputs(identity).resourceName, "weu-aks");
    assert.equal(identity.options?.protect, true);
    const keys = inputs(named(result, "azure-native:keyvault:Vault", "weu-keys-vault")).properties as Inputs;
    assert.equal(keys.enableRbacAuthorization, true);
    assert.equal(keys.enablePurgeProtection, true);
    const acls = keys.networkAcls as { defaultAction: string; virtualNetworkRules: { id: string }[] };
    assert.equal(acls.defaultAction, "Deny");
    assert.deepEqual(
      acls.virtualNetworkRules.map((r) => r.id.split("/subnets/")[1]),
      ["nodes", "pods"],
    );
  });

  it("reaches each cluster through its own Kubernetes provider with a secret kubeconfig", () => {
    for (const c of clusters) {
      const p = named(result, "pulumi:providers:kubernetes", `${c.name}-k8s`);
      assert.equal(inputs(p).kubeconfig, SECRET_PLACEHOLDER);
      assert.equal(inputs(p).clusterIdentifier, `azure-${c.name}`);
      assert.deepEqual(
        [...(p.options?.dependsOn ?? [])].sort(),
        [
          `azure-native:authorization:RoleAssignment::${c.name}-admin-${ADMINS}`,
          `azure-native:authorization:RoleAssignment::${c.name}-admin-${ADMINS}-user`,
          ...(c.name === "weu"
            ? [
                `azure-native:authorization:RoleAssignment::weu-viewer-${PREVIEW}`,
                `azure-native:authorization:RoleAssignment::weu-viewer-${PREVIEW}-user`,
              ]
            : []),
          `azure-native:network:VirtualNetworkPeering::${c.name}-to-ops`,
          `azure-native:network:VirtualNetworkPeering::ops-to-${c.name}`,
          ...(c.name === "neu" ? ["azure-native:privatedns:VirtualNetworkLink::neu-api-zone-ops"] : []),
        ].sort(),
      );
    }
    const sts = ofType(result, "kubernetes:apps/v1:StatefulSet").filter((s) => s.provider === "weu-k8s");
    assert.equal(sts.length, 3);
  });

  it("stores chain data on a Retain Premium SSD StorageClass, never Azure Files", () => {
    const sc = inputs(named(result, "kubernetes:storage.k8s.io/v1:StorageClass", "weu-goquorum-premium-ssd"));
    assert.equal(sc.provisioner, "disk.csi.azure.com");
    assert.deepEqual(sc.parameters, { skuName: "Premium_LRS" });
    assert.equal(sc.reclaimPolicy, "Retain");
    assert.equal(sc.volumeBindingMode, "WaitForFirstConsumer");
    const claims = ofType(result, "kubernetes:apps/v1:StatefulSet").flatMap(
      (s) => ((inputs(s).spec as Inputs).volumeClaimTemplates as { spec: Inputs }[]) ?? [],
    );
    assert.ok(claims.length > 0);
    for (const claim of claims) assert.equal(claim.spec.storageClassName, "goquorum-premium-ssd");
  });

  it("gives each node's p2p Service an internal load balancer on its reserved address in the endpoints subnet", () => {
    const services = ofType(result, "kubernetes:core/v1:Service").filter(
      (s) => (inputs(s).spec as Inputs).type === "LoadBalancer" && s.provider === "weu-k8s",
    );
    assert.equal(services.length, 3);
    for (const s of services) {
      const annotations = (inputs(s).metadata as { annotations: Record<string, string> }).annotations;
      assert.equal(
        annotations["service.beta.kubernetes.io/azure-load-balancer-internal-subnet"],
        "endpoints",
      );
    }
  });
});

describe("the Azure target's cloud vault", () => {
  const CLOUD = {
    ...RAW,
    "goquorum:clusters": RAW["goquorum:clusters"].map((c) => ({ ...c, vault: "cloud" })),
  };
  let result: RenderResult;
  before(async () => {
    result = await renderProgram("aztest", CLOUD, program);
  });

  it("stores every key file in the cluster's node key vault, after the admin group's write grant", () => {
    const keysVault = inputs(named(result, "azure-native:keyvault:Vault", "weu-keys-vault"));
    const secrets = result.resources.filter(
      (r) =>
        r.type === "azure-native:keyvault:Secret" && r.parent === "goquorum:azure:KeyVaultStore::weu-vault",
    );
    // 2 validators (nodekey) + 1 member (nodekey, tm.key, tm.pub, and the Tessera TLS files tls.key, tls.crt
    // and ca.crt: two clusters make strict TLS the default).
    assert.equal(secrets.length, 8);
    for (const secret of secrets) {
      assert.equal(inputs(secret).vaultName, keysVault.vaultName);
      assert.equal(inputs(secret).resourceGroupName, "weu-rg");
      assert.equal((inputs(secret).properties as { value: unknown }).value, SECRET_PLACEHOLDER);
      const grants = (secret.options?.dependsOn ?? []).filter((d) =>
        d.startsWith("azure-native:authorization:RoleAssignment::"),
      );
      assert.deepEqual(
        grants,
        [`azure-native:authorization:RoleAssignment::weu-admin-${ADMINS}-secrets`],
        `${secret.name} waits for the admins' grant`,
      );
    }
  });

  it("federates each node's identity with this cluster's OIDC issuer and grants it only its own secrets", () => {
    const federations = result.resources.filter(
      (r) =>
        r.type === "azure-native:managedidentity:FederatedIdentityCredential" &&
        r.parent === "goquorum:azure:KeyVaultStore::weu-vault",
    );
    assert.equal(federations.length, 3);
    for (const f of federations) {
      assert.match(
        String(inputs(f).issuer),
        /^https:\/\/westeurope\.oic\.prod-aks\.azure\.com\/[0-9a-f-]{36}\/[0-9a-f-]{36}\/$/,
      );
    }
    const keysVaultName = inputs(named(result, "azure-native:keyvault:Vault", "weu-keys-vault")).vaultName;
    const readers = result.resources.filter(
      (r) => r.type === "azure-native:authorization:RoleAssignment" && r.name.endsWith("-reader"),
    );
    for (const reader of readers.filter((r) => r.name.startsWith("weu-"))) {
      const scope = String(inputs(reader).scope);
      assert.match(scope, new RegExp(`/providers/Microsoft.KeyVault/vaults/${keysVaultName}/secrets/`));
      assert.ok(scope.endsWith(`/secrets/${reader.name.replace(/-reader$/, "")}`), scope);
    }
  });

  it("mounts the keys through a SecretProviderClass of the node key vault, never a Kubernetes Secret", () => {
    const keysVaultName = inputs(named(result, "azure-native:keyvault:Vault", "weu-keys-vault")).vaultName;
    const classes = result.resources.filter(
      (r) =>
        r.type === "kubernetes:secrets-store.csi.x-k8s.io/v1:SecretProviderClass" &&
        r.parent === "goquorum:azure:KeyVaultStore::weu-vault",
    );
    assert.equal(classes.length, 3);
    for (const spc of classes) {
      const parameters = (inputs(spc).spec as { parameters: Record<string, string> }).parameters;
      assert.equal(parameters.keyvaultName, keysVaultName);
      assert.match(parameters.tenantID ?? "", /^[0-9a-f-]{36}$/);
    }
    const keySecrets = result.resources.filter(
      (r) =>
        r.type === "kubernetes:core/v1:Secret" &&
        (inputs(r).metadata as { namespace?: string }).namespace === "goquorum",
    );
    assert.deepEqual(keySecrets, []);
  });
});
