/**
 * The rolling upgrade off pre-26.1 QBFT: whether an update keeps `--Xbft-legacy-protocol-encoding`, decided
 * from what the last deployment ran (its `nodeClients` output), the nodes that stay on GoQuorum and the
 * external peers; the refusals (a release without the flag, going back); and which nodes sync from genesis.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  BESU_RELEASES,
  besuRelease,
  besuRollingUpgradeProblem,
  LEGACY_BFT_ENCODING_FLAG,
} from "../infra/besu/behaviour";
import { besuArgs } from "../infra/besu/manifests/flags";
import { unknownBesuOptions } from "../infra/besu/options";
import {
  type DeployedNodeClient,
  nodeClientsOutput,
  planUpgrade,
  readDeployedNodeClients,
  syncCustomTimeouts,
  type UpgradeInput,
} from "../infra/besu/rollingUpgrade";
import type { NodeClient } from "../infra/config/schema";
import type { NodePlan } from "../infra/plan/types";
import { networkConfig } from "./helpers/config";

const KEY = "network.workloads.images.besu";
const NODES = ["eu-validator-0", "eu-validator-1", "eu-rpc-0"] as const;
const besu = (release: string, legacyBftEncoding = false): DeployedNodeClient => ({
  client: "besu",
  image: `hyperledger/besu:${release}`,
  legacyBftEncoding,
});
const all = (client: NodeClient) => NODES.map((name) => ({ name, client }));

function input(
  previous: Record<string, DeployedNodeClient> | "never" | "unrecorded",
  release: string,
  extra: Partial<UpgradeInput> = {},
): UpgradeInput {
  return {
    previous:
      previous === "never"
        ? { deployed: false }
        : previous === "unrecorded"
          ? { deployed: true }
          : { deployed: true, nodeClients: previous },
    nodes: all("besu"),
    externalPeers: [],
    besuImage: `hyperledger/besu:${release}`,
    besuImageKey: KEY,
    ...extra,
  };
}
const on = (release: string, flag = false) =>
  Object.fromEntries(NODES.map((n) => [n, besu(release, flag)])) as Record<string, DeployedNodeClient>;

describe("--Xbft-legacy-protocol-encoding during the rolling upgrade", () => {
  it("previous all on 25.7.0, now 26.8.0: kept, and the plan says when it goes", () => {
    const plan = planUpgrade(input(on("25.7.0"), "26.8.0"));
    assert.equal(plan.legacyBftEncoding, true);
    assert.equal(plan.issues.length, 1);
    const [issue] = plan.issues;
    assert.equal(issue?.severity, "warning");
    assert.equal(issue?.path, KEY);
    assert.match(
      issue?.message ?? "",
      /this update keeps --Xbft-legacy-protocol-encoding .*run pulumi up again once every node is on 26\.8\.0 to drop it/,
    );
    assert.match(issue?.message ?? "", /eu-validator-0, eu-validator-1, eu-rpc-0 ran Besu 25\.7\.0/);
  });
  it("previous mixed (one node already on 26.8.0 with the flag, two on 25.7.0): kept", () => {
    const previous = { ...on("25.7.0"), "eu-validator-0": besu("26.8.0", true) };
    const plan = planUpgrade(input(previous, "26.8.0"));
    assert.equal(plan.legacyBftEncoding, true);
    assert.doesNotMatch(plan.issues[0]?.message ?? "", /eu-validator-0/);
  });
  it("previous all on 26.8.0 (with the flag): dropped, nothing to say", () => {
    assert.deepEqual(planUpgrade(input(on("26.8.0", true), "26.8.0")), {
      legacyBftEncoding: false,
      syncingNodes: [],
      issues: [],
    });
  });
  it("never deployed: no flag, no node syncs", () => {
    assert.deepEqual(planUpgrade(input("never", "26.8.0")), {
      legacyBftEncoding: false,
      syncingNodes: [],
      issues: [],
    });
  });
  it("the last pre-26.1 release (26.0.x) keeps it; the first release of the new layout (26.1.0) does not", () => {
    assert.equal(planUpgrade(input(on("26.0.0"), "26.8.0")).legacyBftEncoding, true);
    assert.equal(planUpgrade(input(on("26.1.0"), "26.8.0")).legacyBftEncoding, false);
  });
  it("a release without the flag (26.1.0–26.5.x) is refused with the reason; 26.6.0, the first with it, rolls", () => {
    for (const to of ["26.1.0", "26.5.0"]) {
      const plan = planUpgrade(input(on("25.7.0"), to));
      assert.equal(plan.legacyBftEncoding, false);
      assert.equal(plan.issues.length, 1);
      assert.equal(plan.issues[0]?.severity, "error");
      assert.ok(plan.issues[0]?.message.includes(besuRollingUpgradeProblem("25.7.0", to) as string), to);
    }
    const at = planUpgrade(input(on("25.7.0"), "26.6.0"));
    assert.equal(at.legacyBftEncoding, true);
    assert.ok(at.issues.every((i) => i.severity === "warning"));
  });
  it("no flag while the nodes run a pre-26.1 release themselves (the interop release beside GoQuorum)", () => {
    const nodes = [...all("besu").slice(1), { name: "eu-validator-0", client: "goquorum" as const }];
    const previous = { ...on("25.7.0"), "eu-validator-0": { client: "goquorum" as const } };
    assert.deepEqual(planUpgrade(input(previous, "25.7.0", { nodes })).legacyBftEncoding, false);
  });
  it("a GoQuorum node of the last deployment (the last to switch) keeps it: GoQuorum speaks pre-26.1 QBFT", () => {
    const previous = { ...on("25.7.0"), "eu-validator-0": { client: "goquorum" as const } };
    const plan = planUpgrade(input(previous, "26.8.0"));
    assert.equal(plan.legacyBftEncoding, true);
    assert.match(
      plan.issues[0]?.message ?? "",
      /eu-validator-0 ran GoQuorum in the last deployment; eu-validator-1, eu-rpc-0 ran Besu 25\.7\.0/,
    );
  });
  it("external Besu peers: a pre-26.1 or unstated release keeps it, a 26.1.0+ one does not", () => {
    const peer = (besuRelease?: string) => ({
      name: "partner",
      client: "besu" as const,
      ...(besuRelease ? { besuRelease } : {}),
    });
    const kept = (p: ReturnType<typeof peer>) =>
      planUpgrade(input(on("26.8.0"), "26.8.0", { externalPeers: [p] })).legacyBftEncoding;
    assert.equal(kept(peer()), true);
    assert.equal(kept(peer("25.7.0")), true);
    assert.equal(kept(peer("26.0.0")), true);
    assert.equal(kept(peer("26.1.0")), false);
    assert.equal(kept(peer("26.8.0")), false);
    assert.match(
      planUpgrade(input(on("26.8.0"), "26.8.0", { externalPeers: [peer()] })).issues[0]?.message ?? "",
      /external peer partner states no Besu release \(besuRelease\)/,
    );
  });
  it("a deployment that recorded no node clients keeps it for one update, and every Besu node may be syncing", () => {
    const plan = planUpgrade(input("unrecorded", "26.8.0"));
    assert.equal(plan.legacyBftEncoding, true);
    assert.deepEqual(plan.syncingNodes, [...NODES]);
  });
  it("going back to an older release than a node ran is refused (Besu refuses a newer database)", () => {
    const plan = planUpgrade(input(on("26.8.0"), "26.6.0"));
    assert.ok(
      plan.issues.some((i) => i.severity === "error" && /older than 26\.8\.0.*fresh volume/.test(i.message)),
    );
    assert.equal(
      planUpgrade(input(on("26.6.0"), "26.6.0")).issues.length,
      0,
      "the same release is no step back",
    );
  });
  it("whenever it keeps the flag, the release has it and reads pre-26.1 messages (every known release)", () => {
    const releases = BESU_RELEASES.map((r) => r.since);
    fc.assert(
      fc.property(fc.constantFrom(...releases), fc.constantFrom(...releases), (from, to) => {
        const plan = planUpgrade(input(on(from), to));
        if (plan.legacyBftEncoding) {
          assert.ok(
            besuRelease(to).legacyBftEncodingFlag && besuRelease(to).readsPre261Bft,
            `${from} → ${to}`,
          );
        }
        const refused = plan.issues.some((i) => i.severity === "error");
        assert.equal(refused, besuRollingUpgradeProblem(from, to) !== undefined, `${from} → ${to}`);
      }),
    );
  });
});

describe("the flag on the command line", () => {
  const node = { name: "eu-validator-0", role: "validator", client: "besu" } as NodePlan;
  const args = (legacyBftEncoding: boolean) =>
    besuArgs(node, networkConfig(), {
      namespace: "goquorum",
      totalNodes: 4,
      nodeAllowlist: true,
      legacyBftEncoding,
    });
  it("is passed as =true (arity 1 in BftOptions), and only when asked", () => {
    assert.ok(args(true).includes(`${LEGACY_BFT_ENCODING_FLAG}=true`));
    assert.ok(!args(false).some((a) => a.startsWith(LEGACY_BFT_ENCODING_FLAG)));
  });
  it("is an option of 26.8.0, the release it is given to, and not of 25.7.0, which never gets it", () => {
    assert.deepEqual(unknownBesuOptions("26.8.0", args(true)), []);
    assert.deepEqual(unknownBesuOptions("25.7.0", args(true)), [`${LEGACY_BFT_ENCODING_FLAG}=true`]);
  });
});

describe("nodes that sync from genesis", () => {
  it("a node whose client switches, and a node new to the running network; not one that keeps its client", () => {
    const previous = {
      "eu-validator-0": { client: "goquorum" as const },
      "eu-validator-1": besu("25.7.0"),
    };
    const nodes = [...all("besu"), { name: "eu-member-0", client: "goquorum" as const }];
    const plan = planUpgrade(input(previous, "25.7.0", { nodes }));
    assert.deepEqual(plan.syncingNodes, ["eu-validator-0", "eu-rpc-0", "eu-member-0"]);
  });
  it("switching back to GoQuorum syncs too (a fresh GoQuorum volume is not assumed)", () => {
    const plan = planUpgrade(input(on("25.7.0"), "25.7.0", { nodes: all("goquorum") }));
    assert.deepEqual(plan.syncingNodes, [...NODES]);
  });
  it("waits the configured minutes on create (a switch replaces the StatefulSet) and update", () => {
    assert.deepEqual(syncCustomTimeouts(720), { create: "720m", update: "720m" });
  });
});

describe("the nodeClients output", () => {
  it("reads back what it writes, and leaves out what it cannot read", () => {
    const written = nodeClientsOutput(
      [
        { name: "a", client: "besu" },
        { name: "b", client: "goquorum" },
      ],
      "hyperledger/besu:26.8.0",
      true,
    );
    const read = readDeployedNodeClients(JSON.parse(JSON.stringify(written)));
    assert.deepEqual(Object.fromEntries(read ?? []), written);
    assert.equal(readDeployedNodeClients(undefined), undefined);
    assert.equal(readDeployedNodeClients(["a"]), undefined);
    assert.deepEqual([...(readDeployedNodeClients({ a: { client: "besu" }, b: 3 }) ?? [])], []);
  });
});
