/** What the plan refuses and warns about when nodes run Besu, and the warning on every GoQuorum plan. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ConfigIssue } from "../infra/config/issue";
import { planNetwork } from "../infra/plan";
import { nodeClients } from "../infra/plan/clients";
import { checkDeployedGenesis } from "../infra/quorum/deployedGenesis";
import { buildGenesis, genesisJson } from "../infra/quorum/genesis";
import { isUnmaintainedWarning, localCluster, networkConfig, stackConfig } from "./helpers/config";

type Network = Parameters<typeof stackConfig>[1];
const ENODE_ID = "ab".repeat(64);
const tesseraPeer = {
  name: "party-b",
  enode: `enode://${ENODE_ID}@192.0.2.10:30303`,
  range: "192.0.2.0/24",
  tesseraUrl: "https://192.0.2.11:9000",
};

/** One local cluster of 4 validators and `members` members, with `client` and per-node overrides. */
function plan(
  cluster: { client?: "goquorum" | "besu"; members?: number; nodeClients?: Record<string, string> } = {},
  network: Network = {},
) {
  const { client = "besu", members = 0, nodeClients: overrides = {} } = cluster;
  return planNetwork(
    stackConfig(
      [localCluster("kind", { client, nodeClients: overrides as never, nodes: { validators: 4, members } })],
      network,
    ),
  );
}
const at = (issues: readonly ConfigIssue[], path: string) => issues.filter((i) => i.path === path);
const severities = (issues: readonly ConfigIssue[], path: string) => at(issues, path).map((i) => i.severity);

describe("the client census", () => {
  it("names the key that decides each node's client: the override, else the cluster's", () => {
    const config = stackConfig(
      [localCluster("kind", { nodeClients: { "kind-validator-1": "besu" }, nodes: { validators: 2 } })],
      {
        privateTransactions: "stopped",
        connectivity: { externalPeers: [{ ...tesseraPeer, client: "besu" }] },
      },
    );
    const { plan: planned } = planNetwork(config);
    assert.ok(planned);
    assert.deepEqual(
      nodeClients(config, planned.clusters).map((n) => [n.name, n.client, n.key, n.tessera]),
      [
        ["kind-validator-0", "goquorum", "clusters[0].client", false],
        ["kind-validator-1", "besu", "clusters[0].nodeClients.kind-validator-1", false],
        ["party-b", "besu", "network.connectivity.externalPeers[0].client", true],
      ],
    );
  });
});

describe("GoQuorum is unmaintained", () => {
  it("warns on a plan with one GoQuorum node, naming clusters[].client and the runbook, and not on an all-Besu one", () => {
    assert.deepEqual(plan({ client: "besu" }).issues.filter(isUnmaintainedWarning), []);
    const one = plan({ client: "besu", nodeClients: { "kind-validator-3": "goquorum" } });
    const [warning] = one.issues.filter(isUnmaintainedWarning);
    assert.equal(warning?.path, "clusters[0].client");
    assert.match(warning?.message ?? "", /^1 node of this stack run GoQuorum \(cluster kind\)/);
    assert.match(warning?.message ?? "", /archived on 2026-06-05/);
    assert.match(warning?.message ?? "", /`client: besu`.*docs\/operations\/migrate-to-besu\.md/);
  });

  it("does not count external GoQuorum peers: they are not this stack's to move", () => {
    const issues = plan({ client: "besu" }, { connectivity: { externalPeers: [{ ...tesseraPeer }] } }).issues;
    assert.deepEqual(issues.filter(isUnmaintainedWarning), []);
  });
});

