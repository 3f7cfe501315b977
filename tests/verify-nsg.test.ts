/**
 * The NSG evaluator (Azure's priority order, default rules and service tags) and the NSG rules it judges:
 * the monitoring path across clouds (issue 14, defect 6).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { AZURE_DEFAULT_NSG_RULES, virtualNetworkTag } from "../infra/azure/behaviour";
import { type NsgRule, nsgRules, vnetAddressSpace } from "../infra/azure/network";
import { readStackFile, stackFilePath } from "../infra/config/load";
import { monitoringPaths } from "../infra/monitoring/topology";
import { planNetwork } from "../infra/plan";
import { addressAt, cidr } from "../infra/plan/cidr";
import type { ClusterPlan, NetworkPlan } from "../infra/plan/types";
import { planRawConfig } from "../infra/stackPlan";
import { evaluateNsg, type NsgPacket } from "../infra/verify/flows/nsg";
import { azureCluster, stackConfig } from "./helpers/config";

const rule = (over: Partial<NsgRule> & Pick<NsgRule, "name" | "priority" | "access">): NsgRule => ({
  direction: "Inbound",
  protocol: "Tcp",
  sourceAddressPrefix: "*",
  destinationAddressPrefix: "*",
  sourcePortRange: "*",
  destinationPortRange: "*",
  description: "",
  ...over,
});

const VNET = { virtualNetwork: ["10.66.0.0/16", "10.64.0.0/16"] };
const inbound = (source: string, port = 443, destination = "10.66.0.10"): NsgPacket => ({
  direction: "Inbound",
  source,
  destination,
  port,
});

describe("NSG evaluation", () => {
  const cases: [string, NsgRule[], NsgPacket, string, string][] = [
    [
      "no rules: the VNet is admitted by AllowVnetInBound",
      [],
      inbound("10.64.1.1"),
      "Allow",
      "AllowVnetInBound",
    ],
    ["no rules: the Internet falls to DenyAllInBound", [], inbound("198.51.100.7"), "Deny", "DenyAllInBound"],
    [
      "no rules: an unrouted private range is in neither tag",
      [],
      inbound("192.168.1.1"),
      "Deny",
      "DenyAllInBound",
    ],
    [
      "no rules: the load balancer's probe address",
      [],
      inbound("168.63.129.16", 30000),
      "Allow",
      "AllowAzureLoadBalancerInBound",
    ],
    [
      "the lower number wins, whatever the order of the list",
      [
        rule({ name: "deny-late", priority: 200, access: "Deny" }),
        rule({ name: "allow-early", priority: 100, access: "Allow", sourceAddressPrefix: "10.64.0.0/16" }),
      ],
      inbound("10.64.1.1"),
      "Allow",
      "allow-early",
    ],
    [
      "a deny before an allow closes it",
      [
        rule({ name: "deny-peers", priority: 110, access: "Deny", sourceAddressPrefixes: ["10.64.0.0/16"] }),
        rule({
          name: "allow-peers",
          priority: 120,
          access: "Allow",
          sourceAddressPrefixes: ["10.64.0.0/16"],
        }),
      ],
      inbound("10.64.1.1"),
      "Deny",
      "deny-peers",
    ],
    [
      "a rule for other ports does not match: the next one decides",
      [rule({ name: "allow-p2p", priority: 100, access: "Allow", destinationPortRanges: ["30303", "9000"] })],
      inbound("198.51.100.7", 9090),
      "Deny",
      "DenyAllInBound",
    ],
    [
      "a port range matches at both ends",
      [rule({ name: "allow-range", priority: 100, access: "Allow", destinationPortRange: "30000-32767" })],
      inbound("198.51.100.7", 32767),
      "Allow",
      "allow-range",
    ],
    [
      "one past a port range does not match",
      [rule({ name: "allow-range", priority: 100, access: "Allow", destinationPortRange: "30000-32767" })],
      inbound("198.51.100.7", 32768),
      "Deny",
      "DenyAllInBound",
    ],
    [
      "the Internet tag covers public addresses only",
      [rule({ name: "deny-internet", priority: 4000, access: "Deny", sourceAddressPrefix: "Internet" })],
      inbound("10.64.1.1"),
      "Allow",
      "AllowVnetInBound",
    ],
    [
      "an outbound rule never decides an inbound packet",
      [rule({ name: "deny-out", priority: 100, access: "Deny", direction: "Outbound" })],
      inbound("10.64.1.1"),
      "Allow",
      "AllowVnetInBound",
    ],
    [
      "a destination prefix narrows the rule to its address",
      [
        rule({
          name: "allow-endpoint",
          priority: 100,
          access: "Allow",
          sourceAddressPrefix: "Internet",
          destinationAddressPrefixes: ["10.66.0.254"],
        }),
      ],
      inbound("198.51.100.7", 443, "10.66.0.253"),
      "Deny",
      "DenyAllInBound",
    ],
    [
      "outbound to the Internet: AllowInternetOutBound",
      [],
      { direction: "Outbound", source: "10.66.0.10", destination: "198.51.100.7", port: 443 },
      "Allow",
      "AllowInternetOutBound",
    ],
  ];
  for (const [name, rules, packet, access, decidedBy] of cases) {
    it(name, () => {
      const verdict = evaluateNsg(rules, packet, VNET);
      assert.deepEqual([verdict.access, verdict.rule], [access, decidedBy]);
    });
  }

  it("knows Azure's six default rules at their documented priorities", () => {
    assert.deepEqual(
      AZURE_DEFAULT_NSG_RULES.map((r) => [r.name, r.direction, r.priority, r.access]),
      [
        ["AllowVnetInBound", "Inbound", 65000, "Allow"],
        ["AllowAzureLoadBalancerInBound", "Inbound", 65001, "Allow"],
        ["DenyAllInBound", "Inbound", 65500, "Deny"],
        ["AllowVnetOutBound", "Outbound", 65000, "Allow"],
        ["AllowInternetOutBound", "Outbound", 65001, "Allow"],
        ["DenyAllOutBound", "Outbound", 65500, "Deny"],
      ],
    );
  });

  it("adding a deny rule never admits more", () => {
    const address = fc
      .tuple(fc.constantFrom(10, 100, 198, 203), fc.nat(255), fc.nat(255), fc.nat(255))
      .map(([a, b, c, d]) => `${a}.${b}.${c}.${d}`);
    const prefix = fc.oneof(
      fc.constantFrom("*", "VirtualNetwork", "Internet", "AzureLoadBalancer", "10.0.0.0/8", "10.64.0.0/16"),
      address,
    );
    const arbitraryRule = (access: "Allow" | "Deny") =>
      fc
        .record({
          priority: fc.integer({ min: 100, max: 4096 }),
          source: prefix,
          port: fc.constantFrom("*", "443", "30303", "9000-9100"),
        })
        .map(({ priority, source, port }) =>
          rule({
            name: `${access}-${priority}`,
            priority,
            access,
            sourceAddressPrefix: source,
            destinationPortRange: port,
          }),
        );
    fc.assert(
      fc.property(
        fc.array(fc.oneof(arbitraryRule("Allow"), arbitraryRule("Deny")), { maxLength: 6 }),
        arbitraryRule("Deny"),
        address,
        fc.constantFrom(443, 9090, 30303, 9050),
        (rules, deny, source, port) => {
          const packet = inbound(source, port);
          const before = evaluateNsg(rules, packet, VNET).access;
          const after = evaluateNsg([...rules, deny], packet, VNET).access;
          assert.ok(!(before === "Deny" && after === "Allow"));
        },
      ),
    );
  });
});

describe("the monitoring path through the NSGs (defect 6)", () => {
  const prod = () => {
    const { config, plan } = planRawConfig(readStackFile(stackFilePath("prod")));
    assert.ok(config && plan);
    return { config, plan };
  };
  /** The VirtualNetwork tag of an Azure cluster reached by VPN from every AWS cluster (prod's topology). */
  const tags = (cluster: ClusterPlan, plan: NetworkPlan) => ({
    virtualNetwork: virtualNetworkTag({
      addressSpace: vnetAddressSpace(cluster),
      overlayPodRanges: [],
      peeredAddressSpaces: [],
      gatewayRanges: plan.connectivity.links
        .filter((l) => l.kind === "vpn" && l.between.includes(cluster.name))
        .flatMap((l) => l.routes[l.between[0] === cluster.name ? l.between[1] : l.between[0]] ?? []),
    }),
  });
  const node = (range: string) => addressAt(cidr(range), 4);

  it("prod: the central aws-euw1 reaches az-weu's monitoring endpoint on 9090", () => {
    const { config, plan } = prod();
    const weu = plan.clusters.find((c) => c.name === "az-weu") as ClusterPlan;
    const paths = monitoringPaths(config.network, plan);
    const path = paths.find((p) => p.to === "az-weu");
    assert.ok(path && path.from === "aws-euw1");
    assert.equal(path.endpointIp, weu.monitoringEndpointIp);
    const verdict = evaluateNsg(
      nsgRules(weu, plan, paths),
      inbound(node("10.64.0.0/18"), 9090, path.endpointIp),
      tags(weu, plan),
    );
    assert.deepEqual([verdict.access, verdict.rule], ["Allow", "allow-monitoring-inbound"]);
  });

  it("prod: the other clusters' ranges, and other ports, stay denied at the monitoring endpoint", () => {
    const { config, plan } = prod();
    const weu = plan.clusters.find((c) => c.name === "az-weu") as ClusterPlan;
    const rules = nsgRules(weu, plan, monitoringPaths(config.network, plan));
    const endpoint = weu.monitoringEndpointIp as string;
    for (const packet of [
      inbound(node("10.65.0.0/18"), 9090, endpoint),
      inbound(node("10.64.0.0/18"), 9091, endpoint),
    ]) {
      assert.equal(evaluateNsg(rules, packet, tags(weu, plan)).rule, "deny-peers-inbound");
    }
  });

  it("an Azure central cluster reaches every AWS cluster's monitoring endpoint out of its NSG", () => {
    const { config, plan } = prod();
    const network = {
      ...config.network,
      monitoring: { ...config.network.monitoring, centralCluster: "az-weu" },
    };
    const weu = plan.clusters.find((c) => c.name === "az-weu") as ClusterPlan;
    const paths = monitoringPaths(network, plan);
    assert.deepEqual(
      paths.map((p) => [p.from, p.to]),
      [
        ["az-weu", "aws-euw1"],
        ["az-weu", "aws-use1"],
      ],
    );
    for (const path of paths) {
      const verdict = evaluateNsg(
        nsgRules(weu, plan, paths),
        { direction: "Outbound", source: node("10.66.0.0/18"), destination: path.endpointIp, port: 9090 },
        tags(weu, plan),
      );
      assert.deepEqual([verdict.access, verdict.rule], ["Allow", "allow-monitoring-outbound"]);
    }
  });
});

