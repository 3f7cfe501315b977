/** The offline commands as a user runs them: output shape, exit codes, and no stack traces for config errors. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { listStacks } from "../infra/config/load";

function run(script: string, args: string[]) {
  const result = spawnSync(process.execPath, ["--import", "tsx", `infra/cli/${script}.ts`, ...args], {
    encoding: "utf8",
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function stacksDirWith(name: string, yaml: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "stacks-"));
  writeFileSync(path.join(dir, `Pulumi.${name}.yaml`), yaml);
  return dir;
}

describe("npm run plan", () => {
  it("prints the plan as JSON with the documented fields", () => {
    const { code, stdout } = run("plan", ["--stack", "prod", "--json"]);
    assert.equal(code, 0);
    const plan = JSON.parse(stdout);
    const cluster = plan.clusters[0];
    for (const key of ["name", "provider", "region", "cidr", "subnets", "serviceCidr", "capacity"])
      assert.ok(key in cluster, key);
    for (const key of ["podsPerNode", "nodes", "podAddresses", "plannedPods", "headroom"])
      assert.ok(key in cluster.capacity, key);
    assert.equal(cluster.cidr, "10.64.0.0/16");
    assert.deepEqual(
      {
        validators: plan.faultTolerance.validators,
        quorum: plan.faultTolerance.quorum,
        cluster: plan.faultTolerance.survivesLossOfAnyCluster,
        zone: plan.faultTolerance.survivesLossOfAnyZone,
      },
      { validators: 6, quorum: 4, cluster: true, zone: true },
    );
    // prod's 3 × 2 survives a cluster loss with nothing to spare; a zone takes one validator.
    assert.deepEqual(
      [plan.faultTolerance.marginAfterClusterLoss, plan.faultTolerance.marginAfterZoneLoss],
      [0, 1],
    );
    assert.deepEqual(
      plan.faultTolerance.clusterLoss.map((v: { cluster: string; margin: number }) => [v.cluster, v.margin]),
      [
        ["aws-euw1", 0],
        ["aws-use1", 0],
        ["az-weu", 0],
      ],
    );
    assert.deepEqual(plan.faultTolerance.suggestion.additionalClusters, [3]);
    const atQuorum = plan.warnings.find((w: { path: string }) => w.path === "network.faultTolerance");
    assert.match(atQuorum?.message ?? "", /exactly quorum \(4 of 6\)/);
    // The schedulability check rides along: every pod of every cluster fits a planned node.
    const checked = plan.schedulability.clusters as { cluster: string; pods: { verdict: string }[] }[];
    assert.deepEqual(
      checked.map((c) => c.cluster),
      ["aws-euw1", "aws-use1", "az-weu"],
    );
    for (const c of checked) for (const p of c.pods) assert.equal(p.verdict, "schedulable");
    // The flow matrix: every flow with its ends, port, whether it is needed, and what decided it.
    assert.ok(plan.flows.length > 0);
    for (const flow of plan.flows) {
      assert.deepEqual(
        Object.keys(flow).filter((k) => !["layer", "rule"].includes(k)),
        ["from", "to", "port", "protocol", "required", "verdict"],
      );
      assert.equal(flow.verdict, flow.required ? "admitted" : "denied");
    }
    assert.ok(
      plan.flows.some(
        (f: { from: string; to: string; port: number }) =>
          f.from === "aws-euw1/prometheus" && f.to === "az-weu/prometheus" && f.port === 9090,
      ),
    );
  });

  it("carries the monthly cost of every stack in --json, each item with its price and source", () => {
    for (const stack of listStacks()) {
      const { code, stdout } = run("plan", ["--stack", stack, "--json"]);
      assert.equal(code, 0, stack);
      const { cost } = JSON.parse(stdout);
      assert.equal(typeof cost.monthlyUsd, "number", stack);
      assert.deepEqual(cost.notPriced, [], stack);
      for (const item of cost.items)
        for (const key of ["cluster", "what", "quantity", "unitUsd", "monthlyUsd", "source"])
          assert.ok(key in item, `${stack}: ${key}`);
      if (stack !== "local") assert.ok(cost.monthlyUsd > 0, stack);
    }
  });

  it("prints a readable plan", () => {
    const { code, stdout, stderr } = run("plan", ["--stack", "prod"]);
    assert.equal(code, 0);
    assert.match(stdout, /cluster aws-euw1 \(aws, eu-west-1\)/);
    assert.match(
      stdout,
      /loss of any cluster: survives, 0 to spare \(AT QUORUM\)\n {2}loss of any zone: {4}survives, 1 to spare\n/,
    );
    assert.match(stdout, /cluster az-weu {17}2 validators, margin after losing it 0/);
    assert.match(stdout, /zone eu-west-1c of aws-euw1 {4}0 validators, margin after losing it 2/);
    assert.match(
      stdout,
      /suggestion: aws-euw1=3, aws-use1=3, az-weu=3, plus 1 more cluster of 3 \(12 validators in all: quorum 8/,
    );
    assert.match(stderr, /warnings:\n(.*\n)* {2}- network\.faultTolerance: after losing cluster "aws-euw1"/);
    assert.match(stdout, /vpc peering: 1 connection \(n\(n-1\)\/2\), 1 per VPC/);
    assert.match(stdout, /aws-euw1 -> aws-use1 \(cross-region\)/);
    assert.match(
      stdout,
      /schedulability:\n {2}aws-euw1: 12 of 12 pods fit the planned nodes \(aws-euw1-quorum\/eu-west-1a, /,
    );
    // 2 validators' rollout gate Jobs among them.
    assert.match(stdout, / {2}az-weu: 9 of 9 pods fit the planned nodes \(system\/1, system\/2, system\/3\)/);
    assert.match(stdout, /monthly cost estimate \(USD, list prices checked \d{4}-\d\d-\d\d/);
    assert.match(
      stdout,
      /nodes m6i\.2xlarge \(pool quorum\) +3 × 0\.428\/h +937\.32 +\(up to 1874\.64 at maxCount\)/,
    );
    assert.match(stdout, /^ {2}stack +\d+\.\d\d {2}\(up to \d+\.\d\d at maxCount\)$/m);
    assert.match(stdout, /flows: \d+ needed, all admitted; \d+ closed, all denied/);
    assert.match(
      stdout,
      /needed +aws-euw1\/prometheus -> az-weu\/prometheus +prometheus\/9090 +x1 +admitted/,
    );
  });

  it("exits 1 with every error, each naming its key, and no stack trace", () => {
    const dir = stacksDirWith(
      "bad",
      [
        "config:",
        "  goquorum:network: { name: bad, chainId: 1 }",
        "  goquorum:clusters:",
        "    - { name: a, provider: aws, region: eu-west-1, cidr: 10.0.0.0/16, nodePools: [{ name: p, instanceType: m6i.large, count: 2 }], nodes: { validators: 1 }, apiAccess: { publicRanges: [81.2.69.160/28] }, adminRoleArns: [arn:aws:iam::210987654321:role/deploy] }",
        "    - { name: a, provider: aws, region: eu-west-1, cidr: 10.0.0.0/17, nodePools: [{ name: p, instanceType: m6i.large, count: 2 }], nodes: { validators: 1 }, apiAccess: { publicRanges: [81.2.69.160/28] }, adminRoleArns: [arn:aws:iam::210987654321:role/deploy] }",
      ].join("\n"),
    );
    const { code, stderr } = run("plan", ["--stack", "bad", "--stacks-dir", dir]);
    assert.equal(code, 1);
    assert.match(stderr, /The stack configuration has 3 errors/);
    assert.match(stderr, /network\.chainId: 1 is too small/);
    assert.match(stderr, /clusters\[1\]\.name/);
    assert.match(stderr, /clusters\[1\]\.cidr/);
    assert.doesNotMatch(stderr, /\n\s+at /);
  });
});

describe("the offline commands' usage", () => {
  const noTrace = (text: string) => assert.doesNotMatch(text, /\n\s+at /);

  for (const script of ["plan", "render"]) {
    it(`${script} without --stack prints the usage and lists the stacks (exit 2)`, () => {
      const { code, stdout, stderr } = run(script, []);
      assert.equal(code, 2);
      assert.equal(stdout, "");
      assert.equal(
        stderr,
        `usage: npm run ${script} -- --stack <name> ${script === "plan" ? "[--json] [--previous <dir of an earlier render>]" : "[--out <dir>] [--first-deployment] [--previous <dir of an earlier render>]"} [--stacks-dir <dir>]\nstacks: ${listStacks().join(", ")}\n`,
      );
    });
  }

  it("--help prints the usage and exits 0", () => {
    const { code, stdout } = run("plan", ["--help"]);
    assert.equal(code, 0);
    assert.match(stdout, /^usage: npm run plan -- --stack <name> \[--json\]/);
  });

  it("an unknown stack is one line with the closest names, and the stack list (exit 2)", () => {
    const { code, stderr } = run("plan", ["--stack", "prd"]);
    assert.equal(code, 2);
    assert.match(stderr, /^no stack "prd" \(no .*Pulumi\.prd\.yaml\)\. Did you mean prod\?\nstacks: /);
    noTrace(stderr);
  });

  it("an unknown flag or a stray argument is one line and the usage (exit 2)", () => {
    for (const args of [
      ["--stack", "prod", "--jsn"],
      ["--stack", "prod", "extra"],
    ]) {
      const { code, stderr } = run("plan", args);
      assert.equal(code, 2, args.join(" "));
      const [reason, usage, rest] = stderr.split("\n");
      assert.match(reason ?? "", /'--jsn'|'extra'/);
      assert.match(usage ?? "", /^usage: /);
      assert.equal(rest, "");
    }
  });

  it("a YAML syntax error in a stack file is one line naming the file and the position (exit 1)", () => {
    const dir = stacksDirWith(
      "broken",
      "config:\n  goquorum:network: { name: x, chainId: 5\n  goquorum:clusters: []\n",
    );
    for (const script of ["plan", "render"]) {
      const { code, stderr } = run(script, ["--stack", "broken", "--stacks-dir", dir]);
      assert.equal(code, 1, script);
      assert.match(stderr, /^\S*Pulumi\.broken\.yaml: YAML syntax error: .* at line 3, column 3\n$/);
    }
  });

  it("npm run docs says what it wrote, or that nothing needed writing", () => {
    const { code, stdout } = run("docs", []);
    assert.equal(code, 0);
    assert.match(
      stdout,
      /(wrote schema\/stack-config\.schema\.json|schema\/stack-config\.schema\.json .*already up to date)/,
    );
  });
});

describe("npm run render", () => {
  it("writes resources.json, genesis.json and network.json", () => {
    const out = mkdtempSync(path.join(tmpdir(), "render-"));
    const { code } = run("render", ["--stack", "local", "--out", out]);
    assert.equal(code, 0);
    const resources = JSON.parse(readFileSync(path.join(out, "resources.json"), "utf8"));
    assert.ok(
      resources.every((r: object) => ["type", "name", "parent", "provider", "inputs"].every((k) => k in r)),
    );
    const genesis = JSON.parse(readFileSync(path.join(out, "genesis.json"), "utf8"));
    assert.equal(genesis.config.chainId, 1337);
    const network = JSON.parse(readFileSync(path.join(out, "network.json"), "utf8"));
    assert.equal(network.nodes.length, 7);
    for (const node of network.nodes) {
      for (const key of ["name", "cluster", "role", "address", "enodeId", "enodeUrl", "p2pHost", "p2pPort"])
        assert.ok(key in node, key);
    }
  });
});

describe("npm run render --previous (offline update preview)", () => {
  const local = readFileSync("stacks/Pulumi.local.yaml", "utf8");
  const pin = "genesisValidators: [kind-validator-0, kind-validator-1, kind-validator-2, kind-validator-3]";
  const grown = (pinned: boolean) =>
    local
      .replace("validators: 4", "validators: 5")
      .replace("    blockPeriodSeconds: 2\n", `    blockPeriodSeconds: 2\n${pinned ? `    ${pin}\n` : ""}`);
  const deployed = mkdtempSync(path.join(tmpdir(), "render-"));
  const read = (dir: string, file: string) => readFileSync(path.join(dir, file), "utf8");

  it("writes outputs.json, what the next update reads back", () => {
    assert.equal(run("render", ["--stack", "local", "--out", deployed]).code, 0);
    const outputs = JSON.parse(read(deployed, "outputs.json"));
    assert.equal(outputs.genesisJson, read(deployed, "genesis.json"));
    assert.equal(outputs.nodes.length, 7);
    assert.deepEqual(
      outputs.deployedValidators,
      [0, 1, 2, 3].map((i) => `kind-validator-${i}`),
    );
  });

  it("refuses a fifth validator in the unpinned genesis of the rendered network, with the pin", () => {
    const out = mkdtempSync(path.join(tmpdir(), "render-"));
    const stacks = stacksDirWith("local", grown(false));
    const { code, stderr } = run("render", [
      "--stack",
      "local",
      "--stacks-dir",
      stacks,
      "--out",
      out,
      "--previous",
      deployed,
    ]);
    assert.equal(code, 1);
    assert.ok(stderr.includes(pin), stderr);
  });

  it("once pinned, keeps genesis.json byte-identical and previews the new validator as created", () => {
    const out = mkdtempSync(path.join(tmpdir(), "render-"));
    const stacks = stacksDirWith("local", grown(true));
    const { code, stdout } = run("render", [
      "--stack",
      "local",
      "--stacks-dir",
      stacks,
      "--out",
      out,
      "--previous",
      deployed,
    ]);
    assert.equal(code, 0);
    assert.equal(read(out, "genesis.json"), read(deployed, "genesis.json"));
    const update = JSON.parse(read(out, "update.json"));
    assert.deepEqual(
      { replace: update.counts.replace, delete: update.counts.delete },
      { replace: 0, delete: 0 },
    );
    const created = update.steps
      .filter((s: { action: string }) => s.action === "create")
      .map((s: { name: string }) => s.name);
    assert.ok(created.includes("kind-statefulset-goquorum-kind-validator-4"), created.join(", "));
    assert.ok(created.includes("kind-validator-4-nodekey"), created.join(", "));
    // The node's keys, Secret, ServiceAccount, Service, StatefulSet and its rollout gate Job; no running
    // validator changes (the gate's threshold is a ConfigMap the pods read in place).
    assert.ok(created.includes("kind-job-goquorum-kind-validator-4-rollout-gate"), created.join(", "));
    assert.match(stdout, /Update preview: 7 to create, \d+ to update, 0 to replace, 0 to delete/);
    const updated = update.steps
      .filter((s: { action: string }) => s.action === "update")
      .map((s: { type: string }) => s.type);
    assert.ok(!updated.includes("kubernetes:apps/v1:StatefulSet"), updated.join(", "));
  });

  it("needs an earlier render of this version, and is not a first deployment", () => {
    const old = mkdtempSync(path.join(tmpdir(), "render-"));
    assert.equal(run("render", ["--stack", "local", "--out", old]).code, 0);
    rmSync(path.join(old, "outputs.json"));
    const missing = run("render", ["--stack", "local", "--out", old, "--previous", old]);
    assert.equal(missing.code, 1);
    assert.match(
      missing.stderr,
      /outputs\.json does not exist: --previous needs a render written by this version/,
    );
    const both = run("render", ["--stack", "local", "--previous", deployed, "--first-deployment"]);
    assert.equal(both.code, 2);
  });
});
