/**
 * The network-wide disruption gate as manifests: who carries the gate, its threshold, the validator budget,
 * the rollout gate Job and its access; and what the eviction API then allows, network-wide.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { Job } from "kubernetes-models/batch/v1/Job";
import { Role } from "kubernetes-models/rbac.authorization.k8s.io/v1/Role";
import { RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import type { NetworkConfig } from "../infra/config/schema";
import { type BudgetForEviction, evictionAllowed } from "../infra/kubernetes/behaviour";
import { planNetwork } from "../infra/plan";
import { quorumOf } from "../infra/plan/faultTolerance";
import type { ClusterPlan, NodePlan } from "../infra/plan/types";
import {
  clusterManifests,
  DISRUPTION_GATE_SCRIPT,
  disruptionGate,
  GUARDED_SPEC_ANNOTATION,
  keysSecretName,
  type NodeManifestInput,
  nodeManifests,
  ROLLOUT_GATE_SCRIPT,
  ROLLOUT_GATE_WAIT_SECONDS,
} from "../infra/quorum/manifests";
import { networkSelector } from "../infra/quorum/manifests/labels";
import { awsCluster, networkConfig, stackConfig } from "./helpers/config";

const network = (workloads: Record<string, unknown> = {}): NetworkConfig => networkConfig({ workloads });

const node = (role: NodePlan["role"], index = 0): NodePlan => ({
  name: `kind-${role}-${index}`,
  cluster: "kind",
  role,
  index,
  client: "goquorum",
});
const cluster = (nodes: NodePlan[]): ClusterPlan => ({
  name: "kind",
  provider: "local",
  region: "local",
  namespace: "goquorum",
  zones: [],
  subnets: [],
  nodes,
});
const KIND = cluster([node("validator", 0), node("validator", 1), node("rpc"), node("member")]);
const GATE = { minLiveValidators: 5 };

/** `null`: a network without the gate. */
const clusterObjects = (c = KIND, net = network(), gate: typeof GATE | null = GATE) =>
  clusterManifests({
    network: net,
    cluster: c,
    genesisJson: "{}",
    staticNodes: [],
    permissionedNodes: [],
    peerCidrs: [],
    ...(gate ? { disruptionGate: gate } : {}),
  });
const nodeObjects = (n: NodePlan, net = network(), extra: Partial<NodeManifestInput> = {}) =>
  nodeManifests({
    network: net,
    cluster: KIND,
    node: n,
    totalNodes: 4,
    genesisValidators: [],
    keys: { kind: "secret", keysSecret: keysSecretName(n) },
    peerCidrs: [],
    ...(n.role === "member" ? { tesseraConfigJson: "{}" } : {}),
    disruptionGate: GATE,
    ...extra,
  });
const podOf = (n: NodePlan, net?: NetworkConfig, extra?: Partial<NodeManifestInput>) =>
  nodeObjects(n, net, extra).statefulSet.spec?.template.spec as IPodSpec;

describe("the gate's threshold", () => {
  it("is the planned quorum plus one, for a network that can spare a validator at all", () => {
    for (const n of [3, 4, 6, 7, 64]) {
      assert.deepEqual(disruptionGate({ quorum: quorumOf(n), tolerates: n - quorumOf(n) }), {
        minLiveValidators: quorumOf(n) + 1,
      });
    }
    // One or two validators: quorum is all of them, nothing can be spared, and no gate could ever open.
    for (const n of [1, 2])
      assert.equal(disruptionGate({ quorum: quorumOf(n), tolerates: n - quorumOf(n) }), undefined);
  });

  it("is 5 for 2/2/2 across three clusters (quorum 4), from the plan", () => {
    const config = stackConfig(
      ["a", "b", "c"].map((name, i) =>
        awsCluster(name, { cidr: `10.${64 + i}.0.0/16`, nodes: { validators: 2 } }),
      ),
    );
    const { plan, issues } = planNetwork(config);
    assert.ok(plan, JSON.stringify(issues));
    assert.deepEqual(disruptionGate(plan.faultTolerance), { minLiveValidators: 5 });
  });

  it("is rendered once per cluster with validators, in a ConfigMap under its own name", () => {
    const gate = clusterObjects().disruptionGate;
    assert.ok(gate);
    new ConfigMap(gate).validate();
    assert.deepEqual(gate.data, { MIN_LIVE_VALIDATORS: "5" });
    assert.equal(clusterObjects(cluster([node("rpc")])).disruptionGate, undefined);
    assert.equal(clusterObjects(KIND, network(), null).disruptionGate, undefined);
  });
});

