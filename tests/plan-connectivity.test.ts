import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { StackConfig, type StackConfigInput } from "../infra/config/schema";
import { planNetwork } from "../infra/plan";
import { cidr, cidrsOverlap } from "../infra/plan/cidr";
import { planConnectivity } from "../infra/plan/connectivity";
import type { NetworkPlan } from "../infra/plan/types";
import { awsCluster, azureCluster, localCluster, stackConfig } from "./helpers/config";

type NetworkInput = Partial<StackConfigInput["network"]>;
type Sites = NonNullable<NonNullable<NetworkInput["connectivity"]>["sites"]>;

const mixed = [
  awsCluster("euw1", { cidr: "10.1.0.0/16" }),
  awsCluster("use1", {
    region: "us-east-1",
    cidr: "10.2.0.0/16",
    podCidr: "10.102.0.0/16",
    cni: { mode: "custom-networking" },
  }),
  azureCluster("weu", { cidr: "10.3.0.0/16", podCidr: "100.66.0.0/16", cni: { mode: "pod-subnet" } }),
  azureCluster("neu", {
    region: "northeurope",
    cidr: "10.4.0.0/16",
    podCidr: "100.67.0.0/16",
    cni: { mode: "overlay" },
  }),
];

function planOf(clusters = mixed, network: NetworkInput = {}): NetworkPlan {
  const { plan, issues } = planNetwork(stackConfig(clusters, network));
  assert.ok(plan, issues.map((i) => `${i.path}: ${i.message}`).join("\n"));
  return plan;
}

const errorsOf = (clusters: typeof mixed, network: NetworkInput) =>
  planNetwork(stackConfig(clusters, network)).issues.filter((i) => i.severity === "error");

describe("connectivity matrix", () => {
  const plan = planOf();
  const kind = (a: string, b: string) =>
    plan.connectivity.links.find((l) => l.between.includes(a) && l.between.includes(b))?.kind;

  it("joins every pair of clusters: VPC peering, VNet peering, or VPN across clouds", () => {
    assert.equal(plan.connectivity.links.length, 6);
    assert.equal(kind("euw1", "use1"), "vpc-peering");
    assert.equal(kind("weu", "neu"), "vnet-peering");
    for (const a of ["euw1", "use1"]) for (const b of ["weu", "neu"]) assert.equal(kind(a, b), "vpn");
  });

  it("routes VPC/VNet ranges, plus pod ranges only where pods are routable", () => {
    const routed = plan.connectivity.routedRanges;
    for (const link of plan.connectivity.links) {
      for (const end of link.between) assert.deepEqual(link.routes[end], routed[end]);
    }
    assert.deepEqual(routed, {
      euw1: ["10.1.0.0/16"],
      use1: ["10.2.0.0/16", "10.102.0.0/16"],
      weu: ["10.3.0.0/16", "100.66.0.0/16"],
      neu: ["10.4.0.0/16"],
    });
    assert.ok(
      plan.connectivity.notes.some((n) =>
        /neu: pods \(100\.67\.0\.0\/16\) are not routable \(Azure CNI overlay\)/.test(n),
      ),
    );
  });

  it("says a local cluster is joined to nothing, and plans no VPN for one cloud", () => {
    const local = planOf([localCluster("kind")]);
    assert.deepEqual(local.connectivity.links, []);
    assert.match(local.connectivity.notes[0], /kind \(local\) is joined to nothing/);
    const aws = planOf([awsCluster("a", { cidr: "10.1.0.0/16" }), awsCluster("b", { cidr: "10.2.0.0/16" })]);
    assert.equal(aws.connectivity.vpn, undefined);
    assert.deepEqual(
      aws.connectivity.links.map((l) => l.kind),
      ["vpc-peering"],
    );
  });
});

