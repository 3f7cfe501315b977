/** A deployed network keeps its genesis: the config is checked against the last deployment's file. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ConfigIssue } from "../infra/config/issue";
import { checkDeployedGenesis, genesisPin } from "../infra/quorum/deployedGenesis";
import { buildGenesis, genesisJson } from "../infra/quorum/genesis";
import { networkConfig } from "./helpers/config";

const network = (overrides: Record<string, unknown> = {}) => networkConfig(overrides);

// Three validators of the last deployment, in plan order, with addresses whose sorted order differs.
const NODES = [
  { name: "kind-validator-0", address: "0xCC00000000000000000000000000000000000000" },
  { name: "kind-validator-1", address: "0xAA00000000000000000000000000000000000000" },
  { name: "kind-validator-2", address: "0xBB00000000000000000000000000000000000000" },
  { name: "kind-rpc-0", address: "0xDD00000000000000000000000000000000000000" },
];
const DEPLOYED_SET = ["kind-validator-0", "kind-validator-1", "kind-validator-2"];
const addressesOf = (names: readonly string[]) =>
  names.map((n) => NODES.find((node) => node.name === n)?.address ?? "");
const deployedJson = (settings = network(), names = DEPLOYED_SET) =>
  genesisJson(buildGenesis(settings, addressesOf(names)));

const check = (
  config: Record<string, unknown>,
  planned: readonly string[],
  previous: { genesisJson?: unknown; nodes?: unknown } = { genesisJson: deployedJson(), nodes: NODES },
  external: { name: string; validatorAddress?: string }[] = [],
) => checkDeployedGenesis(previous, network(config), planned, external);

const errorsAt = (issues: readonly ConfigIssue[], path: string) =>
  issues.filter((i) => i.severity === "error" && i.path === path);

describe("the genesis of a deployed network", () => {
  it("has nothing to keep on a stack never deployed", () => {
    const result = check({}, DEPLOYED_SET, {});
    assert.deepEqual(result, { issues: [] });
  });

  it("keeps a running network below the gas-limit floor operable: the floor refuses new networks only", () => {
    const low = { gasLimit: "0xf7b760" };
    const deployed = check(low, DEPLOYED_SET, { genesisJson: deployedJson(network(low)), nodes: NODES });
    assert.deepEqual(errorsAt(deployed.issues, "network.gasLimit"), []);
    assert.equal(deployed.genesisJson, deployedJson(network(low)));
    assert.equal(errorsAt(check(low, DEPLOYED_SET, {}).issues, "network.gasLimit").length, 1);
  });

  it("is kept byte for byte when the config describes it, with a warning that gives the pin", () => {
    const result = check({}, DEPLOYED_SET);
    assert.equal(result.genesisJson, deployedJson());
    assert.deepEqual(
      result.issues.map((i) => [i.severity, i.path]),
      [["warning", "network.genesisValidators"]],
    );
    assert.match(
      result.issues[0].message,
      /genesisValidators: \[kind-validator-0, kind-validator-1, kind-validator-2\]$/,
    );
  });

  it("needs no warning once pinned", () => {
    assert.deepEqual(check({ genesisValidators: DEPLOYED_SET }, DEPLOYED_SET).issues, []);
  });

  it("refuses one more validator in an unpinned genesis and names the exact pin (plan order, not address order)", () => {
    const planned = [...DEPLOYED_SET, "kind-validator-3"];
    const { issues } = check({}, planned);
    const [refusal] = errorsAt(issues, "network.genesisValidators");
    assert.ok(refusal, JSON.stringify(issues));
    assert.ok(
      refusal.message.includes(genesisPin(DEPLOYED_SET)),
      `the message gives the pin: ${refusal.message}`,
    );
    assert.equal(
      genesisPin(DEPLOYED_SET),
      "genesisValidators: [kind-validator-0, kind-validator-1, kind-validator-2]",
    );
    assert.match(refusal.message, /kind-validator-3/);
  });

  it("refuses one validator fewer, as it refuses one more", () => {
    const { issues } = check({}, DEPLOYED_SET.slice(0, 2));
    assert.equal(errorsAt(issues, "network.genesisValidators").length, 1);
  });

  it("refuses a pin that differs from the deployed set and says what to write", () => {
    const pinned = ["kind-validator-0", "kind-validator-1"];
    const { issues } = check({ genesisValidators: pinned }, pinned);
    const [refusal] = errorsAt(issues, "network.genesisValidators");
    assert.match(
      refusal?.message ?? "",
      /Write genesisValidators: \[kind-validator-0, kind-validator-1, kind-validator-2\]/,
    );
  });

  it("names validators of an external party by their peer name", () => {
    const party = { name: "party-a", validatorAddress: "0xEE00000000000000000000000000000000000000" };
    const json = genesisJson(buildGenesis(network(), [...addressesOf(DEPLOYED_SET), party.validatorAddress]));
    const planned = [...DEPLOYED_SET, "party-a"];
    const { issues, genesisJson: kept } = check(
      { genesisValidators: planned },
      planned,
      { genesisJson: json, nodes: NODES },
      [party],
    );
    assert.deepEqual(issues, []);
    assert.equal(kept, json);
  });

  it("refuses a deployed validator it cannot name (an external peer removed from the config)", () => {
    const json = genesisJson(
      buildGenesis(network(), [...addressesOf(DEPLOYED_SET), "0xEE00000000000000000000000000000000000000"]),
    );
    const { issues, genesisJson: kept } = check({}, DEPLOYED_SET, { genesisJson: json, nodes: NODES });
    assert.equal(kept, undefined);
    assert.match(errorsAt(issues, "network.genesisValidators")[0]?.message ?? "", /0xee0{38}.*externalPeers/);
  });

  it("refuses an output that is not a genesis file", () => {
    for (const genesisJson of ["{}", "not json", 42]) {
      const { issues } = check({}, DEPLOYED_SET, { genesisJson, nodes: NODES });
      assert.equal(errorsAt(issues, "network.genesisValidators").length, 1, String(genesisJson));
    }
  });

  it("reads the validators of a legacy IBFT genesis", () => {
    const ibft = network({ consensus: "ibft" });
    const previous = { genesisJson: deployedJson(ibft), nodes: NODES };
    const { issues } = checkDeployedGenesis(previous, ibft, DEPLOYED_SET, []);
    assert.deepEqual(
      issues.map((i) => i.severity),
      ["warning"],
    );
  });
});

describe("settings that fix block 0 or the chain config", () => {
  const cases: [string, Record<string, unknown>, string, RegExp][] = [
    ["gasLimit", { gasLimit: "0x1000000" }, "network.gasLimit", /Set it back to "0xE0000000"/],
    ["chainId", { chainId: 4242 }, "network.chainId", /Set it back to 1337/],
    ["block period", { blockPeriodSeconds: 2 }, "network.blockPeriodSeconds", /transition at a future block/],
    ["epoch", { epochLength: 100 }, "network.epochLength", /Set it back to 30000/],
    ["round timeout", { requestTimeoutSeconds: 4 }, "network.requestTimeoutSeconds", /Set it back to 10/],
    ["empty blocks", { emptyBlockPeriodSeconds: 60 }, "network.emptyBlockPeriodSeconds", /Remove it\./],
    ["transaction size", { txnSizeLimit: 128 }, "network.txnSizeLimit", /Set it back to 64/],
    [
      "alloc",
      { alloc: { "0x1111111111111111111111111111111111111111": { balance: "0x1" } } },
      "network.alloc",
      /0x1{40}.*Restore the alloc/,
    ],
  ];
  for (const [what, change, key, message] of cases) {
    it(`refuses a changed ${what} at ${key}`, () => {
      const { issues } = check({ genesisValidators: DEPLOYED_SET, ...change }, DEPLOYED_SET);
      const errors = issues.filter((i) => i.severity === "error");
      assert.deepEqual(
        errors.map((i) => i.path),
        [key],
      );
      assert.match(errors[0].message, message);
    });
  }

  it("reports another engine as the one change, not each of its keys", () => {
    const { issues } = check({ genesisValidators: DEPLOYED_SET, consensus: "ibft" }, DEPLOYED_SET);
    assert.deepEqual(
      issues.filter((i) => i.severity === "error").map((i) => i.path),
      ["network.consensus"],
    );
  });

  it("reads a deployed genesis without an empty-block period as the block period, which the program now writes", () => {
    // Genesis files written before the period was explicit have no key; GoQuorum then behaves as with the
    // block period (it delays empty blocks only beyond it), so the same config describes the same chain.
    const older = JSON.parse(deployedJson()) as { config: { qbft: Record<string, unknown> } };
    delete older.config.qbft.emptyblockperiodseconds;
    const json = `${JSON.stringify(older, null, 2)}\n`;
    const previous = { genesisJson: json, nodes: NODES };
    const pinned = { genesisValidators: DEPLOYED_SET };
    const kept = check(pinned, DEPLOYED_SET, previous);
    assert.deepEqual(kept.issues, []);
    assert.equal(kept.genesisJson, json);
    assert.deepEqual(check({ ...pinned, emptyBlockPeriodSeconds: 5 }, DEPLOYED_SET, previous).issues, []);
    assert.deepEqual(
      errorsAt(
        check({ ...pinned, emptyBlockPeriodSeconds: 6 }, DEPLOYED_SET, previous).issues,
        "network.emptyBlockPeriodSeconds",
      ).length,
      1,
    );
  });

  it("keeps a genesis written by another version of the program, and says where it differs", () => {
    const older = JSON.parse(deployedJson()) as {
      config: { qbft: Record<string, unknown> };
      timestamp: string;
    };
    older.config.qbft.policy = 1;
    older.timestamp = "0x1";
    const json = `${JSON.stringify(older, null, 2)}\n`;
    const { issues, genesisJson: kept } = check({ genesisValidators: DEPLOYED_SET }, DEPLOYED_SET, {
      genesisJson: json,
      nodes: NODES,
    });
    assert.equal(kept, json);
    assert.deepEqual(
      issues.map((i) => [i.severity, i.path]),
      [["warning", "network"]],
    );
    assert.match(issues[0].message, /\(config\.qbft\.policy, timestamp\)/);
  });
});

describe("the round timer of a deployed network", () => {
  const pinned = { genesisValidators: DEPLOYED_SET };
  /** A genesis of a version before the cap: no maxRequestTimeoutSeconds, as prod was deployed. */
  const uncapped = (transitions?: object[]) => {
    const g = JSON.parse(deployedJson()) as {
      config: { qbft: Record<string, unknown>; transitions?: object[] };
    };
    delete g.config.qbft.maxRequestTimeoutSeconds;
    if (transitions) g.config.transitions = transitions;
    return `${JSON.stringify(g, null, 2)}\n`;
  };
  const previous = (json = uncapped()) => ({ genesisJson: json, nodes: NODES });
  const CAP = { block: 250000, maxRequestTimeoutSeconds: 80 };
  const parsed = (json: string | undefined) =>
    JSON.parse(json ?? "") as Record<string, unknown> & { config: Record<string, unknown> };

  it("warns when the chain has no cap, with the transition to add", () => {
    const { issues, genesisJson: kept } = check(pinned, DEPLOYED_SET, previous());
    assert.equal(kept, uncapped());
    assert.deepEqual(
      issues.map((i) => [i.severity, i.path]),
      [["warning", "network.transitions"]],
    );
    assert.match(
      issues[0].message,
      /transitions: \[\{ block: <a block well ahead of the head>, maxRequestTimeoutSeconds: 80 \}\]/,
    );
  });

  it("grows by a transition: block 0 and the rest of config unchanged, the cap from that block on", () => {
    const { issues, genesisJson: grown } = check({ ...pinned, transitions: [CAP] }, DEPLOYED_SET, previous());
    assert.deepEqual(
      issues.map((i) => [i.severity, i.path]),
      [["warning", "network.transitions[0].block"]],
    );
    assert.match(issues[0].message, /block 250000 is still well ahead of the chain's head/);
    const before = parsed(uncapped());
    const after = parsed(grown);
    assert.deepEqual(after.config.transitions, [CAP]);
    const { transitions: _, ...configAfter } = after.config;
    assert.deepEqual(configAfter, before.config, "only config.transitions changes");
    for (const key of Object.keys(before).filter((k) => k !== "config")) {
      assert.deepEqual(after[key], before[key], key);
    }
    assert.ok(grown?.endsWith("}\n"));
  });

  it("keeps a deployed transition byte for byte and takes new ones after it", () => {
    const deployed = uncapped([CAP]);
    const same = check({ ...pinned, transitions: [CAP] }, DEPLOYED_SET, previous(deployed));
    assert.equal(same.genesisJson, deployed);
    assert.deepEqual(same.issues, []);
    const later = { block: 900000, requesttimeoutseconds: 12, maxRequestTimeoutSeconds: 96 };
    const more = check({ ...pinned, transitions: [CAP, later] }, DEPLOYED_SET, previous(deployed));
    assert.deepEqual(parsed(more.genesisJson).config.transitions, [CAP, later]);
    assert.deepEqual(
      more.issues.map((i) => [i.severity, i.path]),
      [["warning", "network.transitions[1].block"]],
    );
  });

  it("refuses to change, drop or insert before a deployed transition, naming the deployed entries", () => {
    const deployed = previous(uncapped([CAP]));
    const changed = check({ ...pinned, transitions: [{ ...CAP, block: 260000 }] }, DEPLOYED_SET, deployed);
    assert.deepEqual(errorsAt(changed.issues, "network.transitions[0]").length, 1);
    assert.equal(changed.genesisJson, uncapped([CAP]), "nothing grows while an entry is refused");
    const dropped = check(pinned, DEPLOYED_SET, deployed);
    const [refusal] = errorsAt(dropped.issues, "network.transitions");
    assert.match(refusal?.message ?? "", /transitions: \[\{"block":250000,"maxRequestTimeoutSeconds":80\}\]/);
    const inserted = check(
      { ...pinned, transitions: [{ block: 200000, maxRequestTimeoutSeconds: 60 }, CAP] },
      DEPLOYED_SET,
      deployed,
    );
    assert.equal(errorsAt(inserted.issues, "network.transitions[0]").length, 1);
  });

  it("refuses a configured cap that differs from the deployed genesis, pointing at a transition", () => {
    const { issues } = check({ ...pinned, maxRequestTimeoutSeconds: 60 }, DEPLOYED_SET, previous());
    const [refusal] = errorsAt(issues, "network.maxRequestTimeoutSeconds");
    assert.match(
      refusal?.message ?? "",
      /through transitions: \[\{ block: .*maxRequestTimeoutSeconds: 60 \}\].*Remove it\./,
    );
    assert.deepEqual(
      check({ ...pinned, maxRequestTimeoutSeconds: 80 }, DEPLOYED_SET, {
        genesisJson: deployedJson(),
        nodes: NODES,
      }).issues,
      [],
      "the cap this version wrote is the same value",
    );
  });
});
