/** The Azure values, as pure functions of the plan and config: no mock runtime. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { aksAgentPools, aksAutoUpgradeProfile, aksNetworkProfile, apiServerAccess } from "../infra/azure/aks";
import { DNS_ZONE_CONTRIBUTOR_ROLE } from "../infra/azure/ingress";
import { keyVaultIpRules, vaultNetwork } from "../infra/azure/keyVault";
import { keyVaultName } from "../infra/azure/names";
import { azureSubnets, nsgRules, vnetAddressSpace } from "../infra/azure/network";
import { peeringLinks } from "../infra/azure/peering";
import {
  AZURE_ROLES,
  clusterGrants,
  keyVaultSubnets,
  principalTypeOfToken,
  roleDefinitionId,
} from "../infra/azure/roles";
import { KEY_VAULT_SECRETS_USER_ROLE } from "../infra/azure/vault";
import type { AzureClusterConfig, StackConfig } from "../infra/config/schema";
import { monitoringPaths } from "../infra/monitoring/topology";
import { planNetwork } from "../infra/plan";
import { azureMaxPods } from "../infra/plan/capacity";
import { cidr, cidrContains } from "../infra/plan/cidr";
import { planConnectivity } from "../infra/plan/connectivity";
import type { ClusterPlan, NetworkPlan } from "../infra/plan/types";
import { peerRanges } from "../infra/quorum/peers";
import { awsCluster, azureCluster, stackConfig } from "./helpers/config";

type AzureInput = Parameters<typeof azureCluster>[1];

function planned(config: StackConfig): NetworkPlan {
  const { plan, issues } = planNetwork(config);
  assert.ok(plan, JSON.stringify(issues, null, 2));
  return plan;
}

/** One Azure cluster's config and plan. */
function azure(overrides: AzureInput = {}, network: Parameters<typeof stackConfig>[1] = {}) {
  const config = stackConfig([azureCluster("weu", overrides)], network);
  const plan = planned(config);
  return {
    config: config.clusters[0] as AzureClusterConfig,
    cluster: plan.clusters[0] as ClusterPlan,
    network: config.network,
    plan,
  };
}

const MODES = ["node-subnet", "pod-subnet", "overlay"] as const;

describe("Azure VNet from the plan", () => {
  it("pod-subnet: the address space is the cluster range and the pod range", () => {
    const { cluster } = azure({
      cidr: "10.70.0.0/16",
      podCidr: "100.70.0.0/16",
      cni: { mode: "pod-subnet" },
    });
    assert.deepEqual(vnetAddressSpace(cluster), ["10.70.0.0/16", "100.70.0.0/16"]);
  });

  for (const mode of ["node-subnet", "overlay"] as const) {
    it(`${mode}: the address space is the cluster range only`, () => {
      const { cluster } = azure({ cidr: "10.70.0.0/16", cni: { mode } });
      assert.deepEqual(vnetAddressSpace(cluster), ["10.70.0.0/16"]);
    });
  }

  for (const mode of MODES) {
    it(`${mode}: subnets are exactly the planned ones, each inside the address space`, () => {
      const { cluster } = azure({ cni: { mode } });
      const subnets = azureSubnets(cluster);
      assert.deepEqual(
        subnets.map((s) => [s.name, s.cidr]),
        cluster.subnets.map((s) => [s.name, s.cidr]),
      );
      const space = vnetAddressSpace(cluster).map(cidr);
      for (const s of subnets)
        assert.ok(
          space.some((r) => cidrContains(r, cidr(s.cidr))),
          s.name,
        );
      assert.deepEqual(
        subnets.map((s) => s.name),
        mode === "pod-subnet"
          ? ["nodes", "endpoints", "GatewaySubnet", "pods"]
          : ["nodes", "endpoints", "GatewaySubnet"],
      );
    });
  }

  it("node and pod subnets reach Key Vault through a service endpoint, and only they are in its firewall", () => {
    const { cluster } = azure({ cni: { mode: "pod-subnet" } });
    const endpoints = Object.fromEntries(azureSubnets(cluster).map((s) => [s.name, s.serviceEndpoints]));
    assert.deepEqual(endpoints, {
      nodes: ["Microsoft.KeyVault"],
      endpoints: [],
      GatewaySubnet: [],
      pods: ["Microsoft.KeyVault"],
    });
    assert.deepEqual(keyVaultSubnets(cluster), ["nodes", "pods"]);
  });
});