describe("the gate on every validator", () => {
  it("runs the gate container on validators only, its readiness the shipped check", () => {
    const gate = podOf(node("validator")).containers.find((c) => c.name === "disruption-gate");
    assert.ok(gate);
    assert.deepEqual(gate.readinessProbe?.exec?.command, [
      "sh",
      "-c",
      DISRUPTION_GATE_SCRIPT,
      "disruption-gate",
    ]);
    assert.deepEqual(
      gate.volumeMounts?.map((m) => [m.mountPath, m.readOnly ?? false]),
      [
        ["/config/disruption-gate", true],
        ["/ipc", false],
        ["/tmp", false],
      ],
    );
    assert.ok(
      podOf(node("validator")).volumes?.some((v) => v.configMap?.name === "goquorum-disruption-gate"),
    );
    for (const role of ["rpc", "member"] as const) {
      assert.ok(!podOf(node(role)).containers.some((c) => c.name === "disruption-gate"), role);
    }
    assert.ok(
      !podOf(node("validator"), network(), { disruptionGate: undefined }).containers.some(
        (c) => c.name === "disruption-gate",
      ),
    );
  });

  it("keeps the threshold out of the pod template: a growing network restarts no validator", () => {
    const template = JSON.stringify(podOf(node("validator")));
    const grown = JSON.stringify(
      podOf(node("validator"), network(), { disruptionGate: { minLiveValidators: 6 } }),
    );
    assert.equal(grown, template);
  });

  it("makes the validators' budget keep unready pods (IfHealthyBudget), other roles' AlwaysAllow", () => {
    const policies = (gate: typeof GATE | null) =>
      Object.fromEntries(
        clusterObjects(KIND, network(), gate).disruptionBudgets.map((b) => [
          b.metadata.name,
          [b.spec?.maxUnavailable, b.spec?.unhealthyPodEvictionPolicy],
        ]),
      );
    assert.deepEqual(policies(GATE), {
      "goquorum-validator": [1, "IfHealthyBudget"],
      "goquorum-rpc": [1, "AlwaysAllow"],
      "goquorum-member": [1, "AlwaysAllow"],
    });
    assert.deepEqual(policies(null)["goquorum-validator"], [1, "AlwaysAllow"]);
  });
});

describe("the rollout gate Job", () => {
  const validator = node("validator", 1);

  it("reads the validator's own pod with a token that may get exactly the cluster's validator pods", () => {
    const job = nodeObjects(validator).rolloutGate;
    assert.ok(job);
    new Job(job).validate();
    const pod = job.spec?.template.spec as IPodSpec;
    assert.deepEqual(pod.containers[0]?.command, [
      "sh",
      "-c",
      ROLLOUT_GATE_SCRIPT,
      "rollout-gate",
      "kind-validator-1-0",
    ]);
    assert.equal(pod.serviceAccountName, "goquorum-rollout-gate");
    assert.equal(pod.automountServiceAccountToken, true);
    assert.equal(pod.restartPolicy, "Never");
    assert.equal(job.spec?.backoffLimit, 0);
    assert.ok((job.spec?.activeDeadlineSeconds ?? 0) > ROLLOUT_GATE_WAIT_SECONDS);
    assert.equal(job.metadata.annotations?.["pulumi.com/replaceUnready"], "true");
    // Nothing that selects GoQuorum pods (Services, policies, budgets) selects the gate's pod.
    const labels = job.spec?.template.metadata?.labels ?? {};
    assert.ok(!Object.entries(networkSelector("testnet")).every(([k, v]) => labels[k] === v));

    const [account, role, binding] = clusterObjects().rolloutGateAccess ?? [];
    assert.ok(account && role && binding);
    new Role(role as never).validate();
    new RoleBinding(binding as never).validate();
    assert.equal((account as { automountServiceAccountToken?: boolean }).automountServiceAccountToken, false);
    assert.deepEqual((role as { rules: unknown }).rules, [
      {
        apiGroups: [""],
        resources: ["pods"],
        verbs: ["get"],
        resourceNames: ["kind-validator-0-0", "kind-validator-1-0"],
      },
    ]);
    assert.deepEqual((binding as { subjects: unknown }).subjects, [
      { kind: "ServiceAccount", name: "goquorum-rollout-gate", namespace: "goquorum" },
    ]);
  });

  it("carries the digest of the StatefulSet spec it guards: any change to it is a new Job (run again)", () => {
    const digest = (net = network(), extra: Partial<NodeManifestInput> = {}) =>
      nodeObjects(validator, net, extra).rolloutGate?.spec?.template.metadata?.annotations?.[
        GUARDED_SPEC_ANNOTATION
      ];
    assert.match(digest() ?? "", /^[0-9a-f]{64}$/);
    assert.equal(digest(), digest());
    assert.notEqual(digest(network({ images: { goquorum: "quorumengineering/quorum:24.4.2" } })), digest());
    assert.notEqual(digest(network({ logVerbosity: 4 })), digest());
    assert.equal(digest(network(), { disruptionGate: { minLiveValidators: 6 } }), digest());
  });

  it("exists for validators under the one-at-a-time rollout only", () => {
    assert.equal(nodeObjects(node("rpc")).rolloutGate, undefined);
    assert.equal(nodeObjects(validator, network({ validatorRollout: "all-at-once" })).rolloutGate, undefined);
    assert.equal(
      clusterObjects(KIND, network({ validatorRollout: "all-at-once" })).rolloutGateAccess,
      undefined,
    );
    assert.equal(nodeObjects(validator, network(), { disruptionGate: undefined }).rolloutGate, undefined);
  });
});

