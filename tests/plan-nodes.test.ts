import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { StackConfigInput } from "../infra/config/schema";
import { planNetwork } from "../infra/plan";
import { endpointCapacity } from "../infra/plan/nodes";
import type { NodePlan } from "../infra/plan/types";
import { awsCluster, azureCluster, localCluster, stackConfig } from "./helpers/config";

type ClusterInput = StackConfigInput["clusters"][number];

function nodesOf(clusters: ClusterInput[]): NodePlan[] {
  const { plan, issues } = planNetwork(stackConfig(clusters));
  assert.ok(plan, JSON.stringify(issues, null, 2));
  return plan.clusters.flatMap((c) => c.nodes);
}

describe("node clients", () => {
  it("gives every node the cluster's client unless nodeClients names it, and never moves a node for it", () => {
    const before = nodesOf([awsCluster("a", { cidr: "10.1.0.0/16", nodes: { validators: 2, rpc: 1 } })]);
    const after = nodesOf([
      awsCluster("a", {
        cidr: "10.1.0.0/16",
        nodes: { validators: 2, rpc: 1 },
        nodeClients: { "a-validator-1": "besu" },
      }),
    ]);
    assert.deepEqual(
      after.map((n) => [n.name, n.client]),
      [
        ["a-validator-0", "goquorum"],
        ["a-validator-1", "besu"],
        ["a-rpc-0", "goquorum"],
      ],
    );
    assert.deepEqual(
      after.map(({ client: _, ...rest }) => rest),
      before.map(({ client: _, ...rest }) => rest),
    );
    const besu = nodesOf([
      localCluster("kind", {
        client: "besu",
        nodes: { validators: 2 },
        nodeClients: { "kind-validator-0": "goquorum" },
      }),
    ]);
    assert.deepEqual(
      besu.map((n) => [n.name, n.client]),
      [
        ["kind-validator-0", "goquorum"],
        ["kind-validator-1", "besu"],
      ],
    );
  });

  it("refuses a nodeClients entry that names no node of its cluster", () => {
    const { issues } = planNetwork(
      stackConfig([
        awsCluster("a", {
          cidr: "10.1.0.0/16",
          nodes: { validators: 4 },
          nodeClients: { "a-validator-4": "besu" },
        }),
      ]),
    );
    const issue = issues.find((i) => i.path === "clusters[0].nodeClients.a-validator-4");
    assert.equal(issue?.severity, "error", JSON.stringify(issues));
    assert.match(issue?.message ?? "", /not a node of cluster a .*a-validator-3/);
  });
});

describe("node plans", () => {
  it("names nodes by cluster, role and index, validators first, and rotates roles over zones", () => {
    const nodes = nodesOf([
      awsCluster("a", { cidr: "10.1.0.0/16", nodes: { validators: 4, rpc: 1, members: 2 } }),
    ]);
    assert.deepEqual(
      nodes.map((n) => [n.name, n.zone, n.endpointIp]),
      [
        ["a-validator-0", "eu-west-1a", "10.1.195.4"],
        ["a-validator-1", "eu-west-1b", "10.1.196.4"],
        ["a-validator-2", "eu-west-1c", "10.1.197.4"],
        ["a-validator-3", "eu-west-1a", "10.1.195.7"],
        ["a-rpc-0", "eu-west-1b", "10.1.196.5"],
        ["a-member-0", "eu-west-1c", "10.1.197.6"],
        ["a-member-1", "eu-west-1a", "10.1.195.6"],
      ],
    );
    assert.deepEqual(nodes[0], {
      name: "a-validator-0",
      cluster: "a",
      role: "validator",
      index: 0,
      client: "goquorum",
      zone: "eu-west-1a",
      endpointIp: "10.1.195.4",
    });
  });

  it("takes Azure endpoints from the regional subnet and gives local nodes none", () => {
    const azure = nodesOf([azureCluster("z", { cidr: "10.2.0.0/16", nodes: { validators: 2, members: 1 } })]);
    assert.deepEqual(
      azure.map((n) => [n.zone, n.endpointIp]),
      [
        ["1", "10.2.128.4"],
        ["2", "10.2.128.7"],
        ["3", "10.2.128.6"],
      ],
    );
    const local = nodesOf([localCluster("kind", { zones: 2 })]);
    assert.deepEqual(
      local.map((n) => [n.zone, n.endpointIp]),
      [
        ["zone-1", undefined],
        ["zone-2", undefined],
        ["zone-1", undefined],
        ["zone-2", undefined],
      ],
    );
  });

  it("sizes each role's share of an endpoints subnet", () => {
    assert.deepEqual(
      [0, 1, 2].map((r) => endpointCapacity(256, r)),
      [84, 83, 83],
    );
    assert.deepEqual(
      [0, 1, 2].map((r) => endpointCapacity(16, r)),
      [4, 3, 3],
    );
  });

  it("refuses more nodes than the endpoints subnet of their zone holds", () => {
    // A /24 VPC in one zone has a /28 endpoints subnet: room for 4 validators.
    const config = stackConfig([
      awsCluster("a", { cidr: "10.1.0.0/24", zones: 1, nodes: { validators: 5 } }),
    ]);
    const issue = planNetwork(config).issues.find((i) => i.path === "clusters[0].nodes.validators");
    assert.equal(issue?.severity, "error");
    assert.match(
      issue?.message ?? "",
      /nodes\.validators: 5 .*endpoints-eu-west-1a \(10\.1\.0\.144\/28\).* 4 validator endpoint/,
    );
  });

  it("never moves a node when nodes or clusters are added", () => {
    const counts = fc.record({
      validators: fc.integer({ min: 0, max: 8 }),
      rpc: fc.integer({ min: 0, max: 4 }),
      members: fc.integer({ min: 0, max: 8 }),
    });
    const cluster = (
      name: string,
      aws: boolean,
      nodes: { validators: number; rpc: number; members: number },
    ) => (aws ? awsCluster(name, { nodes }) : azureCluster(name, { nodes }));
    const setup = fc.record({
      shapes: fc.array(fc.tuple(fc.boolean(), counts), { minLength: 1, maxLength: 4 }),
      grow: fc.nat(),
      role: fc.constantFrom("validators", "rpc", "members"),
      addCluster: fc.boolean(),
    });
    fc.assert(
      fc.property(setup, ({ shapes, grow, role, addCluster }) => {
        const clusters = shapes.map(([aws, n], i) =>
          cluster(`c${i}`, aws, { ...n, validators: n.validators + 1 }),
        );
        const grown = clusters.map((c, i) =>
          i === grow % clusters.length
            ? { ...c, nodes: { ...c.nodes, [role]: (c.nodes?.[role] ?? 0) + 1 } }
            : c,
        );
        if (addCluster) grown.push(azureCluster("extra", { nodes: { validators: 1 } }));
        const before = nodesOf(clusters);
        const after = new Map(nodesOf(grown).map((n) => [n.name, n]));
        for (const node of before) assert.deepEqual(after.get(node.name), node);
      }),
      { numRuns: 60 },
    );
  });
});