describe("NSG rules", () => {
  const threeConfig = stackConfig([
    azureCluster("weu", { cidr: "10.70.0.0/16", podCidr: "100.70.0.0/16" }),
    azureCluster("neu", { region: "northeurope", cidr: "10.71.0.0/16", cni: { mode: "overlay" } }),
    awsCluster("euw1", { cidr: "10.72.0.0/16" }),
  ]);
  const three = () => planned(threeConfig);
  const rulesOf = (cluster: ClusterPlan, plan: NetworkPlan, config: StackConfig = threeConfig) =>
    nsgRules(cluster, plan, monitoringPaths(config.network, plan));

  it("a lone cluster opens nothing but load balancer probes and denies the Internet", () => {
    const { cluster, plan, network } = azure();
    const rules = nsgRules(cluster, plan, monitoringPaths(network, plan));
    assert.deepEqual(
      rules.map((r) => [r.name, r.access, r.sourceAddressPrefix, r.priority]),
      [
        ["allow-load-balancer-probes", "Allow", "AzureLoadBalancer", 3900],
        ["deny-internet-inbound", "Deny", "Internet", 4000],
      ],
    );
  });

  it("admits TCP 30303 and 9000 from exactly the peer ranges the load balancers admit, and denies the rest", () => {
    const plan = three();
    const weu = plan.clusters[0] as ClusterPlan;
    const rules = rulesOf(weu, plan);
    const peers = peerRanges(weu, plan);
    // neu's overlay pod range is not routable: its pods reach peers from its node addresses.
    assert.deepEqual(peers, ["10.71.0.0/16", "10.72.0.0/16"]);
    const allows = rules.filter((r) => r.access === "Allow" && r.name.startsWith("allow-peers"));
    assert.equal(allows.length, 2);
    for (const allow of allows) {
      assert.equal(allow.protocol, "Tcp");
      assert.deepEqual(allow.destinationPortRanges, ["30303", "9000"]);
      assert.equal(allow.destinationPortRange, undefined);
    }
    const inbound = allows.find((r) => r.direction === "Inbound");
    assert.deepEqual(inbound?.sourceAddressPrefixes, peers);
    assert.deepEqual(inbound?.destinationAddressPrefixes, ["10.70.0.0/16", "100.70.0.0/16"]);
    const outbound = allows.find((r) => r.direction === "Outbound");
    assert.deepEqual(outbound?.destinationAddressPrefixes, peers);
    for (const direction of ["Inbound", "Outbound"] as const) {
      const allow = allows.find((r) => r.direction === direction);
      const deny = rules.find(
        (r) => r.direction === direction && r.access === "Deny" && r.name.includes("peers"),
      );
      assert.ok(allow && deny, direction);
      // Lower number wins: the two ports first, then nothing else from or to the peers.
      assert.ok(allow.priority < deny.priority);
      assert.deepEqual(deny.sourceAddressPrefixes ?? deny.destinationAddressPrefixes, peers);
      assert.equal(deny.destinationPortRange, "*");
    }
    assert.ok(rules.some((r) => r.sourceAddressPrefix === "Internet" && r.access === "Deny"));
  });

  it("never denies a cluster its own overlay pod range when a peer repeats it", () => {
    const plan = planned(
      stackConfig([
        azureCluster("weu", { cidr: "10.70.0.0/16", podCidr: "100.80.0.0/16", cni: { mode: "overlay" } }),
        azureCluster("neu", { cidr: "10.71.0.0/16", podCidr: "100.80.0.0/16", cni: { mode: "overlay" } }),
      ]),
    );
    const weu = plan.clusters[0] as ClusterPlan;
    const deny = nsgRules(weu, plan, []).find((r) => r.name === "deny-peers-inbound");
    assert.deepEqual(deny?.sourceAddressPrefixes, ["10.71.0.0/16"]);
  });

  it("allows only the peer ports, the monitoring paths and the probes, for any mix of clusters", () => {
    const providers = fc.array(fc.constantFrom("azure", "aws"), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(providers, fc.nat(3), (list, centralPick) => {
        const clusters = list.map((p, i) =>
          p === "azure"
            ? azureCluster(`az${i}`, { cidr: `10.${80 + i}.0.0/16` })
            : awsCluster(`aws${i}`, { cidr: `10.${80 + i}.0.0/16` }),
        );
        const central = clusters[centralPick % clusters.length].name;
        const config = stackConfig(clusters, { monitoring: { centralCluster: central } });
        const plan = planned(config);
        const paths = monitoringPaths(config.network, plan);
        for (const c of plan.clusters.filter((x) => x.provider === "azure")) {
          const rules = nsgRules(c, plan, paths);
          const allows = rules.filter((r) => r.access === "Allow");
          const peers = peerRanges(c, plan);
          const expected = [
            "allow-load-balancer-probes",
            ...(peers.length > 0 ? ["allow-peers-p2p-inbound", "allow-peers-p2p-outbound"] : []),
            ...(peers.length > 0 && c.name !== central ? ["allow-monitoring-inbound"] : []),
            ...(peers.length > 0 && c.name === central ? ["allow-monitoring-outbound"] : []),
          ];
          assert.deepEqual(allows.map((r) => r.name).sort(), expected.sort());
          for (const rule of allows.filter((r) => r.name.startsWith("allow-peers"))) {
            assert.equal(rule.protocol, "Tcp");
            assert.deepEqual(rule.destinationPortRanges, ["30303", "9000"]);
            const ranges =
              rule.direction === "Inbound" ? rule.sourceAddressPrefixes : rule.destinationAddressPrefixes;
            assert.deepEqual(ranges, peers);
          }
          for (const rule of allows.filter((r) => r.name.startsWith("allow-monitoring"))) {
            assert.equal(rule.protocol, "Tcp");
            assert.deepEqual(rule.destinationPortRanges, ["9090"]);
            const mine = paths.filter((p) => (rule.direction === "Inbound" ? p.to : p.from) === c.name);
            assert.deepEqual(
              rule.destinationAddressPrefixes,
              mine.map((p) => p.endpointIp),
            );
            if (rule.direction === "Inbound") {
              assert.deepEqual(rule.sourceAddressPrefixes, plan.connectivity.routedRanges[central]);
            }
          }
        }
      }),
      { numRuns: 25 },
    );
  });
});

