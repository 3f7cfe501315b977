import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ConfigIssue } from "../infra/config/issue";
import type { StackConfig } from "../infra/config/schema";
import { planNetwork } from "../infra/plan";
import { awsCluster, azureCluster, localCluster, stackConfig, withoutUnmaintained } from "./helpers/config";

function issueAt(
  config: StackConfig,
  path: string,
  severity: ConfigIssue["severity"] = "error",
): ConfigIssue {
  const { plan, issues } = planNetwork(config);
  const issue = issues.find((i) => i.path === path && i.severity === severity);
  assert.ok(issue, `no ${severity} at ${path}: ${JSON.stringify(issues, null, 2)}`);
  if (severity === "error") assert.equal(plan, undefined);
  return issue;
}

/** Asserts the issue at `path` quotes the bad value and matches what it says is valid. */
function assertIssue(config: StackConfig, path: string, value: string, valid: RegExp): void {
  const { message } = issueAt(config, path);
  assert.ok(message.includes(value), `"${message}" does not mention ${value}`);
  assert.match(message, valid);
}

describe("a valid network", () => {
  const config = stackConfig(
    [
      awsCluster("alpha", { nodes: { validators: 2, rpc: 1, members: 1 } }),
      azureCluster("beta", { nodes: { validators: 1, members: 2 } }),
      azureCluster("gamma", { region: "westus", zones: 1, cni: { mode: "overlay" } }),
    ],
    { workloads: { rpc: { allowedCidrs: ["203.0.113.0/24"] } } },
  );

  it("plans without issues", () => {
    const { plan, issues } = planNetwork(config);
    // GoQuorum is unmaintained, and the margin warnings: beta's or gamma's loss leaves exactly quorum
    // (3 of 4), alpha's halts; gamma's region has no zones, so the cluster is its own zone.
    assert.deepEqual(
      issues.map((i) => [i.severity, i.path]),
      [
        ["warning", "clusters[0].client"],
        ["warning", "network.faultTolerance"],
        ["warning", "network.faultTolerance"],
      ],
    );
    assert.match(
      issues[0]?.message ?? "",
      /^8 nodes of this stack run GoQuorum \(clusters alpha, beta, gamma\)/,
    );
    assert.match(
      issues[2]?.message ?? "",
      /^after losing zone eu-west-1a of "alpha" .* or regional cluster "gamma", /,
    );
    assert.match(
      issues[1]?.message ?? "",
      /^after losing cluster "beta" or cluster "gamma", .*exactly quorum \(3 of 4\)/,
    );
    assert.deepEqual(plan?.network, {
      name: "testnet",
      chainId: 1337,
      consensus: "qbft",
      genesisValidators: ["alpha-validator-0", "alpha-validator-1", "beta-validator-0", "gamma-validator-0"],
    });
    assert.deepEqual(
      plan?.clusters.map((c) => [c.name, c.provider, c.region, c.zones.length, c.nodes.length]),
      [
        ["alpha", "aws", "eu-west-1", 3, 4],
        ["beta", "azure", "westeurope", 3, 3],
        ["gamma", "azure", "westus", 0, 1],
      ],
    );
    assert.deepEqual(plan?.warnings, issues);
  });

  it("is deterministic, key order included", () => {
    assert.equal(JSON.stringify(planNetwork(config)), JSON.stringify(planNetwork(structuredClone(config))));
  });

  it("gives a local cluster no ranges, subnets or capacity", () => {
    const { plan } = planNetwork(stackConfig([localCluster("kind")]));
    assert.deepEqual(
      { ...plan?.clusters[0], nodes: [] },
      {
        name: "kind",
        provider: "local",
        region: "local",
        namespace: "goquorum",
        zones: ["zone-1"],
        subnets: [],
        nodes: [],
      },
    );
  });
});

