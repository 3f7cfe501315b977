/**
 * Who Tessera P2P trusts: strict TLS by default wherever member traffic leaves one cluster, the plan's
 * warning when it is turned off there, and external parties whose TLS mode must match ours.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ConfigIssue } from "../infra/config/issue";
import { planNetwork } from "../infra/plan";
import { awsCluster, azureCluster, localCluster, stackConfig } from "./helpers/config";

const PARTY_ID = "5e".repeat(64);
const party = (tesseraUrl?: string) => ({
  name: "bank-b",
  enode: `enode://${PARTY_ID}@192.168.50.10:30303`,
  range: "192.168.50.0/24",
  ...(tesseraUrl ? { tesseraUrl } : {}),
});
const TLS_KEY = "network.workloads.tessera.tls";
const at = (issues: readonly ConfigIssue[], path: string) => issues.filter((i) => i.path === path);

describe("Tessera P2P TLS default", () => {
  const oneCloud = () => [awsCluster("aws1", { cidr: "10.64.0.0/16" })];
  const twoClouds = () => [
    awsCluster("aws1", { cidr: "10.64.0.0/16" }),
    azureCluster("az1", { cidr: "10.65.0.0/16" }),
  ];
  const cases: [string, ReturnType<typeof stackConfig>, "off" | "strict"][] = [
    ["one local cluster, no outside party: off", stackConfig([localCluster("kind")]), "off"],
    ["one cloud cluster, no outside party: off", stackConfig(oneCloud()), "off"],
    ["two clusters: strict", stackConfig(twoClouds()), "strict"],
    [
      "one cluster and one external peer: strict",
      stackConfig([localCluster("kind")], { connectivity: { externalPeers: [party()] } }),
      "strict",
    ],
    [
      "set explicitly off in two clusters: off",
      stackConfig(twoClouds(), { workloads: { tessera: { tls: "off" } } }),
      "off",
    ],
    [
      "set explicitly strict in one cluster: strict",
      stackConfig([localCluster("kind")], { workloads: { tessera: { tls: "strict" } } }),
      "strict",
    ],
  ];
  for (const [name, config, tls] of cases) {
    it(name, () => assert.equal(config.network.workloads.tessera.tls, tls));
  }

  it("warns when TLS is off where P2P crosses networks, and only there", () => {
    const warned = (config: ReturnType<typeof stackConfig>) =>
      at(planNetwork(config).issues, TLS_KEY).map((i) => i.severity);
    assert.deepEqual(warned(stackConfig(twoClouds(), { workloads: { tessera: { tls: "off" } } })), [
      "warning",
    ]);
    assert.deepEqual(warned(stackConfig(twoClouds())), []);
    assert.deepEqual(warned(stackConfig(oneCloud(), { workloads: { tessera: { tls: "off" } } })), []);
  });
});

describe("an external party's Tessera URL", () => {
  const issuesFor = (tesseraUrl: string, tls?: "off" | "strict") =>
    at(
      planNetwork(
        stackConfig([localCluster("kind")], {
          connectivity: { externalPeers: [party(tesseraUrl)] },
          ...(tls ? { workloads: { tessera: { tls } } } : {}),
        }),
      ).issues,
      "network.connectivity.externalPeers[0].tesseraUrl",
    );

  it("uses https under strict TLS and http with TLS off", () => {
    assert.deepEqual(issuesFor("https://192.168.50.11:9000"), []);
    assert.deepEqual(issuesFor("http://192.168.50.11:9000", "off"), []);
    const [plain] = issuesFor("http://192.168.50.11:9000");
    assert.equal(plain?.severity, "error");
    assert.match(
      plain?.message ?? "",
      /must start with https:\/\/ while network\.workloads\.tessera\.tls is strict/,
    );
    assert.equal(issuesFor("https://192.168.50.11:9000", "off")[0]?.severity, "error");
  });
});