describe("what the eviction API allows under the validators' budget", () => {
  const budget = (gated: boolean, validators: number, ready: number): BudgetForEviction => {
    const pdb = clusterObjects(
      cluster(Array.from({ length: validators }, (_, i) => node("validator", i))),
      network(),
      gated ? GATE : null,
    ).disruptionBudgets[0];
    return {
      maxUnavailable: Number(pdb?.spec?.maxUnavailable),
      unhealthyPodEvictionPolicy: pdb?.spec
        ?.unhealthyPodEvictionPolicy as BudgetForEviction["unhealthyPodEvictionPolicy"],
      expectedPods: validators,
      healthyPods: ready,
    };
  };
  const cases: [string, BudgetForEviction, boolean, boolean][] = [
    ["margin: both pods Ready, one may go", budget(true, 2, 2), true, true],
    ["at quorum: both gates unready, neither may go", budget(true, 2, 0), false, false],
    ["a broken validator beside a Ready one may go", budget(true, 2, 1), false, true],
    ["… but the Ready one may not while the other is out", budget(true, 2, 1), true, false],
    ["a lone validator at quorum may not go", budget(true, 1, 0), false, false],
    ["a lone validator with margin may go", budget(true, 1, 1), true, true],
    [
      "without the gate's policy, an unready pod always goes (why it changed)",
      budget(false, 2, 0),
      false,
      true,
    ],
  ];
  for (const [name, b, podReady, allowed] of cases) {
    it(name, () => assert.equal(evictionAllowed(b, podReady), allowed));
  }

  it("never lets voluntary evictions, one at a time across 3 clusters × 2, take the network below quorum", () => {
    const n = 6;
    const q = quorumOf(n);
    const clusterOf = (v: number) => Math.floor(v / 2);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(n - 1), fc.boolean()), { maxLength: 40 }), (steps) => {
        const live = new Set(Array.from({ length: n }, (_, v) => v));
        for (const [v, evict] of steps) {
          if (!evict) {
            live.add(v); // the validator comes back
            continue;
          }
          // Full mesh: every live validator sees the live set; the gate as DISRUPTION_GATE_SCRIPT decides.
          const gateReady = live.size >= q + 1 || live.size < q;
          const ready = (u: number) => live.has(u) && gateReady;
          const peers = [0, 1, 2, 3, 4, 5].filter((u) => clusterOf(u) === clusterOf(v));
          const pdb = { ...budget(true, 2, peers.filter(ready).length) };
          if (evictionAllowed(pdb, ready(v))) live.delete(v);
          assert.ok(live.size >= q, `down to ${live.size} after evicting ${v}`);
        }
      }),
    );
  });
});
