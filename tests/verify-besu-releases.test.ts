/** The Besu release a network's Besu nodes run: one that syncs with GoQuorum while any GoQuorum node is left. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { clientText } from "../infra/cli/clientText";
import { planNetwork } from "../infra/plan";
import { planRawConfig } from "../infra/stackPlan";
import { besuImageRelease, besuReleaseIssues } from "../infra/verify/besuReleases";
import { localCluster, stackConfig } from "./helpers/config";

const DIGEST = `sha256:${"ab".repeat(32)}`;
const goquorumPeer = {
  name: "party-b",
  enode: `enode://${"cd".repeat(64)}@192.0.2.10:30303`,
  range: "192.0.2.0/24",
};

const TAG_ONLY = /pinned by tag only/;

/**
 * Four validators, `besu` of them on Besu, with the given images (and external peers): the release issues, but
 * the warning on a tag-only pin (its own test below), since most images here are pinned by tag.
 */
function issuesFor(
  besu: number,
  images: { besu?: string; besuInterop?: string },
  externalPeers: (typeof goquorumPeer)[] = [],
) {
  return allIssuesFor(besu, images, externalPeers).filter((i) => !TAG_ONLY.test(i.message));
}

function allIssuesFor(
  besu: number,
  images: { besu?: string; besuInterop?: string },
  externalPeers: (typeof goquorumPeer)[] = [],
) {
  const nodeClients = Object.fromEntries(
    Array.from({ length: besu }, (_, i) => [`kind-validator-${i}`, "besu" as const]),
  );
  const config = stackConfig([localCluster("kind", { nodeClients })], {
    workloads: { images },
    connectivity: { externalPeers },
  });
  const { plan } = planNetwork(config);
  assert.ok(plan);
  return besuReleaseIssues(config, plan);
}
const paths = (issues: readonly { severity: string; path: string }[]) =>
  issues.map((i) => `${i.severity} ${i.path}`);

describe("pinning the Besu image in use", () => {
  it("warns on a tag-only pin of the image the Besu nodes run, with the command that prints its digest", () => {
    const [issue, ...rest] = allIssuesFor(1, { besuInterop: "hyperledger/besu:25.7.0" });
    assert.deepEqual(rest, []);
    assert.equal(issue?.severity, "warning");
    assert.equal(issue?.path, "network.workloads.images.besuInterop");
    assert.match(issue?.message ?? "", /docker buildx imagetools inspect hyperledger\/besu:25\.7\.0/);
    assert.match(issue?.message ?? "", /"hyperledger\/besu:25\.7\.0@sha256:<its Digest>"/);
  });

  it("is quiet on a digest pin, and on the image no Besu node runs", () => {
    assert.deepEqual(
      allIssuesFor(1, { besuInterop: `hyperledger/besu:25.7.0@${DIGEST}`, besu: "hyperledger/besu:26.8.0" }),
      [],
    );
    assert.deepEqual(allIssuesFor(0, {}), []);
  });
});

describe("the interop release of a mixed network", () => {
  it("accepts the last release that speaks eth/66 and refuses the first that does not", () => {
    assert.deepEqual(issuesFor(1, { besuInterop: "hyperledger/besu:25.7.0" }), []);
    const refused = issuesFor(1, { besuInterop: "hyperledger/besu:25.8.0" });
    assert.deepEqual(paths(refused), ["error network.workloads.images.besuInterop"]);
    assert.match(
      refused[0]?.message ?? "",
      /Besu 25\.8\.0, which shares no eth protocol version with GoQuorum/,
    );
    assert.match(refused[0]?.message ?? "", /kind-validator-0 could not sync with kind-validator-1/);
    assert.match(refused[0]?.message ?? "", /"hyperledger\/besu:25\.7\.0"/);
    assert.deepEqual(paths(issuesFor(3, { besuInterop: "hyperledger/besu:26.8.0" })), [
      "error network.workloads.images.besuInterop",
    ]);
  });

  it("accepts a release pinned by digest, and refuses a tag that names no release", () => {
    assert.deepEqual(issuesFor(1, { besuInterop: `hyperledger/besu:25.7.0@${DIGEST}` }), []);
    for (const image of [
      "hyperledger/besu:latest",
      "hyperledger/besu",
      `hyperledger/besu@${DIGEST}`,
      "hyperledger/besu:25.7.0-RC1",
    ]) {
      const refused = issuesFor(1, { besuInterop: image });
      assert.deepEqual(paths(refused), ["error network.workloads.images.besuInterop"], image);
      assert.match(refused[0]?.message ?? "", /names no Besu release/, image);
    }
  });

  it("refuses a release the program has not read", () => {
    const [issue] = issuesFor(1, { besuInterop: "hyperledger/besu:25.3.0" });
    assert.match(issue?.message ?? "", /Besu 25\.3\.0 is not a release the program has read/);
  });

  it("counts an external GoQuorum peer: our all-Besu nodes still run the interop release", () => {
    const refused = issuesFor(4, { besuInterop: "hyperledger/besu:25.8.0" }, [goquorumPeer]);
    assert.deepEqual(paths(refused), ["error network.workloads.images.besuInterop"]);
    assert.match(refused[0]?.message ?? "", /could not sync with party-b/);
  });

  it("warns when the move to images.besu after the migration could not roll", () => {
    const issues = issuesFor(1, { besuInterop: "hyperledger/besu:25.7.0", besu: "hyperledger/besu:26.3.0" });
    assert.deepEqual(paths(issues), ["warning network.workloads.images.besu"]);
    assert.match(issues[0]?.message ?? "", /Xbft-legacy-protocol-encoding/);
  });
});