describe("AKS network profile", () => {
  it("node-subnet: Azure CNI without a mode or pod range, Calico policies", () => {
    const { config, cluster } = azure({ serviceCidr: "172.20.0.0/16", cni: { mode: "node-subnet" } });
    assert.deepEqual(aksNetworkProfile(cluster, config), {
      networkPlugin: "azure",
      networkPolicy: "calico",
      networkDataplane: "azure",
      serviceCidr: "172.20.0.0/16",
      dnsServiceIP: "172.20.0.10",
      loadBalancerSku: "standard",
      outboundType: "loadBalancer",
    });
  });

  it("pod-subnet: Azure CNI with Cilium, no overlay, no pod range on the profile", () => {
    const { config, cluster } = azure({ cni: { mode: "pod-subnet" } });
    const profile = aksNetworkProfile(cluster, config);
    assert.equal(profile.networkPluginMode, undefined);
    assert.equal(profile.podCidr, undefined);
    assert.equal(profile.networkPolicy, "cilium");
    assert.equal(profile.networkDataplane, "cilium");
  });

  it("overlay: networkPluginMode overlay with the plan's pod range", () => {
    const { config, cluster } = azure({ podCidr: "100.90.0.0/16", cni: { mode: "overlay" } });
    const profile = aksNetworkProfile(cluster, config);
    assert.equal(profile.networkPluginMode, "overlay");
    assert.equal(profile.podCidr, "100.90.0.0/16");
  });

  it("service range and DNS address come from the plan, the DNS address inside the range", () => {
    for (const mode of MODES) {
      const { config, cluster } = azure({ cni: { mode } });
      const profile = aksNetworkProfile(cluster, config);
      assert.equal(profile.serviceCidr, cluster.serviceCidr);
      assert.ok(cidrContains(cidr(profile.serviceCidr), cidr(`${profile.dnsServiceIP}/32`)));
      assert.notEqual(profile.dnsServiceIP, profile.serviceCidr.split("/")[0]);
    }
  });
});

