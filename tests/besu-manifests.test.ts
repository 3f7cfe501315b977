/**
 * Besu workloads: flags valid for the pinned release, identity from the node's key (never a generated one),
 * non-root with a read-only root filesystem, probes on Besu's health endpoints, the disruption gate, and the
 * same Services, load balancer and labels as the GoQuorum node it replaces.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { StatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import { Job } from "kubernetes-models/batch/v1/Job";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import { awsLoadBalancerAnnotations } from "../infra/aws/loadBalancer";
import { BESU_IMAGE, BESU_RPC_API_GROUPS } from "../infra/besu/behaviour";
import {
  BESU_FLAGS,
  BESU_PATHS,
  type BesuNodeManifestInput,
  besuClusterManifests,
  besuNodeManifests,
  besuRpcApis,
} from "../infra/besu/manifests";
import { BESU_START_SCRIPT } from "../infra/besu/manifests/scripts";
import { BESU_OPTION_LIST_VERSIONS, besuOptions, unknownBesuOptions } from "../infra/besu/options";
import type { NetworkConfig } from "../infra/config/schema";
import type { ClusterPlan, NodePlan } from "../infra/plan/types";
import { keysSecretName, LABELS, nodeManifests, PATHS, PORT_NAMES } from "../infra/quorum/manifests";
import { disruptionGate } from "../infra/quorum/manifests/disruptionGate";
import { GATE_CONTAINER } from "../infra/quorum/manifests/gateScripts";
import { networkConfig } from "./helpers/config";

const network = (
  workloads: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
): NetworkConfig => networkConfig({ workloads, ...extra });

const node = (cluster: string, role: NodePlan["role"], extra: Partial<NodePlan> = {}): NodePlan => ({
  name: `${cluster}-${role}-0`,
  cluster,
  role,
  index: 0,
  client: "besu",
  ...extra,
});

const localCluster: ClusterPlan = {
  name: "kind",
  provider: "local",
  region: "local",
  namespace: "goquorum",
  zones: [],
  subnets: [],
  nodes: [node("kind", "validator"), node("kind", "rpc"), node("kind", "member")],
};

const awsCluster: ClusterPlan = {
  name: "aws1",
  provider: "aws",
  region: "eu-west-1",
  namespace: "quorum",
  cidr: "10.64.0.0/16",
  zones: ["eu-west-1a"],
  subnets: [
    { name: "private", purpose: "private", zone: "eu-west-1a", cidr: "10.64.0.0/20", usableAddresses: 4091 },
    { name: "endpoints", purpose: "endpoints", cidr: "10.64.200.0/24", usableAddresses: 251 },
  ],
  nodes: (["validator", "rpc", "member"] as const).map((role, i) =>
    node("aws1", role, { zone: "eu-west-1a", endpointIp: `10.64.200.${10 + i}` }),
  ),
};

const input = (
  cluster: ClusterPlan,
  role: NodePlan["role"],
  net = network(),
  extra: Partial<BesuNodeManifestInput> = {},
): BesuNodeManifestInput => {
  const n = cluster.nodes.find((c) => c.role === role) as NodePlan;
  return {
    network: net,
    cluster,
    node: n,
    totalNodes: 6,
    genesisValidators: cluster.nodes.filter((v) => v.role === "validator").map((v) => v.name),
    keys: { kind: "secret", keysSecret: keysSecretName(n) },
    peerCidrs: cluster.provider === "local" ? [] : ["10.65.0.0/16"],
    ...(n.endpointIp ? { loadBalancerAnnotations: awsLoadBalancerAnnotations(cluster, n) } : {}),
    besuImage: "hyperledger/besu:26.8.0",
    nodeAllowlist: true,
    disruptionGate: disruptionGate({ quorum: 3, tolerates: 1 }),
    ...extra,
  };
};

const podOf = (i: BesuNodeManifestInput) => besuNodeManifests(i).statefulSet.spec?.template.spec as IPodSpec;
const besuOf = (i: BesuNodeManifestInput): IContainer => {
  const c = podOf(i).containers.find((x) => x.name === "besu");
  assert.ok(c, "besu container");
  return c;
};
const flagsOf = (c: IContainer) =>
  new Map(
    (c.args ?? []).map((a) => {
      const m = /^--([^=]+)=(.*)$/s.exec(a);
      assert.ok(m, `${a} is not --name=value`);
      return [m[1] as string, m[2] as string];
    }),
  );

const VARIANTS: [string, NetworkConfig][] = [
  ["defaults", network()],
  [
    "websocket, CORS, archive, vhosts, debug logging, unsafe APIs allowed",
    network({
      logVerbosity: 5,
      rpc: {
        websocket: true,
        corsOrigins: ["https://app.example.org"],
        archive: true,
        vhosts: ["rpc.example.org"],
        apis: ["eth", "net", "web3", "txpool", "istanbul", "admin", "debug", "miner"],
        allowUnsafeApis: true,
      },
    }),
  ],
  ["silent", network({ logVerbosity: 0 })],
];

describe("every Besu flag exists in both pinned releases", () => {
  for (const version of BESU_OPTION_LIST_VERSIONS) {
    it(`${version}: every name BESU_FLAGS may emit`, () => {
      const options = besuOptions(version);
      for (const name of BESU_FLAGS)
        assert.ok(options.has(`--${name}`), `--${name} is not a ${version} option`);
    });
    for (const [what, net] of VARIANTS) {
      for (const cluster of [localCluster, awsCluster]) {
        for (const role of ["validator", "rpc", "member"] as const) {
          for (const nodeAllowlist of [true, false]) {
            it(`${version}: ${role} on ${cluster.provider}, ${what}, allowlist ${nodeAllowlist ? "on" : "off"}`, () => {
              const args = besuOf(input(cluster, role, net, { nodeAllowlist })).args ?? [];
              assert.deepEqual(unknownBesuOptions(version, args), []);
              assert.equal(
                flagsOf(besuOf(input(cluster, role, net, { nodeAllowlist }))).size,
                args.length,
                "no flag twice",
              );
            });
          }
        }
      }
    }
  }
  it("the check would catch a misspelt flag and one only a subcommand takes", () => {
    assert.deepEqual(
      unknownBesuOptions("26.8.0", ["--rpc-http-apiz=ETH", "--password=x", "--data-path=/d"]),
      ["--rpc-http-apiz=ETH", "--password=x"],
    );
    assert.deepEqual([...BESU_OPTION_LIST_VERSIONS].sort(), ["25.7.0", "26.8.0"]);
  });
});

describe("the node's identity: its existing key, never a generated one", () => {
  it("reads the GoQuorum nodekey path from the read-only /keys mount", () => {
    const c = besuOf(input(localCluster, "validator"));
    assert.equal(flagsOf(c).get("node-private-key-file"), PATHS.nodeKey);
    const keys = c.volumeMounts?.find((m) => m.mountPath === "/keys");
    assert.equal(keys?.readOnly, true);
    assert.deepEqual(
      podOf(input(localCluster, "member")).volumes?.find((v) => v.name === "nodekey")?.secret?.items,
      [{ key: "nodekey", path: "nodekey" }],
      "a Besu member mounts the node key only, no Tessera key",
    );
  });
  it("mounts only the node key from a vault too", () => {
    const pod = podOf(
      input(localCluster, "member", network(), { keys: { kind: "csi", secretProviderClass: "spc" } }),
    );
    const besu = pod.containers.find((c) => c.name === "besu");
    assert.deepEqual(
      besu?.volumeMounts?.filter((m) => m.mountPath.startsWith("/keys")),
      [{ name: "keys", mountPath: "/keys/nodekey", subPath: "nodekey", readOnly: true }],
    );
  });
  it("skips the image's root entrypoint and starts Besu through the key check", () => {
    const c = besuOf(input(localCluster, "rpc"));
    assert.deepEqual(c.command, [BESU_IMAGE.shell, "-c", BESU_START_SCRIPT, "besu"]);
  });

  const root = mkdtempSync(path.join(tmpdir(), "besu-start-"));
  const run = (keyContent: string | undefined) => {
    const dir = mkdtempSync(path.join(root, "k-"));
    mkdirSync(path.join(dir, "keys"));
    if (keyContent !== undefined) writeFileSync(path.join(dir, "keys", "nodekey"), keyContent);
    const script = BESU_START_SCRIPT.replaceAll(PATHS.nodeKey, path.join(dir, "keys", "nodekey")).replace(
      BESU_IMAGE.executable,
      "echo started",
    );
    return spawnSync("bash", ["-c", script, "besu", "--data-path=/data/besu", "--a=b c"], {
      encoding: "utf8",
    });
  };
  it("refuses to start Besu when the key file is missing or empty", () => {
    for (const key of [undefined, ""]) {
      const r = run(key);
      assert.equal(r.status, 1);
      assert.doesNotMatch(r.stdout, /started/);
      assert.match(r.stderr, /no node key/);
    }
  });
  it("starts Besu with the args as given (no re-splitting) when the key is there", () => {
    const r = run(`${"ab".repeat(32)}\n`);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, "started --data-path=/data/besu --a=b c\n");
  });
});

describe("non-root, restricted, read-only root filesystem, data off /opt/besu", () => {
  for (const role of ["validator", "rpc", "member"] as const) {
    it(role, () => {
      const i = input(awsCluster, role);
      const pod = podOf(i);
      assert.equal(pod.securityContext?.runAsUser, BESU_IMAGE.uid);
      assert.equal(pod.securityContext?.runAsNonRoot, true);
      assert.equal(pod.securityContext?.seccompProfile?.type, "RuntimeDefault");
      for (const c of pod.containers) {
        assert.equal(c.securityContext?.readOnlyRootFilesystem, true, c.name);
        assert.equal(c.securityContext?.allowPrivilegeEscalation, false, c.name);
        assert.deepEqual(c.securityContext?.capabilities?.drop, ["ALL"], c.name);
      }
      assert.equal(pod.initContainers, undefined, "no root chown init container");
      const besu = besuOf(i);
      const dataPath = flagsOf(besu).get("data-path") ?? "";
      assert.ok(!dataPath.startsWith(BESU_IMAGE.home), dataPath);
      const dataMount = besu.volumeMounts?.find((m) => dataPath.startsWith(`${m.mountPath}/`));
      assert.equal(dataMount?.name, "besu-data");
      // /tmp is writable for the pid file and the JVM.
      assert.ok(besu.volumeMounts?.some((m) => m.mountPath === "/tmp" && !m.readOnly));
      assert.ok(BESU_IMAGE.pidPath.startsWith("/tmp/"));
      const sts = besuNodeManifests(i).statefulSet;
      assert.deepEqual(
        sts.spec?.volumeClaimTemplates?.map((t) => t.metadata?.name),
        ["besu-data"],
        "not GoQuorum's `data`: a switched node gets a fresh volume",
      );
      assert.equal(sts.spec?.persistentVolumeClaimRetentionPolicy?.whenDeleted, "Retain");
      new StatefulSet(sts as never).validate();
    });
  }
  it("a member runs no Tessera", () => {
    const pod = podOf(input(localCluster, "member"));
    assert.deepEqual(
      pod.containers.map((c) => c.name),
      ["besu"],
    );
    assert.ok(!pod.volumes?.some((v) => /tessera|ptm/.test(v.name)));
    assert.throws(
      () => besuNodeManifests(input(localCluster, "member", network(), { tesseraConfigJson: "{}" })),
      /runs no Tessera/,
    );
  });
});

describe("flags", () => {
  it("gas-free, p2p on 30303 without discovery, DNS names, the node's advertised address", () => {
    const cloud = flagsOf(besuOf(input(awsCluster, "validator")));
    assert.equal(cloud.get("min-gas-price"), "0");
    assert.equal(cloud.get("p2p-port"), "30303");
    assert.equal(cloud.get("discovery-enabled"), "false");
    assert.equal(cloud.get("p2p-host"), "10.64.200.10", "other clusters dial its load balancer");
    assert.equal(flagsOf(besuOf(input(localCluster, "validator"))).get("p2p-host"), "$(POD_IP)");
    assert.equal(cloud.get("Xdns-enabled"), "true");
    assert.equal(cloud.get("Xdns-update-enabled"), "true");
    assert.equal(cloud.get("sync-mode"), "FULL");
    assert.equal(cloud.get("static-nodes-file"), BESU_PATHS.staticNodes);
    assert.equal(cloud.get("metrics-host"), "0.0.0.0");
    assert.equal(cloud.get("metrics-port"), "9545");
    assert.equal(cloud.get("genesis-file"), BESU_PATHS.genesis);
  });
  it("the node allowlist only when enabled", () => {
    assert.equal(
      flagsOf(besuOf(input(localCluster, "rpc"))).get("permissions-nodes-config-file"),
      BESU_PATHS.permissions,
    );
    assert.equal(
      flagsOf(besuOf(input(localCluster, "rpc", network(), { nodeAllowlist: false }))).has(
        "permissions-nodes-config-file-enabled",
      ),
      false,
    );
  });
  it("validators serve JSON-RPC on loopback only, with what their probes and gate need", () => {
    const f = flagsOf(besuOf(input(localCluster, "validator")));
    assert.equal(f.get("rpc-http-host"), "127.0.0.1");
    assert.equal(f.get("rpc-http-api"), "ETH,NET,QBFT,ADMIN");
    assert.equal(f.has("rpc-ws-enabled"), false);
  });
  it("RPC nodes map the configured namespaces to Besu groups, with WS and CORS as configured", () => {
    const f = flagsOf(besuOf(input(localCluster, "rpc", VARIANTS[1]?.[1])));
    assert.equal(f.get("rpc-http-host"), "0.0.0.0");
    assert.equal(f.get("rpc-http-api"), "ETH,NET,WEB3,TXPOOL,QBFT,ADMIN,DEBUG,MINER");
    assert.equal(f.get("rpc-ws-api"), f.get("rpc-http-api"));
    assert.equal(f.get("rpc-ws-port"), "8546");
    assert.equal(f.get("rpc-http-cors-origins"), "https://app.example.org");
    assert.equal(f.get("data-storage-format"), "FOREST");
    assert.equal(f.get("logging"), "TRACE");
    const d = flagsOf(besuOf(input(localCluster, "rpc")));
    assert.equal(d.get("rpc-http-api"), "ETH,NET,WEB3,TXPOOL,QBFT");
    assert.equal(d.has("rpc-http-cors-origins"), false);
    assert.equal(d.has("data-storage-format"), false);
    assert.equal(d.get("logging"), "INFO");
  });
  it("the host allowlist admits probes, scrapes, Service names and vhosts, never *", () => {
    const hosts = flagsOf(besuOf(input(localCluster, "rpc", VARIANTS[1]?.[1])))
      .get("host-allowlist")
      ?.split(",");
    for (const h of [
      "localhost",
      "127.0.0.1",
      "$(POD_IP)",
      "kind-rpc-0",
      "kind-rpc-0.goquorum.svc.cluster.local",
      "rpc.example.org",
    ]) {
      assert.ok(hosts?.includes(h), h);
    }
    assert.ok(!hosts?.includes("*"));
    assert.ok(
      besuOf(input(localCluster, "rpc")).env?.some(
        (e) => e.name === "POD_IP" && e.valueFrom?.fieldRef?.fieldPath === "status.podIP",
      ),
    );
    assert.throws(
      () => besuOf(input(localCluster, "rpc", network({ rpc: { vhosts: ["*"] } }))),
      /vhosts contains \*/,
    );
  });
  it("refuses namespaces Besu lacks, and unsafe ones without allowUnsafeApis", () => {
    assert.throws(
      () => besuRpcApis(["eth", "quorumExtension"], false),
      /quorumExtension, which Besu does not have/,
    );
    assert.throws(() => besuRpcApis(["eth", "personal"], true), /personal, which Besu does not have/);
    assert.throws(() => besuRpcApis(["eth", "admin"], false), /allowUnsafeApis/);
    assert.deepEqual(besuRpcApis(["eth", "eth", "istanbul"], false), ["ETH", "QBFT"]);
    for (const [ns, group] of Object.entries(BESU_RPC_API_GROUPS)) {
      if (group !== null) assert.match(group, /^[A-Z][A-Z0-9]*$/, ns);
    }
  });
});

