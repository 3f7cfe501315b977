/** The VPC layout, CNI settings and node groups of an AWS cluster, from the plan (pure). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { ENI_CONFIG_LABEL, eniConfigs, vpcCniEnv } from "../infra/aws/cni";
import { awsSubnetName } from "../infra/aws/names";
import { awsNetworkLayout, PUBLIC_ROUTE_TABLE, privateRouteTable } from "../infra/aws/network";
import {
  isArm64,
  METADATA_OPTIONS,
  nodeGroupSettings,
  nodeUserData,
  taintsFromTolerations,
} from "../infra/aws/nodeGroups";
import type { AwsClusterConfig } from "../infra/config/schema";
import { planNetwork } from "../infra/plan";
import { awsCluster, stackConfig } from "./helpers/config";

type Overrides = Parameters<typeof awsCluster>[1];
const MODES = ["secondary-ip", "prefix-delegation", "custom-networking"] as const;

function planned(overrides: Overrides = {}, network: Parameters<typeof stackConfig>[1] = {}) {
  const config = stackConfig([awsCluster("a", overrides)], network);
  const { plan, issues } = planNetwork(config);
  assert.ok(plan, JSON.stringify(issues));
  return { config, cluster: config.clusters[0] as AwsClusterConfig, plan: plan.clusters[0], stack: config };
}

describe("AWS VPC layout", () => {
  it("has exactly the plan's subnets, each Name-tagged as the load balancer annotations look it up", () => {
    const { plan } = planned({ cni: { mode: "custom-networking" } });
    const layout = awsNetworkLayout(plan, "net-a", "one-per-zone");
    assert.equal(layout.vpcCidr, plan.cidr);
    assert.deepEqual(
      layout.subnets.map((s) => [s.name, s.plan.cidr, s.zone]),
      plan.subnets.map((s) => [awsSubnetName(plan, s), s.cidr, s.zone]),
    );
    for (const s of layout.subnets) {
      assert.equal(s.tags.Name, awsSubnetName(plan, s.plan));
      assert.equal(s.tags["kubernetes.io/cluster/net-a"], "shared");
    }
  });

  it("tags public subnets for internet-facing and private ones for internal load balancers, and no others", () => {
    const { plan } = planned({ cni: { mode: "custom-networking" } });
    for (const s of awsNetworkLayout(plan, "net-a", "one-per-zone").subnets) {
      assert.equal(s.tags["kubernetes.io/role/elb"], s.plan.purpose === "public" ? "1" : undefined, s.name);
      assert.equal(
        s.tags["kubernetes.io/role/internal-elb"],
        s.plan.purpose === "private" ? "1" : undefined,
        s.name,
      );
      assert.equal(s.mapPublicIpOnLaunch, s.plan.purpose === "public", s.name);
    }
  });

  it("adds the pod range as a secondary VPC range only with custom networking", () => {
    const custom = planned({ cni: { mode: "custom-networking" } }).plan;
    assert.deepEqual(awsNetworkLayout(custom, "n", "single").secondaryCidrs, [custom.podCidr]);
    assert.deepEqual(awsNetworkLayout(planned().plan, "n", "single").secondaryCidrs, []);
  });

  it("has one public route table and one private route table per zone; every subnet uses its zone's", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.constantFrom(...MODES), (zones, mode) => {
        const { plan } = planned({ zones, cni: { mode } });
        const layout = awsNetworkLayout(plan, "n", "one-per-zone");
        assert.deepEqual(
          layout.routeTables.map((t) => t.key),
          [PUBLIC_ROUTE_TABLE, ...plan.zones.map(privateRouteTable)],
        );
        for (const s of layout.subnets) {
          assert.equal(
            s.routeTable,
            s.plan.purpose === "public" ? PUBLIC_ROUTE_TABLE : privateRouteTable(s.zone),
          );
        }
      }),
      { numRuns: 20 },
    );
  });

  it("puts one NAT gateway in each zone's public subnet, or a single one in the first zone", () => {
    const { plan } = planned({ zones: 3 });
    const perZone = awsNetworkLayout(plan, "n", "one-per-zone");
    assert.deepEqual(
      perZone.natGateways,
      plan.zones.map((zone) => ({ zone, subnet: `a-public-${zone}` })),
    );
    for (const t of perZone.routeTables.slice(1))
      assert.deepEqual(t.defaultRoute, { via: "nat", natZone: t.key.slice(8) });
    const single = awsNetworkLayout(plan, "n", "single");
    assert.deepEqual(single.natGateways, [{ zone: "eu-west-1a", subnet: "a-public-eu-west-1a" }]);
    for (const t of single.routeTables.slice(1))
      assert.deepEqual(t.defaultRoute, { via: "nat", natZone: "eu-west-1a" });
    assert.deepEqual(single.routeTables[0].defaultRoute, { via: "internet" });
  });
});

describe("VPC CNI from the plan", () => {
  it("sets the mode and the warm targets the planner counted", () => {
    const env = (cni: NonNullable<Overrides>["cni"]) => vpcCniEnv(planned({ cni }).cluster.cni);
    assert.deepEqual(env({ mode: "secondary-ip", warmEniTarget: 2 }), {
      ENABLE_PREFIX_DELEGATION: "false",
      WARM_ENI_TARGET: "2",
      AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: "false",
    });
    assert.deepEqual(env({ mode: "prefix-delegation", warmPrefixTarget: 3 }), {
      ENABLE_PREFIX_DELEGATION: "true",
      WARM_PREFIX_TARGET: "3",
      AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: "false",
    });
    assert.deepEqual(env({ mode: "custom-networking", warmIpTarget: 5, minimumIpTarget: 10 }), {
      WARM_IP_TARGET: "5",
      MINIMUM_IP_TARGET: "10",
      ENABLE_PREFIX_DELEGATION: "false",
      AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: "true",
      ENI_CONFIG_LABEL_DEF: ENI_CONFIG_LABEL,
    });
  });

  it("has one ENIConfig per zone on that zone's pod subnet with custom networking, none otherwise", () => {
    const { plan, cluster } = planned({ cni: { mode: "custom-networking" } });
    assert.deepEqual(
      eniConfigs(plan, cluster.cni),
      plan.zones.map((zone) => ({ zone, subnet: `a-pods-${zone}` })),
    );
    for (const e of eniConfigs(plan, cluster.cni)) {
      const subnet = plan.subnets.find((s) => awsSubnetName(plan, s) === e.subnet);
      assert.equal(subnet?.purpose, "pods");
      assert.equal(subnet?.zone, e.zone);
    }
    assert.deepEqual(eniConfigs(planned().plan, planned().cluster.cni), []);
  });

  it("gives every node exactly the pods per node the planner promised, in every mode", () => {
    const pools = fc.array(
      fc.record({
        instanceType: fc.constantFrom(
          "m6i.large",
          "m6i.xlarge",
          "m6i.2xlarge",
          "m6i.8xlarge",
          "c6g.4xlarge",
          "t3.large",
        ),
        count: fc.integer({ min: 2, max: 6 }),
      }),
      { minLength: 1, maxLength: 3 },
    );
    fc.assert(
      fc.property(fc.constantFrom(...MODES), pools, (mode, ps) => {
        const nodePools = ps.map((p, i) => ({ name: `p${i}`, ...p }));
        const { plan, cluster, stack } = planned({ cni: { mode }, nodePools, nodes: { validators: 1 } });
        const groups = nodeGroupSettings(cluster, stack.network);
        assert.equal(Math.min(...groups.map((g) => g.maxPods)), plan.capacity?.podsPerNode);
        for (const g of groups) {
          const userData = Buffer.from(nodeUserData(g.maxPods), "base64").toString();
          assert.match(userData, new RegExp(`\\n      maxPods: ${g.maxPods}\\n`));
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe("managed node groups", () => {
  const scheduling = {
    workloads: {
      scheduling: {
        nodeSelector: { pool: "quorum" },
        tolerations: [
          { key: "dedicated", operator: "Equal" as const, value: "quorum", effect: "NoSchedule" as const },
        ],
      },
    },
  };

  it("sizes each pool as planned: count and maxCount; one node replaced at once where GoQuorum runs", () => {
    const { cluster, stack } = planned({
      nodePools: [{ name: "q", instanceType: "m6i.xlarge", count: 3, maxCount: 6, maxSurge: 2 }],
    });
    const [g] = nodeGroupSettings(cluster, stack.network);
    assert.equal(g.name, "a-q");
    assert.deepEqual(g.scaling, { minSize: 3, desiredSize: 3, maxSize: 6 });
    // The only pool runs the validators: one node at a time, whatever maxSurge says.
    assert.equal(g.maxUnavailable, 1);
    const dedicated = planned({
      nodePools: [
        { name: "system", instanceType: "m6i.large", count: 2, maxSurge: 2 },
        { name: "quorum", instanceType: "m6i.xlarge", count: 3, maxSurge: 2 },
      ],
    });
    assert.deepEqual(
      nodeGroupSettings(dedicated.cluster, dedicated.stack.network).map((p) => p.maxUnavailable),
      [2, 1],
    );
    assert.equal(g.amiType, "AL2023_x86_64_STANDARD");
    assert.equal(g.rootVolumeGiB, 50);
  });

  it("sizes each pool's root volume from rootVolumeGiB", () => {
    const nodePools = [
      { name: "system", instanceType: "m6i.large", count: 2 },
      { name: "quorum", instanceType: "m6i.2xlarge", count: 3, rootVolumeGiB: 200 },
    ];
    const { cluster, stack } = planned({ nodePools });
    assert.deepEqual(
      nodeGroupSettings(cluster, stack.network).map((g) => g.rootVolumeGiB),
      [50, 200],
    );
  });

  it("labels a single pool for the GoQuorum pods but never taints it (system pods run there too)", () => {
    const { cluster, stack } = planned({}, scheduling);
    const [g] = nodeGroupSettings(cluster, stack.network);
    assert.deepEqual(g.labels, { pool: "quorum" });
    assert.deepEqual(g.taints, []);
  });

  it("with several pools, keeps the first as the system pool and dedicates the others", () => {
    const nodePools = [
      { name: "system", instanceType: "m6i.large", count: 2 },
      { name: "quorum", instanceType: "m6i.2xlarge", count: 3 },
    ];
    const { cluster, stack } = planned({ nodePools }, scheduling);
    const [system, quorum] = nodeGroupSettings(cluster, stack.network);
    assert.deepEqual([system.labels, system.taints], [{}, []]);
    assert.deepEqual(quorum.labels, { pool: "quorum" });
    assert.deepEqual(quorum.taints, [{ key: "dedicated", value: "quorum", effect: "NO_SCHEDULE" }]);
  });

  it("turns tolerations into taints; a keyless toleration makes none", () => {
    assert.deepEqual(
      taintsFromTolerations([
        { key: "a", operator: "Exists", effect: "NoExecute" },
        { key: "b", operator: "Equal", value: "x" },
        { operator: "Exists" },
      ]),
      [
        { key: "a", effect: "NO_EXECUTE" },
        { key: "b", value: "x", effect: "NO_SCHEDULE" },
      ],
    );
  });

  it("requires IMDSv2 with one hop, so pods cannot reach the node's credentials", () => {
    assert.deepEqual(METADATA_OPTIONS, {
      httpEndpoint: "enabled",
      httpTokens: "required",
      httpPutResponseHopLimit: 1,
    });
  });

  it("boots Graviton types from the arm64 image", () => {
    for (const t of ["m7g.large", "c6gn.xlarge", "t4g.medium", "a1.large", "r8g.2xlarge"])
      assert.ok(isArm64(t), t);
    for (const t of ["m6i.large", "c6in.xlarge", "t3.medium", "g5.xlarge", "m6a.large"])
      assert.ok(!isArm64(t), t);
  });
});
