/** One-minor steps of a deployed cluster's Kubernetes version, checked against the last deployment's output. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ConfigIssue } from "../infra/config/issue";
import {
  KUBERNETES_VERSIONS_OUTPUT,
  kubernetesMinor,
  kubernetesUpgradeIssues,
} from "../infra/verify/kubernetesUpgrade";
import { awsCluster, azureCluster, localCluster, stackConfig } from "./helpers/config";

const eks = (version: string) => stackConfig([awsCluster("a", { kubernetesVersion: version })]);
const aks = (version: string) => stackConfig([azureCluster("z", { kubernetesVersion: version })]);
/** Each cluster's control plane at `version`, its pools with it unless given. */
const deployed = (versions: Record<string, string>, nodePools: Record<string, string> = {}) => ({
  deployed: true,
  kubernetesVersions: Object.fromEntries(
    Object.entries(versions).map(([cluster, version]) => [
      cluster,
      { controlPlane: version, nodePools: { pool: version, ...nodePools } },
    ]),
  ),
});
const lines = (issues: ConfigIssue[]) => issues.map((i) => `${i.severity} ${i.path}: ${i.message}`);

describe("the Kubernetes minor of a deployed EKS cluster", () => {
  it("may stay or move one minor up", () => {
    assert.deepEqual(kubernetesUpgradeIssues(eks("1.35"), deployed({ a: "1.35" })), []);
    assert.deepEqual(kubernetesUpgradeIssues(eks("1.35"), deployed({ a: "1.34" })), []);
  });

  it("refuses two minors up and names the key and the exact next minor", () => {
    const issues = kubernetesUpgradeIssues(eks("1.35"), deployed({ a: "1.33" }));
    assert.equal(issues.length, 1);
    assert.equal(issues[0]?.severity, "error");
    assert.equal(issues[0]?.path, "clusters[0].kubernetesVersion");
    assert.match(
      issues[0]?.message ?? "",
      /^is 1\.35, 2 minors above 1\.33, which a runs \(output kubernetesVersions/,
    );
    assert.match(issues[0]?.message ?? "", /Set clusters\[0\]\.kubernetesVersion to 1\.34 and run pulumi up/);
  });

  it("refuses one minor down and says to set it back", () => {
    const issues = kubernetesUpgradeIssues(eks("1.34"), deployed({ a: "1.35" }));
    assert.deepEqual(
      issues.map((i) => [i.severity, i.path]),
      [["error", "clusters[0].kubernetesVersion"]],
    );
    assert.match(issues[0]?.message ?? "", /EKS never lowers.*rollback.*Set it back to 1\.35\.$/);
  });
});

describe("the Kubernetes minor of a deployed AKS cluster", () => {
  it("reads the patch AKS reports: 1.35.7 deployed, 1.36 accepted, 1.37 refused with 1.36 next", () => {
    assert.deepEqual(kubernetesUpgradeIssues(aks("1.36"), deployed({ z: "1.35.7" })), []);
    assert.deepEqual(kubernetesUpgradeIssues(aks("1.35"), deployed({ z: "1.35.7" })), []);
    const issues = kubernetesUpgradeIssues(aks("1.37"), deployed({ z: "1.35.7" }));
    assert.equal(issues[0]?.severity, "error");
    assert.match(issues[0]?.message ?? "", /to 1\.36 and run pulumi up/);
  });

  it("refuses a downgrade", () => {
    assert.equal(kubernetesUpgradeIssues(aks("1.35"), deployed({ z: "1.36" }))[0]?.severity, "error");
  });

  it("lets a minor past end of life skip to a supported one (the documented exception), with a warning", () => {
    // 1.33 reached AKS end of life on 2026-07-31; 1.35 is supported on the day the calendars were read.
    const issues = kubernetesUpgradeIssues(aks("1.35"), deployed({ z: "1.33" }));
    assert.deepEqual(
      issues.map((i) => i.severity),
      ["warning"],
    );
    assert.match(issues[0]?.message ?? "", /only out of an unsupported one.*outside its SLA.*to 1\.34/);
  });

  it("refuses a skip that leaves the user pools three minors behind the control plane", () => {
    // 1.32 ended on 2026-03-31, but 1.35 would put the user pools three minors behind the control plane.
    const far = kubernetesUpgradeIssues(aks("1.35"), deployed({ z: "1.32" }));
    assert.equal(far[0]?.severity, "error");
    assert.match(far[0]?.message ?? "", /within 2 minors.*to 1\.33 /);
  });

  it("applies the exception by the calendar's day: before 1.33's end of life the skip is refused", () => {
    const issues = kubernetesUpgradeIssues(aks("1.35"), deployed({ z: "1.33" }), "2026-07-30");
    assert.equal(issues[0]?.severity, "error");
  });
});

describe("node pools against the control plane", () => {
  it("EKS: refuses the next minor while a node group trails the control plane, and accepts it once they match", () => {
    const trailing = kubernetesUpgradeIssues(eks("1.36"), deployed({ a: "1.35" }, { "a-system": "1.34" }));
    assert.equal(trailing.length, 1);
    assert.equal(trailing[0]?.severity, "error");
    assert.match(trailing[0]?.message ?? "", /a-system \(1\.34\).*at 1\.35 first/);
    // Same minor: pulumi up brings the node group up to the control plane.
    assert.deepEqual(
      kubernetesUpgradeIssues(eks("1.35"), deployed({ a: "1.35" }, { "a-system": "1.34" })),
      [],
    );
    assert.deepEqual(kubernetesUpgradeIssues(eks("1.36"), deployed({ a: "1.35" })), []);
  });

  it("AKS: warns about a System pool left behind, refuses a control plane more than two minors ahead of it", () => {
    const behind = kubernetesUpgradeIssues(aks("1.36"), deployed({ z: "1.35.4" }, { system: "1.34.9" }));
    assert.deepEqual(
      behind.map((i) => i.severity),
      ["warning"],
    );
    assert.match(
      behind[0]?.message ?? "",
      /system \(1\.34\).*az aks nodepool upgrade .*--name system --kubernetes-version 1\.35/,
    );
    const tooFar = kubernetesUpgradeIssues(aks("1.36"), deployed({ z: "1.35.4" }, { system: "1.33.9" }));
    assert.deepEqual(
      tooFar.map((i) => [i.severity, i.path]),
      [["error", "clusters[0].kubernetesVersion"]],
    );
    assert.match(tooFar[0]?.message ?? "", /more than 2 minors above .*system \(1\.33\)/);
  });
});

describe("what the last deployment recorded", () => {
  it("constrains nothing on a stack never deployed", () => {
    assert.deepEqual(kubernetesUpgradeIssues(eks("1.35"), { deployed: false }), []);
  });

  it("warns, per cloud cluster, that the check could not run when the output predates it", () => {
    const config = stackConfig([awsCluster("a"), azureCluster("z"), localCluster("kind")]);
    const issues = kubernetesUpgradeIssues(config, { deployed: true });
    assert.deepEqual(
      issues.map((i) => [i.severity, i.path]),
      [
        ["warning", "clusters[0].kubernetesVersion"],
        ["warning", "clusters[1].kubernetesVersion"],
      ],
    );
    assert.match(issues[0]?.message ?? "", /could not run\. Pin the minor it runs.*"1\.33"/);
    assert.match(issues[0]?.message ?? "", new RegExp(KUBERNETES_VERSIONS_OUTPUT));
  });

  it("leaves a cluster the last deployment did not have unconstrained", () => {
    const config = stackConfig([awsCluster("a"), awsCluster("b", { kubernetesVersion: "1.33" })]);
    assert.deepEqual(kubernetesUpgradeIssues(config, deployed({ a: "1.35" })), []);
  });

  it("warns about a recorded value that is not a version", () => {
    for (const recorded of [
      35,
      "1.35",
      { controlPlane: "1.35" },
      { controlPlane: "1.35", nodePools: { p: 1 } },
    ]) {
      const [line, ...rest] = lines(
        kubernetesUpgradeIssues(eks("1.35"), { deployed: true, kubernetesVersions: { a: recorded } }),
      );
      assert.match(
        line ?? "",
        /^warning clusters\[0\]\.kubernetesVersion: the last deployment recorded .* cannot read/,
      );
      assert.deepEqual(rest, []);
    }
  });

  it("reads minors from major.minor and major.minor.patch only", () => {
    assert.equal(kubernetesMinor("1.35"), "1.35");
    assert.equal(kubernetesMinor("1.35.2"), "1.35");
    assert.equal(kubernetesMinor("v1.35"), undefined);
    assert.equal(kubernetesMinor("2.1"), undefined);
    assert.equal(kubernetesMinor(undefined), undefined);
  });
});
