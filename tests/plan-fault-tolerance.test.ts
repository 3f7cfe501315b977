import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { StackConfigInput } from "../infra/config/schema";
import { planNetwork } from "../infra/plan";
import { quorumOf, suggestMarginSpread, suggestSpread } from "../infra/plan/faultTolerance";
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
    assert.deepEqual(ft.clusterLoss, [{ cluster: "kind", validators: 4, survives: false, margin: -3 }]);
    assert.deepEqual(ft.zoneLoss, [
      { cluster: "kind", zone: "zone-1", validators: 4, survives: false, margin: -3 },
    ]);
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
    // It survives with nothing to spare: the suggestion is a spread that keeps one (4 clusters × 3).
    assert.equal(spread.marginAfterClusterLoss, 0);
    assert.deepEqual(spread.suggestion?.additionalClusters, [3]);

    const sameRegion = faultTolerance([awsCluster("a"), awsCluster("b"), awsCluster("c")]);
    assert.equal(sameRegion.survivesLossOfAnyCluster, true);
    assert.equal(sameRegion.survivesLossOfAnyZone, false);
    assert.deepEqual(sameRegion.zoneLoss[0], {
      cluster: "a",
      zone: "eu-west-1a",
      validators: 3,
      survives: false,
      margin: -2,
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
      { cluster: "a", validators: 3, survives: false, margin: -2 },
      { cluster: "b", validators: 1, survives: true, margin: 0 },
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
    assert.deepEqual(ft.zoneLoss, [{ cluster: "a", validators: 2, survives: false, margin: -2 }]);
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

describe("margin: validators to spare after a loss", () => {
  const plannedWith = (clusters: ClusterInput[]) => planNetwork(stackConfig(clusters));
  const regions = ["eu-west-1", "us-east-1", "eu-central-1", "ap-southeast-1", "ca-central-1", "sa-east-1"];
  const spread = (counts: number[]) =>
    counts.map((n, i) =>
      awsCluster(`c${i}`, { region: regions[i], cidr: `10.${64 + i}.0.0/16`, ...validators(n) }),
    );

  it("3 × 2 (quorum 4) survives a cluster loss at exactly quorum: margin 0, a warning and a 4 × 3 spread", () => {
    const { plan, issues } = plannedWith(spread([2, 2, 2]));
    const ft = plan?.faultTolerance;
    assert.ok(ft);
    assert.deepEqual(
      ft.clusterLoss.map((v) => v.margin),
      [0, 0, 0],
    );
    assert.equal(ft.marginAfterClusterLoss, 0);
    assert.equal(ft.marginAfterZoneLoss, 1, "a zone holds one validator of each cluster");
    assert.deepEqual(ft.suggestion?.validatorsPerCluster, { c0: 3, c1: 3, c2: 3 });
    assert.deepEqual(ft.suggestion?.additionalClusters, [3]);
    const warned = issues.filter((i) => i.path === "network.faultTolerance");
    assert.equal(warned.length, 1);
    assert.equal(warned[0]?.severity, "warning");
    assert.match(
      warned[0]?.message ?? "",
      /exactly quorum \(4 of 6\).*clusters\[\]\.nodes\.validators.*c0=3, c1=3, c2=3, plus 1 more cluster of 3/,
    );
  });

  it("4 × 3 (quorum 8) keeps one to spare after any cluster loss: no warning, no suggestion", () => {
    const { plan, issues } = plannedWith(spread([3, 3, 3, 3]));
    assert.equal(plan?.faultTolerance.marginAfterClusterLoss, 1);
    assert.equal(plan?.faultTolerance.suggestion, undefined);
    assert.deepEqual(
      issues.filter((i) => i.path === "network.faultTolerance"),
      [],
    );
  });

  it("warns at margin 0 after a zone loss, and not at margin 1 or when the loss halts (an error's case)", () => {
    // One cluster of 6 over 3 zones: a zone takes 2, leaving 4 = quorum.
    const six = plannedWith([awsCluster("a", validators(6))]);
    assert.equal(six.plan?.faultTolerance.marginAfterZoneLoss, 0);
    const zoneWarning = six.issues.find(
      (i) => i.path === "network.faultTolerance" && /zone /.test(i.message),
    );
    assert.match(
      zoneWarning?.message ?? "",
      /zone eu-west-1a of "a" or zone eu-west-1b of "a" or zone eu-west-1c of "a"/,
    );
    assert.match(zoneWarning?.message ?? "", /clusters\[\]\.zones/);
    // 3 × 2 over three regions: a zone takes one validator, leaving 5 of quorum 4.
    const margin1 = plannedWith(spread([2, 2, 2]));
    assert.equal(margin1.plan?.faultTolerance.marginAfterZoneLoss, 1);
    assert.ok(!margin1.issues.some((i) => i.path === "network.faultTolerance" && /zone /.test(i.message)));
    const seven = plannedWith([awsCluster("a", validators(7))]);
    // 7 over 3 zones: 3, 2, 2; quorum 5: losing the zone of 3 halts (margin -1), the others leave 0.
    assert.equal(seven.plan?.faultTolerance.marginAfterZoneLoss, -1);
    const sevenWarning = seven.issues.find(
      (i) => i.path === "network.faultTolerance" && /zone /.test(i.message),
    );
    assert.match(
      sevenWarning?.message ?? "",
      /^after losing zone eu-west-1b of "a" or zone eu-west-1c of "a",/,
    );
  });

  it("suggests the fewest clusters that keep a spare: none fits 3 clusters, 5 clusters fit 9", () => {
    const three = ["a", "b", "c"].map((name) => ({ name, validators: 2 }));
    for (let n = 6; n <= 30; n++) {
      const s = suggestMarginSpread(three, n);
      assert.ok(s?.additionalClusters?.length === 1, `${n}: one more cluster`);
    }
    const five = ["a", "b", "c", "d", "e"].map((name) => ({ name, validators: 1 }));
    const s = suggestMarginSpread(five, 5);
    assert.deepEqual(s?.validatorsPerCluster, { a: 2, b: 2, c: 2, d: 2, e: 1 });
    assert.equal(s?.additionalClusters, undefined);
  });

  it("holds the docs' figures: 3 × 2 and 3 × 3 at margin 0; 4 × 3, 9 over 5 and 6 × 1 with one to spare", () => {
    const margin = (counts: number[]) =>
      plannedWith(spread(counts)).plan?.faultTolerance.marginAfterClusterLoss;
    assert.deepEqual(
      [
        [2, 2, 2],
        [3, 3, 3],
        [3, 3, 3, 3],
        [2, 2, 2, 2, 1],
        [1, 1, 1, 1, 1, 1],
      ].map(margin),
      [0, 0, 1, 1, 1],
    );
    const page = readFileSync("docs/operations/README.md", "utf8");
    const start = page.indexOf("### Failure domains");
    assert.ok(start >= 0, "docs/operations/README.md has the Failure domains section");
    const section = page.slice(start, page.indexOf("\n#", start + 1));
    for (const claim of [
      "3 × 2: 4 of 6 left, quorum 4",
      "3 × 3: 6 of 9, quorum 6",
      "4 × 3 validators (12, quorum 8: losing a cluster leaves 9)",
      "5 clusters holding 9",
      "6 × 1",
    ])
      assert.ok(section.includes(claim), claim);
  });

  it("every suggested spread keeps a validator to spare after losing any cluster", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 2, maxLength: 6 }), (counts) => {
        const clusters = counts.map((validators, i) => ({ name: `c${i}`, validators }));
        const n = counts.reduce((a, b) => a + b, 0);
        const s = suggestMarginSpread(clusters, Math.max(n, 1));
        assert.ok(s, "a spread always exists with enough clusters");
        const spreadCounts = [...Object.values(s.validatorsPerCluster), ...(s.additionalClusters ?? [])];
        const m = spreadCounts.reduce((a, b) => a + b, 0);
        assert.ok(m >= n);
        for (const c of spreadCounts) assert.ok(m - c - quorumOf(m) >= 1, `${spreadCounts} loses ${c}`);
      }),
    );
  });
});
