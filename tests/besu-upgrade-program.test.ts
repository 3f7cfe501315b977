/**
 * The real program under the mock runtime, updating a `local` network whose last deployment ran Besu 25.7.0
 * (one validator still on GoQuorum) to an all-Besu config on 26.8.0: every Besu node gets the legacy QBFT flag,
 * which 26.8.0 accepts; the validator switching client waits the sync timeout and the others Pulumi's default;
 * the outputs record what ran for the next update. One render.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import { LEGACY_BFT_ENCODING_FLAG } from "../infra/besu/behaviour";
import { unknownBesuOptions } from "../infra/besu/options";
import { NODE_CLIENTS_OUTPUT } from "../infra/besu/rollingUpgrade";
import { readStackFile, stackFilePath } from "../infra/config/load";
import { type RenderedResource, type RenderResult, renderProgram } from "../infra/offline/render";
import { program } from "../infra/program";
import { DEPLOYED_VALIDATORS_OUTPUT } from "../infra/quorum/rollout";

type Inputs = { metadata: { name: string }; spec: { template: { spec: IPodSpec } } };
const STS = "kubernetes:apps/v1:StatefulSet";
const nameOf = (r: RenderedResource) => (r.inputs as Inputs).metadata.name;
const besuOf = (r: RenderedResource) =>
  (r.inputs as Inputs).spec.template.spec.containers.find((c) => c.name === "besu") as IContainer;

describe("updating a network off Besu 25.7.0 to 26.8.0", () => {
  let result: RenderResult;
  let names: string[];
  const switching = "kind-validator-0";
  before(async () => {
    const raw = readStackFile(stackFilePath("local")) as { "goquorum:clusters": Record<string, unknown>[] };
    const [cluster] = raw["goquorum:clusters"];
    raw["goquorum:clusters"] = [{ ...cluster, client: "besu" }];
    // A first render names the nodes; the update's previous outputs put them on 25.7.0, one on GoQuorum.
    names = (await renderProgram("local", raw, program)).resources.filter((r) => r.type === STS).map(nameOf);
    const nodeClients = Object.fromEntries(
      names.map((n) => [
        n,
        n === switching
          ? { client: "goquorum" }
          : { client: "besu", image: "hyperledger/besu:25.7.0", legacyBftEncoding: false },
      ]),
    );
    const validators = names.filter((n) => n.includes("-validator-"));
    result = await renderProgram("local", raw, program, {
      previousOutputs: { [DEPLOYED_VALIDATORS_OUTPUT]: validators, [NODE_CLIENTS_OUTPUT]: nodeClients },
    });
  });

  it("gives every Besu node the legacy flag, an option of the release it runs", () => {
    const sets = result.resources.filter((r) => r.type === STS);
    assert.equal(sets.length, names.length);
    for (const sts of sets) {
      const besu = besuOf(sts);
      assert.equal(besu.image, "hyperledger/besu:26.8.0");
      assert.ok(besu.args?.includes(`${LEGACY_BFT_ENCODING_FLAG}=true`), nameOf(sts));
      assert.deepEqual(unknownBesuOptions("26.8.0", besu.args ?? []), []);
    }
  });
  it("waits the sync timeout for the validator switching client only; the others keep Pulumi's default", () => {
    for (const sts of result.resources.filter((r) => r.type === STS)) {
      const timeouts = sts.options?.customTimeouts;
      if (nameOf(sts) === switching) assert.deepEqual(timeouts, { create: "720m", update: "720m" });
      else assert.equal(timeouts, undefined, nameOf(sts));
    }
  });
  it("records each node's client, image and flag for the next update", () => {
    const recorded = result.outputs[NODE_CLIENTS_OUTPUT] as Record<string, unknown>;
    assert.deepEqual(Object.keys(recorded).sort(), [...names].sort());
    for (const name of names) {
      assert.deepEqual(recorded[name], {
        client: "besu",
        image: "hyperledger/besu:26.8.0",
        legacyBftEncoding: true,
      });
    }
  });
});
