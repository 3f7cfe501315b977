import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { standInConfig, touchesTainted } from "../infra/config/salvage";
import { planRawConfig } from "../infra/stackPlan";
import { withoutUnmaintained } from "./helpers/config";

const pool = (instanceType: string, count: number) => [{ name: "p", instanceType, count }];
const aws = (name: string, cidr: string, extra: Record<string, unknown> = {}) => ({
  name,
  provider: "aws",
  region: "eu-west-1",
  cidr,
  nodePools: pool("m6i.large", 2),
  nodes: { validators: 1 },
  apiAccess: { publicRanges: ["81.2.69.160/28"] },
  adminRoleArns: ["arn:aws:iam::210987654321:role/deploy"],
  ...extra,
});
const raw = (network: Record<string, unknown>, clusters: unknown[]) => ({
  "goquorum:network": network,
  "goquorum:clusters": clusters,
});
const paths = (r: ReturnType<typeof planRawConfig>) => withoutUnmaintained(r.issues).map((i) => i.path);

describe("every problem in one run", () => {
  it("reports cross-key problems next to shape errors", () => {
    const result = planRawConfig(
      raw({ name: "n", chainId: 1, blockPeriod: 3 }, [
        aws("a", "10.64.0.0/16"),
        aws("b", "10.64.0.0/17", { nodePools: pool("m6i.larg", 0), nodes: { validators: -1 } }),
      ]),
    );
    assert.equal(result.plan, undefined);
    assert.deepEqual(paths(result), [
      "network.chainId",
      "network",
      "clusters[1].nodes.validators",
      "clusters[1].nodePools[0].count",
      "clusters[1].cidr",
      "clusters[1].nodePools[0].instanceType",
    ]);
  });

  it("drops cross-key issues that would describe a stand-in value", () => {
    // validators: -1 becomes the default 0, which would make "no validators in the network" and a
    // fault-tolerance failure: neither is the user's problem.
    const result = planRawConfig(
      raw({ name: "n", chainId: 7, faultTolerance: { requireSurviveClusterLoss: true } }, [
        aws("a", "10.64.0.0/16", { nodes: { validators: -1 } }),
      ]),
    );
    assert.deepEqual(paths(result), ["clusters[0].nodes.validators"]);
  });

  it("gives up on the cross-key checks when a required value cannot stand in", () => {
    const result = planRawConfig(
      raw({ name: "n", chainId: 7 }, [aws("a", "10.64.0.0/16", { provider: "gcp" })]),
    );
    assert.deepEqual(paths(result), ["clusters[0].provider"]);
  });

  it("leaves a valid config alone", () => {
    const result = planRawConfig(
      raw({ name: "n", chainId: 7 }, [aws("a", "10.64.0.0/16", { nodes: { validators: 4 } })]),
    );
    assert.ok(result.plan);
    assert.deepEqual(
      standInConfig({ network: { name: "n", chainId: 7 }, clusters: [aws("a", "10.64.0.0/16")] })?.tainted,
      [],
    );
  });
});

describe("tainted keys", () => {
  it("cover the key itself, keys inside it and keys containing it", () => {
    const tainted = ["clusters[1].nodes.validators"];
    assert.ok(touchesTainted("clusters[1].nodes.validators", tainted));
    assert.ok(touchesTainted("clusters[1].nodes", tainted));
    assert.ok(touchesTainted("clusters", tainted));
    assert.ok(!touchesTainted("clusters[1].cidr", tainted));
    assert.ok(!touchesTainted("clusters[10].nodes.validators", tainted));
  });

  it("include the checks that depend on node counts and names", () => {
    const standIn = standInConfig({
      network: { name: "n", chainId: 7 },
      clusters: [aws("a", "10.64.0.0/16", { nodes: { validators: -1 } })],
    });
    assert.ok(standIn?.tainted.includes("network.faultTolerance"));
    assert.ok(standIn?.tainted.includes("network.genesisValidators"));
  });
});
