import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sha256 } from "@noble/hashes/sha2";
import { utf8ToBytes } from "@noble/hashes/utils";
import { benchKeysAndGenesis } from "../infra/quorum/bench";
import { decodeQbftExtraData } from "../infra/quorum/genesis";
import { networkDocument, type PublicIdentity } from "../infra/quorum/identities";
import { nodeIdentityFromPrivateKey, nodeKeyFromSeed, tesseraKeyPairFromSeed } from "../infra/quorum/keys";
import { localPlan, twoClusterPlan } from "./fixtures/quorum-plan";
import { throwawayIdentities } from "./fixtures/throwawayIdentities";

describe("throwawayIdentities", () => {
  it("derives keys with the real key functions from sha256(seed/name)", () => {
    const identities = throwawayIdentities(twoClusterPlan, "render");
    const validator = identities.get("aws1-validator-0");
    const expected = nodeIdentityFromPrivateKey(
      nodeKeyFromSeed(sha256(utf8ToBytes("render/aws1-validator-0"))),
    );
    assert.deepEqual(validator, expected);
    const member = identities.get("az1-member-0");
    const tessera = tesseraKeyPairFromSeed(sha256(utf8ToBytes("render/az1-member-0/tessera")));
    assert.equal(member?.tesseraPublicKey, tessera.publicKey);
    assert.equal(member?.tesseraPrivateKeyJson, tessera.privateKeyJson);
  });

  it("is deterministic, seed-dependent, and gives Tessera keys to members only", () => {
    const a = throwawayIdentities(twoClusterPlan, "s1");
    assert.deepEqual(throwawayIdentities(twoClusterPlan, "s1"), a);
    assert.notEqual(
      throwawayIdentities(twoClusterPlan, "s2").get("aws1-validator-0")?.nodeKey,
      a.get("aws1-validator-0")?.nodeKey,
    );
    const names = twoClusterPlan.clusters.flatMap((c) => c.nodes.map((n) => n.name));
    assert.deepEqual([...a.keys()], names);
    assert.equal(new Set([...a.values()].map((i) => i.address)).size, names.length);
    for (const node of twoClusterPlan.clusters.flatMap((c) => c.nodes)) {
      assert.equal(a.get(node.name)?.tesseraPublicKey !== undefined, node.role === "member", node.name);
    }
  });
});

describe("networkDocument", () => {
  it("lists every node in plan order at its advertised address", () => {
    const identities = throwawayIdentities(twoClusterPlan, "doc");
    const doc = networkDocument(twoClusterPlan, identities);
    assert.equal(doc.chainId, 1337);
    assert.equal(doc.consensus, "qbft");
    assert.deepEqual(
      doc.nodes.map((n) => n.name),
      twoClusterPlan.clusters.flatMap((c) => c.nodes.map((n) => n.name)),
    );
    const member = doc.nodes.find((n) => n.name === "az1-member-0");
    const id = identities.get("az1-member-0");
    assert.deepEqual(member, {
      name: "az1-member-0",
      cluster: "az1",
      role: "member",
      address: id?.address,
      enodeId: id?.publicKey,
      enodeUrl: `enode://${id?.publicKey}@10.65.1.20:30303?discport=0`,
      p2pHost: "10.65.1.20",
      p2pPort: 30303,
      tesseraPublicKey: id?.tesseraPublicKey,
    });
    for (const node of doc.nodes) assert.equal("tesseraPublicKey" in node, node.role === "member");
    assert.doesNotThrow(() => JSON.stringify(doc));
  });

  it("advertises Service names with raftport on a local cluster", () => {
    const doc = networkDocument(localPlan, throwawayIdentities(localPlan, "doc"));
    assert.equal(doc.nodes[0].p2pHost, "kind-validator-0.goquorum.svc.cluster.local");
    assert.match(
      doc.nodes[0].enodeUrl,
      /@kind-validator-0\.goquorum\.svc\.cluster\.local:30303\?discport=0&raftport=53000$/,
    );
  });

  it("refuses missing identities and members without a Tessera key", () => {
    assert.throws(() => networkDocument(localPlan, new Map()), /no node identity for kind-validator-0/);
    const identities = new Map<string, PublicIdentity>(throwawayIdentities(localPlan, "doc"));
    const member = identities.get("kind-member-0");
    identities.set("kind-member-0", { address: member?.address ?? "", publicKey: member?.publicKey ?? "" });
    assert.throws(
      () => networkDocument(localPlan, identities),
      /member kind-member-0 has no Tessera public key/,
    );
  });
});

describe("benchKeysAndGenesis", () => {
  it("builds a deterministic genesis with the requested number of validators", () => {
    const json = benchKeysAndGenesis(7);
    assert.equal(benchKeysAndGenesis(7), json);
    assert.equal(decodeQbftExtraData(JSON.parse(json).extraData).length, 7);
    assert.throws(() => benchKeysAndGenesis(0), /positive integer/);
  });
});