describe("the release of a network without GoQuorum", () => {
  it("checks images.besu only: the interop image is not run", () => {
    assert.deepEqual(
      issuesFor(4, { besu: "hyperledger/besu:26.8.0", besuInterop: "hyperledger/besu:26.8.0" }),
      [],
    );
    const refused = issuesFor(4, { besu: "hyperledger/besu:latest" });
    assert.deepEqual(paths(refused), ["error network.workloads.images.besu"]);
    assert.match(refused[0]?.message ?? "", /no node of the network runs GoQuorum/);
  });

  it("checks nothing while no node runs Besu", () => {
    assert.deepEqual(issuesFor(0, { besu: "hyperledger/besu:latest", besuInterop: "x:latest" }), []);
  });

  it("stops npm run plan with the error", () => {
    const raw = {
      "goquorum:network": {
        name: "testnet",
        chainId: 1337,
        workloads: { images: { besu: "hyperledger/besu:latest" } },
      },
      "goquorum:clusters": [{ name: "kind", provider: "local", client: "besu", nodes: { validators: 4 } }],
    };
    const { plan, issues } = planRawConfig(raw);
    assert.equal(plan, undefined);
    assert.ok(issues.some((i) => i.path === "network.workloads.images.besu" && i.severity === "error"));
  });
});

describe("the release a Besu image runs", () => {
  it("reads the tag, with or without a digest", () => {
    assert.deepEqual(besuImageRelease("hyperledger/besu:26.8.0"), { version: "26.8.0" });
    assert.deepEqual(besuImageRelease(`registry.example.com:5000/besu:25.7.0@${DIGEST}`), {
      version: "25.7.0",
    });
    assert.ok("problem" in besuImageRelease("hyperledger/besu:26.8"));
  });
});

describe("npm run plan shows each node's client", () => {
  const shown = (besu: number, externalPeers: (typeof goquorumPeer)[] = []) => {
    const nodeClients = Object.fromEntries(
      Array.from({ length: besu }, (_, i) => [`kind-validator-${i}`, "besu" as const]),
    );
    const config = stackConfig([localCluster("kind", { nodeClients })], { connectivity: { externalPeers } });
    const { plan } = planNetwork(config);
    assert.ok(plan);
    const client = clientText(config, plan);
    return plan.clusters[0].nodes.map((n) => client(n));
  };

  it("names the release a Besu node runs: the interop one while GoQuorum remains, else the current one", () => {
    assert.deepEqual(shown(1), ["besu 25.7.0", "goquorum", "goquorum", "goquorum"]);
    assert.deepEqual(shown(4), ["besu 26.8.0", "besu 26.8.0", "besu 26.8.0", "besu 26.8.0"]);
    assert.deepEqual(shown(4, [goquorumPeer]), ["besu 25.7.0", "besu 25.7.0", "besu 25.7.0", "besu 25.7.0"]);
  });

  it("prints it on each node line", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "stacks-"));
    writeFileSync(
      path.join(dir, "Pulumi.mixed.yaml"),
      [
        "config:",
        "  goquorum:network: { name: mixed, chainId: 1337 }",
        "  goquorum:clusters:",
        "    - { name: kind, provider: local, nodes: { validators: 4 }, nodeClients: { kind-validator-2: besu } }",
        "",
      ].join("\n"),
    );
    const result = spawnSync(
      process.execPath,
      ["--import", "tsx", "infra/cli/plan.ts", "--stack", "mixed", "--stacks-dir", dir],
      { encoding: "utf8" },
    );
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /node kind-validator-1 +validator goquorum +zone/);
    assert.match(result.stdout, /node kind-validator-2 +validator besu 25\.7\.0 +zone/);
  });
});
