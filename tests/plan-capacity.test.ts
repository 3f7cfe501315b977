import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AwsClusterConfig } from "../infra/config/schema";
import { planNetwork } from "../infra/plan";
import {
  awsAddressesPerNode,
  awsMaxPods,
  azureNodeSubnetAddresses,
  azurePodSubnetAddressesPerNode,
} from "../infra/plan/capacity";
import { type AwsInstanceType, awsInstanceType } from "../infra/plan/instances";
import { plannedPods } from "../infra/plan/plannedPods";
import { awsCluster, azureCluster, stackConfig } from "./helpers/config";

const type = (name: string) => awsInstanceType(name) as AwsInstanceType;
const awsCni = (cni: Partial<AwsClusterConfig["cni"]> = {}) =>
  (stackConfig([awsCluster("a", { cni })]).clusters[0] as AwsClusterConfig).cni;

function issueAt(config: ReturnType<typeof stackConfig>, path: string) {
  const { issues } = planNetwork(config);
  const issue = issues.find((i) => i.path === path);
  assert.ok(issue, `no issue at ${path}: ${JSON.stringify(issues, null, 2)}`);
  return issue;
}

describe("AWS max pods per node", () => {
  const table: [string, number, number, number][] = [
    ["t3.small", 11, 8, 110],
    ["t3.medium", 17, 12, 110],
    ["m5.large", 29, 20, 110],
    ["m5.xlarge", 58, 44, 110],
    ["m5.4xlarge", 234, 205, 110],
    ["m6i.8xlarge", 234, 205, 250],
  ];
  for (const [name, secondary, custom, prefix] of table) {
    it(`${name}: ${secondary} secondary-ip, ${custom} custom-networking, ${prefix} prefix-delegation`, () => {
      assert.equal(awsMaxPods(type(name), "secondary-ip"), secondary);
      assert.equal(awsMaxPods(type(name), "custom-networking"), custom);
      assert.equal(awsMaxPods(type(name), "prefix-delegation"), prefix);
    });
  }
});

describe("AWS addresses a node holds", () => {
  it("WARM_ENI_TARGET keeps a spare ENI with all its addresses", () => {
    for (const pods of [1, 5, 9]) assert.equal(awsAddressesPerNode(type("m5.large"), awsCni(), pods), 20);
    assert.equal(awsAddressesPerNode(type("t3.small"), awsCni(), 5), 12);
  });

  it("WARM_IP_TARGET and MINIMUM_IP_TARGET replace it", () => {
    assert.equal(
      awsAddressesPerNode(type("t3.small"), awsCni({ warmIpTarget: 2, minimumIpTarget: 5 }), 0),
      7,
    );
  });

  it("prefix delegation holds whole /28s plus each ENI's primary", () => {
    const pd = awsCni({ mode: "prefix-delegation" });
    assert.equal(awsAddressesPerNode(type("m5.large"), pd, 20), 16 * 3 + 1);
    // MINIMUM_IP_TARGET 20 rounds up to two /28s.
    assert.equal(
      awsAddressesPerNode(type("m5.large"), awsCni({ mode: "prefix-delegation", minimumIpTarget: 20 }), 0),
      33,
    );
  });

  it("custom networking counts only the secondary ENIs", () => {
    assert.equal(awsAddressesPerNode(type("m5.large"), awsCni({ mode: "custom-networking" }), 9), 20);
  });
});

describe("Azure address formulas", () => {
  it("node-subnet reserves maxPods per node, surge included (the AKS docs' examples)", () => {
    assert.equal(azureNodeSubnetAddresses(50, 1, 30), 1581);
    assert.equal(azureNodeSubnetAddresses(60, 1, 30), 1891);
  });

  it("pod-subnet allocates batches of 16 with at least 8 spare, up to maxPods", () => {
    assert.equal(azurePodSubnetAddressesPerNode(0, 110), 16);
    assert.equal(azurePodSubnetAddressesPerNode(8, 110), 16);
    assert.equal(azurePodSubnetAddressesPerNode(9, 110), 16 * 2);
    assert.equal(azurePodSubnetAddressesPerNode(110, 110), 112);
  });

  it("a 50-node node-subnet pool needs 1581 addresses: a /22 VNet is refused, a /20 fits", () => {
    const pool = { name: "system", vmSize: "Standard_D4s_v5", count: 50, maxSurge: 1, maxPods: 30 };
    const cluster = (cidr: string) =>
      azureCluster("a", { cidr, cni: { mode: "node-subnet" }, nodePools: [pool] });
    const issue = issueAt(stackConfig([cluster("10.1.0.0/22")]), "clusters[0].cidr");
    assert.equal(issue.severity, "error");
    assert.match(issue.message, /subnet nodes \(10\.1\.0\.0\/23\) has 507 usable addresses but needs 1581/);
    const { plan } = planNetwork(stackConfig([cluster("10.1.0.0/20")]));
    assert.equal(plan?.clusters[0].capacity?.nodes, 51);
  });
});

