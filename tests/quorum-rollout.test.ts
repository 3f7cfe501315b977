/** Which validators roll out one at a time: those a previous deployment created, never new ones. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { chainedValidators, previouslyDeployed } from "../infra/quorum/rollout";

const names = fc.uniqueArray(fc.stringMatching(/^[a-z]{1,6}-validator-[0-9]$/), { maxLength: 12 });

describe("rollout chain", () => {
  it("chains nothing on a stack's first deployment", () => {
    assert.deepEqual(chainedValidators(["a", "b", "c"], previouslyDeployed(undefined), "one-at-a-time"), []);
  });

  it("chains the validators deployed before, in network order, and leaves new ones out", () => {
    const deployed = previouslyDeployed(["c", "a", "gone"]);
    assert.deepEqual(chainedValidators(["a", "b", "c", "d"], deployed, "one-at-a-time"), ["a", "c"]);
  });

  it("chains nothing when validators roll all at once", () => {
    assert.deepEqual(chainedValidators(["a", "b"], previouslyDeployed(["a", "b"]), "all-at-once"), []);
  });

  it("is the deployed validators, in order, for any network and any previous deployment", () => {
    fc.assert(
      fc.property(names, names, (validators, before) => {
        const chain = chainedValidators(validators, previouslyDeployed(before), "one-at-a-time");
        assert.deepEqual(
          chain,
          validators.filter((v) => before.includes(v)),
        );
      }),
    );
  });

  it("reads a previous deployment's output, and anything else as no deployment", () => {
    assert.deepEqual([...previouslyDeployed(["a", "b"])], ["a", "b"]);
    for (const other of [undefined, null, "a", { a: true }, 3]) {
      assert.equal(previouslyDeployed(other).size, 0, JSON.stringify(other));
    }
    assert.deepEqual([...previouslyDeployed(["a", 1, null, "b"])], ["a", "b"]);
  });
});
