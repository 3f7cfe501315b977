import assert from "node:assert/strict";
import { posix } from "node:path";
import { describe, it } from "node:test";
import { StatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { IContainer } from "kubernetes-models/v1/Container";
import { Namespace } from "kubernetes-models/v1/Namespace";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import { Service } from "kubernetes-models/v1/Service";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { awsLoadBalancerAnnotations } from "../infra/aws/loadBalancer";
import { azureLoadBalancerAnnotations } from "../infra/azure/loadBalancer";
import type { NetworkConfig } from "../infra/config/schema";
import { planNetwork } from "../infra/plan";
import type { ClusterPlan, NetworkPlan, NodePlan } from "../infra/plan/types";
import {
  type ClusterManifestInput,
  clusterManifests,
  GOQUORUM_FLAGS,
  gethArgs,
  type KubernetesObject,
  keysSecretName,
  listObjects,
  maxPeers,
  type NodeManifestInput,
  nodeKeyFiles,
  nodeManifests,
  PORT_NAMES,
} from "../infra/quorum/manifests";
import { checkServicePorts } from "../infra/quorum/manifests/node";
import {
  IN_VALIDATOR_SET,
  READINESS_ANSWER_SECONDS,
  READINESS_SCRIPT,
} from "../infra/quorum/manifests/scripts";
import { TESSERA_KEY_PATHS, TESSERA_TLS_PATHS } from "../infra/quorum/peers";
import { PORTS } from "../infra/quorum/ports";
import {
  awsCluster as awsConfig,
  azureCluster as azureConfig,
  networkConfig,
  stackConfig,
} from "./helpers/config";

// ---------------------------------------------------------------------------------------------------------
// Fixtures: a local cluster and cloud-like clusters with one node of each role.

const network = (workloads: Record<string, unknown> = {}): NetworkConfig => networkConfig({ workloads });

const node = (cluster: string, role: NodePlan["role"], extra: Partial<NodePlan> = {}): NodePlan => ({
  name: `${cluster}-${role}-0`,
  cluster,
  role,
  index: 0,
  client: "goquorum",
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

const cloudCluster = (provider: "aws" | "azure", name: string, base: number): ClusterPlan => ({
  name,
  provider,
  region: "region-1",
  namespace: "quorum",
  cidr: `10.${base}.0.0/16`,
  zones: ["zone-a", "zone-b"],
  subnets: [
    {
      name: "private-zone-a",
      purpose: "private",
      zone: "zone-a",
      cidr: `10.${base}.0.0/20`,
      usableAddresses: 4091,
    },
    { name: "endpoints", purpose: "endpoints", cidr: `10.${base}.200.0/24`, usableAddresses: 251 },
  ],
  nodes: (["validator", "rpc", "member"] as const).map((role, i) =>
    node(name, role, { zone: "zone-a", endpointIp: `10.${base}.200.${10 + i}` }),
  ),
});

const awsCluster = cloudCluster("aws", "aws1", 64);
const azureCluster = cloudCluster("azure", "az1", 65);
const PEER_CIDRS = ["10.65.0.0/16", "100.65.0.0/16"];
const TOTAL_NODES = 9;
const ENODE = (c: string, host: string) => `enode://${c.repeat(128)}@${host}:30303?discport=0`;
const STATIC_NODES = [ENODE("a", "10.65.200.10"), ENODE("b", "kind-rpc-0.goquorum.svc.cluster.local")];
const PERMISSIONED_NODES = [`enode://${"a".repeat(128)}`, `enode://${"b".repeat(128)}`];

const LOAD_BALANCERS: Partial<Record<ClusterPlan["provider"], typeof awsLoadBalancerAnnotations>> = {
  aws: awsLoadBalancerAnnotations,
  azure: azureLoadBalancerAnnotations,
};

const clusterInput = (cluster: ClusterPlan, net = network()): ClusterManifestInput => ({
  network: net,
  cluster,
  genesisJson: '{"config":{"chainId":1337}}',
  staticNodes: STATIC_NODES,
  permissionedNodes: PERMISSIONED_NODES,
  peerCidrs: cluster.provider === "local" ? [] : PEER_CIDRS,
});

const nodeInput = (
  cluster: ClusterPlan,
  role: NodePlan["role"],
  net = network(),
  extra: Partial<NodeManifestInput> = {},
): NodeManifestInput => {
  const n = cluster.nodes.find((candidate) => candidate.role === role) as NodePlan;
  return {
    network: net,
    cluster,
    node: n,
    totalNodes: TOTAL_NODES,
    genesisValidators: cluster.nodes.filter((v) => v.role === "validator").map((v) => v.name),
    keys: { kind: "secret", keysSecret: keysSecretName(n) },
    peerCidrs: cluster.provider === "local" ? [] : PEER_CIDRS,
    ...(role === "member" ? { tesseraConfigJson: '{"peer":[]}' } : {}),
    ...(n.endpointIp ? { loadBalancerAnnotations: LOAD_BALANCERS[cluster.provider]?.(cluster, n) } : {}),
    ...(cluster.provider === "aws" ? { storageClass: "gp3" } : {}),
    ...extra,
  };
};

const ROLES = ["validator", "rpc", "member"] as const;
const CLUSTERS = [localCluster, awsCluster, azureCluster];

const podSpec = (input: NodeManifestInput): IPodSpec =>
  nodeManifests(input).statefulSet.spec?.template.spec as IPodSpec;
const containerNamed = (spec: IPodSpec, name: string): IContainer => {
  const found = [...(spec.initContainers ?? []), ...spec.containers].find((c) => c.name === name);
  assert.ok(found, `container ${name}`);
  return found;
};
const gethOf = (input: NodeManifestInput) => containerNamed(podSpec(input), "goquorum");

/** `--name value` pairs of an argv (flags without a value map to `true`). */
function flagsOf(args: readonly string[]): Map<string, string | true> {
  const flags = new Map<string, string | true>();
  args.forEach((arg, i) => {
    if (!arg.startsWith("--")) return;
    const next = args[i + 1];
    flags.set(arg.slice(2), next !== undefined && !next.startsWith("--") ? next : true);
  });
  return flags;
}
const argsOf = (input: NodeManifestInput) => flagsOf(gethOf(input).args ?? []);

const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  Namespace,
  Service,
  ConfigMap,
  ServiceAccount,
  StatefulSet,
  PodDisruptionBudget,
  NetworkPolicy,
};

function allObjects(cluster: ClusterPlan, net = network()): KubernetesObject[] {
  return [
    ...listObjects(clusterManifests(clusterInput(cluster, net))),
    ...ROLES.flatMap((role) => listObjects(nodeManifests(nodeInput(cluster, role, net)))),
  ];
}

// ---------------------------------------------------------------------------------------------------------

describe("rendered objects", () => {
  for (const cluster of CLUSTERS) {
    it(`validate against the Kubernetes schemas (${cluster.provider})`, () => {
      const net = network({ rpc: { websocket: true, corsOrigins: ["https://app.example"] } });
      for (const object of allObjects(cluster, net)) {
        const Model = MODELS[object.kind];
        assert.ok(Model, `model for ${object.kind}`);
        assert.doesNotThrow(
          () => new Model(object as never).validate(),
          `${object.kind} ${object.metadata.name}`,
        );
      }
    });

    it(`are self-contained: namespace and labels on every object (${cluster.provider})`, () => {
      for (const object of allObjects(cluster)) {
        const { metadata } = object;
        if (object.kind === "Namespace") assert.equal(metadata.namespace, undefined);
        else assert.equal(metadata.namespace, cluster.namespace, `${object.kind} ${metadata.name}`);
        assert.equal(metadata.labels["app.kubernetes.io/name"], "goquorum");
        assert.equal(metadata.labels["app.kubernetes.io/part-of"], "testnet");
        assert.equal(metadata.labels["app.kubernetes.io/managed-by"], "pulumi");
        assert.equal(metadata.labels["goquorum.network/cluster"], cluster.name);
      }
    });
  }

  it("share no object between two places (a consumer may mutate one safely)", () => {
    const seen = new Set<object>();
    const walk = (value: unknown, path: string) => {
      if (typeof value !== "object" || value === null) return;
      assert.ok(!seen.has(value), `shared reference at ${path}`);
      seen.add(value);
      for (const [key, child] of Object.entries(value)) walk(child, `${path}.${key}`);
    };
    allObjects(awsCluster).forEach((object, i) => {
      walk(object, `${i}:${object.kind}`);
    });
  });

  it("name ports as IANA service names (at most 15 characters)", () => {
    for (const name of Object.values(PORT_NAMES))
      assert.match(name, /^(?=.*[a-z])[a-z0-9](-?[a-z0-9]){0,14}$/, name);
    assert.ok(Object.values(PORT_NAMES).every((name) => name.length <= 15));
  });

  it("label each node's objects with its instance and role", () => {
    const { statefulSet, service, serviceAccount } = nodeManifests(nodeInput(awsCluster, "rpc"));
    for (const labels of [
      statefulSet.metadata.labels,
      service.metadata.labels,
      serviceAccount.metadata.labels,
    ]) {
      assert.equal(labels["app.kubernetes.io/instance"], "aws1-rpc-0");
      assert.equal(labels["app.kubernetes.io/component"], "rpc");
    }
    // The pod template adds what a route's Service selects; the volume claim template (immutable) never changes.
    assert.deepEqual(statefulSet.spec?.template.metadata?.labels, {
      ...statefulSet.metadata.labels,
      "goquorum.network/serves-rpc": "true",
    });
    assert.deepEqual(
      statefulSet.spec?.volumeClaimTemplates?.[0]?.metadata?.labels,
      statefulSet.metadata.labels,
    );
    const validator = nodeManifests(nodeInput(awsCluster, "validator")).statefulSet;
    assert.deepEqual(validator.spec?.template.metadata?.labels, validator.metadata.labels);
  });
});

describe("cluster manifests", () => {
  const manifests = clusterManifests(clusterInput(awsCluster));

  it("enforce the restricted Pod Security Standard on the namespace", () => {
    assert.equal(manifests.namespace.metadata.name, "quorum");
    assert.equal(manifests.namespace.metadata.labels["pod-security.kubernetes.io/enforce"], "restricted");
  });

  it("govern the StatefulSets with a headless Service that publishes unready pods", () => {
    const spec = manifests.governingService.spec;
    assert.equal(manifests.governingService.metadata.name, "goquorum");
    assert.equal(spec?.clusterIP, "None");
    assert.equal(spec?.publishNotReadyAddresses, true);
    assert.deepEqual(spec?.selector, {
      "app.kubernetes.io/name": "goquorum",
      "app.kubernetes.io/part-of": "testnet",
    });
  });

  it("carry the genesis byte for byte and the static nodes as a JSON array", () => {
    // A new name: the one before this was immutable, and the API server refuses to make it mutable.
    assert.equal(manifests.genesis.metadata.name, "goquorum-genesis-file");
    assert.equal(manifests.genesis.immutable, undefined, "transitions are added to it in place");
    assert.equal(manifests.genesis.data?.["genesis.json"], '{"config":{"chainId":1337}}');
    assert.equal(manifests.staticNodes.metadata.name, "goquorum-static-nodes");
    assert.deepEqual(JSON.parse(manifests.staticNodes.data?.["static-nodes.json"] ?? ""), STATIC_NODES);
    assert.deepEqual(
      JSON.parse(manifests.staticNodes.data?.["permissioned-nodes.json"] ?? ""),
      PERMISSIONED_NODES,
    );
  });

  it("budget one voluntary disruption per role present", () => {
    const onlyValidators = { ...localCluster, nodes: [node("kind", "validator")] };
    const budgets = clusterManifests(clusterInput(onlyValidators)).disruptionBudgets;
    assert.deepEqual(
      budgets.map((b) => [b.metadata.name, b.spec?.maxUnavailable, b.spec?.selector?.matchLabels]),
      [
        [
          "goquorum-validator",
          1,
          {
            "app.kubernetes.io/name": "goquorum",
            "app.kubernetes.io/part-of": "testnet",
            "app.kubernetes.io/component": "validator",
          },
        ],
      ],
    );
    assert.deepEqual(
      manifests.disruptionBudgets.map((b) => b.metadata.name),
      ["goquorum-validator", "goquorum-rpc", "goquorum-member"],
    );
  });
});

describe("network policies", () => {
  const net = network({
    rpc: { allowedCidrs: ["192.168.0.0/24"], websocket: true },
    tessera: { thirdPartyAllowedCidrs: ["192.168.1.0/24"] },
    monitoringNamespace: "observability",
  });
  const policies = clusterManifests(clusterInput(awsCluster, net)).networkPolicies;
  const policy = (name: string) => {
    const found = policies.find((p) => p.metadata.name === name);
    assert.ok(found, name);
    return found;
  };
  const rule = (name: string) => {
    const ingress = policy(name).spec?.ingress ?? [];
    assert.equal(ingress.length, 1);
    const [only] = ingress;
    return {
      cidrs: (only?.from ?? []).flatMap((peer) => (peer.ipBlock ? [peer.ipBlock.cidr] : [])),
      sameNamespace: (only?.from ?? []).some((peer) => peer.podSelector && !peer.namespaceSelector),
      namespaces: (only?.from ?? []).flatMap((peer) =>
        peer.namespaceSelector ? [peer.namespaceSelector.matchLabels?.["kubernetes.io/metadata.name"]] : [],
      ),
      ports: (only?.ports ?? []).map((p) => p.port),
    };
  };

  it("deny all ingress by default and leave egress open", () => {
    const deny = policy("default-deny-ingress").spec;
    assert.deepEqual(deny?.podSelector, {});
    assert.deepEqual(deny?.policyTypes, ["Ingress"]);
    assert.equal(deny?.ingress, undefined);
    for (const p of policies) assert.deepEqual(p.spec?.policyTypes, ["Ingress"]);
  });

  it("open p2p to the peer ranges, the load balancer subnet and the namespace only", () => {
    const endpoints = ["10.64.200.0/24"];
    assert.deepEqual(rule("allow-p2p"), {
      cidrs: [...PEER_CIDRS, ...endpoints],
      sameNamespace: true,
      namespaces: [],
      ports: [PORTS.p2p],
    });
    assert.deepEqual(rule("allow-tessera-p2p").ports, [PORTS.tesseraP2p]);
    assert.equal(
      policy("allow-tessera-p2p").spec?.podSelector.matchLabels?.["app.kubernetes.io/component"],
      "member",
    );
  });

  it("open RPC on rpc and member pods to the allowed client ranges and the namespace only", () => {
    assert.deepEqual(rule("allow-rpc"), {
      cidrs: ["192.168.0.0/24"],
      sameNamespace: true,
      namespaces: [],
      ports: [PORTS.rpcHttp, PORTS.rpcWs],
    });
    assert.deepEqual(policy("allow-rpc").spec?.podSelector.matchExpressions, [
      { key: "app.kubernetes.io/component", operator: "In", values: ["rpc", "member"] },
    ]);
    const closed = clusterManifests(clusterInput(awsCluster)).networkPolicies.find(
      (p) => p.metadata.name === "allow-rpc",
    );
    assert.deepEqual(closed?.spec?.ingress?.[0]?.from, [{ podSelector: {} }]);
    assert.deepEqual(
      closed?.spec?.ingress?.[0]?.ports?.map((p) => p.port),
      [PORTS.rpcHttp],
    );
  });

  it("open Tessera's third-party API to its allowed ranges and the namespace only", () => {
    assert.deepEqual(rule("allow-tessera-third-party"), {
      cidrs: ["192.168.1.0/24"],
      sameNamespace: true,
      namespaces: [],
      ports: [PORTS.tesseraThirdParty],
    });
  });

  it("open metrics to the monitoring namespace only", () => {
    assert.deepEqual(rule("allow-metrics"), {
      cidrs: [],
      sameNamespace: false,
      namespaces: ["observability"],
      ports: [PORTS.metrics],
    });
  });
});

describe("geth flags", () => {
  it("make RPC and member nodes archive nodes only when asked", () => {
    const archive = network({ rpc: { archive: true } });
    assert.equal(argsOf(nodeInput(awsCluster, "rpc", archive)).get("gcmode"), "archive");
    assert.equal(argsOf(nodeInput(awsCluster, "member", archive)).get("gcmode"), "archive");
    assert.equal(argsOf(nodeInput(awsCluster, "validator", archive)).has("gcmode"), false);
    assert.equal(argsOf(nodeInput(awsCluster, "rpc")).has("gcmode"), false);
  });

  for (const cluster of CLUSTERS) {
    for (const role of ROLES) {
      it(`are all GoQuorum v24.4.1 flags, with the essentials (${cluster.provider} ${role})`, () => {
        const input = nodeInput(cluster, role);
        const args = gethOf(input).args ?? [];
        const flags = flagsOf(args);
        for (const name of flags.keys())
          assert.ok((GOQUORUM_FLAGS as readonly string[]).includes(name), name);
        assert.equal(gethOf(input).command?.join(" "), "geth");
        assert.equal(flags.get("nodiscover"), true);
        assert.equal(flags.get("permissioned"), true);
        assert.equal(flags.get("networkid"), "1337");
        assert.equal(flags.get("syncmode"), "full");
        assert.equal(flags.get("nodekey"), "/keys/nodekey");
        assert.equal(flags.get("port"), String(PORTS.p2p));
        assert.equal(flags.get("metrics"), true);
        assert.equal(flags.get("metrics.addr"), "0.0.0.0");
        assert.equal(flags.get("metrics.port"), String(PORTS.metrics));
        assert.ok(Number(flags.get("maxpeers")) >= Math.max(50, TOTAL_NODES));
        for (const forbidden of ["allow-insecure-unlock", "unlock", "password", "rpc", "pprof"]) {
          assert.ok(!flags.has(forbidden), forbidden);
        }
        for (const api of ["http.api", "ws.api"]) {
          const value = flags.get(api);
          if (typeof value === "string") {
            for (const unsafe of ["admin", "personal", "debug", "miner"]) {
              assert.ok(!value.split(",").includes(unsafe), `${api} ${unsafe}`);
            }
          }
        }
      });
    }
  }

  it("make validators mine and serve no RPC", () => {
    const flags = argsOf(nodeInput(awsCluster, "validator"));
    assert.equal(flags.get("mine"), true);
    assert.equal(flags.get("miner.threads"), "1");
    assert.equal(flags.get("miner.gasprice"), "0");
    assert.equal(flags.get("emitcheckpoints"), true);
    for (const name of flags.keys()) assert.ok(!/^(http|ws|ptm)/.test(name), name);
  });

  it("serve the safe namespaces on RPC nodes, with their Service names as vhosts", () => {
    const flags = argsOf(nodeInput(awsCluster, "rpc"));
    assert.equal(flags.get("mine"), undefined);
    assert.equal(flags.get("http"), true);
    assert.equal(flags.get("http.addr"), "0.0.0.0");
    assert.equal(flags.get("http.port"), String(PORTS.rpcHttp));
    assert.equal(flags.get("http.api"), "eth,net,web3,txpool,istanbul");
    const vhosts = String(flags.get("http.vhosts")).split(",");
    for (const host of ["aws1-rpc-0", "aws1-rpc-0.quorum", "aws1-rpc-0.quorum.svc.cluster.local"]) {
      assert.ok(vhosts.includes(host), host);
    }
    assert.ok(!vhosts.includes("*"));
    assert.equal(flags.get("http.corsdomain"), undefined);
    assert.equal(flags.get("ws"), undefined);
    assert.equal(flags.get("ptm.url"), undefined);
  });

  it("add WebSocket, CORS and extra vhosts only when configured", () => {
    const net = network({
      rpc: { websocket: true, corsOrigins: ["https://a.example"], vhosts: ["rpc.example"] },
    });
    const flags = argsOf(nodeInput(awsCluster, "rpc", net));
    assert.equal(flags.get("ws"), true);
    assert.equal(flags.get("ws.port"), String(PORTS.rpcWs));
    assert.equal(flags.get("ws.api"), "eth,net,web3,txpool,istanbul");
    assert.equal(flags.get("ws.origins"), "https://a.example");
    assert.equal(flags.get("http.corsdomain"), "https://a.example");
    assert.ok(String(flags.get("http.vhosts")).split(",").includes("rpc.example"));
    assert.equal(
      argsOf(nodeInput(awsCluster, "rpc", network({ rpc: { websocket: true } }))).get("ws.origins"),
      undefined,
    );
  });

  it("refuse unsafe namespaces unless allowUnsafeApis", () => {
    const unsafe = network({ rpc: { apis: ["eth", "admin"] } });
    assert.throws(() => nodeManifests(nodeInput(awsCluster, "rpc", unsafe)), /admin.*allowUnsafeApis/);
    const allowed = network({ rpc: { apis: ["eth", "admin"], allowUnsafeApis: true } });
    assert.equal(argsOf(nodeInput(awsCluster, "rpc", allowed)).get("http.api"), "eth,admin");
  });

  it("point members at their own Tessera's socket, with timeouts, and switch privacy off elsewhere", () => {
    const flags = argsOf(nodeInput(awsCluster, "member"));
    assert.equal(flags.get("ptm.socket"), "/ptm/tm.ipc");
    assert.equal(flags.get("ptm.timeout"), "5");
    assert.equal(flags.get("ptm.dialtimeout"), "1");
    for (const httpOnly of ["ptm.url", "ptm.tls.mode"]) assert.equal(flags.has(httpOnly), false, httpOnly);
    const env = (role: NodePlan["role"]) => gethOf(nodeInput(awsCluster, role)).env ?? [];
    assert.ok(!env("member").some((e) => e.name === "PRIVATE_CONFIG"));
    for (const role of ["validator", "rpc"] as const) {
      assert.deepEqual(
        env(role).find((e) => e.name === "PRIVATE_CONFIG"),
        { name: "PRIVATE_CONFIG", value: "ignore" },
      );
    }
  });

  it("advertise the load balancer address on cloud nodes and do no NAT probing locally", () => {
    assert.equal(argsOf(nodeInput(awsCluster, "validator")).get("nat"), "extip:10.64.200.10");
    assert.equal(argsOf(nodeInput(localCluster, "validator")).get("nat"), "none");
  });

  it("size --maxpeers for a full mesh in steps of 50", () => {
    assert.equal(maxPeers(1), 50);
    assert.equal(maxPeers(25), 50);
    assert.equal(maxPeers(26), 100);
    for (const n of [1, 7, 25, 26, 64, 100, 257]) assert.ok(maxPeers(n) >= Math.max(50, 2 * n));
    const v = localCluster.nodes[0] as NodePlan;
    assert.equal(
      flagsOf(gethArgs(v, network(), { namespace: "goquorum", totalNodes: 60 })).get("maxpeers"),
      "150",
    );
  });
});

describe("node pod", () => {
  for (const cluster of [localCluster, awsCluster]) {
    for (const role of ROLES) {
      it(`runs every container restricted (${cluster.provider} ${role})`, () => {
        const spec = podSpec(nodeInput(cluster, role));
        assert.deepEqual(spec.securityContext, {
          runAsNonRoot: true,
          runAsUser: 1000,
          runAsGroup: 1000,
          fsGroup: 1000,
          fsGroupChangePolicy: "OnRootMismatch",
          seccompProfile: { type: "RuntimeDefault" },
        });
        assert.equal(spec.automountServiceAccountToken, false);
        assert.equal(spec.enableServiceLinks, false);
        assert.equal(spec.serviceAccountName, `${cluster.name}-${role}-0`);
        assert.equal(spec.terminationGracePeriodSeconds, 180);
        const containers = [...(spec.initContainers ?? []), ...spec.containers];
        assert.equal(containers.length, role === "member" ? 4 : 3);
        for (const c of containers) {
          assert.deepEqual(
            c.securityContext,
            {
              runAsNonRoot: true,
              allowPrivilegeEscalation: false,
              readOnlyRootFilesystem: true,
              capabilities: { drop: ["ALL"] },
            },
            c.name,
          );
          assert.ok(c.resources?.requests?.memory && c.resources.limits?.memory, c.name);
        }
      });

      it(`mounts keys read-only and never exposes them through env (${cluster.provider} ${role})`, () => {
        const spec = podSpec(nodeInput(cluster, role));
        const keyVolumes = new Set(["nodekey", "tessera-keys"]);
        for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
          assert.equal(c.envFrom, undefined, c.name);
          for (const e of c.env ?? []) assert.equal(e.valueFrom, undefined, `${c.name} ${e.name}`);
          for (const m of c.volumeMounts ?? []) {
            // A Secret mounted by subPath never sees updates; only the data volume is mounted in part.
            if (m.name !== "data") assert.equal(m.subPath, undefined, `${c.name} ${m.name}`);
            if (keyVolumes.has(m.name) || m.mountPath === "/keys") {
              assert.equal(m.readOnly, true, `${c.name} ${m.name}`);
              assert.equal(m.mountPath, "/keys");
            }
          }
          const mounted = (c.volumeMounts ?? []).map((m) => m.name);
          if (c.name === "goquorum")
            assert.ok(mounted.includes("nodekey") && !mounted.includes("tessera-keys"));
          if (c.name === "tessera")
            assert.ok(mounted.includes("tessera-keys") && !mounted.includes("nodekey"));
          if (c.name === "geth-init" || c.name === "peer-sync") {
            assert.ok(!mounted.some((name) => keyVolumes.has(name)), c.name);
          }
        }
        const nodekey = spec.volumes?.find((v) => v.name === "nodekey");
        assert.deepEqual(nodekey?.secret, {
          secretName: `${cluster.name}-${role}-0-keys`,
          items: [{ key: "nodekey", path: "nodekey" }],
          defaultMode: 0o400,
        });
        const script = containerNamed(spec, "geth-init").command?.join(" ") ?? "";
        assert.ok(!script.includes("/keys"), "geth-init never touches the keys");
      });
    }
  }

  it("starts Tessera as a native sidecar before geth-init, gated on the third-party /upcheck", () => {
    const spec = podSpec(nodeInput(awsCluster, "member"));
    assert.deepEqual(
      spec.initContainers?.map((c) => c.name),
      ["tessera", "geth-init"],
    );
    const tessera = containerNamed(spec, "tessera");
    assert.equal(tessera.restartPolicy, "Always");
    assert.equal(tessera.image, "quorumengineering/tessera:24.4.2");
    // A socket left by an unclean exit is removed first: Jetty would not bind over it.
    assert.deepEqual(tessera.command?.slice(0, 2), ["sh", "-c"]);
    assert.deepEqual(tessera.command?.[2]?.trim().split("\n"), [
      "rm -f /ptm/tm.ipc",
      "exec /tessera/bin/tessera -configfile /config/tessera/tessera-config.json",
    ]);
    assert.equal(tessera.args, undefined);
    const startup = tessera.startupProbe;
    assert.equal(startup?.httpGet?.path, "/upcheck");
    assert.equal(startup?.httpGet?.port, PORTS.tesseraThirdParty);
    assert.deepEqual(
      tessera.ports?.map((p) => p.containerPort),
      [PORTS.tesseraP2p, PORTS.tesseraThirdParty],
    );
    assert.ok((startup?.failureThreshold ?? 0) * (startup?.periodSeconds ?? 0) >= 300);
    assert.equal(tessera.readinessProbe?.httpGet?.path, "/upcheck");
    assert.equal(tessera.livenessProbe?.httpGet?.path, "/upcheck");
    // geth-init waits for Tessera's Q2T socket (its $1) before geth, which exits when Tessera is not up.
    const init = containerNamed(spec, "geth-init");
    assert.deepEqual(init.command?.slice(3), ["geth-init", "/ptm/tm.ipc"]);
    assert.deepEqual(
      init.volumeMounts?.find((m) => m.name === "ptm"),
      { name: "ptm", mountPath: "/ptm", readOnly: true },
    );
    assert.match(tessera.env?.find((e) => e.name === "JAVA_OPTS")?.value ?? "", /-XX:MaxRAMPercentage=/);
    assert.deepEqual(tessera.resources, {
      requests: { cpu: "250m", memory: "1Gi" },
      limits: { memory: "2Gi" },
    });
    for (const role of ["validator", "rpc"] as const) {
      const other = podSpec(nodeInput(awsCluster, role));
      assert.deepEqual(
        other.initContainers?.map((c) => c.name),
        ["geth-init"],
      );
      assert.equal(containerNamed(other, "geth-init").command?.length, 3, role);
      assert.ok(!other.volumes?.some((v) => v.name === "ptm"), role);
    }
  });

  it("places Tessera's key pair and TLS material where its config reads them", () => {
    const net = network({ tessera: { tls: "strict" } });
    const spec = podSpec(
      nodeInput(awsCluster, "member", net, {
        keys: { kind: "secret", keysSecret: "aws1-member-0-keys", tlsSecret: "aws1-member-0-tls" },
      }),
    );
    const mount = containerNamed(spec, "tessera").volumeMounts?.find((m) => m.name === "tessera-keys");
    const projected = spec.volumes?.find((v) => v.name === "tessera-keys")?.projected;
    assert.equal(projected?.defaultMode, 0o400);
    const files = (projected?.sources ?? []).flatMap((s) =>
      (s.secret?.items ?? []).map((item) => [
        s.secret?.name,
        item.key,
        posix.join(mount?.mountPath ?? "", item.path),
      ]),
    );
    assert.deepEqual(files, [
      ["aws1-member-0-keys", "tm.key", TESSERA_KEY_PATHS.privateKeyPath],
      ["aws1-member-0-keys", "tm.pub", TESSERA_KEY_PATHS.publicKeyPath],
      ["aws1-member-0-tls", "tls.key", TESSERA_TLS_PATHS.key],
      ["aws1-member-0-tls", "tls.crt", TESSERA_TLS_PATHS.certificate],
      ["aws1-member-0-tls", "ca.crt", TESSERA_TLS_PATHS.ca],
    ]);
    assert.deepEqual(
      nodeKeyFiles("member", "off").map((f) => [f.name, f.reader]),
      [
        ["nodekey", "goquorum"],
        ["tm.key", "tessera"],
        ["tm.pub", "tessera"],
      ],
    );
    assert.deepEqual(
      nodeKeyFiles("validator", "strict").map((f) => f.name),
      ["nodekey"],
    );
  });

  it("mounts a CSI vault file by file, so each container sees only its own keys at the same paths", () => {
    const net = network({ tessera: { tls: "strict" } });
    const csi = { kind: "csi", secretProviderClass: "aws1-member-0-keys" } as const;
    const spec = podSpec(nodeInput(awsCluster, "member", net, { keys: csi }));
    const keyVolumes = spec.volumes?.filter((v) => v.csi || v.secret || v.projected);
    assert.deepEqual(keyVolumes, [
      {
        name: "keys",
        csi: {
          driver: "secrets-store.csi.k8s.io",
          readOnly: true,
          volumeAttributes: { secretProviderClass: "aws1-member-0-keys" },
        },
      },
    ]);
    const keyMounts = (container: string) =>
      containerNamed(spec, container)
        .volumeMounts?.filter((m) => m.name === "keys")
        .map((m) => [m.mountPath, m.subPath, m.readOnly]);
    assert.deepEqual(keyMounts("goquorum"), [["/keys/nodekey", "nodekey", true]]);
    assert.deepEqual(keyMounts("tessera"), [
      [TESSERA_KEY_PATHS.privateKeyPath, "tm.key", true],
      [TESSERA_KEY_PATHS.publicKeyPath, "tm.pub", true],
      [TESSERA_TLS_PATHS.key, "tls.key", true],
      [TESSERA_TLS_PATHS.certificate, "tls.crt", true],
      [TESSERA_TLS_PATHS.ca, "ca.crt", true],
    ]);
    for (const helper of ["geth-init", "peer-sync"]) assert.deepEqual(keyMounts(helper), []);
  });

  it("runs geth-init on a fresh volume or a changed genesis file, and hands geth the peer list", () => {
    const script = containerNamed(podSpec(nodeInput(localCluster, "validator")), "geth-init").command ?? [];
    assert.equal(script[0], "sh");
    const body = script[2] ?? "";
    const init = "geth --datadir /data/quorum init /config/genesis/genesis.json";
    assert.ok(body.includes(`if [ ! -d /data/quorum/geth/chaindata ]; then`), body);
    assert.ok(
      body.includes("elif ! cmp -s /config/genesis/genesis.json /data/quorum/genesis.applied.json; then"),
    );
    assert.equal(body.split(init).length - 1, 2, "geth init in exactly those two branches");
    assert.match(body, /cp \/config\/peers\/static-nodes.json \/data\/quorum\/static-nodes.json/);
  });

  it("mounts the peer list as a directory and syncs it into geth over IPC", () => {
    const spec = podSpec(nodeInput(localCluster, "rpc"));
    const sync = containerNamed(spec, "peer-sync");
    const body = sync.command?.[2] ?? "";
    assert.match(body, /admin\.addPeer/);
    assert.match(body, /admin\.removePeer/);
    assert.match(body, /geth attach [^\n]*\/ipc\/geth\.ipc/);
    assert.deepEqual(spec.volumes?.find((v) => v.name === "peers")?.configMap, {
      name: "goquorum-static-nodes",
    });
    assert.ok(sync.volumeMounts?.some((m) => m.name === "peers" && m.mountPath === "/config/peers"));
    assert.ok(sync.volumeMounts?.some((m) => m.name === "ipc" && m.mountPath === "/ipc"));
    // It installs permissioned-nodes.json in geth's datadir, and sees nothing else of the volume.
    assert.deepEqual(
      sync.volumeMounts?.filter((m) => m.name === "data"),
      [{ name: "data", mountPath: "/data/quorum", subPath: "quorum" }],
    );
    assert.match(body, /installed=\/data\/quorum\/permissioned-nodes\.json\n/);
    assert.match(body, /permitted=\/config\/peers\/permissioned-nodes\.json\n/);
    assert.ok(gethOf(nodeInput(localCluster, "rpc")).volumeMounts?.some((m) => m.name === "ipc"));
  });

  it("probes geth: startup and liveness on p2p, readiness by asking geth whether it serves the network", () => {
    for (const role of ROLES) {
      const geth = gethOf(nodeInput(awsCluster, role));
      const startup = geth.startupProbe;
      assert.equal(startup?.tcpSocket?.port, "p2p", role);
      assert.ok((startup?.failureThreshold ?? 0) * (startup?.periodSeconds ?? 0) >= 600, role);
      assert.equal(geth.livenessProbe?.tcpSocket?.port, "p2p", role);
      const readiness = geth.readinessProbe;
      // Genesis validators must also be in the validator set; other roles only peered and in sync.
      const setCheck = role === "validator" ? [IN_VALIDATOR_SET] : [];
      assert.deepEqual(
        readiness?.exec?.command,
        ["sh", "-c", READINESS_SCRIPT, "readiness", ...setCheck],
        role,
      );
      assert.equal(readiness?.httpGet, undefined, role);
      assert.equal(readiness?.tcpSocket, undefined, role);
      // Every few seconds, and the script's own bound on geth answers well inside kubelet's.
      assert.ok((readiness?.periodSeconds ?? 0) <= 5, role);
      assert.ok((readiness?.timeoutSeconds ?? 0) > READINESS_ANSWER_SECONDS, role);
      assert.ok(
        geth.volumeMounts?.some((m) => m.name === "ipc" && m.mountPath === "/ipc"),
        role,
      );
      const ports = (geth.ports ?? []).map((p) => [p.name, p.containerPort]);
      assert.deepEqual(ports.slice(0, 2), [
        ["p2p", PORTS.p2p],
        ["metrics", PORTS.metrics],
      ]);
      assert.equal(
        ports.some(([name]) => name === "rpc-http"),
        role !== "validator",
      );
    }
  });

  it("asks a validator outside the genesis set only for peering and sync: it joins the set by vote later", () => {
    const later = nodeInput(localCluster, "validator", network(), {
      genesisValidators: ["kind-validator-9"],
    });
    assert.deepEqual(gethOf(later).readinessProbe?.exec?.command, [
      "sh",
      "-c",
      READINESS_SCRIPT,
      "readiness",
    ]);
    const listed = nodeInput(localCluster, "validator", network(), {
      genesisValidators: ["kind-validator-0"],
    });
    assert.equal(gethOf(listed).readinessProbe?.exec?.command?.at(-1), IN_VALIDATOR_SET);
  });

  it("pins cloud nodes to their zone and spreads roles over hosts and zones", () => {
    const cloud = podSpec(nodeInput(awsCluster, "validator"));
    assert.deepEqual(
      cloud.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms,
      [{ matchExpressions: [{ key: "topology.kubernetes.io/zone", operator: "In", values: ["zone-a"] }] }],
    );
    const anti = cloud.affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.[0];
    assert.equal(anti?.weight, 100);
    assert.equal(anti?.podAffinityTerm.topologyKey, "kubernetes.io/hostname");
    assert.equal(
      anti?.podAffinityTerm.labelSelector?.matchLabels?.["app.kubernetes.io/component"],
      "validator",
    );
    assert.equal(cloud.topologySpreadConstraints?.[0]?.topologyKey, "topology.kubernetes.io/zone");
    assert.equal(cloud.topologySpreadConstraints?.[0]?.whenUnsatisfiable, "ScheduleAnyway");
    const zonedLocal = { ...localCluster, nodes: localCluster.nodes.map((n) => ({ ...n, zone: "z1" })) };
    assert.equal(podSpec(nodeInput(zonedLocal, "validator")).affinity?.nodeAffinity, undefined);
  });

  it("pins to the zone label each cloud puts on its nodes: AKS `<region>-<n>`, EKS the zone's name", () => {
    const planned = planNetwork(
      stackConfig([
        azureConfig("weu", { zones: 3, nodes: { validators: 3 } }),
        awsConfig("euw1", { zones: 3, cidr: "10.70.0.0/16", nodes: { validators: 3 } }),
      ]),
    ).plan as NetworkPlan;
    const pinnedZones = (name: string) => {
      const cluster = planned.clusters.find((c) => c.name === name) as ClusterPlan;
      return cluster.nodes.map((n) => {
        const terms = podSpec(nodeInput({ ...cluster, nodes: [n] }, n.role)).affinity?.nodeAffinity
          ?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
        return [n.zone, terms?.[0]?.matchExpressions?.[0]?.values];
      });
    };
    // ARM takes the bare number; the node label (and so the affinity) is the region-qualified form.
    assert.deepEqual(pinnedZones("weu"), [
      ["1", ["westeurope-1"]],
      ["2", ["westeurope-2"]],
      ["3", ["westeurope-3"]],
    ]);
    assert.deepEqual(pinnedZones("euw1"), [
      ["eu-west-1a", ["eu-west-1a"]],
      ["eu-west-1b", ["eu-west-1b"]],
      ["eu-west-1c", ["eu-west-1c"]],
    ]);
  });
});

describe("node StatefulSet", () => {
  it("places pods with the configured node selector and tolerations, and none by default", () => {
    const scheduling = {
      nodeSelector: { "goquorum.network/pool": "quorum" },
      tolerations: [{ key: "dedicated", value: "goquorum", effect: "NoSchedule" }],
    };
    const spec = podSpec(nodeInput(awsCluster, "validator", network({ scheduling })));
    assert.deepEqual(spec.nodeSelector, { "goquorum.network/pool": "quorum" });
    assert.deepEqual(spec.tolerations, [
      { key: "dedicated", operator: "Equal", value: "goquorum", effect: "NoSchedule" },
    ]);
    const plain = podSpec(nodeInput(awsCluster, "validator"));
    assert.equal(plain.nodeSelector, undefined);
    assert.equal(plain.tolerations, undefined);
  });

  it("runs one replica governed by the headless Service, with a retained volume by default", () => {
    const sts = nodeManifests(nodeInput(awsCluster, "validator")).statefulSet;
    const spec = sts.spec;
    assert.equal(sts.metadata.name, "aws1-validator-0");
    assert.equal(spec?.replicas, 1);
    assert.equal(spec?.serviceName, "goquorum");
    assert.equal(spec?.podManagementPolicy, "Parallel");
    assert.equal(spec?.updateStrategy?.type, "RollingUpdate");
    assert.deepEqual(spec?.persistentVolumeClaimRetentionPolicy, {
      whenDeleted: "Retain",
      whenScaled: "Retain",
    });
    const claim = spec?.volumeClaimTemplates?.[0];
    assert.equal(claim?.metadata?.name, "data");
    assert.deepEqual(claim?.spec?.accessModes, ["ReadWriteOnce"]);
    assert.equal(claim?.spec?.storageClassName, "gp3");
    assert.deepEqual(claim?.spec?.resources?.requests, { storage: "100Gi" });
    const local = nodeManifests(
      nodeInput(localCluster, "validator", network({ retainVolumesOnDelete: false })),
    );
    assert.deepEqual(local.statefulSet.spec?.persistentVolumeClaimRetentionPolicy, {
      whenDeleted: "Delete",
      whenScaled: "Delete",
    });
    assert.equal(local.statefulSet.spec?.volumeClaimTemplates?.[0]?.spec?.storageClassName, undefined);
  });

  it("keeps the pod template unchanged when the network grows (no restart, peer-sync adds the peer)", () => {
    const before = nodeInput(awsCluster, "member");
    const grown = {
      ...awsCluster,
      nodes: [
        ...awsCluster.nodes,
        node("aws1", "member", { name: "aws1-member-1", index: 1, zone: "zone-a" }),
      ],
    };
    const after = { ...before, cluster: grown, totalNodes: TOTAL_NODES + 1 };
    assert.deepEqual(
      nodeManifests(after).statefulSet.spec?.template,
      nodeManifests(before).statefulSet.spec?.template,
    );
    const other = clusterManifests({
      ...clusterInput(awsCluster),
      staticNodes: [...STATIC_NODES, ENODE("c", "10.1.1.1")],
    });
    const base = clusterManifests(clusterInput(awsCluster));
    assert.notDeepEqual(other.staticNodes, base.staticNodes);
    assert.deepEqual({ ...other, staticNodes: undefined }, { ...base, staticNodes: undefined });
  });
});

describe("node Services", () => {
  it("target container ports by number, and refuse one the pod does not serve on the oldest Kubernetes", () => {
    const objects = nodeManifests(nodeInput(awsCluster, "member"));
    for (const service of [objects.service, objects.p2pLoadBalancer]) {
      for (const port of service?.spec?.ports ?? []) assert.equal(port.targetPort, port.port, port.name);
    }
    const byName = (targetPort: string | number) => ({
      ...objects.service,
      spec: {
        ...objects.service.spec,
        ports: [{ name: "x", port: 1, targetPort, protocol: "TCP" as const }],
      },
    });
    // A name only the Tessera sidecar declares gets no endpoint before 1.32; an undeclared number reaches nothing.
    assert.throws(
      () => checkServicePorts("n", [byName(PORT_NAMES.tesseraP2p)], objects.statefulSet),
      /targets tessera-p2p, which its pod does not serve on Kubernetes 1\.30/,
    );
    assert.throws(() => checkServicePorts("n", [byName(12345)], objects.statefulSet), /targets 12345/);
    assert.doesNotThrow(() => checkServicePorts("n", [byName(PORT_NAMES.p2p)], objects.statefulSet));
  });

  it("give every node a stable ClusterIP Service with its role's ports", () => {
    const ports = (role: NodePlan["role"], net = network()) =>
      nodeManifests(nodeInput(localCluster, role, net)).service.spec?.ports?.map((p) => p.port);
    assert.deepEqual(ports("validator"), [PORTS.p2p, PORTS.metrics]);
    assert.deepEqual(ports("rpc", network({ rpc: { websocket: true } })), [
      PORTS.p2p,
      PORTS.metrics,
      PORTS.rpcHttp,
      PORTS.rpcWs,
    ]);
    assert.deepEqual(ports("member"), [
      PORTS.p2p,
      PORTS.metrics,
      PORTS.rpcHttp,
      PORTS.tesseraP2p,
      PORTS.tesseraThirdParty,
    ]);
    const service = nodeManifests(nodeInput(localCluster, "rpc")).service;
    assert.equal(service.metadata.name, "kind-rpc-0");
    assert.equal(service.spec?.type, "ClusterIP");
    assert.equal(service.spec?.selector?.["app.kubernetes.io/instance"], "kind-rpc-0");
  });

  it("give local nodes no load balancer", () => {
    for (const role of ROLES)
      assert.equal(nodeManifests(nodeInput(localCluster, role)).p2pLoadBalancer, undefined);
  });

  it("put cloud nodes behind an internal load balancer on their fixed IP (AWS)", () => {
    const lb = nodeManifests(nodeInput(awsCluster, "member")).p2pLoadBalancer;
    assert.ok(lb);
    assert.equal(lb.metadata.name, "aws1-member-0-p2p");
    assert.deepEqual(lb.metadata.annotations, {
      "service.beta.kubernetes.io/aws-load-balancer-type": "external",
      "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
      "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
      "service.beta.kubernetes.io/aws-load-balancer-private-ipv4-addresses": "10.64.200.12",
      "service.beta.kubernetes.io/aws-load-balancer-subnets": "aws1-endpoints",
      "service.beta.kubernetes.io/aws-load-balancer-target-group-attributes":
        "preserve_client_ip.enabled=true",
    });
    assert.equal(lb.spec?.type, "LoadBalancer");
    assert.equal(lb.spec?.externalTrafficPolicy, "Local");
    // Readiness needs a peer, so peers in other clusters must reach a node before it is ready.
    assert.equal(lb.spec?.publishNotReadyAddresses, true);
    assert.deepEqual(lb.spec?.loadBalancerSourceRanges, PEER_CIDRS);
    assert.deepEqual(
      lb.spec?.ports?.map((p) => p.port),
      [PORTS.p2p, PORTS.tesseraP2p],
    );
    const validatorLb = nodeManifests(nodeInput(awsCluster, "validator")).p2pLoadBalancer;
    assert.deepEqual(
      validatorLb?.spec?.ports?.map((p) => p.port),
      [PORTS.p2p],
    );
  });

  it("put cloud nodes behind an internal load balancer on their fixed IP (Azure)", () => {
    const lb = nodeManifests(nodeInput(azureCluster, "rpc")).p2pLoadBalancer;
    assert.deepEqual(lb?.metadata.annotations, {
      "service.beta.kubernetes.io/azure-load-balancer-internal": "true",
      "service.beta.kubernetes.io/azure-load-balancer-ipv4": "10.65.200.11",
      "service.beta.kubernetes.io/azure-load-balancer-internal-subnet": "endpoints",
    });
    assert.deepEqual(
      lb?.spec?.ports?.map((p) => p.port),
      [PORTS.p2p],
    );
  });

  it("labels the pod for its cloud identity only with the given labels, never the ServiceAccount token", () => {
    const podLabels = { "azure.workload.identity/use": "true" };
    const sts = nodeManifests(nodeInput(azureCluster, "validator", network(), { podLabels })).statefulSet;
    assert.equal(sts.spec?.template.metadata?.labels?.["azure.workload.identity/use"], "true");
    assert.equal(sts.spec?.template.spec?.automountServiceAccountToken, false);
    const local = nodeManifests(nodeInput(localCluster, "validator"));
    assert.equal(
      local.statefulSet.spec?.template.metadata?.labels?.["azure.workload.identity/use"],
      undefined,
    );
    assert.equal(local.serviceAccount.metadata.annotations, undefined);
    assert.equal(local.serviceAccount.automountServiceAccountToken, false);
  });
});

describe("node input checks", () => {
  it("refuse inconsistent inputs", () => {
    const member = nodeInput(awsCluster, "member");
    assert.throws(() => nodeManifests({ ...member, tesseraConfigJson: undefined }), /Tessera config/);
    assert.throws(
      () => nodeManifests({ ...nodeInput(awsCluster, "rpc"), tesseraConfigJson: "{}" }),
      /Tessera config/,
    );
    assert.throws(
      () => nodeManifests({ ...member, loadBalancerAnnotations: undefined }),
      /load balancer annotations/,
    );
    assert.throws(
      () => nodeManifests(nodeInput(awsCluster, "member", network({ tessera: { tls: "strict" } }))),
      /TLS/,
    );
    assert.throws(() => nodeManifests({ ...member, cluster: azureCluster }), /belongs to cluster aws1/);
    const localWithIp = {
      ...localCluster,
      nodes: localCluster.nodes.map((n) => ({ ...n, endpointIp: "10.0.0.1" })),
    };
    assert.throws(() => nodeManifests(nodeInput(localWithIp, "rpc")), /load balancer annotations/);
  });
});
