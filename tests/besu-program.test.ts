/**
 * The real program under the mock runtime with Besu nodes: a `local` network on Besu renders Besu StatefulSets
 * whose every flag the pinned release accepts, with its genesis and peer files; and a cloud cluster with one
 * node on Besu keeps every Service, load balancer and NetworkPolicy of the GoQuorum render. Three renders,
 * shared by all assertions.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import { parseBesuImage } from "../infra/besu/behaviour";
import { BESU_FLAGS } from "../infra/besu/manifests";
import { unknownBesuOptions } from "../infra/besu/options";
import { toBesuEnode } from "../infra/besu/peers";
import { readStackFile, stackFilePath } from "../infra/config/load";
import { type RenderedResource, type RenderResult, renderProgram } from "../infra/offline/render";
import { program } from "../infra/program";
import { besuGenesisHash, goQuorumGenesisHash } from "./helpers/genesisHash";

type Inputs = { metadata: { name: string }; data?: Record<string, string>; spec?: Record<string, unknown> };
const ofType = (r: RenderResult, type: string) => r.resources.filter((x) => x.type === type);
const named = (r: RenderResult, type: string, name: string): RenderedResource | undefined =>
  ofType(r, type).find((x) => (x.inputs as Inputs).metadata.name === name);
const dataOf = (r: RenderResult, name: string) =>
  (named(r, "kubernetes:core/v1:ConfigMap", name)?.inputs as Inputs | undefined)?.data ?? {};
const podOf = (sts: RenderedResource) =>
  ((sts.inputs as Inputs).spec as { template: { spec: IPodSpec } }).template.spec;
const STS = "kubernetes:apps/v1:StatefulSet";

describe("a local network on Besu", () => {
  let result: RenderResult;
  before(async () => {
    const raw = readStackFile(stackFilePath("local")) as { "goquorum:clusters": Record<string, unknown>[] };
    const [cluster] = raw["goquorum:clusters"];
    raw["goquorum:clusters"] = [{ ...cluster, client: "besu" }];
    result = await renderProgram("local", raw, program);
  });

  it("renders a Besu StatefulSet for every node, on the current release (no GoQuorum node left)", () => {
    const sets = ofType(result, STS);
    assert.equal(sets.length, 7);
    for (const sts of sets) {
      const besu = podOf(sts).containers.find((c) => c.name === "besu") as IContainer;
      assert.ok(besu, (sts.inputs as Inputs).metadata.name);
      assert.equal(besu.image, "hyperledger/besu:26.8.0");
      assert.ok(!podOf(sts).containers.some((c) => c.name === "goquorum" || c.name === "tessera"));
    }
  });
  it("every flag is one the release it runs accepts", () => {
    for (const sts of ofType(result, STS)) {
      const besu = podOf(sts).containers.find((c) => c.name === "besu") as IContainer;
      const { version } = parseBesuImage(besu.image as string);
      assert.equal(version, "26.8.0");
      assert.deepEqual(unknownBesuOptions(version as string, besu.args ?? []), []);
      for (const arg of besu.args ?? []) {
        assert.ok((BESU_FLAGS as readonly string[]).includes(/^--([^=]+)=/.exec(arg)?.[1] ?? arg), arg);
      }
    }
  });
  it("its genesis gives the GoQuorum genesis's block 0, and its peers are every node in Besu's dialect", () => {
    const besuGenesis = dataOf(result, "goquorum-besu-genesis")["genesis.json"] as string;
    const goQuorumGenesis = dataOf(result, "goquorum-genesis-file")["genesis.json"] as string;
    assert.equal(besuGenesisHash(besuGenesis), goQuorumGenesisHash(goQuorumGenesis));
    const peers = dataOf(result, "goquorum-besu-peers");
    const statics = JSON.parse(peers["static-nodes.json"] as string) as string[];
    assert.equal(statics.length, 7);
    for (const enode of statics) {
      assert.equal(toBesuEnode(enode), enode);
      assert.match(enode, /@kind-[a-z]+-[0-9]+\.goquorum\.svc\.cluster\.local:30303\?discport=0$/);
      const pod = enode.replace(/@(kind-[a-z]+-[0-9]+)\./, "@$1-0.goquorum.");
      assert.ok(peers["permissions_config.toml"]?.includes(`"${pod}"`), `its pod allowlisted: ${pod}`);
      assert.ok(peers["permissions_config.toml"]?.includes(`"${enode}"`), "allowlisted");
    }
    assert.equal(peers["node-addresses"]?.trim().split("\n").length, 7);
  });
  it("its members run no Tessera: no Tessera config, no Tessera port", () => {
    assert.equal(named(result, "kubernetes:core/v1:ConfigMap", "kind-member-0-tessera"), undefined);
    const svc = named(result, "kubernetes:core/v1:Service", "kind-member-0")?.inputs as Inputs;
    assert.ok(!JSON.stringify(svc.spec).includes("tessera"));
  });
});

describe("a cloud cluster with one node on Besu", () => {
  let goQuorum: RenderResult;
  let mixed: RenderResult;
  const switched = "euw1-validator-0";
  before(async () => {
    const raw = () =>
      readStackFile(stackFilePath("dev-aws")) as {
        "goquorum:network": Record<string, unknown>;
        "goquorum:clusters": Record<string, unknown>[];
      };
    goQuorum = await renderProgram("dev-aws", raw(), program);
    const withBesu = raw();
    const [cluster, ...rest] = withBesu["goquorum:clusters"];
    withBesu["goquorum:clusters"] = [{ ...cluster, nodeClients: { [switched]: "besu" } }, ...rest];
    // Beside the stack's Tessera members the plan refuses a Besu node until private transactions have stopped.
    withBesu["goquorum:network"] = { ...withBesu["goquorum:network"], privateTransactions: "stopped" };
    mixed = await renderProgram("dev-aws", withBesu, program);
  });

  for (const type of ["kubernetes:core/v1:Service", "kubernetes:networking.k8s.io/v1:NetworkPolicy"]) {
    it(`keeps every ${type.split(":").at(-1)} (node Services, load balancers, policies) as it was`, () => {
      const byName = (r: RenderResult) =>
        new Map(ofType(r, type).map((x) => [(x.inputs as Inputs).metadata.name, x.inputs]));
      assert.ok(ofType(goQuorum, type).length > 0);
      assert.deepEqual(byName(mixed), byName(goQuorum));
    });
  }
  it("changes only that node's StatefulSet (to Besu, on the interop release) and adds the Besu files", () => {
    const sets = (r: RenderResult) =>
      new Map(ofType(r, STS).map((x) => [(x.inputs as Inputs).metadata.name, x.inputs]));
    const before = sets(goQuorum);
    const after = sets(mixed);
    assert.deepEqual([...after.keys()].sort(), [...before.keys()].sort());
    for (const [name, inputs] of after) {
      if (name === switched) assert.notDeepEqual(inputs, before.get(name));
      else assert.deepEqual(inputs, before.get(name), name);
    }
    const besu = podOf(named(mixed, STS, switched) as RenderedResource).containers.find(
      (c) => c.name === "besu",
    );
    assert.equal(
      besu?.image,
      "hyperledger/besu:25.7.0",
      "a GoQuorum node is left: the release that speaks eth/66",
    );
    assert.deepEqual(unknownBesuOptions("25.7.0", besu?.args ?? []), []);
    assert.ok(named(mixed, "kubernetes:core/v1:ConfigMap", "goquorum-besu-peers"));
    assert.equal(named(goQuorum, "kubernetes:core/v1:ConfigMap", "goquorum-besu-peers"), undefined);
    assert.deepEqual(dataOf(mixed, "goquorum-genesis-file"), dataOf(goQuorum, "goquorum-genesis-file"));
    assert.deepEqual(dataOf(mixed, "goquorum-static-nodes"), dataOf(goQuorum, "goquorum-static-nodes"));
  });
});
