/**
 * The monthly cost estimate: small stacks priced by hand from the price table, the boundaries of the tier and
 * default-disk rules, regional factors, and the estimate against what the render registers.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { aksDefaultOsDisk } from "../infra/azure/behaviour";
import { listStacks } from "../infra/config/load";
import { planCost } from "../infra/costFacts";
import { AWS_PRICES, AZURE_PRICES, HOURS_PER_MONTH } from "../infra/data/prices";
import { type RenderResult, renderStack } from "../infra/offline/render";
import { type CostPlan, premiumSsdTier } from "../infra/plan/cost";
import { program } from "../infra/program";
import { planRawConfig, planStackFile } from "../infra/stackPlan";

function costOf(raw: Record<string, unknown>): CostPlan {
  const { config, plan, issues } = planRawConfig(raw);
  assert.ok(config && plan, JSON.stringify(issues));
  return planCost(config, plan);
}

const monthlyOf = (cost: CostPlan, what: RegExp) => {
  const items = cost.items.filter((i) => what.test(i.what));
  assert.equal(items.length, 1, `${what}: ${items.map((i) => i.what).join("; ")}`);
  return items[0]?.monthlyUsd;
};

const awsStack = (cluster: Record<string, unknown> = {}) => ({
  "goquorum:network": { name: "t", chainId: 4242 },
  "goquorum:clusters": [
    {
      name: "c1",
      provider: "aws",
      region: "eu-west-1",
      zones: 2,
      natGateways: "single",
      nodePools: [{ name: "q", instanceType: "m6i.xlarge", count: 2, maxCount: 3 }],
      nodes: { validators: 1, rpc: 1, members: 1 },
      apiAccess: { publicRanges: ["81.2.69.160/28"] },
      adminRoleArns: ["arn:aws:iam::210987654321:role/deploy"],
      ...cluster,
    },
  ],
});

describe("a small AWS stack, priced by hand", () => {
  // eu-west-1, 730 hours a month. m6i.xlarge: 4 vCPUs × 0.0535 = 0.214/h.
  const byHand: [RegExp, number][] = [
    [/^EKS control plane, standard support$/, 73.0], // 0.10 × 730
    [/^nodes m6i.xlarge/, 312.44], // 2 × 0.214 × 730
    [/^node root volumes/, 8.8], // 2 × 50 GiB × 0.088
    [/^NAT gateways \(single\)$/, 35.04], // 1 × 0.048 × 730
    [/^public IPv4 addresses of the NAT/, 3.65], // 1 × 0.005 × 730
    [/^internal NLBs, one per GoQuorum node$/, 55.19], // 3 × 0.0252 × 730 = 55.188
    [/^chain-data volumes/, 26.4], // 3 × 100 GiB × 0.088
    [/^monitoring volumes/, 5.46], // (50 + 2 + 10) GiB × 0.088 = 5.456: the only cluster is the central one
    [/^control-plane logs ingested/, 8.67], // 0.5 GB × 730/24 days = 15.21 GB × 0.57
    [/^control-plane logs stored/, 1.35], // 0.5 GB × 90 days × 0.03
  ];
  const cost = costOf(awsStack());

  for (const [what, usd] of byHand) {
    it(`${what.source} costs ${usd} a month`, () => assert.equal(monthlyOf(cost, what), usd));
  }

  it("adds up to the stack and cluster totals, with the maxCount ceiling on nodes and their disks", () => {
    assert.equal(cost.items.length, byHand.length);
    assert.equal(cost.monthlyUsd, 530.0);
    // 3 nodes: 468.66 instead of 312.44; 150 GiB of root volumes: 13.20 instead of 8.80.
    assert.equal(cost.ceilingMonthlyUsd, 690.62);
    assert.deepEqual(cost.clusters, [{ cluster: "c1", monthlyUsd: 530.0, ceilingMonthlyUsd: 690.62 }]);
    assert.deepEqual(cost.notPriced, []);
    for (const item of cost.items)
      assert.match(item.source, /^https:\/\/aws\.amazon\.com\/.*checked \d{4}-\d\d-\d\d/);
  });

  it("prices extended support at 0.60 an hour and the NAT gateways one per zone", () => {
    const other = costOf(awsStack({ supportType: "EXTENDED", natGateways: "one-per-zone" }));
    assert.equal(monthlyOf(other, /^EKS control plane, extended support/), 438.0);
    assert.equal(monthlyOf(other, /^NAT gateways/), 70.08); // 2 zones × 0.048 × 730
  });

  it("keeps logs as long as the retention says", () => {
    const other = costOf(awsStack({ controlPlaneLogRetentionDays: 365 }));
    assert.equal(monthlyOf(other, /^control-plane logs stored, GB \(365 days kept\)/), 5.48); // 182.5 GB × 0.03
  });
});

describe("a small Azure stack, priced by hand", () => {
  // westeurope has no row: East US × 1.25. Standard_D4s_v5: 4 × 0.048 × 1.25 = 0.24/h.
  const raw = {
    "goquorum:network": { name: "t", chainId: 4242, workloads: { storageSize: "200Gi" } },
    "goquorum:clusters": [
      {
        name: "weu",
        provider: "azure",
        region: "westeurope",
        apiAccess: { publicRanges: ["81.2.69.160/28"] },
        adminGroupObjectIds: ["4f8a1c2e-0b3d-4e5f-9a6b-7c8d9e0f1a2b"],
        nodePools: [{ name: "system", vmSize: "Standard_D4s_v5", count: 3, maxCount: 4 }],
        nodes: { validators: 4, rpc: 1, members: 1 },
      },
    ],
  };
  const byHand: [RegExp, number][] = [
    [/^AKS control plane, Standard tier$/, 73.0],
    [/^nodes Standard_D4s_v5/, 525.6], // 3 × 0.24 × 730
    [/^node OS disks, Premium SSD 128 GiB/, 73.91], // 4 vCPUs: P10, 19.71 × 1.25 × 3 = 73.9125
    // 4 validators, 1 RPC node (1 port each), 1 member (p2p and Tessera P2P): 7 rules on one internal LB.
    [/^internal load balancer .*: 7 rules, the first 5$/, 18.25],
    [/^internal load balancer .*: rules beyond 5$/, 14.6], // 2 × 0.01 × 730
    [/^outbound load balancer .*: 1 rule, the first 5$/, 18.25],
    [/^public IPs \(AKS outbound\)$/, 3.65],
    [/^chain-data volumes, Premium SSD 200 GiB \(billed as 256 GiB\)$/, 285.15], // 6 × 38.02 × 1.25
    [/^Prometheus volume, Premium SSD 50 GiB \(billed as 64 GiB\)$/, 12.76], // 10.21 × 1.25
    [/^Alertmanager volume, Premium SSD 2 GiB \(billed as 4 GiB\)$/, 0.96], // 0.77 × 1.25
    [/^Grafana volume, Premium SSD 10 GiB \(billed as 16 GiB\)$/, 3.76], // 3.01 × 1.25
  ];
  const cost = costOf(raw);

  for (const [what, usd] of byHand) {
    it(`${what.source} costs ${usd} a month`, () => assert.equal(monthlyOf(cost, what), usd));
  }

  it("adds up, and says where a figure is a regional factor of another region's", () => {
    assert.equal(cost.items.length, byHand.length);
    assert.equal(cost.monthlyUsd, 1029.89);
    assert.equal(cost.ceilingMonthlyUsd, 1229.73); // a 4th node (175.20) and its OS disk (24.64)
    const vm = cost.items.find((i) => i.what.startsWith("nodes"));
    assert.match(vm?.source ?? "", /no westeurope figure: eastus price × 1.25 \(regional factor\)/);
    const lb = cost.items.find((i) => i.what.startsWith("internal load balancer"));
    assert.doesNotMatch(lb?.source ?? "", /factor/);
  });
});

describe("cost rules at their boundaries", () => {
  it("bills a Premium SSD at the smallest tier that holds it", () => {
    assert.deepEqual([4, 5, 128, 129, 4096, 4097].map(premiumSsdTier), [4, 8, 128, 256, 4096, undefined]);
  });

  it("gives AKS nodes the default OS disk of their size", () => {
    assert.deepEqual(
      [7, 8, 15, 16, 63, 64].map((vcpus) => aksDefaultOsDisk(`Standard_D${vcpus}s_v5`, vcpus)),
      [128, 256, 256, 512, 512, 1024],
    );
    // Sizes with local temp storage of 128 GiB or more (37.5 GiB per vCPU) get a free ephemeral OS disk.
    assert.equal(aksDefaultOsDisk("Standard_D2ds_v5", 2), 128);
    assert.equal(aksDefaultOsDisk("Standard_D4ds_v5", 4), "ephemeral");
    assert.equal(aksDefaultOsDisk("Standard_E8ads_v5", 8), "ephemeral");
  });

  it("prices a family a region lacks, and a region the table lacks, from us-east-1 with the factor said", () => {
    const m7g = costOf(awsStack({ nodePools: [{ name: "q", instanceType: "m7g.xlarge", count: 2 }] }));
    const node = m7g.items.find((i) => i.what.startsWith("nodes"));
    assert.equal(node?.unitUsd, 0.181968); // 4 × 0.0408 × 1.115
    assert.match(node?.source ?? "", /no eu-west-1 figure: us-east-1 price × 1.115 \(regional factor\)/);
    const brazil = costOf(awsStack({ region: "sa-east-1" }));
    const nat = brazil.items.find((i) => i.what.startsWith("NAT"));
    assert.equal(nat?.unitUsd, 0.05625); // 0.045 × 1.25
    assert.match(nat?.source ?? "", /× 1.25 \(no factor for the region: default\)/);
  });

  it("names what it cannot price and where to add it, instead of guessing", () => {
    const cost = costOf(awsStack({ nodePools: [{ name: "q", instanceType: "t3.xlarge", count: 2 }] }));
    assert.deepEqual(cost.notPriced, [
      "c1: nodes t3.xlarge (pool q) (add the t3 family to AWS_PRICES.ec2PerVcpuHour)",
    ]);
    assert.equal(
      cost.items.some((i) => i.what.startsWith("nodes")),
      false,
    );
  });

  it("the base rows hold every figure a regional row may fall back on", () => {
    const base = AWS_PRICES["us-east-1"];
    for (const [region, row] of Object.entries(AWS_PRICES))
      for (const family of Object.keys(row.ec2PerVcpuHour))
        assert.ok(base?.ec2PerVcpuHour[family] !== undefined, `${region} ${family}`);
    assert.ok(AZURE_PRICES.eastus);
    assert.equal(HOURS_PER_MONTH, 730);
  });
});

describe("every shipped stack's estimate", () => {
  for (const stack of listStacks()) {
    it(`${stack}: has a cost whose items add up to it`, () => {
      const { config, plan } = planStackFile(stack);
      assert.ok(config && plan);
      const cost = planCost(config, plan);
      assert.deepEqual(cost.notPriced, []);
      const sum = cost.items.reduce((a, i) => a + i.monthlyUsd, 0);
      assert.ok(Math.abs(sum - cost.monthlyUsd) < 0.005, `${sum} vs ${cost.monthlyUsd}`);
      assert.equal(cost.monthlyUsd > 0, stack !== "local");
    });
  }

  describe("prod, against its render", () => {
    let render: RenderResult;
    let cost: CostPlan;
    before(async () => {
      render = await renderStack("prod", program);
      const { config, plan } = planStackFile("prod");
      assert.ok(config && plan);
      cost = planCost(config, plan);
    });

    it("prices one NLB per LoadBalancer Service of each AWS cluster, and a rule per port on Azure", () => {
      const services = render.resources.filter(
        (r) =>
          r.type === "kubernetes:core/v1:Service" &&
          (r.inputs as { spec?: { type?: string } }).spec?.type === "LoadBalancer",
      );
      const ofCluster = (name: string) => services.filter((s) => s.provider === `${name}-k8s`);
      for (const cluster of ["aws-euw1", "aws-use1"]) {
        const nlbs = cost.items
          .filter((i) => i.cluster === cluster && /NLB/.test(i.what) && !/IPv4/.test(i.what))
          .reduce((a, i) => a + i.quantity, 0);
        assert.equal(nlbs, ofCluster(cluster).length, cluster);
      }
      const ports = ofCluster("az-weu").reduce(
        (a, s) => a + ((s.inputs as { spec: { ports: unknown[] } }).spec.ports.length ?? 0),
        0,
      );
      assert.ok(
        cost.items.some((i) => i.cluster === "az-weu" && i.what.includes(`: ${ports} rules, the first 5`)),
      );
    });

    it("prices as many NAT gateways and VPN connections as the render registers", () => {
      const count = (type: string) => render.resources.filter((r) => r.type === type).length;
      const priced = (what: RegExp) =>
        cost.items.filter((i) => what.test(i.what)).reduce((a, i) => a + i.quantity, 0);
      assert.equal(priced(/^NAT gateways/), count("aws:ec2/natGateway:NatGateway"));
      assert.equal(priced(/^Site-to-Site VPN connections/), count("aws:ec2/vpnConnection:VpnConnection"));
      assert.equal(priced(/^VPN gateway Vpn/), count("azure-native:network:VirtualNetworkGateway"));
    });
  });
});
