/** The default Kubernetes minor and the plan's warnings about minors the clouds or the pinned charts left behind. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EKS_STANDARD_SUPPORT_ENDS } from "../infra/aws/behaviour";
import { AKS_END_OF_LIFE } from "../infra/azure/behaviour";
import { DEFAULT_KUBERNETES_VERSION } from "../infra/config/schema";
import { ENVOY_GATEWAY } from "../infra/ingress/names";
import { planStackFile } from "../infra/stackPlan";
import {
  CALENDARS_READ,
  kubernetesVersionIssues,
  supportEnd,
  supportEnded,
} from "../infra/verify/kubernetesVersions";
import { awsIngressConfig } from "./fixtures/ingress";
import { awsCluster, azureCluster, stackConfig } from "./helpers/config";

const daysBetween = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 86_400_000;

describe("the default Kubernetes minor", () => {
  it("is in EKS standard support and AKS support on the day the calendars were read, for three months more", () => {
    for (const calendar of [EKS_STANDARD_SUPPORT_ENDS, AKS_END_OF_LIFE]) {
      const ends = supportEnd(calendar, DEFAULT_KUBERNETES_VERSION);
      assert.ok(ends && ends !== "older", `${DEFAULT_KUBERNETES_VERSION} is in the calendar`);
      assert.ok(daysBetween(CALENDARS_READ, ends) >= 90, `${DEFAULT_KUBERNETES_VERSION} ends ${ends}`);
    }
  });

  it("is one the pinned Envoy Gateway supports", () => {
    assert.ok((ENVOY_GATEWAY.kubernetesMinors as readonly string[]).includes(DEFAULT_KUBERNETES_VERSION));
  });

  it("is what a cluster gets without kubernetesVersion", () => {
    const config = stackConfig([awsCluster("a"), azureCluster("z")]);
    assert.deepEqual(
      config.clusters.map((c) => (c.provider === "local" ? undefined : c.kubernetesVersion)),
      ["1.35", "1.35"],
    );
  });
});

describe("support calendars", () => {
  it("EKS 1.34: in standard support on 2026-12-01, past it from 2026-12-02 (the calendar's date)", () => {
    assert.equal(supportEnded(EKS_STANDARD_SUPPORT_ENDS, "1.34", "2026-12-01"), false);
    assert.equal(supportEnded(EKS_STANDARD_SUPPORT_ENDS, "1.34", "2026-12-02"), true);
  });

  it("a minor older than the calendar has ended; a newer one it does not list has not", () => {
    assert.equal(supportEnded(EKS_STANDARD_SUPPORT_ENDS, "1.30", "2026-01-01"), true);
    assert.equal(supportEnded(AKS_END_OF_LIFE, "1.31", "2026-01-01"), true);
    assert.equal(supportEnded(EKS_STANDARD_SUPPORT_ENDS, "1.38", CALENDARS_READ), false);
    assert.equal(supportEnded(AKS_END_OF_LIFE, "1.37", CALENDARS_READ), false);
  });
});

describe("plan warnings on the Kubernetes minor", () => {
  const at = (issues: ReturnType<typeof kubernetesVersionIssues>, path: string) =>
    issues.filter((i) => i.path === path).map((i) => `${i.severity}: ${i.message}`);

  it("names an EKS minor past standard support, with what EKS does under each supportType", () => {
    const standard = kubernetesVersionIssues(stackConfig([awsCluster("a", { kubernetesVersion: "1.34" })]));
    assert.equal(standard.length, 1);
    assert.match(
      at(standard, "clusters[0].kubernetesVersion")[0] ?? "",
      /^warning: 1\.34 left EKS standard support on 2026-12-02.*upgrades the control plane.*e\.g\. 1\.35/,
    );
    const extended = kubernetesVersionIssues(
      stackConfig([awsCluster("a", { kubernetesVersion: "1.34", supportType: "EXTENDED" })]),
    );
    assert.match(at(extended, "clusters[0].kubernetesVersion")[0] ?? "", /six times/);
  });

  it("names an AKS minor past end of life, and leaves the one before the boundary alone", () => {
    const config = stackConfig([
      azureCluster("z", { kubernetesVersion: "1.34" }),
      azureCluster("y", { kubernetesVersion: "1.35" }),
    ]);
    const issues = kubernetesVersionIssues(config);
    assert.equal(issues.length, 1);
    assert.match(
      at(issues, "clusters[0].kubernetesVersion")[0] ?? "",
      /1\.34 reached AKS end of life on 2026-11-30/,
    );
    assert.deepEqual(kubernetesVersionIssues(config, "2026-11-29"), []);
  });

  it("warns when a cluster that publishes routes runs a minor Envoy Gateway does not support", () => {
    const config = awsIngressConfig();
    const cluster = config.clusters[0];
    assert.ok(cluster && cluster.provider === "aws" && cluster.ingress.routes.length > 0);
    assert.deepEqual(kubernetesVersionIssues(config), []);
    // v1.9 dropped 1.32 (its compatibility matrix): the oldest minor v1.8 ran on.
    const older = { ...config, clusters: [{ ...cluster, kubernetesVersion: "1.32" }] };
    assert.match(
      at(kubernetesVersionIssues(older), "clusters[0].kubernetesVersion").join("\n"),
      /1\.32 is not a Kubernetes minor Envoy Gateway v1\.9\.1 supports \(1\.33, 1\.34, 1\.35, 1\.36/,
    );
    const newest = { ...config, clusters: [{ ...cluster, kubernetesVersion: "1.36" }] };
    assert.doesNotMatch(
      at(kubernetesVersionIssues(newest), "clusters[0].kubernetesVersion").join("\n"),
      /Envoy Gateway/,
    );
  });

  for (const stack of ["dev-aws", "dev-azure", "prod"]) {
    it(`${stack}: no warning about its Kubernetes minors`, () => {
      const { issues } = planStackFile(stack);
      assert.deepEqual(
        issues.filter((i) => i.path.endsWith(".kubernetesVersion")),
        [],
      );
    });
  }
});
