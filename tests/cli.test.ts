/** The offline commands as a user runs them: output shape, exit codes, and no stack traces for config errors. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";

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

  it("prints a readable plan", () => {
    const { code, stdout } = run("plan", ["--stack", "prod"]);
    assert.equal(code, 0);
    assert.match(stdout, /cluster aws-euw1 \(aws, eu-west-1\)/);
    assert.match(stdout, /loss of any cluster: survives/);
    assert.match(stdout, /vpc peering: 1 connection \(n\(n-1\)\/2\), 1 per VPC/);
    assert.match(stdout, /aws-euw1 -> aws-use1 \(cross-region\)/);
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
        "    - { name: a, provider: aws, region: eu-west-1, cidr: 10.0.0.0/16, nodePools: [{ name: p, instanceType: m6i.large, count: 2 }], nodes: { validators: 1 } }",
        "    - { name: a, provider: aws, region: eu-west-1, cidr: 10.0.0.0/17, nodePools: [{ name: p, instanceType: m6i.large, count: 2 }], nodes: { validators: 1 } }",
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
