import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { StackConfigInput } from "../infra/config/schema";
import { planNetwork } from "../infra/plan";
import { quorumOf, suggestSpread } from "../infra/plan/faultTolerance";
import type { FaultTolerancePlan } from "../infra/plan/types";
import { awsCluster, azureCluster, localCluster, stackConfig } from "./helpers/config";

type ClusterInput = StackConfigInput["clusters"][number];

function faultTolerance(clusters: ClusterInput[]): FaultTolerancePlan {
  const { plan, issues } = planNetwork(stackConfig(clusters));
  assert.ok(plan, JSON.stringify(issues, null, 2));
  return plan.faultTolerance;
}

const validators = (n: number) => ({ nodes: { validators: n } });

describe("quorum", () => {
  it("is ⌈2n/3⌉", () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 10].map(quorumOf), [1, 2, 2, 3, 4, 4, 5, 7]);
  });
});

describe("placement verdicts", () => {
  it("4 validators in one cluster survive no cluster or zone loss", () => {
    const ft = faultTolerance([localCluster("kind", validators(4))]);
    assert.deepEqual(
      [ft.validators, ft.quorum, ft.tolerates, ft.survivesLossOfAnyCluster, ft.survivesLossOfAnyZone],
      [4, 3, 1, false, false],
    );
    assert.deepEqual(ft.clusterLoss, [{ cluster: "kind", validators: 4, survives: false }]);
    assert.deepEqual(ft.zoneLoss, [{ cluster: "kind", zone: "zone-1", validators: 4, survives: false }]);
    assert.equal(ft.suggestion, undefined);
  });

  it("3 clusters × 1 validator survive losing any cluster; zones shared in one region count together", () => {
    const spread = faultTolerance([
      awsCluster("a", { region: "eu-west-1" }),
      awsCluster("b", { region: "us-east-1" }),
      azureCluster("c"),
    ]);
    assert.deepEqual([spread.quorum, spread.tolerates, spread.survivesLossOfAnyCluster], [2, 1, true]);
    assert.equal(spread.survivesLossOfAnyZone, true);
    assert.equal(spread.suggestion, undefined);

    const sameRegion = faultTolerance([awsCluster("a"), awsCluster("b"), awsCluster("c")]);
    assert.equal(sameRegion.survivesLossOfAnyCluster, true);
    assert.equal(sameRegion.survivesLossOfAnyZone, false);
    assert.deepEqual(sameRegion.zoneLoss[0], {
      cluster: "a",
      zone: "eu-west-1a",
      validators: 3,
      survives: false,
    });
  });

  it("2+2+2 survives losing any cluster", () => {
    const ft = faultTolerance([
      awsCluster("a", validators(2)),
      azureCluster("b", validators(2)),
      azureCluster("c", validators(2)),
    ]);
    assert.deepEqual([ft.validators, ft.quorum, ft.tolerates], [6, 4, 2]);
    assert.ok(ft.clusterLoss.every((v) => v.validators === 2 && v.survives));
    assert.equal(ft.survivesLossOfAnyCluster, true);
  });

  it("3+1 halts when the bigger cluster goes, and no spread over 2 clusters helps", () => {
    const ft = faultTolerance([awsCluster("a", validators(3)), azureCluster("b", validators(1))]);
    assert.deepEqual(ft.clusterLoss, [
      { cluster: "a", validators: 3, survives: false },
      { cluster: "b", validators: 1, survives: true },
    ]);
    assert.equal(ft.survivesLossOfAnyCluster, false);
    assert.equal(ft.suggestion, undefined);
  });

  it("spreads validators round-robin over zones", () => {
    const six = faultTolerance([awsCluster("a", validators(6))]);
    assert.deepEqual(
      six.zoneLoss.map((v) => [v.zone, v.validators, v.survives]),
      [
        ["eu-west-1a", 2, true],
        ["eu-west-1b", 2, true],
        ["eu-west-1c", 2, true],
      ],
    );
    const four = faultTolerance([awsCluster("a", validators(4))]);
    assert.deepEqual(
      four.zoneLoss.map((v) => [v.zone, v.validators, v.survives]),
      [
        ["eu-west-1a", 2, false],
        ["eu-west-1b", 1, true],
        ["eu-west-1c", 1, true],
      ],
    );
  });

  it("treats a cluster in a region without zones as one failure domain", () => {
    const ft = faultTolerance([azureCluster("a", { region: "westus", zones: 1, ...validators(2) })]);
    assert.deepEqual(ft.zoneLoss, [{ cluster: "a", validators: 2, survives: false }]);
  });
});

describe("spread suggestion", () => {
  it("keeps current counts up to the cap and fills the emptiest clusters", () => {
    const three = suggestSpread(
      [
        { name: "a", validators: 3 },
        { name: "b", validators: 1 },
        { name: "c", validators: 0 },
      ],
      4,
    );
    assert.deepEqual(three?.validatorsPerCluster, { a: 2, b: 2, c: 2 });
    assert.match(three?.reason ?? "", /^2 more validators, 6 in all: quorum 4 tolerates 2 down/);
    const four = suggestSpread(
      ["a", "b", "c", "d"].map((name, i) => ({ name, validators: i === 0 ? 4 : 0 })),
      4,
    );
    assert.deepEqual(four?.validatorsPerCluster, { a: 1, b: 1, c: 1, d: 1 });
  });

  it("is part of the plan when cluster loss is not survivable", () => {
    const ft = faultTolerance([awsCluster("a", validators(3)), awsCluster("b"), azureCluster("c")]);
    assert.deepEqual(ft.suggestion?.validatorsPerCluster, { a: 2, b: 2, c: 2 });
  });
});

describe("placement requirements", () => {
  it("requireSurviveClusterLoss names the cluster whose loss halts consensus and the fix", () => {
    const config = stackConfig([awsCluster("a", validators(3)), awsCluster("b"), azureCluster("c")], {
      faultTolerance: { requireSurviveClusterLoss: true },
    });
    const issue = planNetwork(config).issues.find(
      (i) => i.path === "network.faultTolerance.requireSurviveClusterLoss",
    );
    assert.equal(issue?.severity, "error");
    assert.match(issue?.message ?? "", /cluster "a" \(3 of 5 validators\).*quorum is 4 of 5.*a=2, b=2, c=2/);
  });

  it("requireSurviveClusterLoss with 2 clusters says why it cannot be met", () => {
    const config = stackConfig([awsCluster("a", validators(2)), azureCluster("b", validators(2))], {
      faultTolerance: { requireSurviveClusterLoss: true },
    });
    const issue = planNetwork(config).issues.find(
      (i) => i.path === "network.faultTolerance.requireSurviveClusterLoss",
    );
    assert.match(issue?.message ?? "", /cannot be met with 2 clusters: .*at least 3 clusters/);
  });

  it("requireSurviveZoneLoss names the zone", () => {
    const config = stackConfig([awsCluster("a", validators(4))], {
      faultTolerance: { requireSurviveZoneLoss: true },
    });
    const issue = planNetwork(config).issues.find(
      (i) => i.path === "network.faultTolerance.requireSurviveZoneLoss",
    );
    assert.equal(issue?.severity, "error");
    assert.match(issue?.message ?? "", /zone eu-west-1a of cluster "a" \(2 of 4 validators\)/);
  });

  it("refuses a network without validators", () => {
    const issue = planNetwork(stackConfig([awsCluster("a", { nodes: { members: 2 } })])).issues.find(
      (i) => i.path === "clusters",
    );
    assert.match(issue?.message ?? "", /at least one cluster must host validators/);
  });
});
