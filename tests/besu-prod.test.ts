/**
 * prod with its Azure cluster on Besu (`client: besu`), the other two on GoQuorum: what issue 18 asks of a
 * mixed production network, on one render under the mock runtime.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import { parseBesuImage } from "../infra/besu/behaviour";
import { besuSpeaksWithGoQuorum } from "../infra/besu/interop";
import { unknownBesuOptions } from "../infra/besu/options";
import { toBesuEnode } from "../infra/besu/peers";
import { readStackFile, stackFilePath } from "../infra/config/load";
import { type RenderResult, renderProgram } from "../infra/offline/render";
import { program } from "../infra/program";
import { besuGenesisHash, goQuorumGenesisHash } from "./helpers/genesisHash";

type Inputs = { metadata: { name: string }; data?: Record<string, string>; spec?: Record<string, unknown> };
const BESU_CLUSTER = "az-weu";
const GOQUORUM_CLUSTERS = ["aws-euw1", "aws-use1"];
const STS = "kubernetes:apps/v1:StatefulSet";
const CONFIG_MAP = "kubernetes:core/v1:ConfigMap";

/** Objects of one cluster: its resources are named `<cluster>-…` and registered through its provider. */
const inCluster = (r: RenderResult, type: string, cluster: string) =>
  r.resources.filter((x) => x.type === type && x.provider === `${cluster}-k8s`);
const dataOf = (r: RenderResult, cluster: string, name: string): Record<string, string> => {
  const map = inCluster(r, CONFIG_MAP, cluster).find((x) => (x.inputs as Inputs).metadata.name === name);
  assert.ok(map, `${cluster} has ConfigMap ${name}`);
  return (map.inputs as Inputs).data ?? {};
};
const containersOf = (r: RenderResult, cluster: string) =>
  inCluster(r, STS, cluster).map((sts) => {
    const pod = ((sts.inputs as Inputs).spec as { template: { spec: IPodSpec } }).template.spec;
    return { name: (sts.inputs as Inputs).metadata.name, containers: pod.containers as IContainer[] };
  });
const nodeId = (enode: string) => /^enode:\/\/([0-9a-f]{128})@/.exec(enode)?.[1];

describe("prod with one cluster on Besu", () => {
  let result: RenderResult;
  before(async () => {
    const raw = readStackFile(stackFilePath("prod")) as {
      "goquorum:network": Record<string, unknown>;
      "goquorum:clusters": { name: string }[];
    };
    raw["goquorum:clusters"] = raw["goquorum:clusters"].map((c) =>
      c.name === BESU_CLUSTER ? { ...c, client: "besu" } : c,
    );
    // prod has Tessera members: the plan refuses Besu beside them until private transactions have stopped.
    raw["goquorum:network"] = { ...raw["goquorum:network"], privateTransactions: "stopped" };
    result = await renderProgram("prod", raw, program);
  });

  it("runs the Besu cluster's validators and RPC nodes on a release that speaks eth/66 with GoQuorum", () => {
    const nodes = containersOf(result, BESU_CLUSTER);
    assert.deepEqual(nodes.map((n) => n.name).sort(), [
      "az-weu-rpc-0",
      "az-weu-validator-0",
      "az-weu-validator-1",
    ]);
    for (const node of nodes) {
      const besu = node.containers.find((c) => c.name === "besu");
      assert.ok(besu && !node.containers.some((c) => c.name === "goquorum"), node.name);
      const { version } = parseBesuImage(besu.image as string);
      assert.equal(version, "25.7.0", node.name);
      assert.ok(besuSpeaksWithGoQuorum(version as string));
      assert.deepEqual(unknownBesuOptions(version as string, besu.args ?? []), [], node.name);
    }
    for (const cluster of GOQUORUM_CLUSTERS) {
      for (const node of containersOf(result, cluster)) {
        assert.ok(
          node.containers.some((c) => c.name === "goquorum"),
          node.name,
        );
        assert.ok(!node.containers.some((c) => c.name === "besu"), node.name);
      }
    }
  });

  it("gives the Besu nodes' genesis the GoQuorum nodes' block 0 (independent hash)", () => {
    const besu = besuGenesisHash(
      dataOf(result, BESU_CLUSTER, "goquorum-besu-genesis")["genesis.json"] as string,
    );
    for (const cluster of [...GOQUORUM_CLUSTERS, BESU_CLUSTER]) {
      const goQuorum = dataOf(result, cluster, "goquorum-genesis-file")["genesis.json"] as string;
      assert.equal(goQuorumGenesisHash(goQuorum), besu, cluster);
    }
  });

  it("lists every node in each client's dialect: the same node ids, Besu's without GoQuorum's query", () => {
    const goQuorumLists = GOQUORUM_CLUSTERS.map(
      (c) =>
        JSON.parse(dataOf(result, c, "goquorum-static-nodes")["static-nodes.json"] as string) as string[],
    );
    const peers = dataOf(result, BESU_CLUSTER, "goquorum-besu-peers");
    const besuList = JSON.parse(peers["static-nodes.json"] as string) as string[];
    const ids = (list: readonly string[]) => list.map(nodeId).sort();
    // Every node of the network: 4 + 4 + 3 (a node's own list names itself too; GoQuorum and Besu skip it).
    assert.equal(new Set(ids(besuList)).size, 11);
    for (const list of goQuorumLists) assert.deepEqual(new Set(ids(list)), new Set(ids(besuList)));
    for (const enode of besuList) {
      assert.equal(toBesuEnode(enode), enode, "Besu's dialect");
      assert.match(enode, /^enode:\/\/[0-9a-f]{128}@[^?]+:30303\?discport=0$/);
      assert.ok(peers["permissions_config.toml"]?.includes(`"${enode}"`), `allowlist lists ${enode}`);
    }
  });

  it("enforces the allowlist, since every Besu node of the network is in this one cluster", () => {
    for (const node of containersOf(result, BESU_CLUSTER)) {
      const args = node.containers.find((c) => c.name === "besu")?.args ?? [];
      assert.ok(args.includes("--permissions-nodes-config-file-enabled=true"), node.name);
    }
  });
});