describe("AKS agent pools", () => {
  it("maxPods is exactly the planner's figure, in every mode and with an override", () => {
    for (const mode of MODES) {
      for (const maxPods of [undefined, 40, 200]) {
        const { config, cluster, network } = azure({
          cni: { mode },
          nodePools: [
            { name: "system", vmSize: "Standard_D8s_v5", count: 6, ...(maxPods ? { maxPods } : {}) },
          ],
        });
        const [pool] = aksAgentPools(cluster, config, network.workloads.scheduling);
        assert.equal(pool?.maxPods, cluster.capacity?.podsPerNode, `${mode} ${maxPods}`);
        assert.equal(pool?.maxPods, azureMaxPods(config.nodePools[0] ?? { maxPods }, mode));
      }
    }
  });

  it("the first pool is System, the others User; zones, autoscaling and surge as planned", () => {
    const { config, cluster, network } = azure({
      cni: { mode: "overlay" },
      nodePools: [
        { name: "system", vmSize: "Standard_D4s_v5", count: 3 },
        { name: "quorum", vmSize: "Standard_D8s_v5", count: 3, maxCount: 6, maxSurge: 2, maxPods: 60 },
        { name: "spare", vmSize: "Standard_D4s_v5", count: 1, maxSurge: 0 },
      ],
    });
    const pools = aksAgentPools(cluster, config, network.workloads.scheduling);
    assert.deepEqual(
      pools.map((p) => [p.name, p.mode, p.enableAutoScaling, p.minCount, p.maxCount, p.upgradeSettings]),
      [
        ["system", "System", false, undefined, undefined, { maxSurge: "1" }],
        ["quorum", "User", true, 3, 6, { maxSurge: "2" }],
        ["spare", "User", false, undefined, undefined, { maxSurge: "0", maxUnavailable: "1" }],
      ],
    );
    for (const p of pools) assert.deepEqual(p.availabilityZones, ["1", "2", "3"]);
    assert.deepEqual(
      pools.map((p) => p.maxPods),
      [250, 60, 250],
    );
    // Mixed pools: the planner plans every node with the smallest figure.
    assert.equal(cluster.capacity?.podsPerNode, 60);
  });

  it("a regional cluster has no zones on its pools", () => {
    const { config, cluster, network } = azure({ region: "westus", zones: 1 });
    assert.deepEqual(cluster.zones, []);
    assert.equal(
      aksAgentPools(cluster, config, network.workloads.scheduling)[0]?.availabilityZones,
      undefined,
    );
  });

  it("pod-subnet pools take pod addresses one by one from the pod subnet", () => {
    const { config, cluster, network } = azure({ cni: { mode: "pod-subnet" } });
    const [pool] = aksAgentPools(cluster, config, network.workloads.scheduling);
    assert.equal(pool?.usesPodSubnet, true);
    assert.equal(pool?.podIPAllocationMode, "DynamicIndividual");
  });

  it("scheduling labels the pools GoQuorum runs on; taints go on User pools only", () => {
    const scheduling = {
      nodeSelector: { "goquorum/pool": "quorum" },
      tolerations: [
        { key: "dedicated", operator: "Equal" as const, value: "goquorum", effect: "NoSchedule" as const },
        { key: "spot", operator: "Exists" as const, effect: "NoExecute" as const },
        { operator: "Exists" as const },
      ],
    };
    const two = azure(
      {
        nodePools: [
          { name: "system", vmSize: "Standard_D4s_v5", count: 3 },
          { name: "quorum", vmSize: "Standard_D8s_v5", count: 3 },
        ],
      },
      { workloads: { scheduling } },
    );
    const [system, quorum] = aksAgentPools(two.cluster, two.config, two.network.workloads.scheduling);
    assert.equal(system?.nodeLabels, undefined);
    assert.equal(system?.nodeTaints, undefined);
    assert.deepEqual(quorum?.nodeLabels, { "goquorum/pool": "quorum" });
    assert.deepEqual(quorum?.nodeTaints, ["dedicated=goquorum:NoSchedule", "spot:NoExecute"]);

    const one = azure({}, { workloads: { scheduling } });
    const [only] = aksAgentPools(one.cluster, one.config, one.network.workloads.scheduling);
    assert.deepEqual(only?.nodeLabels, { "goquorum/pool": "quorum" });
    assert.equal(only?.nodeTaints, undefined);
  });
});