describe("VPN between AWS and Azure", () => {
  const plan = planOf();
  const vpn = plan.connectivity.vpn;
  assert.ok(vpn);

  it("gives every AWS VPC a customer gateway and connection per Azure gateway public IP: four tunnels per pair", () => {
    assert.deepEqual(vpn.awsGateways, ["euw1", "use1"]);
    assert.deepEqual(
      vpn.awsConnections.map((c) => [c.name, c.awsCluster, c.customerGateway, c.customerGatewayAsn]),
      [
        ["euw1-weu-0", "euw1", { azureCluster: "weu", instance: 0 }, 65010],
        ["euw1-weu-1", "euw1", { azureCluster: "weu", instance: 1 }, 65010],
        ["use1-weu-0", "use1", { azureCluster: "weu", instance: 0 }, 65010],
        ["use1-weu-1", "use1", { azureCluster: "weu", instance: 1 }, 65010],
        ["euw1-neu-0", "euw1", { azureCluster: "neu", instance: 0 }, 65010],
        ["euw1-neu-1", "euw1", { azureCluster: "neu", instance: 1 }, 65010],
        ["use1-neu-0", "use1", { azureCluster: "neu", instance: 0 }, 65010],
        ["use1-neu-1", "use1", { azureCluster: "neu", instance: 1 }, 65010],
      ],
    );
    assert.equal(vpn.awsConnections.flatMap((c) => c.tunnels).length, 16);
  });

  it("matches both ends of every tunnel: BGP peer, ASN and custom APIPA address on the instance it ends at", () => {
    assert.equal(vpn.azureGateways.length, 2);
    for (const gateway of vpn.azureGateways) {
      assert.equal(gateway.asn, 65010);
      assert.equal(gateway.sku, "VpnGw2AZ");
      const ending = vpn.awsConnections.filter(
        (c) => "azureCluster" in c.customerGateway && c.customerGateway.azureCluster === gateway.cluster,
      );
      assert.equal(gateway.localGateways.length, 4 * 2);
      for (const connection of ending) {
        const instance = "instance" in connection.customerGateway ? connection.customerGateway.instance : -1;
        connection.tunnels.forEach((tunnel, n) => {
          const local = gateway.localGateways.find((l) => l.name === tunnel.name);
          assert.ok(local, tunnel.name);
          assert.deepEqual(local.peer, { awsConnection: connection.name, tunnel: n + 1 });
          assert.equal(local.bgpPeerAddress, tunnel.awsInsideAddress);
          assert.equal(local.asn, 64512);
          assert.equal(local.customBgpAddresses?.[instance as 0 | 1], tunnel.peerInsideAddress);
          assert.ok(gateway.instanceBgpAddresses[instance as 0 | 1].includes(tunnel.peerInsideAddress));
          const other = local.customBgpAddresses?.[1 - instance] as string;
          assert.ok(
            gateway.instanceBgpAddresses[1 - instance].includes(other),
            "the other instance's address is its own",
          );
        });
      }
    }
  });

  it("keeps every tunnel /30 apart from every other and from every cluster range", () => {
    const tunnels = vpn.awsConnections.flatMap((c) => c.tunnels).map((t) => cidr(t.insideCidr));
    const ranges = plan.clusters
      .flatMap((c) => [c.cidr, c.serviceCidr, c.podCidr])
      .filter((r) => r !== undefined);
    tunnels.forEach((t, i) => {
      for (const u of tunnels.slice(0, i)) assert.ok(!cidrsOverlap(t, u));
      for (const r of ranges) assert.ok(!cidrsOverlap(t, cidr(r)));
    });
  });

  it("moves no tunnel when a cluster is appended", () => {
    const grown = planOf([...mixed, azureCluster("wus", { region: "westus2", cidr: "10.5.0.0/16" })]);
    const tunnels = (p: NetworkPlan) =>
      new Map(
        p.connectivity.vpn?.awsConnections.flatMap((c) => c.tunnels).map((t) => [t.name, t.insideCidr]),
      );
    const after = tunnels(grown);
    for (const [name, range] of tunnels(plan)) assert.equal(after.get(name), range, name);
    assert.equal(after.size, 16 + 8);
  });

  it("keeps pinned inside /30s, refuses bad pins and warns with the pin for a tunnel that depends on another", () => {
    const pinned = planOf(mixed, {
      connectivity: { vpn: { insideCidrs: { "euw1-weu-0-1": "169.254.22.100/30" } } },
    }).connectivity.vpn;
    const first = pinned?.awsConnections[0].tunnels[0];
    assert.deepEqual(first, {
      name: "euw1-weu-0-1",
      insideCidr: "169.254.22.100/30",
      awsInsideAddress: "169.254.22.101",
      peerInsideAddress: "169.254.22.102",
    });
    const messages = errorsOf(mixed, {
      connectivity: {
        vpn: {
          insideCidrs: {
            "euw1-weu-0-1": "169.254.30.0/30",
            "nope-1": "169.254.21.0/30",
            "euw1-weu-0-2": "169.254.21.8/30",
            "euw1-weu-1-1": "169.254.21.8/30",
          },
        },
      },
    }).map((e) => `${e.path}: ${e.message}`);
    assert.match(
      messages.join("\n"),
      /insideCidrs\.euw1-weu-0-1: 169\.254\.30\.0\/30 is not a \/30 in 169\.254\.21\.0-169\.254\.22\.255/,
    );
    assert.match(messages.join("\n"), /insideCidrs\.nope-1: no tunnel is named nope-1/);
    assert.match(
      messages.join("\n"),
      /insideCidrs\.euw1-weu-1-1: 169\.254\.21\.8\/30 is already pinned for tunnel euw1-weu-0-2/,
    );
    // 48 tunnels (12 AWS–Azure pairs) in 128 /30s cannot all sit where their names point.
    const many = planNetwork(
      stackConfig([
        ...["a", "b", "c", "d"].map((n, i) => awsCluster(n, { cidr: `10.${i + 1}.0.0/16` })),
        ...["e", "f", "g"].map((n, i) => azureCluster(n, { cidr: `10.${i + 11}.0.0/16` })),
      ]),
    );
    const displaced = many.issues.filter((i) => i.path.startsWith("network.connectivity.vpn.insideCidrs."));
    assert.ok(displaced.length > 0);
    for (const w of displaced) {
      assert.equal(w.severity, "warning");
      const name = w.path.split(".").at(-1);
      const cidrText = many.plan?.connectivity.vpn?.awsConnections
        .flatMap((c) => c.tunnels)
        .find((t) => t.name === name)?.insideCidr;
      assert.ok(w.message.endsWith(`Pin it: insideCidrs: { ${name}: ${cidrText} }.`), w.message);
    }
  });

  it("prices the VPN and says how long the Azure gateways take", () => {
    const prod = planOf(mixed.slice(0, 3)).connectivity.vpn;
    assert.deepEqual(prod?.cost, {
      awsVpnConnections: 4,
      tunnels: 8,
      azureGateways: 1,
      azurePublicIps: 2,
      hourlyUsd: { awsVpnConnections: 0.2, azureGateways: 0.564, azurePublicIps: 0.01, total: 0.774 },
      azureGatewayCreationMinutes: 45,
    });
  });

  it("takes ASNs and SKU from config and refuses equal or reserved ASNs", () => {
    const custom = planOf(mixed.slice(0, 3), {
      connectivity: { vpn: { awsAsn: 65100, azureAsn: 65200, gatewaySku: "VpnGw3AZ" } },
    }).connectivity.vpn;
    assert.equal(custom?.awsConnections[0].customerGatewayAsn, 65200);
    assert.equal(custom?.azureGateways[0].localGateways[0].asn, 65100);
    assert.equal(custom?.cost.hourlyUsd.azureGateways, 1.434);
    const refused = (vpn: object): string => {
      const parsed = StackConfig.safeParse({
        network: { name: "n", chainId: 7, connectivity: { vpn } },
        clusters: [awsCluster("a")],
      });
      return parsed.success ? "accepted" : parsed.error.message;
    };
    assert.match(refused({ awsAsn: 65010, azureAsn: 65010 }), /must differ/);
    assert.match(refused({ azureAsn: 65515 }), /outside 65515-65520/);
    assert.match(refused({ awsAsn: 64000 }), /64512-65534/);
    assert.equal(refused({ awsAsn: 4_200_000_000 }), "accepted");
  });

  it("refuses an awsAsn Azure reserves when the VPN joins AWS to Azure, at each edge of Azure's list", () => {
    const awsAsnErrors = (awsAsn: number, clusters = mixed) =>
      errorsOf(clusters, { connectivity: { vpn: { awsAsn } } }).filter(
        (e) => e.path === "network.connectivity.vpn.awsAsn",
      );
    // Azure reserves 65515 and 65517-65520 (not 65516): the last accepted and first refused on each side.
    const verdicts = [65514, 65515, 65516, 65517, 65520, 65521].map((asn) => [
      asn,
      awsAsnErrors(asn).length > 0,
    ]);
    assert.deepEqual(verdicts, [
      [65514, false],
      [65515, true],
      [65516, false],
      [65517, true],
      [65520, true],
      [65521, false],
    ]);
    assert.match(
      awsAsnErrors(65515)[0]?.message ?? "",
      /^65515 is reserved by Azure \(8074-8076, 12076, 65515, 65517-65520\)/,
    );
    // Without an Azure cluster the ASN never reaches Azure: AWS accepts it.
    assert.deepEqual(awsAsnErrors(65515, mixed.slice(0, 2)), []);
  });

  it("refuses a site on AWS whose ASN AWS reserves for customer gateways in a region it ends in", () => {
    const site = {
      name: "dc",
      publicIp: "203.0.113.10",
      ranges: ["192.168.0.0/20"],
      terminatesIn: "aws" as const,
    };
    const asnErrors = (asn: number, clusters = mixed) =>
      errorsOf(clusters, { connectivity: { sites: [{ ...site, asn }] } })
        .filter((e) => e.path === "network.connectivity.sites[0].asn")
        .map((e) => e.message);
    assert.deepEqual(asnErrors(7224), [
      "7224 is reserved by AWS for customer gateways in eu-west-1, us-east-1.",
    ]);
    assert.deepEqual(asnErrors(9059), ["9059 is reserved by AWS for customer gateways in eu-west-1."]);
    // 9059 is reserved in eu-west-1 only: a site ending in us-east-1 alone may use it.
    assert.deepEqual(asnErrors(9059, [mixed[1] as (typeof mixed)[number]]), []);
    assert.deepEqual(asnErrors(9058), []);
  });

  it("refuses more VPN connections than an AWS virtual private gateway takes", () => {
    const azure = ["a1", "a2", "a3", "a4", "a5"].map((name, i) =>
      azureCluster(name, { cidr: `10.${10 + i}.0.0/16` }),
    );
    const aws = awsCluster("aws", { cidr: "10.1.0.0/16" });
    assert.ok(planOf([aws, ...azure]));
    const site = {
      name: "dc",
      publicIp: "203.0.113.10",
      asn: 65300,
      ranges: ["192.168.0.0/20"],
      terminatesIn: "aws" as const,
    };
    const errors = errorsOf([aws, ...azure], { connectivity: { sites: [site] } });
    assert.ok(errors.some((e) => /aws would need 11 VPN connections .* more than the 10/.test(e.message)));
  });
});

