import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { CloudClusterConfig } from "../infra/config/schema";
import { cidr, cidrContains, cidrSize, cidrsOverlap, formatCidr, nthSubnet } from "../infra/plan/cidr";
import { layoutSubnets } from "../infra/plan/subnets";
import type { SubnetPlan } from "../infra/plan/types";
import { awsCluster, azureCluster, stackConfig } from "./helpers/config";

const ZONES = ["z1", "z2", "z3", "z4", "z5", "z6"];
const POD_CIDR = cidr("100.64.0.0/16");

function layout(cluster: ReturnType<typeof awsCluster>, vpc: string, zones: number) {
  const config = stackConfig([cluster]).clusters[0] as CloudClusterConfig;
  return layoutSubnets(config, "clusters[0]", ZONES.slice(0, zones), {
    cidr: cidr(vpc),
    podCidr: POD_CIDR,
    allocated: false,
  });
}

const subnetsOf = (result: ReturnType<typeof layout>): readonly SubnetPlan[] => {
  assert.ok("subnets" in result, JSON.stringify(result));
  return result.subnets;
};

describe("subnet layout", () => {
  it("lays out a /16 AWS VPC over 3 zones", () => {
    const subnets = subnetsOf(layout(awsCluster("a"), "10.0.0.0/16", 3));
    assert.deepEqual(
      subnets.map((s) => [s.name, s.cidr, s.usableAddresses]),
      [
        ["private-z1", "10.0.0.0/18", 16379],
        ["private-z2", "10.0.64.0/18", 16379],
        ["private-z3", "10.0.128.0/18", 16379],
        ["public-z1", "10.0.192.0/24", 251],
        ["public-z2", "10.0.193.0/24", 251],
        ["public-z3", "10.0.194.0/24", 251],
        ["endpoints-z1", "10.0.195.0/24", 251],
        ["endpoints-z2", "10.0.196.0/24", 251],
        ["endpoints-z3", "10.0.197.0/24", 251],
      ],
    );
    assert.deepEqual(subnets[0], {
      name: "private-z1",
      purpose: "private",
      zone: "z1",
      cidr: "10.0.0.0/18",
      usableAddresses: 16379,
    });
  });

  it("adds a pod subnet per zone for custom networking", () => {
    const subnets = subnetsOf(
      layout(awsCluster("a", { cni: { mode: "custom-networking" } }), "10.0.0.0/16", 3),
    );
    assert.deepEqual(
      subnets.filter((s) => s.purpose === "pods").map((s) => [s.name, s.cidr]),
      [
        ["pods-z1", "100.64.0.0/18"],
        ["pods-z2", "100.64.64.0/18"],
        ["pods-z3", "100.64.128.0/18"],
      ],
    );
  });

  it("lays out Azure VNets as regional nodes, endpoints, GatewaySubnet and (pod-subnet) pods subnets", () => {
    const podSubnet = subnetsOf(layout(azureCluster("a"), "10.1.0.0/24", 3));
    assert.deepEqual(
      podSubnet.map((s) => [s.name, s.purpose, s.zone, s.cidr]),
      [
        ["nodes", "private", undefined, "10.1.0.0/25"],
        ["endpoints", "endpoints", undefined, "10.1.0.128/28"],
        // A /27 among /28s starts on the next /27 boundary.
        ["GatewaySubnet", "gateway", undefined, "10.1.0.160/27"],
        ["pods", "pods", undefined, "100.64.0.0/16"],
      ],
    );
    const overlay = subnetsOf(layout(azureCluster("a", { cni: { mode: "overlay" } }), "10.1.0.0/16", 3));
    assert.deepEqual(
      overlay.map((s) => [s.name, s.cidr]),
      [
        ["nodes", "10.1.0.0/17"],
        ["endpoints", "10.1.128.0/24"],
        ["GatewaySubnet", "10.1.129.0/24"],
      ],
    );
  });

  it("reserves a GatewaySubnet of /27 or larger in every Azure VNet down to a /25, and refuses a /26", () => {
    for (const prefix of [16, 20, 22, 24, 25]) {
      const subnets = subnetsOf(
        layout(azureCluster("a"), formatCidr(nthSubnet(cidr("10.1.0.0/16"), prefix, 0)), 1),
      );
      const gateway = subnets.filter((s) => s.purpose === "gateway");
      assert.deepEqual(
        gateway.map((s) => s.name),
        ["GatewaySubnet"],
      );
      assert.ok(cidr(gateway[0].cidr).prefix <= 27, `${prefix}: ${gateway[0].cidr}`);
    }
    const small = layout(azureCluster("a"), "10.1.0.0/26", 1);
    assert.ok("issue" in small);
    assert.match(small.issue.message, /GatewaySubnet \(at least \/27\).*needs a \/25 or larger/);
    assert.ok(subnetsOf(layout(awsCluster("a"), "10.1.0.0/16", 3)).every((s) => s.purpose !== "gateway"));
  });

  it("fits every zone count a /24 can hold and names the size needed otherwise", () => {
    assert.equal(subnetsOf(layout(awsCluster("a"), "10.0.0.0/24", 5)).length, 15);
    const result = layout(awsCluster("a"), "10.0.0.0/24", 6);
    assert.ok("issue" in result);
    assert.equal(result.issue.path, "clusters[0].cidr");
    assert.match(result.issue.message, /10\.0\.0\.0\/24 is too small .* needs a \/23 or larger/);
  });

  it("keeps every subnet inside its range, at least /28 and apart from the others", () => {
    const setup = fc.record({
      aws: fc.boolean(),
      awsMode: fc.constantFrom("secondary-ip", "custom-networking"),
      azureMode: fc.constantFrom("node-subnet", "pod-subnet", "overlay"),
      prefix: fc.integer({ min: 16, max: 24 }),
      block: fc.nat(255),
      zones: fc.integer({ min: 1, max: 6 }),
    });
    fc.assert(
      fc.property(setup, ({ aws, awsMode, azureMode, prefix, block, zones }) => {
        const vpc = nthSubnet(cidr("10.0.0.0/8"), prefix, block);
        const cluster = aws
          ? awsCluster("a", { cni: { mode: awsMode as "custom-networking" } })
          : azureCluster("a", { cni: { mode: azureMode as "overlay" } });
        const result = layout(cluster, formatCidr(vpc), zones);
        if ("issue" in result) {
          assert.ok(aws && prefix > 20, "only small VPCs with many zones may fail");
          return;
        }
        const subnets = result.subnets.map((s) => ({ ...s, range: cidr(s.cidr) }));
        for (const s of subnets) {
          assert.ok(s.range.prefix <= 28 && cidrSize(s.range) - 5 === s.usableAddresses);
          assert.ok(cidrContains(s.purpose === "pods" ? POD_CIDR : vpc, s.range), s.cidr);
          for (const t of subnets)
            if (t !== s) assert.ok(!cidrsOverlap(s.range, t.range), `${s.cidr} ${t.cidr}`);
        }
        if (aws) assert.equal(subnets.filter((s) => s.purpose === "endpoints").length, zones);
        else
          assert.equal(subnets.filter((s) => s.name === "GatewaySubnet" && s.range.prefix <= 27).length, 1);
      }),
    );
  });
});