describe("AKS automatic upgrades", () => {
  it("take patches and weekly node images by default, and follow autoUpgrade", () => {
    assert.deepEqual(aksAutoUpgradeProfile(azure({ deployerRanges: ["198.51.100.0/24"] }).config), {
      upgradeChannel: "patch",
      nodeOSUpgradeChannel: "NodeImage",
    });
    const manual = azure({
      deployerRanges: ["198.51.100.0/24"],
      autoUpgrade: { channel: "none", nodeOs: "SecurityPatch" },
    }).config;
    assert.deepEqual(aksAutoUpgradeProfile(manual), {
      upgradeChannel: "none",
      nodeOSUpgradeChannel: "SecurityPatch",
    });
  });
});

describe("API server access", () => {
  it("private, or the deployer's ranges only; never open", () => {
    assert.deepEqual(apiServerAccess(azure({ privateCluster: true, deployerRanges: [] }).config), {
      enablePrivateCluster: true,
    });
    assert.deepEqual(apiServerAccess(azure({ deployerRanges: ["198.51.100.0/24"] }).config), {
      enablePrivateCluster: false,
      authorizedIPRanges: ["198.51.100.0/24"],
    });
  });

  const issuesOf = (overrides: AzureInput) =>
    planNetwork(stackConfig([azureCluster("weu", overrides)])).issues.filter((i) =>
      i.path.startsWith("clusters[0].deployerRanges"),
    );

  it("the plan refuses a public API server without ranges, an all-covering range and private ranges", () => {
    assert.match(issuesOf({ deployerRanges: [] })[0]?.message ?? "", /open to every address/);
    assert.deepEqual(issuesOf({ privateCluster: true, deployerRanges: [] }), []);
    assert.equal(issuesOf({ deployerRanges: ["0.0.0.0/0"] })[0]?.path, "clusters[0].deployerRanges[0]");
    assert.match(
      issuesOf({ deployerRanges: ["203.0.113.0/24", "10.1.0.0/16"] })[0]?.message ?? "",
      /non-public/,
    );
    assert.equal(
      issuesOf({ deployerRanges: ["203.0.113.0/24", "10.1.0.0/16"] })[0]?.path,
      "clusters[0].deployerRanges[1]",
    );
  });
});

describe("role grants", () => {
  it("the cluster identity: Network Contributor on each planned subnet, Crypto User on the KMS key only", () => {
    const { cluster } = azure({ cni: { mode: "pod-subnet" } });
    const grants = clusterGrants(cluster);
    const identity = grants.filter((g) => g.principal === "clusterIdentity");
    assert.deepEqual(
      identity.map((g) => [g.role, g.scope]),
      [
        ["networkContributor", { kind: "subnet", subnet: "nodes" }],
        ["networkContributor", { kind: "subnet", subnet: "endpoints" }],
        ["networkContributor", { kind: "subnet", subnet: "pods" }],
        ["keyVaultCryptoUser", { kind: "kmsKey" }],
      ],
    );
    const deployer = grants.filter((g) => g.principal === "deployer");
    assert.deepEqual(
      deployer.map((g) => [g.role, g.scope.kind]),
      [
        ["aksRbacClusterAdmin", "cluster"],
        ["keyVaultSecretsOfficer", "keysVault"],
      ],
    );
    assert.equal(new Set(grants.map((g) => g.name)).size, grants.length);
  });

  it("tells a person's token from an application's", () => {
    const jwt = (claims: object) =>
      ["{}", JSON.stringify(claims), ""]
        .map((p, i) => (i < 2 ? Buffer.from(p).toString("base64url") : p))
        .join(".");
    assert.equal(principalTypeOfToken(jwt({ idtyp: "app", roles: [] })), "ServicePrincipal");
    assert.equal(principalTypeOfToken(jwt({ idtyp: "user", scp: "user_impersonation" })), "User");
    assert.equal(principalTypeOfToken(jwt({ scp: "user_impersonation", upn: "a@b.c" })), "User");
    assert.equal(principalTypeOfToken(jwt({ appid: "x", oid: "y" })), "ServicePrincipal");
    assert.throws(() => principalTypeOfToken("not-a-token"), /not a JWT/);
  });

  it("role definition ids are the built-in GUIDs under the subscription", () => {
    assert.equal(
      roleDefinitionId("00000000-0000-0000-0000-000000000001", "aksRbacClusterAdmin"),
      "/subscriptions/00000000-0000-0000-0000-000000000001/providers/Microsoft.Authorization/roleDefinitions/b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b",
    );
  });

  it("pins every role the program grants to its built-in GUID (Azure built-in roles), each a different role", () => {
    // Checked against Microsoft Learn, "Azure built-in roles": name, then id.
    assert.deepEqual(AZURE_ROLES, {
      networkContributor: "4d97b98b-1d4f-4787-a291-c67834d212e7", // Network Contributor
      keyVaultCryptoUser: "12338af0-0e69-4776-bea7-57ae8d297424", // Key Vault Crypto User
      keyVaultSecretsUser: "4633458b-17de-408a-b874-0445c86b69e6", // Key Vault Secrets User
      keyVaultSecretsOfficer: "b86a8fe4-44ce-4948-aee5-eccb2c155cd7", // Key Vault Secrets Officer
      aksRbacClusterAdmin: "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b", // Azure Kubernetes Service RBAC Cluster Admin
      dnsZoneContributor: "befefa01-2a29-4197-83a8-272ff33ce314", // DNS Zone Contributor
    });
    const ids = Object.values(AZURE_ROLES);
    assert.equal(new Set(ids).size, ids.length, "two roles share a GUID");
    // The vault's and the DNS solver's grants use the same list, not copies of it.
    assert.equal(KEY_VAULT_SECRETS_USER_ROLE, AZURE_ROLES.keyVaultSecretsUser);
    assert.equal(DNS_ZONE_CONTRIBUTOR_ROLE, AZURE_ROLES.dnsZoneContributor);
  });
});