describe("public routes through the NSGs (defect 7)", () => {
  const withPublicRoute = (clusters: ReturnType<typeof azureCluster>[]) => {
    const config = stackConfig(clusters);
    const { plan, issues } = planNetwork(config);
    assert.ok(plan, JSON.stringify(issues));
    const weu = plan.clusters[0];
    return { weu, rules: nsgRules(weu, plan, monitoringPaths(config.network, plan)) };
  };
  const publicRpc = {
    nodes: { validators: 1, rpc: 1 },
    ingress: {
      routes: [
        {
          kind: "rpc" as const,
          hostname: "rpc.example.com",
          exposure: "public" as const,
          allowedCidrs: ["203.0.113.0/24"],
          auth: {
            jwt: {
              issuer: "https://id.example.com",
              jwksUri: "https://id.example.com/keys",
              audiences: ["rpc"],
              clientClaim: "azp",
            },
          },
        },
      ],
      tls: { source: "ca" as const },
    },
  };
  /** Whatever public IP Azure gives the gateway's frontend: packets keep it as their destination (floating IP). */
  const FRONTEND = "20.50.60.70";

  for (const [name, clusters] of [
    ["a lone cluster", [azureCluster("weu", publicRpc)]],
    [
      "a cluster with a peer",
      [azureCluster("weu", publicRpc), azureCluster("neu", { region: "northeurope" })],
    ],
  ] as const) {
    it(`${name}: the route's clients reach the gateway's 443 and 80, nothing else and nobody else does`, () => {
      const { weu, rules } = withPublicRoute([...clusters]);
      const tags = { virtualNetwork: vnetAddressSpace(weu) };
      const at = (source: string, port: number) => evaluateNsg(rules, inbound(source, port, FRONTEND), tags);
      for (const port of [443, 80]) {
        assert.deepEqual(
          [at("203.0.113.9", port).access, at("203.0.113.9", port).rule],
          ["Allow", "allow-public-routes-inbound"],
        );
      }
      assert.equal(at("203.0.113.9", 8545).rule, "deny-internet-inbound");
      assert.equal(at("198.51.100.9", 443).rule, "deny-internet-inbound");
    });
  }

  it("without public routes, the Internet is denied on 443 too", () => {
    const { weu, rules } = withPublicRoute([azureCluster("weu")]);
    const verdict = evaluateNsg(rules, inbound("203.0.113.9", 443, FRONTEND), {
      virtualNetwork: vnetAddressSpace(weu),
    });
    assert.equal(verdict.rule, "deny-internet-inbound");
    assert.ok(!rules.some((r) => r.name === "allow-public-routes-inbound"));
  });
});