describe("probes on Besu's health endpoints", () => {
  it("RPC and member nodes: HTTP on the RPC port, readiness with peer and lag thresholds", () => {
    for (const role of ["rpc", "member"] as const) {
      const c = besuOf(input(localCluster, role));
      assert.deepEqual(c.readinessProbe?.httpGet, {
        path: "/readiness?minPeers=1&maxBlocksBehind=2",
        port: PORT_NAMES.rpcHttp,
      });
      assert.deepEqual(c.livenessProbe?.httpGet, { path: "/liveness", port: PORT_NAMES.rpcHttp });
      assert.equal(c.startupProbe?.httpGet?.path, "/liveness");
      assert.ok((c.startupProbe?.failureThreshold ?? 0) * (c.startupProbe?.periodSeconds ?? 0) >= 600);
    }
  });
  it("a single-node network needs no peer", () => {
    const single = { ...localCluster, nodes: localCluster.nodes.filter((n) => n.role === "rpc") };
    const c = besuOf(input(single, "rpc", network(), { totalNodes: 1 }));
    assert.equal(c.readinessProbe?.httpGet?.path, "/readiness?minPeers=0&maxBlocksBehind=2");
  });
  it("validators: the same checks in the container, genesis validators also in the validator set", () => {
    const genesis = besuOf(input(localCluster, "validator")).readinessProbe?.exec?.command ?? [];
    assert.deepEqual(genesis.slice(0, 3), ["timeout", "5", "/bin/bash"]);
    assert.deepEqual(genesis.slice(-4), ["readiness", "1", "2", "in-validator-set"]);
    const later = besuOf(input(localCluster, "validator", network(), { genesisValidators: [] }))
      .readinessProbe?.exec?.command;
    assert.deepEqual(later?.slice(-3), ["readiness", "1", "2"]);
  });
});