describe("VNet peering", () => {
  /** The connectivity links of the clusters, without planning their addresses. */
  const linksOf = (clusters: Parameters<typeof stackConfig>[0]) => {
    const config = stackConfig(clusters);
    const planned = config.clusters.map((c) => ({ name: c.name, provider: c.provider, zones: [] }));
    return planConnectivity(config, planned).connectivity.links;
  };

  it("a full mesh among the Azure clusters, both directions for every pair, nothing for other clouds", () => {
    const links = peeringLinks(
      linksOf([azureCluster("a"), azureCluster("b"), awsCluster("x"), azureCluster("c")]),
    );
    assert.equal(links.length, 6);
    for (const from of ["a", "b", "c"]) {
      for (const to of ["a", "b", "c"].filter((t) => t !== from)) {
        assert.ok(
          links.some((l) => l.from === from && l.to === to),
          `${from} -> ${to}`,
        );
      }
    }
    assert.ok(links.every((l) => l.from !== "x" && l.to !== "x"));
    assert.equal(new Set(links.map((l) => l.name)).size, links.length);
  });

  it("n Azure clusters give n(n-1) peerings", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), (n) => {
        const clusters = Array.from({ length: n }, (_, i) => azureCluster(`c${i}`));
        assert.equal(peeringLinks(linksOf(clusters)).length, n * (n - 1));
      }),
    );
  });
});

describe("Key Vaults", () => {
  it("the node key vault admits only the cluster's subnets and the deployer's ranges", () => {
    const { config, cluster } = azure({ deployerRanges: ["203.0.113.0/24", "198.51.100.7/32"] });
    assert.deepEqual(vaultNetwork("keys", config, keyVaultSubnets(cluster)), {
      publicNetworkAccess: "Enabled",
      networkAcls: {
        defaultAction: "Deny",
        bypass: "AzureServices",
        ipRules: [{ value: "203.0.113.0/24" }, { value: "198.51.100.7" }],
        subnets: ["nodes", "pods"],
      },
    });
  });

  it("the KMS vault is open to networks (AKS KMS supports no firewall) and holds only the key", () => {
    const { config } = azure();
    assert.equal(vaultNetwork("kms", config, ["nodes"]).networkAcls.defaultAction, "Allow");
    assert.deepEqual(vaultNetwork("kms", config, ["nodes"]).networkAcls.subnets, []);
  });

  it("IP rules write /32 and /31 as addresses", () => {
    assert.deepEqual(keyVaultIpRules(["192.0.2.8/31"]), [{ value: "192.0.2.8" }, { value: "192.0.2.9" }]);
  });

  it("vault names fit Azure's 3-24 characters for any cluster name", () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z]([a-z0-9-]{0,18}[a-z0-9])?$/),
        fc.constantFrom("kms", "keys"),
        (name, purpose) => {
          const vault = keyVaultName(name, purpose as "kms" | "keys", "ab1c2");
          assert.ok(vault.length <= 24 && vault.length >= 3, vault);
          assert.match(vault, /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
        },
      ),
    );
  });
});