describe("capacity plan", () => {
  it("plans GoQuorum, monitoring, system and daemon pods", () => {
    const config = stackConfig([awsCluster("a", { nodes: { validators: 4, rpc: 2, members: 2 } })]);
    const cluster = config.clusters[0] as AwsClusterConfig;
    // 8 GoQuorum + 5 monitoring + 6 system + 3 daemons × 3 nodes.
    assert.equal(plannedPods(cluster, 3), 28);
    const capacity = planNetwork(config).plan?.clusters[0].capacity;
    assert.deepEqual(capacity, {
      podsPerNode: 58,
      nodes: 4,
      podAddresses: capacity?.podAddresses,
      plannedPods: 28,
      headroom: Math.round(((174 - 28) / 174) * 10_000) / 10_000,
      bindingLimit: "podsPerNode",
    });
  });

  it("refuses more pods than the nodes can run, with the numbers", () => {
    const pools = [{ name: "small", instanceType: "t3.small", count: 1 }];
    const config = stackConfig([awsCluster("a", { nodes: { validators: 4, members: 8 }, nodePools: pools })]);
    const issue = issueAt(config, "clusters[0].nodePools");
    assert.equal(issue.severity, "error");
    assert.match(issue.message, /^26 pods are planned but 1 nodes × 11 pods per node give 11 pod slots/);
  });

  it("warns when headroom drops below 20%", () => {
    const pools = [{ name: "small", instanceType: "t3.medium", count: 2 }];
    const config = stackConfig([
      awsCluster("a", { nodes: { validators: 4, rpc: 4, members: 4 }, nodePools: pools }),
    ]);
    const issue = issueAt(config, "clusters[0].nodePools");
    assert.equal(issue.severity, "warning");
    assert.match(
      issue.message,
      /only 15% headroom: 29 pods are planned and 2 nodes × 17 pods per node give 34 pod slots/,
    );
  });

  it("uses the smallest max pods of mixed pools", () => {
    const pools = [
      { name: "big", instanceType: "m5.4xlarge", count: 2 },
      { name: "small", instanceType: "m5.large", count: 2 },
    ];
    const { plan } = planNetwork(stackConfig([awsCluster("a", { nodePools: pools })]));
    assert.equal(plan?.clusters[0].capacity?.podsPerNode, 29);
  });

  it("binds on pod addresses when the subnets are the smaller limit", () => {
    // /24 VPC, one zone: private /25 = 123 usable − 16 for EKS; 3 nodes with 8 pods each hold 2 ENIs × 15.
    const pools = [{ name: "p", instanceType: "m6i.xlarge", count: 3, maxSurge: 0 }];
    const config = stackConfig([
      awsCluster("a", { cidr: "10.9.0.0/24", zones: 1, nodes: { validators: 4 }, nodePools: pools }),
    ]);
    const capacity = planNetwork(config).plan?.clusters[0].capacity;
    assert.equal(capacity?.podAddresses, 123 - 16 - (3 * 30 - 3 * 8));
    assert.equal(capacity?.bindingLimit, "podAddresses");
  });

  it("refuses a subnet that cannot hold its nodes' addresses", () => {
    const pools = [{ name: "p", instanceType: "m5.4xlarge", count: 2, maxSurge: 0 }];
    const config = stackConfig([awsCluster("a", { cidr: "10.9.0.0/24", zones: 1, nodePools: pools })]);
    const issue = issueAt(config, "clusters[0].cidr");
    assert.equal(issue.severity, "error");
    assert.match(
      issue.message,
      /subnet private-eu-west-1a \(10\.9\.0\.0\/25\) has 123 usable addresses but needs 136/,
    );
  });
});

describe("node pool errors", () => {
  it("names an unknown instance type with close suggestions", () => {
    const pools = [{ name: "p", instanceType: "m5.lage", count: 1 }];
    const issue = issueAt(
      stackConfig([awsCluster("a", { nodePools: pools })]),
      "clusters[0].nodePools[0].instanceType",
    );
    assert.match(issue.message, /unknown EC2 instance type "m5\.lage".*Did you mean m5\.large/);
  });

  it("names an unknown Azure VM size with close suggestions", () => {
    const pools = [{ name: "p", vmSize: "Standard_D4s_v7", count: 1 }];
    const issue = issueAt(
      stackConfig([azureCluster("a", { nodePools: pools })]),
      "clusters[0].nodePools[0].vmSize",
    );
    assert.match(issue.message, /unknown Azure VM size "Standard_D4s_v7".*Standard_D4s_v5/);
  });

  it("refuses prefix delegation on a Xen instance type", () => {
    const pools = [{ name: "p", instanceType: "t2.large", count: 1 }];
    const config = stackConfig([awsCluster("a", { cni: { mode: "prefix-delegation" }, nodePools: pools })]);
    assert.match(
      issueAt(config, "clusters[0].nodePools[0].instanceType").message,
      /t2\.large is not built on Nitro/,
    );
  });

  it("refuses duplicate pool names and maxCount below count", () => {
    const pools = [
      { name: "p", instanceType: "m5.large", count: 3, maxCount: 2 },
      { name: "p", instanceType: "m5.large", count: 1 },
    ];
    const config = stackConfig([awsCluster("a", { nodePools: pools })]);
    assert.match(issueAt(config, "clusters[0].nodePools[0].maxCount").message, /maxCount 2 is below count 3/);
    assert.match(
      issueAt(config, "clusters[0].nodePools[1].name").message,
      /"p" is already used by nodePools\[0\]/,
    );
  });
});