describe("each class of bad input names its key and value", () => {
  it("duplicate cluster names", () => {
    assertIssue(
      stackConfig([awsCluster("dup"), azureCluster("dup")]),
      "clusters[1].name",
      '"dup"',
      /clusters\[0\]/,
    );
  });

  it("a malformed or host-bit CIDR anywhere", () => {
    assertIssue(
      stackConfig([awsCluster("a", { cidr: "10.0.0.1/16" })]),
      "clusters[0].cidr",
      "10.0.0.1/16",
      /10\.0\.0\.0\/16/,
    );
    assertIssue(
      stackConfig([awsCluster("a")], { addressing: { supernet: "10.64.0.0/33" } }),
      "network.addressing.supernet",
      "10.64.0.0/33",
      /a\.b\.c\.d\/n/,
    );
    assertIssue(
      stackConfig([awsCluster("a")], { workloads: { rpc: { allowedCidrs: ["10.0.0.0/8", "1.2.3/24"] } } }),
      "network.workloads.rpc.allowedCidrs[1]",
      "1.2.3/24",
      /a\.b\.c\.d\/n/,
    );
  });

  it("overlapping VPC/VNet ranges across clusters", () => {
    const config = stackConfig([
      awsCluster("a", { cidr: "10.0.0.0/16" }),
      azureCluster("b", { cidr: "10.0.128.0/17" }),
    ]);
    assertIssue(config, "clusters[1].cidr", "10.0.128.0/17", /overlaps clusters\[0\]\.cidr 10\.0\.0\.0\/16/);
  });

  it("a service range meeting a routed range or another cluster's service range", () => {
    const intoVpc = stackConfig([
      awsCluster("a", { cidr: "10.0.0.0/16" }),
      awsCluster("b", { serviceCidr: "10.0.16.0/20" }),
    ]);
    assertIssue(intoVpc, "clusters[1].serviceCidr", "10.0.16.0/20", /overlaps clusters\[0\]\.cidr/);
    const shared = stackConfig([
      awsCluster("a", { serviceCidr: "172.20.0.0/16" }),
      awsCluster("b", { serviceCidr: "172.20.0.0/16" }),
    ]);
    assertIssue(shared, "clusters[1].serviceCidr", "172.20.0.0/16", /overlaps clusters\[0\]\.serviceCidr/);
  });

  it("a pod range meeting a routed range, while overlay pod ranges may repeat", () => {
    const pods = stackConfig([
      awsCluster("a", { cidr: "10.0.0.0/16" }),
      awsCluster("b", { cni: { mode: "custom-networking" }, podCidr: "10.0.0.0/18" }),
    ]);
    assertIssue(pods, "clusters[1].podCidr", "10.0.0.0/18", /overlaps clusters\[0\]\.cidr/);
    const overlays = stackConfig([
      azureCluster("a", { cni: { mode: "overlay" }, podCidr: "100.64.0.0/16" }),
      azureCluster("b", { cni: { mode: "overlay" }, podCidr: "100.64.0.0/16" }),
    ]);
    assert.deepEqual(withoutUnmaintained(planNetwork(overlays).issues), []);
  });

  it("an Azure range meeting Azure's reserved ranges", () => {
    assertIssue(
      stackConfig([azureCluster("a", { cidr: "172.31.0.0/16" })]),
      "clusters[0].cidr",
      "172.31.0.0/16",
      /Azure reserves/,
    );
    assertIssue(
      stackConfig([azureCluster("a", { serviceCidr: "168.63.0.0/16" })]),
      "clusters[0].serviceCidr",
      "168.63.0.0/16",
      /168\.63\.129\.16\/32/,
    );
    assert.equal(
      planNetwork(stackConfig([awsCluster("a", { cidr: "172.31.0.0/16" })])).plan?.clusters[0].cidr,
      "172.31.0.0/16",
    );
  });

  it("an EKS service range outside private space or sizes", () => {
    const rule = /must be a \/12 to \/24 inside 10\.0\.0\.0\/8, 172\.16\.0\.0\/12, 192\.168\.0\.0\/16/;
    assertIssue(
      stackConfig([awsCluster("a", { serviceCidr: "100.64.0.0/16" })]),
      "clusters[0].serviceCidr",
      "100.64.0.0/16",
      rule,
    );
    assertIssue(
      stackConfig([awsCluster("a", { serviceCidr: "10.200.0.0/25" })]),
      "clusters[0].serviceCidr",
      "10.200.0.0/25",
      rule,
    );
  });

  it("an EKS service range at the edges of /12 to /24: the last sizes accepted and the first refused", () => {
    const verdict = (serviceCidr: string) => {
      const { plan, issues } = planNetwork(
        stackConfig([awsCluster("a", { cidr: "10.0.0.0/16", serviceCidr })]),
      );
      return [serviceCidr, plan !== undefined, withoutUnmaintained(issues).map((i) => i.path)];
    };
    assert.deepEqual(["10.200.0.0/24", "10.200.0.128/25", "10.208.0.0/12", "10.192.0.0/11"].map(verdict), [
      ["10.200.0.0/24", true, []],
      ["10.200.0.128/25", false, ["clusters[0].serviceCidr"]],
      ["10.208.0.0/12", true, []],
      ["10.192.0.0/11", false, ["clusters[0].serviceCidr"]],
    ]);
  });

  it("an AWS VPC block of a size AWS refuses", () => {
    assertIssue(
      stackConfig([awsCluster("a", { cidr: "10.0.0.0/8" })]),
      "clusters[0].cidr",
      "10.0.0.0/8",
      /\/16 to \/28/,
    );
  });

  it("a pod block from another private range than the VPC's", () => {
    const config = stackConfig([
      awsCluster("a", { cidr: "10.0.0.0/16", cni: { mode: "custom-networking" }, podCidr: "192.168.0.0/16" }),
    ]);
    assertIssue(config, "clusters[0].podCidr", "192.168.0.0/16", /100\.64\.0\.0\/10/);
  });

  it("a VPC too small for the subnet layout, with the size needed", () => {
    assertIssue(
      stackConfig([awsCluster("a", { cidr: "10.0.0.0/25" })]),
      "clusters[0].cidr",
      "10.0.0.0/25",
      /needs a \/24 or larger/,
    );
  });

  it("an unknown region, with close matches", () => {
    assertIssue(
      stackConfig([awsCluster("a", { region: "eu-wset-1" })]),
      "clusters[0].region",
      '"eu-wset-1"',
      /Did you mean eu-west-1/,
    );
    assertIssue(
      stackConfig([azureCluster("a", { region: "west-europe" })]),
      "clusters[0].region",
      '"west-europe"',
      /westeurope/,
    );
  });

  it("more zones than the region has", () => {
    assertIssue(
      stackConfig([awsCluster("a", { region: "us-west-1", zones: 3 })]),
      "clusters[0].zones",
      "zones: 3",
      /at most 2/,
    );
    assertIssue(
      stackConfig([azureCluster("a", { region: "westus" })]),
      "clusters[0].zones",
      "zones: 3",
      /set zones: 1/,
    );
  });

  it("a local cluster mixed with others, or more than one", () => {
    assertIssue(
      stackConfig([localCluster("kind"), awsCluster("a")]),
      "clusters[0].provider",
      '"local"',
      /cannot peer/,
    );
    assertIssue(
      stackConfig([localCluster("k1"), localCluster("k2")]),
      "clusters[1].provider",
      '"local"',
      /at most one local cluster/,
    );
  });

  it("a pod range the CNI mode ignores is a warning", () => {
    const config = stackConfig([awsCluster("a", { podCidr: "100.64.0.0/16" })]);
    const issue = issueAt(config, "clusters[0].podCidr", "warning");
    assert.match(issue.message, /100\.64\.0\.0\/16 is ignored: cni\.mode secondary-ip/);
    assert.equal(planNetwork(config).plan?.clusters[0].podCidr, undefined);
  });
});

describe("issue collection", () => {
  it("reports every problem at once", () => {
    const config = stackConfig([
      awsCluster("a", { region: "mars-1", cidr: "10.0.0.1/16" }),
      awsCluster("a", {
        serviceCidr: "8.8.8.0/24",
        nodePools: [{ name: "p", instanceType: "m9.huge", count: 1 }],
      }),
      localCluster("kind", { nodes: { validators: 0 } }),
    ]);
    const { plan, issues } = planNetwork(config);
    assert.equal(plan, undefined);
    assert.deepEqual(
      withoutUnmaintained(issues).map((i) => i.path),
      [
        "clusters[1].name",
        "clusters[2].provider",
        "clusters[0].cidr",
        "clusters[1].serviceCidr",
        "clusters[0].region",
        "clusters[1].nodePools[0].instanceType",
      ],
    );
  });
});
