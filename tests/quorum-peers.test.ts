import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { planNetwork } from "../infra/plan";
import type { ClusterPlan, NetworkPlan, NodePlan } from "../infra/plan/types";
import {
  advertisedP2pHost,
  enodeUrl,
  loadBalancerSourceRanges,
  nodeServiceHost,
  peerRanges,
  permissionedNodes,
  sameClusterMemberRanges,
  staticNodes,
  staticNodesFor,
  TESSERA_DB_URL,
  tesseraConfig,
  tesseraP2pUrl,
  tesseraPeerUrls,
} from "../infra/quorum/peers";
import { PORTS } from "../infra/quorum/ports";
import { localPlan, twoClusterPlan } from "./fixtures/quorum-plan";
import { throwawayIdentities } from "./fixtures/throwawayIdentities";
import { awsCluster, azureCluster, stackConfig } from "./helpers/config";

const ENODE = /^enode:\/\/([0-9a-f]{128})@([^:/?#]+):(\d+)\?discport=0(&raftport=53000)?$/;
const PUB = "ab".repeat(64);
const allNodes = (clusters: readonly ClusterPlan[]) => clusters.flatMap((c) => c.nodes);
const clusterOf = (node: NodePlan, clusters: readonly ClusterPlan[]) =>
  clusters.find((c) => c.name === node.cluster) as ClusterPlan;

describe("enodeUrl", () => {
  it("writes discport=0 for IP hosts and adds raftport for DNS names", () => {
    assert.equal(enodeUrl(PUB, "10.64.1.10"), `enode://${PUB}@10.64.1.10:30303?discport=0`);
    assert.equal(
      enodeUrl(PUB, "n.goquorum.svc.cluster.local", 30304),
      `enode://${PUB}@n.goquorum.svc.cluster.local:30304?discport=0&raftport=53000`,
    );
    assert.equal(enodeUrl(PUB, "fd00::1"), `enode://${PUB}@[fd00::1]:30303?discport=0`);
    assert.equal(enodeUrl(PUB.toUpperCase(), "10.0.0.1"), enodeUrl(PUB, "10.0.0.1"));
  });

  it("refuses a public key that is not 64 bytes of hex", () => {
    assert.throws(() => enodeUrl("ab".repeat(65), "10.0.0.1"), /128 hex/);
    assert.throws(() => enodeUrl(`04${PUB}`, "10.0.0.1"), /128 hex/);
  });
});

describe("address model", () => {
  const [aws, az] = twoClusterPlan.clusters;

  it("names a node's own ClusterIP Service", () => {
    assert.equal(nodeServiceHost(aws.nodes[1], aws.namespace), "aws1-validator-1.goquorum.svc.cluster.local");
  });

  it("advertises the endpoint IP when there is one, else the Service name", () => {
    assert.equal(advertisedP2pHost(az.nodes[3], az), "10.65.1.20");
    const [kind] = localPlan.clusters;
    assert.equal(advertisedP2pHost(kind.nodes[0], kind), "kind-validator-0.goquorum.svc.cluster.local");
  });

  it("refuses a cross-cluster peer without an endpoint IP", () => {
    const { endpointIp: _, ...noIp } = az.nodes[0];
    const identities = throwawayIdentities(twoClusterPlan, "no-ip");
    assert.throws(() => staticNodesFor(aws, [noIp], identities, []), /no endpointIp/);
    assert.doesNotThrow(() => staticNodesFor(az, [noIp], identities, []));
  });
});

describe("static nodes", () => {
  for (const plan of [twoClusterPlan, localPlan]) {
    const identities = throwawayIdentities(plan, "peers-test");
    const nodes = allNodes(plan.clusters);

    it(`lists every other node at its stable address (${plan.clusters.map((c) => c.name).join("+")})`, () => {
      for (const node of nodes) {
        const cluster = clusterOf(node, plan.clusters);
        const list = staticNodes(node, cluster, nodes, identities, []);
        assert.equal(list.length, nodes.length - 1);
        const others = nodes.filter((n) => n.name !== node.name);
        for (const entry of list) assert.match(entry, ENODE);
        for (const peer of others) {
          const publicKey = identities.get(peer.name)?.publicKey;
          const entry = list.find((e) => ENODE.exec(e)?.[1] === publicKey);
          assert.ok(entry, `${node.name} lists ${peer.name}`);
          if (peer.cluster === node.cluster) {
            assert.equal(
              entry,
              `enode://${publicKey}@${peer.name}.${cluster.namespace}.svc.cluster.local:30303?discport=0&raftport=53000`,
            );
          } else {
            assert.equal(entry, `enode://${publicKey}@${peer.endpointIp}:30303?discport=0`);
          }
        }
        assert.ok(
          !list.some((e) => e.includes(identities.get(node.name)?.publicKey ?? "?")),
          "no self entry",
        );
      }
    });

    it(`gives one sorted per-cluster list, independent of input order (${plan.clusters.map((c) => c.name).join("+")})`, () => {
      for (const cluster of plan.clusters) {
        const list = staticNodesFor(cluster, nodes, identities, []);
        assert.equal(list.length, nodes.length);
        assert.deepEqual(staticNodesFor(cluster, [...nodes].reverse(), identities, []), list);
        const names = [...nodes].map((n) => n.name).sort();
        assert.deepEqual(
          list.map((e) => ENODE.exec(e)?.[1]),
          names.map((n) => identities.get(n)?.publicKey),
        );
        for (const node of cluster.nodes) {
          const ownKey = identities.get(node.name)?.publicKey;
          assert.deepEqual(
            staticNodes(node, cluster, nodes, identities, []),
            list.filter((e) => ENODE.exec(e)?.[1] !== ownKey),
          );
        }
      }
    });
  }

  it("refuses a node outside the given cluster and a node without identity", () => {
    const [aws, az] = twoClusterPlan.clusters;
    const nodes = allNodes(twoClusterPlan.clusters);
    const identities = throwawayIdentities(twoClusterPlan, "x");
    assert.throws(() => staticNodes(az.nodes[0], aws, nodes, identities, []), /not in cluster/);
    assert.throws(() => staticNodesFor(aws, nodes, new Map(), []), /no node identity/);
  });
});

describe("node permissioning", () => {
  const identities = throwawayIdentities(twoClusterPlan, "permissioned");
  const party = { enodeId: "5E".repeat(64) };

  it("lists every node and external peer by id alone, sorted, once each", () => {
    const list = permissionedNodes(identities, [party, party]);
    const ids = [...identities.values()].map((k) => k.publicKey.toLowerCase());
    assert.deepEqual(list, [...ids, "5e".repeat(64)].map((id) => `enode://${id}`).sort());
    assert.equal(list.length, allNodes(twoClusterPlan.clusters).length + 1);
    // No host: GoQuorum resolves a named host at every connection check and drops the entry if it fails.
    for (const entry of list) assert.match(entry, /^enode:\/\/[0-9a-f]{128}$/);
  });

  it("is one list whatever order the keys come in", () => {
    const reversed = new Map([...identities.entries()].reverse());
    assert.deepEqual(permissionedNodes(reversed, []), permissionedNodes(identities, []));
  });

  it("refuses an id that is not a 64-byte public key", () => {
    assert.throws(() => permissionedNodes(new Map(), [{ enodeId: "ab".repeat(63) }]), /128 hex/);
  });
});

describe("Tessera", () => {
  const [aws, az] = twoClusterPlan.clusters;
  const member = aws.nodes[2];

  it("reaches other members at their stable address, https with TLS", () => {
    assert.deepEqual(tesseraPeerUrls(member, twoClusterPlan.clusters, "off", []), ["http://10.65.1.20:9000"]);
    assert.equal(tesseraP2pUrl(az.nodes[3], az, "strict"), "https://10.65.1.20:9000");
    const [kind] = localPlan.clusters;
    assert.deepEqual(tesseraPeerUrls(kind.nodes[3], localPlan.clusters, "off", []), [
      "http://kind-member-1.goquorum.svc.cluster.local:9000",
    ]);
  });

  it("writes a GoQuorum-compatible config with TLS off", () => {
    const peers = tesseraPeerUrls(member, twoClusterPlan.clusters, "off", []);
    const config = tesseraConfig(member, aws.namespace, peers, "off");
    const json = JSON.parse(JSON.stringify(config));
    assert.ok(!("mode" in json), "no mode key (orion would break GoQuorum)");
    assert.ok(!JSON.stringify(json).includes("orion"));
    // Peers are the static list, and a key counts only once its holder proves it (see TESSERA_PEERS).
    assert.equal(json.useWhiteList, false);
    assert.equal(json.disablePeerDiscovery, true);
    assert.deepEqual(json.jdbc, {
      username: "sa",
      password: "",
      url: TESSERA_DB_URL,
      autoCreateTables: true,
    });
    assert.equal(TESSERA_DB_URL, "jdbc:h2:/data/tessera/db;MODE=Oracle;TRACE_LEVEL_SYSTEM_OUT=0");
    const byApp = Object.fromEntries(json.serverConfigs.map((s: { app: string }) => [s.app, s]));
    assert.deepEqual(Object.keys(byApp).sort(), ["P2P", "Q2T", "ThirdParty"]);
    for (const server of json.serverConfigs) {
      assert.equal(server.enabled, true);
      assert.equal(server.communicationType, "REST");
    }
    assert.equal(
      byApp.ThirdParty.serverAddress,
      `http://aws1-member-0.goquorum.svc.cluster.local:${PORTS.tesseraThirdParty}`,
    );
    assert.equal(byApp.Q2T.serverAddress, "unix:/ptm/tm.ipc");
    assert.equal(byApp.Q2T.sslConfig, undefined);
    assert.equal(byApp.P2P.serverAddress, "http://10.64.1.20:9000");
    assert.deepEqual(byApp.P2P.sslConfig, { tls: "OFF" });
    assert.deepEqual(json.peer, [{ url: "http://10.65.1.20:9000" }]);
    assert.deepEqual(json.keys, {
      keyData: [{ privateKeyPath: "/keys/tm.key", publicKeyPath: "/keys/tm.pub" }],
    });
    assert.ok(!("passwordFile" in json.keys));
    assert.deepEqual(json.features, {
      enablePrivacyEnhancements: false,
      enableMultiplePrivateStates: false,
      enableRemoteKeyValidation: true,
    });
  });

  it("lists every member at exactly the URL it advertises, also in its own cluster (discovery is off)", () => {
    const { plan } = planNetwork(
      stackConfig([
        awsCluster("aws1", { cidr: "10.64.0.0/16", nodes: { validators: 1, members: 2 } }),
        azureCluster("az1", { cidr: "10.65.0.0/16", nodes: { validators: 1, members: 2 } }),
      ]),
    );
    assert.ok(plan);
    const members = plan.clusters.flatMap((cluster) =>
      cluster.nodes.filter((n) => n.role === "member").map((node) => ({ node, cluster })),
    );
    assert.equal(members.length, 4);
    for (const tls of ["off", "strict"] as const) {
      const advertised = new Map(
        members.map(({ node, cluster }) => {
          const config = tesseraConfig(node, cluster.namespace, [], tls);
          return [node.name, config.serverConfigs.find((s) => s.app === "P2P")?.serverAddress];
        }),
      );
      for (const { node } of members) {
        const peers = tesseraPeerUrls(node, plan.clusters, tls, []);
        const expected = members
          .filter((m) => m.node.name !== node.name)
          .map((m) => advertised.get(m.node.name));
        assert.deepEqual(peers, expected, `${node.name} (${tls})`);
      }
    }
  });

  it("writes mutual CA-trusted TLS on P2P only when strict", () => {
    const config = tesseraConfig(member, aws.namespace, [], "strict");
    const p2p = config.serverConfigs.find((s) => s.app === "P2P");
    const q2t = config.serverConfigs.find((s) => s.app === "Q2T");
    const thirdParty = config.serverConfigs.find((s) => s.app === "ThirdParty");
    assert.equal(p2p?.serverAddress, "https://10.64.1.20:9000");
    assert.equal(q2t?.serverAddress, "unix:/ptm/tm.ipc");
    // The third-party API stays plain HTTP: the kubelet probes Tessera there.
    assert.equal(thirdParty?.serverAddress.startsWith("http://"), true);
    assert.equal("sslConfig" in (thirdParty ?? {}), false);
    assert.deepEqual(p2p?.sslConfig, {
      tls: "STRICT",
      generateKeyStoreIfNotExisted: false,
      serverTlsKeyPath: "/keys/tls/tls.key",
      serverTlsCertificatePath: "/keys/tls/tls.crt",
      serverTrustMode: "CA",
      serverTrustCertificates: ["/keys/tls/ca.crt"],
      clientTlsKeyPath: "/keys/tls/tls.key",
      clientTlsCertificatePath: "/keys/tls/tls.crt",
      clientTrustMode: "CA",
      clientTrustCertificates: ["/keys/tls/ca.crt"],
    });
  });

  it("advertises the Service name on a local cluster", () => {
    const [kind] = localPlan.clusters;
    const config = tesseraConfig(kind.nodes[3], kind.namespace, [], "off");
    const p2p = config.serverConfigs.find((s) => s.app === "P2P");
    assert.equal(p2p?.serverAddress, "http://kind-member-0.goquorum.svc.cluster.local:9000");
  });
});

describe("peer ranges", () => {
  const { plan } = planNetwork(
    stackConfig(
      [
        awsCluster("pods", {
          cidr: "10.1.0.0/16",
          podCidr: "100.65.0.0/16",
          cni: { mode: "custom-networking" },
        }),
        awsCluster("flat", { cidr: "10.2.0.0/16" }),
        azureCluster("subnet", {
          cidr: "10.3.0.0/16",
          podCidr: "100.66.0.0/16",
          cni: { mode: "pod-subnet" },
        }),
        azureCluster("overlay", { cidr: "10.4.0.0/16", podCidr: "100.67.0.0/16", cni: { mode: "overlay" } }),
      ],
      {
        connectivity: {
          externalPeers: [
            { name: "bank-a", enode: `enode://${PUB}@192.168.7.10:30303`, range: "192.168.7.0/24" },
          ],
        },
      },
    ),
  );
  const of = (name: string) => peerRanges({ name }, plan as NetworkPlan);

  it("are the other clusters' routed ranges (pod ranges only where pods are routable), then external peers", () => {
    assert.deepEqual(of("flat"), [
      "10.1.0.0/16",
      "100.65.0.0/16",
      "10.3.0.0/16",
      "100.66.0.0/16",
      "10.4.0.0/16",
      "192.168.7.0/24",
    ]);
    assert.deepEqual(of("overlay"), [
      "10.1.0.0/16",
      "100.65.0.0/16",
      "10.2.0.0/16",
      "10.3.0.0/16",
      "100.66.0.0/16",
      "192.168.7.0/24",
    ]);
  });

  it("never hold the cluster's own ranges, nor a service range or an overlay pod range", () => {
    for (const cluster of plan?.clusters ?? []) {
      const ranges = of(cluster.name);
      assert.ok(!ranges.includes(cluster.cidr as string) && !ranges.includes(cluster.serviceCidr as string));
      assert.ok(!ranges.includes("100.67.0.0/16"));
    }
    assert.deepEqual(peerRanges(localPlan.clusters[0], localPlan), []);
  });
});

describe("external peers", () => {
  const peer = {
    enodeId: "cd".repeat(64),
    host: "192.168.7.10",
    port: 30305,
    tesseraUrl: "https://192.168.7.11:9000",
  };
  const identities = throwawayIdentities(twoClusterPlan, "external");

  it("join every cluster's static peers after our nodes, in the same enode form", () => {
    for (const cluster of twoClusterPlan.clusters) {
      const list = staticNodesFor(cluster, allNodes(twoClusterPlan.clusters), identities, [peer]);
      assert.equal(list.length, allNodes(twoClusterPlan.clusters).length + 1);
      assert.equal(list.at(-1), `enode://${"cd".repeat(64)}@192.168.7.10:30305?discport=0`);
      assert.match(list.at(-1) as string, ENODE);
    }
  });

  it("join every member's Tessera peer list when they run Tessera", () => {
    const member = twoClusterPlan.clusters[0].nodes[2];
    assert.deepEqual(
      tesseraPeerUrls(member, twoClusterPlan.clusters, "off", [peer, { tesseraUrl: undefined }]),
      ["http://10.65.1.20:9000", "https://192.168.7.11:9000"],
    );
  });
});

describe("sameClusterMemberRanges / loadBalancerSourceRanges", () => {
  const node = (name: string, role: NodePlan["role"], zone?: string): NodePlan => ({
    name,
    cluster: "c",
    role,
    index: 0,
    client: "goquorum",
    ...(zone ? { zone } : {}),
    endpointIp: "10.0.200.4",
  });
  const subnet = (name: string, purpose: "private" | "pods" | "endpoints", cidr: string, zone?: string) => ({
    name,
    purpose,
    cidr,
    ...(zone ? { zone } : {}),
    usableAddresses: 100,
  });
  const nodes = [node("m0", "member", "a"), node("m1", "member", "b"), node("v0", "validator", "a")];
  const zonal = [
    subnet("private-a", "private", "10.0.0.0/18", "a"),
    subnet("private-b", "private", "10.0.64.0/18", "b"),
    subnet("endpoints-a", "endpoints", "10.0.200.0/24", "a"),
  ];
  const cases: { name: string; cluster: Pick<ClusterPlan, "nodes" | "subnets" | "podCidr">; m0: string[] }[] =
    [
      {
        name: "pods on the node subnets: the other member's zone",
        cluster: { nodes, subnets: zonal },
        m0: ["10.0.64.0/18"],
      },
      {
        name: "custom networking: the other member's zonal pod subnet",
        cluster: {
          nodes,
          subnets: [
            ...zonal,
            subnet("pods-a", "pods", "100.64.0.0/17", "a"),
            subnet("pods-b", "pods", "100.64.128.0/17", "b"),
          ],
          podCidr: "100.64.0.0/16",
        },
        m0: ["100.64.128.0/17"],
      },
      {
        name: "Azure pod subnet: the regional pod subnet",
        cluster: {
          nodes,
          subnets: [subnet("nodes", "private", "10.1.0.0/17"), subnet("pods", "pods", "100.96.0.0/16")],
          podCidr: "100.96.0.0/16",
        },
        m0: ["100.96.0.0/16"],
      },
      {
        name: "Azure overlay: the overlay pod range",
        cluster: { nodes, subnets: [subnet("nodes", "private", "10.1.0.0/17")], podCidr: "100.100.0.0/16" },
        m0: ["100.100.0.0/16"],
      },
    ];
  for (const c of cases) {
    it(c.name, () => {
      const [m0, m1, v0] = c.cluster.nodes as [NodePlan, NodePlan, NodePlan];
      assert.deepEqual(sameClusterMemberRanges(m0, c.cluster), c.m0);
      assert.deepEqual(sameClusterMemberRanges(v0, c.cluster), []);
      assert.deepEqual(loadBalancerSourceRanges(m0, c.cluster, ["10.9.0.0/16"]), ["10.9.0.0/16", ...c.m0]);
      assert.deepEqual(loadBalancerSourceRanges(v0, c.cluster, ["10.9.0.0/16"]), ["10.9.0.0/16"]);
      assert.equal(sameClusterMemberRanges(m1, c.cluster).length, 1);
    });
  }

  it("a lone member admits no range of its own cluster", () => {
    const cluster = { nodes: [node("m0", "member", "a"), node("v0", "validator", "b")], subnets: zonal };
    assert.deepEqual(sameClusterMemberRanges(cluster.nodes[0] as NodePlan, cluster), []);
  });
});
