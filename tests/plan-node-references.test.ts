import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { planNetwork } from "../infra/plan";
import { localCluster, stackConfig } from "./helpers/config";

const cluster = localCluster("kind", { nodes: { validators: 4, rpc: 1 } });

describe("config keys that name nodes", () => {
  it("the genesis lists every validator unless pinned", () => {
    const { plan } = planNetwork(stackConfig([cluster]));
    assert.deepEqual(plan?.network.genesisValidators, [
      "kind-validator-0",
      "kind-validator-1",
      "kind-validator-2",
      "kind-validator-3",
    ]);
  });

  it("a pinned genesis set stays as given when validators are added", () => {
    const pinned = ["kind-validator-0", "kind-validator-1"];
    const { plan } = planNetwork(stackConfig([cluster], { genesisValidators: pinned }));
    assert.deepEqual(plan?.network.genesisValidators, pinned);
    assert.equal(plan?.faultTolerance.validators, 4);
  });

  it("refuses unknown names and non-validators in genesisValidators", () => {
    const { plan, issues } = planNetwork(
      stackConfig([cluster], { genesisValidators: ["kind-validator-9", "kind-rpc-0"] }),
    );
    assert.equal(plan, undefined);
    const byPath = new Map(issues.map((i) => [i.path, i.message]));
    assert.match(byPath.get("network.genesisValidators[0]") ?? "", /"kind-validator-9" is not a node/);
    assert.match(
      byPath.get("network.genesisValidators[1]") ?? "",
      /"kind-rpc-0" is an RPC node, not a validator/,
    );
  });

  it("refuses an empty genesis set", () => {
    const { issues } = planNetwork(stackConfig([cluster], { genesisValidators: [] }));
    assert.ok(
      issues.some((i) => i.path === "network.genesisValidators" && /at least one validator/.test(i.message)),
    );
  });

  it("refuses adopting keys for a node that does not exist", () => {
    const { issues } = planNetwork(stackConfig([cluster], { adoptKeysFor: ["kind-validatr-0"] }));
    assert.ok(
      issues.some(
        (i) => i.path === "network.adoptKeysFor[0]" && /"kind-validatr-0" is not a node/.test(i.message),
      ),
    );
  });
});