describe("the disruption gate", () => {
  it("every Besu validator runs a gate container in the Besu image, reading the threshold and the node addresses", () => {
    const pod = podOf(input(localCluster, "validator"));
    const gate = pod.containers.find((c) => c.name === GATE_CONTAINER);
    assert.equal(gate?.image, "hyperledger/besu:26.8.0");
    assert.deepEqual(
      gate?.volumeMounts?.map((m) => m.mountPath),
      ["/config/disruption-gate", "/config/besu-peers", "/tmp"],
    );
    assert.ok(pod.volumes?.some((v) => v.configMap?.name === "goquorum-disruption-gate"));
    assert.equal(
      podOf(input(localCluster, "validator", network(), { disruptionGate: undefined })).containers.length,
      1,
    );
    assert.equal(podOf(input(localCluster, "rpc")).containers.length, 1);
  });
  it("the rollout gate Job precedes a Besu validator's StatefulSet and reads the client container the pod runs", () => {
    const job = besuNodeManifests(input(localCluster, "validator")).rolloutGate;
    assert.ok(job);
    const command = job.spec?.template.spec?.containers[0]?.command ?? [];
    assert.match(command[2] ?? "", /client=\$\(ready_of goquorum\)/);
    assert.match(command[2] ?? "", /client=\$\(ready_of besu\)/);
    assert.equal(command.at(-1), "kind-validator-0-0");
    new Job(job as never).validate();
    assert.equal(besuNodeManifests(input(localCluster, "rpc")).rolloutGate, undefined);
  });
});