describe("Besu and GoQuorum's IBFT", () => {
  it("refuses one Besu node on an IBFT network, and accepts it on QBFT or an all-GoQuorum IBFT network", () => {
    const ibft = { consensus: "ibft" as const };
    const refused = plan({ client: "goquorum", nodeClients: { "kind-validator-0": "besu" } }, ibft);
    assert.equal(refused.plan, undefined);
    const [issue] = at(refused.issues, "network.consensus");
    assert.equal(issue?.severity, "error");
    assert.match(issue?.message ?? "", /kind-validator-0 \(clusters\[0\]\.nodeClients\.kind-validator-0\)/);
    assert.match(issue?.message ?? "", /besu-eth\/besu#8262/);
    assert.deepEqual(at(plan({ client: "goquorum" }, ibft).issues, "network.consensus"), []);
    assert.deepEqual(at(plan({ client: "besu" }).issues, "network.consensus"), []);
  });
});

describe("Besu beside Tessera members", () => {
  it("accepts Besu validators with no Tessera member, and refuses them beside the first GoQuorum member", () => {
    assert.deepEqual(at(plan({ members: 0 }).issues, "network.privateTransactions"), []);
    const refused = plan({ members: 1, nodeClients: { "kind-member-0": "goquorum" } });
    assert.equal(refused.plan, undefined);
    const [issue] = at(refused.issues, "network.privateTransactions");
    assert.equal(issue?.severity, "error");
    assert.match(issue?.message ?? "", /beside Tessera members \(kind-member-0\)/);
    assert.match(issue?.message ?? "", /v = 37 or 38/);
    assert.match(issue?.message ?? "", /chain id 1 and refuses on chain 1337/);
    assert.match(issue?.message ?? "", /set network\.privateTransactions: stopped/);
  });

  it("accepts Besu members (no Tessera) and refuses an external peer with a tesseraUrl", () => {
    assert.deepEqual(at(plan({ members: 2 }).issues, "network.privateTransactions"), []);
    const external = plan({}, { connectivity: { externalPeers: [tesseraPeer] } });
    assert.deepEqual(severities(external.issues, "network.privateTransactions"), ["error"]);
    assert.match(at(external.issues, "network.privateTransactions")[0]?.message ?? "", /members \(party-b\)/);
    const noTessera = { ...tesseraPeer, tesseraUrl: undefined };
    const plain = plan({}, { connectivity: { externalPeers: [noTessera] } });
    assert.deepEqual(at(plain.issues, "network.privateTransactions"), []);
  });

  it("refuses nothing while every node runs GoQuorum", () => {
    assert.deepEqual(at(plan({ client: "goquorum", members: 2 }).issues, "network.privateTransactions"), []);
  });

  it("with privateTransactions stopped, warns what that promises and how to check it", () => {
    const stopped = plan(
      { members: 1, nodeClients: { "kind-member-0": "goquorum" } },
      { privateTransactions: "stopped" },
    );
    assert.ok(stopped.plan);
    const [issue] = at(stopped.issues, "network.privateTransactions");
    assert.equal(issue?.severity, "warning");
    assert.match(issue?.message ?? "", /no block a Besu node imports carries a GoQuorum private transaction/);
    assert.match(issue?.message ?? "", /v 0x25 or 0x26/);
    assert.deepEqual(
      at(
        plan({ client: "goquorum" }, { privateTransactions: "stopped" }).issues,
        "network.privateTransactions",
      ),
      [],
    );
  });
});

describe("transitions Besu does not read", () => {
  const transitions = [
    { block: 100, maxRequestTimeoutSeconds: 60 },
    { block: 200, requesttimeoutseconds: 5 },
  ];

  it("warns for each key GoQuorum applies and Besu does not, once a node runs Besu", () => {
    const mixed = plan({ client: "goquorum", nodeClients: { "kind-validator-0": "besu" } }, { transitions });
    assert.deepEqual(severities(mixed.issues, "network.transitions[0].maxRequestTimeoutSeconds"), [
      "warning",
    ]);
    assert.match(
      at(mixed.issues, "network.transitions[0].maxRequestTimeoutSeconds")[0]?.message ?? "",
      /Besu nodes \(kind-validator-0\).*no cap on its QBFT round timer.*uncapped/,
    );
    assert.match(
      at(mixed.issues, "network.transitions[1].requesttimeoutseconds")[0]?.message ?? "",
      /keep the genesis round timer \(requestTimeoutSeconds 10 s\)/,
    );
    const goquorum = plan({ client: "goquorum" }, { transitions });
    assert.deepEqual(at(goquorum.issues, "network.transitions[0].maxRequestTimeoutSeconds"), []);
  });

  it("warns for an external Besu validator too", () => {
    const peer = { ...tesseraPeer, tesseraUrl: undefined, client: "besu" as const };
    const issues = plan(
      { client: "goquorum" },
      { transitions, connectivity: { externalPeers: [peer] } },
    ).issues;
    assert.deepEqual(severities(issues, "network.transitions[1].requesttimeoutseconds"), ["warning"]);
  });
});

describe("JSON-RPC namespaces Besu lacks", () => {
  const apis = [
    "eth",
    "net",
    "web3",
    "txpool",
    "istanbul",
    "quorumExtension",
    "quorumPermission",
    "personal",
  ];
  const rpc = (cluster: Parameters<typeof plan>[0], list = apis) =>
    plan(cluster, { workloads: { rpc: { apis: list as never, allowUnsafeApis: true } } });
  const refused = (issues: readonly ConfigIssue[]) =>
    issues.filter((i) => i.severity === "error" && i.path.startsWith("network.workloads.rpc.apis"));

  it("accepts them while only validators run Besu, and refuses each once a member runs Besu", () => {
    const validatorsOnly = {
      client: "goquorum" as const,
      members: 1,
      nodeClients: { "kind-validator-0": "besu" },
    };
    assert.deepEqual(refused(rpc(validatorsOnly, apis).issues), []);
    const member = { client: "goquorum" as const, members: 1, nodeClients: { "kind-member-0": "besu" } };
    const issues = refused(rpc(member).issues);
    assert.deepEqual(
      issues.map((i) => i.path),
      ["network.workloads.rpc.apis[5]", "network.workloads.rpc.apis[6]", "network.workloads.rpc.apis[7]"],
    );
    assert.match(issues[0]?.message ?? "", /^is quorumExtension, which Besu has no JSON-RPC group for/);
    assert.match(issues[0]?.message ?? "", /kind-member-0 \(clusters\[0\]\.nodeClients\.kind-member-0\)/);
    assert.match(issues[2]?.message ?? "", /^is personal,/);
  });

  it("accepts istanbul, which Besu serves as QBFT", () => {
    const member = { members: 1 };
    assert.deepEqual(refused(rpc(member, ["eth", "istanbul"]).issues), []);
  });
});

describe("the gas-limit floor for Besu nodes", () => {
  const low = "0x29B926FF"; // 699,999,999: the last refused
  const floor = "0x29B92700"; // 700,000,000: the first accepted

  it("offline, warns that the Besu nodes cannot import block 1 below the floor", () => {
    const [issue] = at(plan({}, { gasLimit: low }).issues, "network.gasLimit");
    assert.equal(issue?.severity, "warning");
    assert.match(issue?.message ?? "", /Besu nodes kind-validator-0, .* cannot import block 1/);
    assert.doesNotMatch(
      at(plan({ client: "goquorum" }, { gasLimit: low }).issues, "network.gasLimit")[0]?.message ?? "",
      /cannot import block 1/,
    );
    assert.deepEqual(at(plan({}, { gasLimit: floor }).issues, "network.gasLimit"), []);
  });

  it("refuses Besu nodes on a running chain below the floor, at the key that makes them Besu", () => {
    const addresses = ["0xaa00000000000000000000000000000000000000"];
    const nodes = [{ name: "kind-validator-0", address: addresses[0] }];
    const deployed = (gasLimit: string) => {
      const network = networkConfig({ gasLimit, genesisValidators: ["kind-validator-0"] });
      const previous = { genesisJson: genesisJson(buildGenesis(network, addresses)), nodes };
      const besu = [
        { name: "kind-validator-1", key: "clusters[0].nodeClients.kind-validator-1" },
        { name: "kind-rpc-0", key: "clusters[0].client" },
      ];
      return checkDeployedGenesis(previous, network, ["kind-validator-0"], [], besu).issues;
    };
    const refused = deployed(low);
    assert.deepEqual(
      refused.filter((i) => i.severity === "error").map((i) => i.path),
      ["clusters[0].nodeClients.kind-validator-1", "clusters[0].client"],
    );
    assert.match(refused[0]?.message ?? "", /makes kind-validator-1 run Besu.*besu-eth\/besu#10723/);
    assert.deepEqual(
      deployed(floor).filter((i) => i.severity === "error"),
      [],
    );
  });
});
