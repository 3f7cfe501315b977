/** The genesis gas limit a chain needs so Besu nodes can sync it from block 0 (besu-eth/besu#10723). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BESU_GAS_LIMIT } from "../infra/besu/behaviour";
import { listStacks, readStackFile, stackFilePath } from "../infra/config/load";
import { Network } from "../infra/config/schema";
import { planNetwork } from "../infra/plan";
import { genesisGasLimitIssues, MIN_GENESIS_GAS_LIMIT } from "../infra/plan/genesisGasLimit";
import { GOQUORUM_GAS_LIMIT } from "../infra/quorum/behaviour";
import { checkDeployedGenesis } from "../infra/quorum/deployedGenesis";
import { planRawConfig } from "../infra/stackPlan";
import { localCluster, networkConfig, stackConfig } from "./helpers/config";

const issuesFor = (gasLimit: string) => genesisGasLimitIssues({ gasLimit }, "new-network");

/** GoQuorum's CalcGasLimit (core/block_validator.go) for an empty parent, with the miner defaults the program keeps (--miner.gastarget 700M, --miner.gaslimit 800M). */
function goQuorumChild(parent: bigint): bigint {
  const decay = parent / GOQUORUM_GAS_LIMIT.stepDivisor - 1n;
  let limit = parent - decay;
  if (limit < GOQUORUM_GAS_LIMIT.minimum) limit = GOQUORUM_GAS_LIMIT.minimum;
  const [floor, ceil] = [700_000_000n, 800_000_000n];
  if (limit < floor) return parent + decay > floor ? floor : parent + decay;
  if (limit > ceil) return parent - decay < ceil ? ceil : parent - decay;
  return limit;
}
const besuAccepts = (parent: bigint, child: bigint) => {
  const delta = child > parent ? child - parent : parent - child;
  return delta < parent / BESU_GAS_LIMIT.deltaDivisor;
};

describe("the genesis gas limit", () => {
  it("refuses 699,999,999 and accepts 700,000,000, in decimal or hex, naming network.gasLimit and the fix", () => {
    const [refused] = issuesFor("699999999");
    assert.equal(refused.severity, "error");
    assert.equal(refused.path, "network.gasLimit");
    assert.match(refused.message, /699,999,999\), below GoQuorum's floor of 700,000,000/);
    assert.match(refused.message, /besu-eth\/besu#10723/);
    assert.match(refused.message, /at least "0x29B92700"/);
    assert.deepEqual(issuesFor("700000000"), []);
    assert.equal(issuesFor("0x29B926FF").length, 1);
    assert.deepEqual(issuesFor("0x29b92700"), []);
    assert.equal(MIN_GENESIS_GAS_LIMIT, 700_000_000n);
  });

  it("accepts the default, 0xE0000000", () => {
    const network = Network.parse({ name: "testnet", chainId: 1337 });
    assert.equal(network.gasLimit, "0xE0000000");
    assert.deepEqual(genesisGasLimitIssues(network, "new-network"), []);
  });

  it("is a plan warning, since the plan cannot tell a running network (whose genesis never changes) from a new one", () => {
    const low = planNetwork(stackConfig([localCluster("kind")], { gasLimit: "0xf7b760" }));
    assert.ok(low.plan, "a running network below the floor stays operable");
    const issues = low.issues.filter((i) => i.path === "network.gasLimit");
    assert.deepEqual(
      issues.map((i) => i.severity),
      ["warning"],
    );
    assert.match(issues[0]?.message ?? "", /The first deployment of a network refuses it/);
  });

  it("refuses a new network below the floor at its first deployment, and accepts one at the floor", () => {
    const first = checkDeployedGenesis({}, networkConfig({ gasLimit: "0xf7b760" }), [], []);
    assert.deepEqual(
      first.issues.map((i) => [i.severity, i.path]),
      [["error", "network.gasLimit"]],
    );
    assert.deepEqual(checkDeployedGenesis({}, networkConfig({ gasLimit: "0x29B92700" }), [], []).issues, []);
  });

  for (const stack of listStacks()) {
    it(`${stack}: the shipped stack starts at or above the floor`, () => {
      const { issues } = planRawConfig(readStackFile(stackFilePath(stack)));
      assert.deepEqual(
        issues.filter((i) => i.path === "network.gasLimit"),
        [],
      );
    });
  }

  it("is the floor because of the clients' rules: below it Besu refuses block 1, from it every step passes", () => {
    // The charts' and quorum-genesis-tool's 0xf7b760 (besu-eth/besu#10723): block 1 jumps to 700M.
    const qgt = BigInt("0xf7b760");
    assert.equal(goQuorumChild(qgt), 700_000_000n);
    assert.equal(besuAccepts(qgt, goQuorumChild(qgt)), false);
    // From the floor up, GoQuorum's step (1/4096) stays inside Besu's delta (1/1024), for a thousand blocks.
    assert.ok(GOQUORUM_GAS_LIMIT.stepDivisor > BESU_GAS_LIMIT.deltaDivisor);
    for (const genesis of [MIN_GENESIS_GAS_LIMIT, BigInt("0xE0000000")]) {
      let parent = genesis;
      for (let block = 1; block <= 1000; block++) {
        const child = goQuorumChild(parent);
        assert.ok(besuAccepts(parent, child), `block ${block} from ${parent} to ${child}`);
        parent = child;
      }
    }
  });
});