describe("switching a node's client keeps everything others rely on", () => {
  for (const cluster of [localCluster, awsCluster]) {
    for (const role of ["validator", "rpc", "member"] as const) {
      it(`${role} on ${cluster.provider}: ServiceAccount, Service, load balancer, selector and labels`, () => {
        const besuInput = input(cluster, role);
        const goQuorumNode: NodePlan = { ...besuInput.node, client: "goquorum" };
        const goQuorum = nodeManifests({
          ...besuInput,
          node: goQuorumNode,
          ...(role === "member" ? { tesseraConfigJson: "{}" } : {}),
        });
        const besu = besuNodeManifests(besuInput);
        // A Besu member runs no Tessera: its Services lose exactly the Tessera ports, nothing else.
        const withoutTessera = <T extends { spec?: { ports?: { name?: string }[] } }>(svc: T | undefined) =>
          svc && {
            ...svc,
            spec: { ...svc.spec, ports: svc.spec?.ports?.filter((p) => !p.name?.startsWith("tessera")) },
          };
        assert.deepEqual(
          besu.service,
          role === "member" ? withoutTessera(goQuorum.service) : goQuorum.service,
        );
        assert.deepEqual(
          besu.p2pLoadBalancer,
          role === "member" ? withoutTessera(goQuorum.p2pLoadBalancer) : goQuorum.p2pLoadBalancer,
        );
        if (role === "member") {
          assert.ok(goQuorum.service.spec?.ports?.some((p) => p.name === "tessera-p2p"));
          assert.ok(!besu.service.spec?.ports?.some((p) => p.name?.startsWith("tessera")));
        }
        assert.deepEqual(besu.serviceAccount, goQuorum.serviceAccount);
        assert.deepEqual(besu.statefulSet.metadata, goQuorum.statefulSet.metadata);
        assert.deepEqual(besu.statefulSet.spec?.selector, goQuorum.statefulSet.spec?.selector);
        assert.equal(besu.statefulSet.spec?.serviceName, goQuorum.statefulSet.spec?.serviceName);
        const labels = besu.statefulSet.spec?.template.metadata?.labels ?? {};
        assert.equal(labels[LABELS.client], "besu");
        const { [LABELS.client]: _, ...rest } = labels;
        assert.deepEqual(rest, goQuorum.statefulSet.spec?.template.metadata?.labels);
        assert.equal(goQuorum.statefulSet.spec?.template.metadata?.labels?.[LABELS.client], undefined);
      });
    }
  }
  it("refuses a node planned for GoQuorum and a network on legacy IBFT", () => {
    const i = input(localCluster, "rpc");
    assert.throws(() => besuNodeManifests({ ...i, node: { ...i.node, client: "goquorum" } }), /not Besu/);
    assert.throws(
      () => besuNodeManifests(input(localCluster, "rpc", network({}, { consensus: "ibft" }))),
      /QBFT only/,
    );
  });
});

describe("the cluster's Besu files", () => {
  const files = {
    genesisJson: "{}\n",
    staticNodesJson: "[]\n",
    permissionsToml: "nodes-allowlist=[\n]\n",
    nodeAddresses: "\n",
  };
  it("only in a cluster with a Besu node, in ConfigMaps of their own", () => {
    const m = besuClusterManifests(network(), localCluster, files);
    assert.deepEqual(
      [m?.genesis.metadata.name, m?.peers.metadata.name],
      ["goquorum-besu-genesis", "goquorum-besu-peers"],
    );
    assert.deepEqual(Object.keys(m?.peers.data ?? {}), [
      "static-nodes.json",
      "permissions_config.toml",
      "node-addresses",
    ]);
    for (const c of [m?.genesis, m?.peers]) new ConfigMap(c as never).validate();
    const goQuorumOnly = {
      ...localCluster,
      nodes: localCluster.nodes.map((n) => ({ ...n, client: "goquorum" as const })),
    };
    assert.equal(besuClusterManifests(network(), goQuorumOnly, files), undefined);
  });
});