describe("sites", () => {
  const sites: Sites = [
    { name: "dc1", publicIp: "203.0.113.10", asn: 65300, ranges: ["192.168.0.0/20"], terminatesIn: "aws" },
    {
      name: "dc2",
      publicIp: "198.51.100.7",
      asn: 65400,
      ranges: ["192.168.16.0/20", "172.20.0.0/16"],
      terminatesIn: "azure",
      bgpPeerAddress: "192.168.16.1",
    },
  ];
  const plan = planOf(mixed, { connectivity: { sites } });
  const vpn = plan.connectivity.vpn;
  assert.ok(vpn);

  it("connect to every cluster of the cloud that terminates them, routing their ranges", () => {
    const siteLinks = plan.connectivity.links.filter((l) => l.between[1].startsWith("dc"));
    assert.deepEqual(
      siteLinks.map((l) => [...l.between, l.routes[l.between[1]]]),
      [
        ["euw1", "dc1", ["192.168.0.0/20"]],
        ["use1", "dc1", ["192.168.0.0/20"]],
        ["weu", "dc2", ["192.168.16.0/20", "172.20.0.0/16"]],
        ["neu", "dc2", ["192.168.16.0/20", "172.20.0.0/16"]],
      ],
    );
  });

  it("on AWS: a customer gateway with the site's address and ASN, and a connection with planned tunnels", () => {
    const dc1 = vpn.awsConnections.filter((c) => "site" in c.customerGateway);
    assert.deepEqual(
      dc1.map((c) => [c.name, c.awsCluster, c.customerGateway, c.customerGatewayAsn]),
      [
        ["euw1-dc1", "euw1", { site: "dc1", ipAddress: "203.0.113.10" }, 65300],
        ["use1-dc1", "use1", { site: "dc1", ipAddress: "203.0.113.10" }, 65300],
      ],
    );
    const all = vpn.awsConnections.flatMap((c) => c.tunnels.map((t) => t.insideCidr));
    assert.equal(new Set(all).size, all.length);
  });

  it("on Azure: a local network gateway per Azure gateway with the site's address, BGP peer, ASN and ranges", () => {
    for (const gateway of vpn.azureGateways) {
      const local = gateway.localGateways.filter((l) => "site" in l.peer);
      assert.deepEqual(local, [
        {
          name: `${gateway.cluster}-dc2`,
          peer: {
            site: "dc2",
            ipAddress: "198.51.100.7",
            addressPrefixes: ["192.168.16.0/20", "172.20.0.0/16"],
          },
          bgpPeerAddress: "192.168.16.1",
          asn: 65400,
        },
      ]);
    }
    assert.equal(vpn.cost.tunnels, 16 + 4 + 2 * 2);
  });

  it("are refused with a reused or reserved ASN, a missing BGP address, no cluster to end at, or a taken name", () => {
    const site = sites[1];
    const messages = (s: object, clusters = mixed) =>
      errorsOf(clusters, { connectivity: { sites: [{ ...site, ...s }] } }).map(
        (e) => `${e.path}: ${e.message}`,
      );
    assert.match(
      messages({ asn: 65010 }).join(),
      /sites\[0\]\.asn: 65010 is network\.connectivity\.vpn\.azureAsn/,
    );
    assert.match(messages({ asn: 65517 }).join(), /reserved by Azure/);
    assert.match(messages({ asn: 64500 }).join(), /sites\[0\]\.asn: 64500 is reserved/);
    assert.match(messages({ bgpPeerAddress: undefined }).join(), /sites\[0\]\.bgpPeerAddress: is required/);
    assert.match(
      messages({}, mixed.slice(0, 2)).join(),
      /terminatesIn: azure: the stack has no azure cluster/,
    );
    assert.match(messages({ name: "weu" }).join(), /"weu" is a cluster name/);
  });

  it("must keep their ranges off the clusters' ranges, each other and the tunnels' link-local block", () => {
    const messages = (ranges: string[]) =>
      errorsOf(mixed, { connectivity: { sites: [sites[0], { ...sites[1], ranges }] } }).map(
        (e) => `${e.path}: ${e.message}`,
      );
    assert.match(
      messages(["10.3.128.0/24"]).join(),
      /sites\[1\]\.ranges\[0\]: 10\.3\.128\.0\/24 overlaps clusters\[2\]\.cidr/,
    );
    assert.match(messages(["100.67.0.0/24"]).join(), /overlaps clusters\[3\]\.podCidr/);
    assert.match(
      messages(["192.168.8.0/24"]).join(),
      /overlaps network\.connectivity\.sites\[0\]\.ranges\[0\]/,
    );
    assert.match(messages(["169.254.0.0/24"]).join(), /meets 169\.254\.0\.0\/16/);
    assert.deepEqual(messages(["192.168.32.0/24"]), []);
  });
});

describe("planConnectivity", () => {
  it("plans a VPN for a single cloud when a site needs one", () => {
    const config = stackConfig([awsCluster("a", { cidr: "10.1.0.0/16" })], {
      connectivity: {
        sites: [
          {
            name: "dc",
            publicIp: "203.0.113.1",
            asn: 65300,
            ranges: ["192.168.0.0/24"],
            terminatesIn: "aws",
          },
        ],
      },
    });
    const { plan } = planNetwork(config);
    const { connectivity } = planConnectivity(config, plan?.clusters ?? []);
    assert.deepEqual(connectivity.vpn?.awsGateways, ["a"]);
    assert.deepEqual(connectivity.vpn?.azureGateways, []);
    assert.equal(connectivity.vpn?.cost.hourlyUsd.total, 0.05);
  });
});
