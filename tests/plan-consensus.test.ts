/** The QBFT round timer: its default cap and the transitions that change it, checked as geth init does. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readStackFile, stackFilePath } from "../infra/config/load";
import { Network } from "../infra/config/schema";
import { consensusIssues, roundTimerCap } from "../infra/plan/consensus";
import { planRawConfig } from "../infra/stackPlan";
import { networkConfig } from "./helpers/config";

const network = (overrides: Record<string, unknown> = {}) => networkConfig(overrides);
const errors = (overrides: Record<string, unknown>) =>
  consensusIssues(network(overrides))
    .filter((i) => i.severity === "error")
    .map((i) => i.path);

describe("the round-timer cap", () => {
  it("defaults to three doublings of the round-0 timer", () => {
    assert.equal(roundTimerCap(network()), 80);
    assert.equal(roundTimerCap(network({ requestTimeoutSeconds: 3 })), 24);
    assert.equal(roundTimerCap(network({ maxRequestTimeoutSeconds: 30 })), 30);
  });

  it("is at least the round-0 timer: equal is the last accepted value", () => {
    assert.deepEqual(errors({ requestTimeoutSeconds: 10, maxRequestTimeoutSeconds: 10 }), []);
    assert.deepEqual(errors({ requestTimeoutSeconds: 10, maxRequestTimeoutSeconds: 9 }), [
      "network.maxRequestTimeoutSeconds",
    ]);
  });

  it("is refused with IBFT, whose timer reads no cap", () => {
    assert.deepEqual(errors({ consensus: "ibft", maxRequestTimeoutSeconds: 60 }), [
      "network.maxRequestTimeoutSeconds",
    ]);
    assert.deepEqual(
      errors({ consensus: "ibft", transitions: [{ block: 9, maxRequestTimeoutSeconds: 60 }] }),
      ["network.transitions[0].maxRequestTimeoutSeconds"],
    );
    assert.deepEqual(
      errors({ consensus: "ibft", transitions: [{ block: 9, requesttimeoutseconds: 20 }] }),
      [],
    );
  });
});

describe("transitions", () => {
  it("keep their blocks in order: equal blocks pass (as in geth), a lower one is refused", () => {
    const at = (a: number, b: number) => [
      { block: a, maxRequestTimeoutSeconds: 60 },
      { block: b, maxRequestTimeoutSeconds: 90 },
    ];
    assert.deepEqual(errors({ transitions: at(100, 100) }), []);
    assert.deepEqual(errors({ transitions: at(100, 99) }), ["network.transitions[1].block"]);
  });

  it("never put the round-0 timer above the cap in force at their block", () => {
    // Genesis cap 80 (8 × 10): raising the round-0 timer to 80 is the last accepted value, 81 is refused.
    assert.deepEqual(errors({ transitions: [{ block: 5, requesttimeoutseconds: 80 }] }), []);
    assert.deepEqual(errors({ transitions: [{ block: 5, requesttimeoutseconds: 81 }] }), [
      "network.transitions[0].requesttimeoutseconds",
    ]);
    assert.deepEqual(
      errors({ transitions: [{ block: 5, requesttimeoutseconds: 90, maxRequestTimeoutSeconds: 90 }] }),
      [],
    );
    assert.deepEqual(
      errors({
        transitions: [
          { block: 5, requesttimeoutseconds: 30 },
          { block: 9, maxRequestTimeoutSeconds: 29 },
        ],
      }),
      ["network.transitions[1].maxRequestTimeoutSeconds"],
    );
  });

  it("are refused by the schema at block 0, without a change, or with a key the program does not support", () => {
    const parse = (t: unknown) => Network.safeParse({ name: "n", chainId: 1337, transitions: [t] }).success;
    assert.equal(parse({ block: 1, maxRequestTimeoutSeconds: 60 }), true);
    assert.equal(parse({ block: 0, maxRequestTimeoutSeconds: 60 }), false);
    assert.equal(parse({ block: 10 }), false);
    assert.equal(parse({ block: 10, blockperiodseconds: 2 }), false);
  });

  it("reach the plan's issues with their key path", () => {
    const raw = readStackFile(stackFilePath("local"));
    const net = raw["goquorum:network"] as object;
    const bad = {
      ...raw,
      "goquorum:network": { ...net, transitions: [{ block: 50, maxRequestTimeoutSeconds: 1 }] },
    };
    const { issues } = planRawConfig(bad);
    assert.ok(issues.some((i) => i.path === "network.transitions[0].maxRequestTimeoutSeconds"));
  });
});
