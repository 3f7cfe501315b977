/** Besu's peer files in its own dialect, from the same peer list as GoQuorum's, and the network's Besu image. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  besuNodeAllowlistEnabled,
  besuNodesAllowlist,
  besuStaticNodesFor,
  nodeAddressesFile,
  permissionsConfigToml,
  toBesuEnode,
} from "../infra/besu/peers";
import { besuImage } from "../infra/plan/besuImage";
import type { NodePlan } from "../infra/plan/types";
import { enodeUrl, sameClusterMemberRanges, staticNodesFor, tesseraPeerUrls } from "../infra/quorum/peers";
import { twoClusterPlan } from "./fixtures/quorum-plan";

const ID = "ab".repeat(64);
const ID2 = "cd".repeat(64);

describe("a GoQuorum enode in Besu's dialect", () => {
  const cases: [string, string][] = [
    [
      `enode://${ID}@n.ns.svc.cluster.local:30303?discport=0&raftport=53000`,
      `enode://${ID}@n.ns.svc.cluster.local:30303?discport=0`,
    ],
    [`enode://${ID}@10.0.0.1:30303?discport=0`, `enode://${ID}@10.0.0.1:30303?discport=0`],
    [`enode://${ID}@10.0.0.1:30304`, `enode://${ID}@10.0.0.1:30304?discport=0`],
    [
      `enode://${ID}@10.0.0.1:30303?raftport=53000&discport=30301`,
      `enode://${ID}@10.0.0.1:30303?discport=30301`,
    ],
    [`enode://${ID.toUpperCase()}@[fd00::1]:30303?discport=0`, `enode://${ID}@[fd00::1]:30303?discport=0`],
  ];
  for (const [goQuorum, besu] of cases) {
    it(`${goQuorum.slice(0, 20)}…${goQuorum.slice(140)} → ${besu.slice(140)}`, () => {
      assert.equal(toBesuEnode(goQuorum), besu);
    });
  }
  it("every enode GoQuorum's generator writes converts without raftport", () => {
    for (const host of ["10.1.2.3", "a.b.svc.cluster.local", "fd00::5"]) {
      const besu = toBesuEnode(enodeUrl(ID, host));
      assert.doesNotMatch(besu, /raftport/);
      assert.match(besu, /\?discport=0$/);
    }
  });
  const refused: [string, string][] = [
    ["a 127-hex id", `enode://${ID.slice(1)}@10.0.0.1:30303`],
    ["no port", `enode://${ID}@10.0.0.1`],
    ["port 0", `enode://${ID}@10.0.0.1:0`],
    ["port 65536", `enode://${ID}@10.0.0.1:65536`],
    ["a host with an underscore", `enode://${ID}@bad_host:30303`],
  ];
  for (const [what, enode] of refused) {
    it(`refuses ${what}`, () => assert.throws(() => toBesuEnode(enode)));
  }
  it("accepts the last valid port and a 0x id (written without 0x)", () => {
    assert.equal(toBesuEnode(`enode://0x${ID}@10.0.0.1:65535`), `enode://${ID}@10.0.0.1:65535?discport=0`);
  });
});

describe("Besu's static nodes and allowlist", () => {
  const keys = new Map(
    twoClusterPlan.clusters
      .flatMap((c) => c.nodes)
      .map((n, i) => [n.name, { publicKey: i.toString(16).padStart(2, "0").repeat(64) }]),
  );
  const allNodes = twoClusterPlan.clusters.flatMap((c) => c.nodes);
  const [aws, az] = twoClusterPlan.clusters;
  if (!aws || !az) throw new Error("fixture");
  const external = [{ enodeId: ID, host: "peer.example.org", port: 30311 }];

  it("lists same-cluster nodes at their Service's name and other clusters' at their load balancer, as GoQuorum", () => {
    const list = besuStaticNodesFor(aws, allNodes, keys, external);
    assert.equal(list.length, allNodes.length + 1);
    assert.ok(
      list.includes(
        `enode://${keys.get("aws1-validator-0")?.publicKey}@aws1-validator-0.goquorum.svc.cluster.local:30303?discport=0`,
      ),
    );
    assert.ok(list.includes(`enode://${keys.get("az1-rpc-0")?.publicKey}@10.65.1.30:30303?discport=0`));
    assert.equal(list.at(-1), `enode://${ID}@peer.example.org:30311?discport=0`);
    for (const enode of list) assert.equal(toBesuEnode(enode), enode);
    // The same peers as GoQuorum's list, in Besu's dialect.
    assert.deepEqual(list, staticNodesFor(aws, allNodes, keys, external).map(toBesuEnode));
  });
  it("the allowlist holds every static node, every external peer and each same-cluster pod, once", () => {
    const statics = besuStaticNodesFor(az, allNodes, keys, external);
    const extra = { enodeId: ID2, host: "10.9.9.9", port: 30303 };
    const allowlist = besuNodesAllowlist(az, allNodes, keys, statics, [...external, extra]);
    for (const s of statics) assert.ok(allowlist.includes(s));
    assert.ok(allowlist.includes(`enode://${ID2}@10.9.9.9:30303?discport=0`));
    const pods = az.nodes.map(
      (n) =>
        `enode://${keys.get(n.name)?.publicKey}@${n.name}-0.goquorum.quorum.svc.cluster.local:30303?discport=0`,
    );
    for (const p of pods) assert.ok(allowlist.includes(p), p);
    assert.ok(!allowlist.some((e) => e.includes("aws1-validator-0-0.")), "no pod name of another cluster");
    assert.equal(new Set(allowlist).size, allowlist.length);
    assert.equal(allowlist.length, statics.length + 1 + az.nodes.length);
  });
  it("writes the allowlist as TOML, and refuses an enode Besu would refuse", () => {
    const a = `enode://${ID}@10.0.0.1:30303?discport=0`;
    const b = `enode://${ID2}@n.ns.svc.cluster.local:30303?discport=0`;
    assert.equal(permissionsConfigToml([a, b]), `nodes-allowlist=[\n  "${a}",\n  "${b}"\n]\n`);
    assert.throws(
      () => permissionsConfigToml([enodeUrl(ID, "a.b.svc.cluster.local")]),
      /not in Besu's enode form/,
    );
  });
  it("a node without a key is an error, not a missing peer", () => {
    assert.throws(() => besuStaticNodesFor(aws, allNodes, new Map(), []), /no node identity/);
    assert.throws(() => besuNodesAllowlist(aws, allNodes, new Map(), [], []), /no node identity/);
  });
});

describe("the node addresses the disruption gate reads", () => {
  it("lists nodes and external validators, lower case, sorted; external peers without an address are left out", () => {
    const text = nodeAddressesFile(
      new Map([
        ["n1", { publicKey: ID2.toUpperCase(), address: "0xABCDEF0000000000000000000000000000000001" }],
      ]),
      [
        { enodeId: ID, validatorAddress: "0x1111111111111111111111111111111111111111" },
        { enodeId: "ef".repeat(64) },
      ],
    );
    assert.equal(
      text,
      `${ID} 0x1111111111111111111111111111111111111111\n${ID2} 0xabcdef0000000000000000000000000000000001\n`,
    );
  });
});

describe("the node allowlist is on only while no other cluster runs Besu nodes", () => {
  const node = (cluster: string, client: NodePlan["client"]): NodePlan => ({
    name: `${cluster}-validator-0`,
    cluster,
    role: "validator",
    index: 0,
    client,
  });
  it("on: Besu in this cluster only, GoQuorum elsewhere", () => {
    assert.equal(
      besuNodeAllowlistEnabled({ name: "a" }, [
        { name: "a", nodes: [node("a", "besu")] },
        { name: "b", nodes: [node("b", "goquorum")] },
      ]),
      true,
    );
  });
  it("off: a Besu node in another cluster, whose connections arrive from an address the list cannot name", () => {
    assert.equal(
      besuNodeAllowlistEnabled({ name: "a" }, [
        { name: "a", nodes: [node("a", "besu")] },
        { name: "b", nodes: [node("b", "besu")] },
      ]),
      false,
    );
  });
});

describe("the network's Besu image", () => {
  const images = { besu: "hyperledger/besu:26.8.0", besuInterop: "hyperledger/besu:25.7.0" };
  const nodes = (...clients: NodePlan["client"][]) =>
    clients.map(
      (client, index): NodePlan => ({ name: `c-rpc-${index}`, cluster: "c", role: "rpc", index, client }),
    );
  it("the current release when no node runs GoQuorum", () => {
    assert.equal(
      besuImage(images, { clusters: [{ nodes: nodes("besu", "besu") }], externalPeers: [] }).image,
      images.besu,
    );
  });
  it("the interop release while one node of any cluster runs GoQuorum", () => {
    const choice = besuImage(images, {
      clusters: [{ nodes: nodes("besu") }, { nodes: nodes("besu", "goquorum") }],
      externalPeers: [],
    });
    assert.equal(choice.image, images.besuInterop);
    assert.equal(choice.key, "besuInterop");
    assert.match(choice.reason, /c-rpc-1 runs GoQuorum/);
  });
  it("the interop release while an external peer runs GoQuorum", () => {
    const choice = besuImage(images, {
      clusters: [{ nodes: nodes("besu") }],
      externalPeers: [{ name: "partner", client: "goquorum" }],
    });
    assert.equal(choice.image, images.besuInterop);
    assert.match(choice.reason, /external peer partner/);
    assert.equal(
      besuImage(images, {
        clusters: [{ nodes: nodes("besu") }],
        externalPeers: [{ name: "p", client: "besu" }],
      }).image,
      images.besu,
    );
  });
});

describe("a member on Besu runs no Tessera", () => {
  it("no other member lists it as a Tessera peer, and its load balancer admits no member ranges for Tessera", () => {
    const [aws, az] = twoClusterPlan.clusters;
    if (!aws || !az) throw new Error("fixture");
    const besuMember = {
      ...(aws.nodes.find((n) => n.role === "member") as NodePlan),
      client: "besu" as const,
    };
    const clusters = [
      { ...aws, nodes: aws.nodes.map((n) => (n.name === besuMember.name ? besuMember : n)) },
      az,
    ];
    const other = az.nodes.find((n) => n.role === "member") as NodePlan;
    const before = tesseraPeerUrls(other, twoClusterPlan.clusters, "off", []);
    const after = tesseraPeerUrls(other, clusters, "off", []);
    assert.equal(before.length, 1);
    assert.deepEqual(after, []);
    assert.deepEqual(sameClusterMemberRanges(besuMember, clusters[0] as (typeof clusters)[0]), []);
  });
});
