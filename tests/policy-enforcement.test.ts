/** Whether each cluster's CNI enforces NetworkPolicies, from the values the program sets (issue 14, defect 3). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterTarget } from "../components/targets";
import { ClusterWorkloads } from "../components/workloads/ClusterWorkloads";
import { vpcCniEnforcesNetworkPolicies } from "../infra/aws/behaviour";
import { vpcCniConfiguration, vpcCniEnv } from "../infra/aws/cni";
import { aksNetworkProfile } from "../infra/azure/aks";
import { aksEnforcesNetworkPolicies } from "../infra/azure/behaviour";
import { readStackFile, stackFilePath } from "../infra/config/load";
import type { AwsClusterConfig, AzureClusterConfig } from "../infra/config/schema";
import { renderProgram } from "../infra/offline/render";
import { planNetwork } from "../infra/plan";
import { planRawConfig } from "../infra/stackPlan";
import { policyEnforcement, policyEnforcementIssues } from "../infra/verify/policyEnforcement";
import { awsCluster, azureCluster, localCluster, stackConfig } from "./helpers/config";
import { clusterKeys } from "./helpers/keys";

describe("VPC CNI NetworkPolicy enforcement", () => {
  const cases: [string, Parameters<typeof vpcCniEnforcesNetworkPolicies>[0], boolean][] = [
    ["nothing set (the add-on default)", {}, false],
    ["only the environment (the old configuration)", { env: { ENABLE_PREFIX_DELEGATION: "false" } }, false],
    ["enableNetworkPolicy false", { enableNetworkPolicy: "false" }, false],
    ["enableNetworkPolicy true", { enableNetworkPolicy: "true" }, true],
    ["the node agent explicitly on", { enableNetworkPolicy: "true", nodeAgent: { enabled: true } }, true],
    ["the node agent off", { enableNetworkPolicy: "true", nodeAgent: { enabled: false } }, false],
  ];
  for (const [name, settings, enforced] of cases) {
    it(`${name}: ${enforced ? "enforced" : "inert"}`, () => {
      assert.equal(vpcCniEnforcesNetworkPolicies(settings), enforced);
    });
  }

  for (const mode of ["secondary-ip", "prefix-delegation", "custom-networking"] as const) {
    it(`the program's configuration enforces them in ${mode} mode, next to the planned environment`, () => {
      const config = stackConfig([awsCluster("a", { cni: { mode } })]).clusters[0] as AwsClusterConfig;
      const values = vpcCniConfiguration(config.cni);
      assert.equal(values.enableNetworkPolicy, "true");
      assert.deepEqual(values.env, vpcCniEnv(config.cni));
      assert.equal(vpcCniEnforcesNetworkPolicies(values), true);
    });
  }
});

describe("AKS NetworkPolicy enforcement", () => {
  for (const [engine, enforced] of [
    ["cilium", true],
    ["calico", true],
    ["azure", true],
    ["none", false],
    [undefined, false],
  ] as const) {
    it(`networkPolicy ${engine ?? "unset"}: ${enforced ? "enforced" : "inert"}`, () => {
      assert.equal(aksEnforcesNetworkPolicies({ networkPolicy: engine }), enforced);
    });
  }

  for (const mode of ["node-subnet", "pod-subnet", "overlay"] as const) {
    it(`the program's network profile enforces them in ${mode} mode`, () => {
      const config = stackConfig([azureCluster("weu", { cni: { mode } })]);
      const { plan } = planNetwork(config);
      assert.ok(plan);
      const profile = aksNetworkProfile(plan.clusters[0], config.clusters[0] as AzureClusterConfig);
      assert.equal(aksEnforcesNetworkPolicies(profile), true);
    });
  }
});

describe("the plan's NetworkPolicy enforcement check", () => {
  for (const stack of ["prod", "dev-aws", "dev-azure"]) {
    it(`${stack}: every cluster enforces NetworkPolicies, and the plan says nothing of it`, () => {
      const { config, plan, issues } = planRawConfig(readStackFile(stackFilePath(stack)));
      assert.ok(config && plan);
      assert.ok(policyEnforcement(config, plan).every((c) => c.enforced));
      assert.ok(!issues.some((i) => i.message.includes("enforce NetworkPolicies")));
    });
  }

  it("refuses a cloud cluster configured as before the fix, naming its cni key", () => {
    const config = stackConfig([azureCluster("weu"), awsCluster("euw1")]);
    const { plan } = planNetwork(config);
    assert.ok(plan);
    const oldCni = { env: vpcCniEnv((config.clusters[1] as AwsClusterConfig).cni) };
    const enforcement = policyEnforcement(config, plan).map((c) =>
      c.provider === "aws" ? { ...c, enforced: vpcCniEnforcesNetworkPolicies(oldCni) } : c,
    );
    const issues = policyEnforcementIssues(enforcement);
    assert.deepEqual(
      issues.map((i) => [i.severity, i.path]),
      [["error", "clusters[1].cni"]],
    );
    assert.match(issues[0].message, /euw1.*vpc-cni add-on.*does not enforce NetworkPolicies/);
  });

  it("warns on a local cluster not declared to enforce them, and is quiet once it is", () => {
    const warned = planRawConfig({
      "goquorum:network": { name: "n", chainId: 1337 },
      "goquorum:clusters": [localCluster("kind")],
    });
    assert.ok(warned.plan);
    assert.deepEqual(
      warned.issues.filter((i) => i.path === "clusters[0].enforcesNetworkPolicies").map((i) => i.severity),
      ["warning"],
    );
    const declared = planRawConfig({
      "goquorum:network": { name: "n", chainId: 1337 },
      "goquorum:clusters": [localCluster("kind", { enforcesNetworkPolicies: true })],
    });
    assert.ok(declared.plan);
    assert.ok(!declared.issues.some((i) => i.path === "clusters[0].enforcesNetworkPolicies"));
  });
});

describe("a cluster target that does not enforce NetworkPolicies", () => {
  it("is refused on a cloud cluster before anything is deployed to it", async () => {
    const config = stackConfig([awsCluster("c1", { vault: "kubernetes" })]);
    const { plan } = planNetwork(config);
    assert.ok(plan);
    const cluster = plan.clusters[0];
    const deploy = renderProgram("test", {}, async () => {
      const target: ClusterTarget = {
        kubernetes: new k8s.Provider("c1-k8s", {}),
        crdKubernetes: () => new k8s.Provider("c1-k8s-crds", {}),
        enforcesNetworkPolicies: false,
        prerequisites: [],
        loadBalancerAnnotations: () => ({}),
        createVault: () => {
          throw new Error("not reached: the workloads stop first");
        },
      };
      new ClusterWorkloads("c1", {
        network: config.network,
        plan,
        cluster,
        keys: clusterKeys(cluster),
        genesisJson: pulumi.output("{}"),
        target,
      });
      return {};
    });
    await assert.rejects(deploy, /c1: its CNI does not enforce NetworkPolicies/);
  });
});
