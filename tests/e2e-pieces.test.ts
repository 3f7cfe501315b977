/** The pure parts of the end-to-end test: wrapper modules, control-plane data, step verdicts, the e2e stack. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { needsVolume, volumeForClaim } from "../e2e/cluster";
import { celControl, crdFromFixture, established } from "../e2e/crds";
import { crdFixtures } from "../e2e/customObjects";
import { defaultBinaryName, parseReplaces, publishLocalReplaces, wrapperGoMod } from "../e2e/goMod";
import { objectPath, pluralOf } from "../e2e/kube";
import { PIECES, piece } from "../e2e/pieces";
import {
  adoptedKeys,
  FIRST,
  interopImage,
  MIGRATE,
  MIGRATED_NODE,
  migrationChanges,
  plannedNodes,
  stackConfig,
  UPDATE,
} from "../e2e/stack";
import {
  allowlistEntries,
  type BesuPodObject,
  besuPeerFailures,
  besuPodFailures,
  changeCount,
  changedStatefulSets,
  changes,
  destroyVerdict,
  enodeOf,
  issueSummary,
  migratedVolumes,
  objectChanges,
  outsideNode,
  type PodSnapshot,
  passed,
  podSecurityProblems,
  podSnapshot,
  protectedUrns,
  type RunRecord,
  restartedPods,
  statefulSetSnapshot,
  tally,
  unexpectedChanges,
  validatorKeySecretUrn,
} from "../e2e/steps";

const KUBERNETES_GO_MOD = `module k8s.io/kubernetes

go 1.26.0

require (
\tk8s.io/api v0.0.0
\tgithub.com/spf13/cobra v1.10.2
)

replace (
\tk8s.io/api => ./staging/src/k8s.io/api
\tk8s.io/client-go => ./staging/src/k8s.io/client-go // the client
)
`;

const PULUMI_GO_MOD = `module github.com/pulumi/pulumi/pkg/v3

go 1.26.6

replace github.com/pulumi/pulumi/sdk/v3 => ../sdk

replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e
`;

describe("e2e wrapper modules", () => {
  it("reads block and single-line replaces, with and without versions, comments dropped", () => {
    assert.deepEqual(parseReplaces(KUBERNETES_GO_MOD), [
      { path: "k8s.io/api", to: "./staging/src/k8s.io/api" },
      { path: "k8s.io/client-go", to: "./staging/src/k8s.io/client-go" },
    ]);
    assert.deepEqual(parseReplaces(PULUMI_GO_MOD), [
      { path: "github.com/pulumi/pulumi/sdk/v3", to: "../sdk" },
      {
        path: "github.com/atotto/clipboard",
        to: "github.com/tgummerer/clipboard",
        toVersion: "v0.0.0-20241001131231-d02d263e614e",
      },
    ]);
  });

  it("points Kubernetes' staging replaces at their v0.N.M releases and requires the release itself", () => {
    const k8s = piece("kubernetes");
    const goMod = wrapperGoMod({
      wrapper: "e2e.invalid/kubernetes",
      module: k8s.module,
      version: k8s.version,
      upstreamGoMod: KUBERNETES_GO_MOD,
      publishedVersion: k8s.publishedVersion,
    });
    assert.match(goMod, /^require k8s\.io\/kubernetes v1\.37\.2$/m);
    assert.match(goMod, /^\tk8s\.io\/api => k8s\.io\/api v0\.37\.2$/m);
    assert.match(goMod, /^\tk8s\.io\/client-go => k8s\.io\/client-go v0\.37\.2$/m);
    assert.doesNotMatch(goMod, /staging/);
  });

  it("repeats a dependency's non-local replace (the CLI's clipboard fork) and publishes its sdk", () => {
    const pulumi = piece("pulumi");
    const goMod = wrapperGoMod({
      wrapper: "e2e.invalid/pulumi",
      module: pulumi.module,
      version: pulumi.version,
      upstreamGoMod: PULUMI_GO_MOD,
      publishedVersion: pulumi.publishedVersion,
    });
    assert.match(
      goMod,
      /^\tgithub\.com\/pulumi\/pulumi\/sdk\/v3 => github\.com\/pulumi\/pulumi\/sdk\/v3 v3\.276\.0$/m,
    );
    assert.match(
      goMod,
      /^\tgithub\.com\/atotto\/clipboard => github\.com\/tgummerer\/clipboard v0\.0\.0-20241001131231-d02d263e614e$/m,
    );
  });

  it("refuses a local replace it has no published version for, naming the module", () => {
    assert.throws(
      () =>
        wrapperGoMod({
          wrapper: "e2e.invalid/x",
          module: "k8s.io/kubernetes",
          version: "v1.37.2",
          upstreamGoMod: "module k8s.io/kubernetes\nreplace example.com/other => ../other\n",
          publishedVersion: piece("kubernetes").publishedVersion,
        }),
      /replaces example\.com\/other with \.\.\/other: no published version/,
    );
  });

  it("rewrites only the local replaces of a copied module", () => {
    const provider = piece("pulumi-resource-kubernetes");
    const goMod =
      "module p\n\nreplace github.com/pulumi/pulumi-kubernetes/sdk/v4 => ../sdk\n\nreplace a => b v1.0.0\n";
    assert.equal(
      publishLocalReplaces(goMod, provider.publishedVersion),
      "module p\n\nreplace github.com/pulumi/pulumi-kubernetes/sdk/v4 => github.com/pulumi/pulumi-kubernetes/sdk/v4 v4.22.2\n\nreplace a => b v1.0.0\n",
    );
  });

  it("names binaries as go build does: the element before a major-version suffix", () => {
    assert.equal(defaultBinaryName("go.etcd.io/etcd/server/v3"), "server");
    assert.equal(defaultBinaryName("k8s.io/kubernetes/cmd/kube-apiserver"), "kube-apiserver");
    assert.equal(defaultBinaryName("example.com/v2x"), "v2x");
  });

  it("pins every piece to an exact version and builds a distinct binary per command", () => {
    for (const p of PIECES) assert.match(p.version, /^v\d+\.\d+\.\d+(-[0-9a-z.-]+)?$/, p.name);
    const binaries = PIECES.flatMap((p) => p.commands.map((c) => c.binary));
    assert.equal(new Set(binaries).size, binaries.length);
  });
});

describe("e2e control plane data", () => {
  const claim = {
    metadata: { name: "data-kwok-validator-0-0", namespace: "goquorum", uid: "u-1" },
    spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
    status: { phase: "Pending" },
  };

  it("provisions a volume of the claim's size and class, pre-bound to it by uid, retained", () => {
    const pv = volumeForClaim(claim);
    assert.equal(pv.spec.capacity.storage, "1Gi");
    assert.equal(pv.spec.storageClassName, "");
    assert.equal(pv.spec.persistentVolumeReclaimPolicy, "Retain");
    assert.deepEqual(pv.spec.claimRef, {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      namespace: "goquorum",
      name: "data-kwok-validator-0-0",
      uid: "u-1",
    });
  });

  it("provisions only for pending claims without a volume", () => {
    assert.equal(needsVolume(claim), true);
    assert.equal(needsVolume({ ...claim, status: { phase: "Bound" } }), false);
    assert.equal(needsVolume({ ...claim, spec: { ...claim.spec, volumeName: "pv" } }), false);
  });

  it("names REST resources as the API server does for the program's kinds and the fixture CRDs", () => {
    for (const [kind, plural] of [
      ["NetworkPolicy", "networkpolicies"],
      ["GatewayClass", "gatewayclasses"],
      ["EnvoyProxy", "envoyproxies"],
      ["HTTPRoute", "httproutes"],
      ["SecurityPolicy", "securitypolicies"],
      ["ClusterIssuer", "clusterissuers"],
      ["StatefulSet", "statefulsets"],
    ])
      assert.equal(pluralOf(kind), plural);
  });

  it("serves each CRD fixture under <plural>.<group>, its one version served and stored", () => {
    const fixture = crdFixtures().find((f) => f.kind === "GatewayClass");
    assert.ok(fixture);
    const crd = crdFromFixture(fixture);
    assert.equal(crd.metadata.name, "gatewayclasses.gateway.networking.k8s.io");
    assert.equal(crd.spec.scope, "Cluster");
    assert.deepEqual(
      crd.spec.versions.map((v) => [v.name, v.served, v.storage]),
      [["v1", true, true]],
    );
    assert.equal(crd.spec.versions[0].schema.openAPIV3Schema, fixture.schema);
    assert.equal(established({ status: { conditions: [{ type: "Established", status: "True" }] } }), true);
    assert.equal(established({ status: { conditions: [{ type: "NamesAccepted", status: "True" }] } }), false);
  });

  it("breaks exactly the HTTPS listeners' TLS mode rule of a Gateway for the CEL control, not the original", () => {
    const gateway = {
      kind: "Gateway",
      spec: {
        listeners: [
          { name: "http", protocol: "HTTP" },
          { name: "https", protocol: "HTTPS", tls: { mode: "Terminate", certificateRefs: [{ name: "c" }] } },
        ],
      },
    };
    const control = celControl([gateway]);
    assert.deepEqual(control?.spec.listeners, [
      { name: "http", protocol: "HTTP" },
      { name: "https", protocol: "HTTPS", tls: { mode: "Passthrough", certificateRefs: [{ name: "c" }] } },
    ]);
    assert.equal(gateway.spec.listeners[1].tls?.mode, "Terminate");
    assert.equal(celControl([{ kind: "HTTPRoute" }]), undefined);
    assert.equal(celControl([{ kind: "HTTPRoute" }, gateway])?.kind, "Gateway");
  });

  it("builds REST paths of core and grouped kinds", () => {
    assert.equal(objectPath("v1", "Namespace", "goquorum"), "/api/v1/namespaces/goquorum");
    assert.equal(
      objectPath("networking.k8s.io/v1", "NetworkPolicy", "p", "goquorum"),
      "/apis/networking.k8s.io/v1/namespaces/goquorum/networkpolicies/p",
    );
  });
});

describe("e2e step verdicts", () => {
  const pod = (name: string, uid: string, restarts = 0): PodSnapshot => ({
    name,
    uid,
    restarts,
    ready: true,
  });

  it("counts every operation but same as a change", () => {
    assert.equal(changeCount({ same: 40 }), 0);
    assert.equal(changeCount({ same: 40, read: 1 }), 0);
    assert.equal(changeCount({ same: 40, update: 1 }), 1);
    assert.equal(changeCount({ create: 2, replace: 1, delete: 1 }), 4);
    assert.equal(changeCount(undefined), 0);
  });

  it("calls a pod restarted when replaced, gone or its containers restarted; new pods are not", () => {
    const before = [pod("a", "1"), pod("b", "2"), pod("c", "3"), pod("d", "4")];
    const after = [pod("a", "1"), pod("b", "9"), pod("d", "4", 1), pod("e", "5")];
    assert.deepEqual(restartedPods(before, after), ["b", "c", "d"]);
    assert.deepEqual(restartedPods(before, before), []);
  });

  it("names a pod's controller, so node pods are told from the rollout gate Jobs' pods", () => {
    const of = (ownerReferences?: { kind: string; controller?: boolean }[]) =>
      podSnapshot({ metadata: { name: "p", uid: "1", ...(ownerReferences ? { ownerReferences } : {}) } })
        .owner;
    assert.equal(of([{ kind: "StatefulSet", controller: true }]), "StatefulSet");
    assert.equal(of([{ kind: "Job", controller: true }]), "Job");
    assert.equal(of([{ kind: "ConfigMap" }, { kind: "StatefulSet", controller: true }]), "StatefulSet");
    assert.equal(of([{ kind: "StatefulSet" }]), undefined, "an owner that is not the controller");
    assert.equal(of(), undefined);
  });

  it("keeps the API server's Pod Security warnings and refusals", () => {
    const problems = podSecurityProblems([
      { severity: "warning", message: 'would violate PodSecurity "restricted:latest": runAsNonRoot != true' },
      { severity: "warning", message: "pods forbidden: violates PodSecurity" },
      { severity: "warning", message: "something else" },
    ]);
    assert.equal(problems.length, 2);
  });

  it("calls a StatefulSet changed when its template revision moved or it was replaced or removed", () => {
    const sts = (name: string, uid: string, updateRevision: string) =>
      statefulSetSnapshot({ metadata: { name, uid }, status: { updateRevision } });
    const before = [
      sts("a", "1", "a-5f"),
      sts("b", "2", "b-6c"),
      sts("c", "3", "c-7d"),
      sts("d", "4", "d-8e"),
    ];
    const after = [
      sts("a", "1", "a-5f"),
      sts("b", "2", "b-9a"),
      sts("d", "40", "d-8e"),
      sts("e", "5", "e-1"),
    ];
    assert.deepEqual(changedStatefulSets(before, after), ["b", "c", "d"]);
    assert.deepEqual(changedStatefulSets(before, before), []);
  });

  it("lists the changing operations of an update, not the unchanged ones", () => {
    assert.deepEqual(
      changes([
        { op: "same", urn: "urn:a" },
        { op: "read", urn: "urn:self" },
        { op: "update", urn: "urn:b" },
        { op: "create", urn: "urn:c" },
      ]),
      ["update urn:b", "create urn:c"],
    );
  });

  it("protects the first validator's key Secret, not another node's or another kind", () => {
    const secret = (name: string) =>
      `urn:pulumi:e2e::goquorum::goquorum:index:Network$goquorum:k8s:ClusterWorkloads$goquorum:vault:KubernetesSecrets$kubernetes:core/v1:Secret::${name}`;
    const urns = [
      "urn:pulumi:e2e::goquorum::goquorum:keys:NodeKeys::kwok-validator-0-keys",
      secret("kwok-validator-1-keys"),
      secret("kwok-validator-0-keys-extra"),
      secret("kwok-validator-0-keys"),
    ];
    assert.equal(validatorKeySecretUrn(urns), secret("kwok-validator-0-keys"));
    assert.equal(validatorKeySecretUrn(urns.slice(0, 3)), undefined);
  });

  it("expects destroy to finish without protected resources, and to fail keeping each one with them", () => {
    assert.deepEqual(
      protectedUrns([{ urn: "a", protect: true }, { urn: "b" }, { urn: "c", protect: false }]),
      ["a"],
    );
    assert.deepEqual(destroyVerdict([], { stateAfter: [] }), { ok: true });
    assert.equal(destroyVerdict([], { error: "boom", stateAfter: [] }).ok, false);
    assert.deepEqual(destroyVerdict(["k"], { error: "k is protected", stateAfter: ["k"] }), { ok: true });
    assert.equal(destroyVerdict(["k"], { stateAfter: [] }).ok, false);
    assert.equal(destroyVerdict(["k", "l"], { error: "protected", stateAfter: ["k"] }).ok, false);
  });

  const green: RunRecord = {
    versions: { pulumi: "v3", kubernetes: "v1", providers: { kubernetes: "4" } },
    notServed: [],
    preview: { ok: true },
    firstUp: { ok: true, created: 40, readyPods: 6, expectedPods: 6, restrictedEnforced: true },
    secondUp: { ok: true, changes: 0 },
    update: {
      ok: true,
      changes: 8,
      restartedPods: 0,
      restarted: [],
      revisionsChanged: [],
      genesisUnchanged: true,
      notReady: [],
    },
    migrate: {
      ok: true,
      node: "kwok-validator-3",
      changes: 6,
      objects: { ...migrationChanges("kwok-validator-3") },
      unexpected: [],
      restarted: [],
      revisionsChanged: [],
      genesisUnchanged: true,
      keptVolume: "data-kwok-validator-3-0",
      newVolume: "besu-data-kwok-validator-3-0",
      newVolumePhase: "Bound",
      besuPod: [],
      keySecretKept: true,
      peerFiles: [],
      enodeKept: true,
      restrictedEnforced: true,
      again: { ok: true, changes: 0 },
    },
    destroy: {
      ok: true,
      kept: ["Namespace/goquorum", "PersistentVolumeClaim/besu-data-kwok-validator-3-0"],
      mustKeep: ["Namespace/goquorum", "PersistentVolumeClaim/besu-data-kwok-validator-3-0"],
      left: [],
      protectRefusal: { urn: "urn:key", ok: true },
    },
    customObjects: { crds: 9, objects: 14, refused: [], celRuleEnforced: true },
    seconds: { build: 0, run: 1, coldBuild: 1 },
  };

  it("passes a run that meets every check, and names each one that fails", () => {
    assert.deepEqual(passed(green), []);
    assert.deepEqual(passed({ ...green, secondUp: { ok: true, changes: 1 } }), [
      "secondUp: 1 changes, expected none",
    ]);
    assert.deepEqual(
      passed({ ...green, update: { ...green.update, restartedPods: 1, restarted: ["kwok-validator-0-0"] } }),
      ["update restarted kwok-validator-0-0"],
    );
    assert.deepEqual(passed({ ...green, update: { ...green.update, revisionsChanged: ["kwok-rpc-0"] } }), [
      "update changed the pod template of kwok-rpc-0",
    ]);
    assert.deepEqual(
      passed({
        ...green,
        update: {
          ...green.update,
          changed: ["create urn:a", "update urn:b", "replace urn:c", "delete urn:d"],
        },
      }),
      ["update replaced or deleted replace urn:c, delete urn:d"],
    );
    assert.deepEqual(passed({ ...green, update: { ...green.update, genesisUnchanged: false } }), [
      "update changed the genesis ConfigMap",
    ]);
    assert.deepEqual(
      passed({ ...green, destroy: { ...green.destroy, kept: ["Namespace/goquorum"] } }),
      ["destroy did not keep PersistentVolumeClaim/besu-data-kwok-validator-3-0"],
      "the Besu claim deleted with its StatefulSet (a Delete retention policy)",
    );
    assert.deepEqual(passed({ ...green, destroy: { ...green.destroy, left: ["services/goquorum"] } }), [
      "destroy left services/goquorum",
    ]);
    assert.deepEqual(passed({ ...green, destroy: { ok: true, kept: [], left: [] } }), [
      "destroy: the protect refusal was not tried",
    ]);
    assert.deepEqual(
      passed({
        ...green,
        destroy: {
          ...green.destroy,
          protectRefusal: { urn: "urn:key", ok: false, error: "deleted protected" },
        },
      }),
      ["destroy with urn:key protected: deleted protected"],
    );
    assert.deepEqual(passed({ ...green, firstUp: { ...green.firstUp, restrictedEnforced: false } }), [
      "firstUp: the namespace does not enforce the restricted Pod Security level",
    ]);
    assert.deepEqual(passed({ ...green, firstUp: { ...green.firstUp, readyPods: 5 } }), [
      "firstUp: 5 of 6 pods ready",
    ]);
    assert.deepEqual(
      passed({ ...green, update: { ...green.update, podSecurity: ["would violate PodSecurity"] } }),
      ["update: Pod Security: would violate PodSecurity"],
    );
  });

  it("fails the migration on each of its checks, and not when the engine failed it first", () => {
    const m = green.migrate;
    const failing = (migrate: RunRecord["migrate"]) => passed({ ...green, migrate });
    assert.deepEqual(
      failing({ ...m, unexpected: ["ConfigMap/goquorum-static-nodes updated, not expected"] }),
      ["migrate: ConfigMap/goquorum-static-nodes updated, not expected"],
    );
    assert.deepEqual(failing({ ...m, restarted: ["kwok-validator-0-0"] }), [
      "migrate: restarted kwok-validator-0-0",
    ]);
    assert.deepEqual(failing({ ...m, revisionsChanged: ["kwok-rpc-0"] }), [
      "migrate: changed the pod template of kwok-rpc-0",
    ]);
    assert.deepEqual(failing({ ...m, genesisUnchanged: false }), [
      "migrate: the GoQuorum genesis ConfigMap changed",
    ]);
    const { keptVolume: _, ...noOldClaim } = m;
    assert.deepEqual(failing(noOldClaim), ["migrate: the node's GoQuorum volume claim is gone"]);
    // The Besu claim template named as GoQuorum's: the StatefulSet is updated in place (seen against the real
    // engine) and Besu opens GoQuorum's database.
    assert.deepEqual(failing({ ...m, newVolume: "data-kwok-validator-3-0" }), [
      "migrate: Besu was given the GoQuorum volume data-kwok-validator-3-0",
    ]);
    assert.deepEqual(failing({ ...m, newVolumePhase: "Pending" }), [
      "migrate: the node's Besu volume claim is Pending",
    ]);
    assert.deepEqual(failing({ ...m, besuPod: ["kwok-validator-3-0 is not Ready"] }), [
      "migrate: kwok-validator-3-0 is not Ready",
    ]);
    assert.deepEqual(failing({ ...m, keySecretKept: false }), [
      "migrate: the node's key Secret is not the one it had",
    ]);
    assert.deepEqual(failing({ ...m, peerFiles: ["static-nodes: kwok-rpc-1 is missing"] }), [
      "migrate: static-nodes: kwok-rpc-1 is missing",
    ]);
    assert.deepEqual(failing({ ...m, enodeKept: false }), [
      "migrate: the node's enode changed in the GoQuorum static nodes",
    ]);
    assert.deepEqual(failing({ ...m, again: { ok: true, changes: 2 } }), [
      "migrate: second up: 2 changes, expected none",
    ]);
    const { again: __, ...notAgain } = m;
    assert.deepEqual(failing(notAgain), ["migrate: the second up was not run"]);
    assert.deepEqual(failing({ ...m, podSecurity: ['would violate PodSecurity "restricted:latest"'] }), [
      'migrate: Pod Security: would violate PodSecurity "restricted:latest"',
    ]);
    const { unexpected: ___, ...unobserved } = m;
    assert.deepEqual(failing(unobserved), ["migrate: changes not observed"]);
    assert.deepEqual(failing({ ok: false, error: "refused" }), ["migrate: refused"]);
  });

  it("tallies the six steps and the custom objects as a test runner's closing line", () => {
    assert.deepEqual(tally(green), { passed: 7, failed: 0 });
    assert.deepEqual(tally({ ...green, secondUp: { ok: true, changes: 1 }, update: { ok: false } }), {
      passed: 5,
      failed: 2,
    });
    assert.deepEqual(tally({ ...green, customObjects: { ...green.customObjects, celRuleEnforced: false } }), {
      passed: 6,
      failed: 1,
    });
    assert.deepEqual(tally({ ...green, migrate: { ok: false } }), { passed: 6, failed: 1 });
  });

  it("summarises in the issue's shape, a step ok only when all of its checks pass", () => {
    const summary = issueSummary(green);
    assert.deepEqual(summary, {
      versions: green.versions,
      preview: { ok: true },
      firstUp: { ok: true, created: 40 },
      secondUp: { ok: true, changes: 0 },
      update: { ok: true, changes: 8, restartedPods: 0, genesisUnchanged: true },
      migrate: {
        ok: true,
        replaced: ["Job/kwok-validator-3-rollout-gate", "StatefulSet/kwok-validator-3"],
        restartedPods: 0,
        keptVolume: "data-kwok-validator-3-0",
        newVolume: "besu-data-kwok-validator-3-0",
      },
      destroy: {
        ok: true,
        kept: ["Namespace/goquorum", "PersistentVolumeClaim/besu-data-kwok-validator-3-0"],
      },
      seconds: { build: 0, run: 1 },
    });
    const noisy = issueSummary({ ...green, secondUp: { ok: true, changes: 2 } });
    assert.deepEqual(noisy.secondUp, { ok: false, changes: 2 });
    assert.equal(issueSummary({ ...green, update: { ok: false, error: "refused" } }).update.ok, false);
    const pending = issueSummary({
      ...green,
      migrate: { ...green.migrate, newVolumePhase: "Pending" },
    }).migrate;
    assert.equal(pending.ok, false);
    assert.equal(pending.newVolume, null, "a claim that is not bound is no new volume");
  });
});

describe("e2e migration verdicts", () => {
  const node = "kwok-validator-3";
  const urn = (type: string, name: string) =>
    `urn:pulumi:e2e::goquorum::goquorum:k8s:ClusterWorkloads$${type}::kwok-${name}`;

  it("reads one verdict per object from the engine's steps, a delete-before-replace as a replacement", () => {
    const sts = urn("kubernetes:apps/v1:StatefulSet", "sts");
    const changes = objectChanges([
      { op: "delete-replaced", urn: sts, object: `StatefulSet/${node}` },
      { op: "create-replacement", urn: sts, object: `StatefulSet/${node}` },
      { op: "replace", urn: sts, object: `StatefulSet/${node}` },
      { op: "create", urn: "c", object: "ConfigMap/goquorum-besu-peers" },
      { op: "update", urn: "u", object: "ConfigMap/goquorum-static-nodes" },
      { op: "delete", urn: "d", object: "Service/kwok-validator-3" },
      { op: "same", urn: "s", object: "Service/kwok-rpc-0" },
      { op: "import", urn: "i", object: "Secret/adopted" },
      { op: "read", urn: "r", object: "urn:self" },
    ]);
    assert.deepEqual(changes, {
      replaced: [`StatefulSet/${node}`],
      created: ["ConfigMap/goquorum-besu-peers"],
      updated: ["ConfigMap/goquorum-static-nodes", "Secret/adopted"],
      deleted: ["Service/kwok-validator-3"],
    });
    // Each step of a replacement alone is a replacement (an event lost must not turn it into a delete).
    for (const op of [
      "replace",
      "create-replacement",
      "delete-replaced",
      "discard-replaced",
      "import-replacement",
    ])
      assert.deepEqual(
        objectChanges([{ op, urn: sts, object: "StatefulSet/s" }]).replaced,
        ["StatefulSet/s"],
        op,
      );
  });

  it("names every change the migration did not have to make, and every one it missed", () => {
    const expected = migrationChanges(node);
    assert.deepEqual(unexpectedChanges(expected, expected), []);
    // The GoQuorum peer list rewritten in place (the node's enode moved), and the gate Job left alone (the
    // switch would then run ungated).
    assert.deepEqual(
      unexpectedChanges(
        {
          ...expected,
          replaced: [`StatefulSet/${node}`],
          updated: ["ConfigMap/goquorum-static-nodes"],
        },
        expected,
      ),
      [`Job/${node}-rollout-gate not replaced`, "ConfigMap/goquorum-static-nodes updated, not expected"],
    );
    // Another validator's StatefulSet replaced, and the old claim deleted with it.
    assert.deepEqual(
      unexpectedChanges(
        {
          ...expected,
          replaced: [...expected.replaced, "StatefulSet/kwok-validator-2"],
          deleted: [`PersistentVolumeClaim/data-${node}-0`],
        },
        expected,
      ),
      [
        "StatefulSet/kwok-validator-2 replaced, not expected",
        `PersistentVolumeClaim/data-${node}-0 deleted, not expected`,
      ],
    );
  });

  it("finds the kept GoQuorum claim and the new Besu claim of the node, by template, node and ordinal", () => {
    const templates = { old: "data", new: "besu-data" };
    const claims = [
      { name: `data-${node}-0`, phase: "Bound" },
      { name: `besu-data-${node}-0`, phase: "Bound" },
      { name: "besu-data-kwok-validator-30-0", phase: "Bound" },
    ];
    assert.deepEqual(migratedVolumes(claims, node, templates), {
      keptVolume: `data-${node}-0`,
      newVolume: `besu-data-${node}-0`,
      newVolumePhase: "Bound",
    });
    // Besu given GoQuorum's template (one claim, both clients' data), or the old claim deleted.
    assert.deepEqual(migratedVolumes(claims.slice(0, 1), node, templates), { keptVolume: `data-${node}-0` });
    assert.deepEqual(migratedVolumes(claims.slice(1, 2), node, templates), {
      newVolume: `besu-data-${node}-0`,
      newVolumePhase: "Bound",
    });
    assert.equal(
      migratedVolumes([{ name: `besu-data-${node}-0`, phase: "Pending" }], node, templates).newVolumePhase,
      "Pending",
    );
  });

  it("excuses only the node's own pod, StatefulSet and rollout gate pods, not a node whose name extends it", () => {
    assert.deepEqual(
      outsideNode(
        [
          node,
          `${node}-0`,
          `${node}-rollout-gate-x7k2p`,
          "kwok-validator-30-0",
          "kwok-validator-2-0",
          "kwok-validator-2-rollout-gate-abcde",
        ],
        node,
      ),
      ["kwok-validator-30-0", "kwok-validator-2-0", "kwok-validator-2-rollout-gate-abcde"],
    );
  });

  const besuPod = (): BesuPodObject => ({
    metadata: { name: `${node}-0`, uid: "u" },
    spec: {
      securityContext: { runAsNonRoot: true, runAsUser: 1000 },
      containers: [
        {
          name: "besu",
          image: "hyperledger/besu:25.7.0",
          args: ["--data-path=/data/besu", "--node-private-key-file=/keys/nodekey"],
          securityContext: {},
          volumeMounts: [
            { name: "data", mountPath: "/data" },
            { name: "node-key", mountPath: "/keys" },
          ],
        },
        { name: "disruption-gate", image: "hyperledger/besu:25.7.0" },
      ],
      volumes: [
        { name: "data" },
        { name: "node-key", secret: { secretName: `${node}-keys`, items: [{ path: "nodekey" }] } },
        { name: "other", secret: { secretName: "kwok-validator-2-keys" } },
      ],
    },
    status: { conditions: [{ type: "Ready", status: "True" }] },
  });
  const expected = { container: "besu", image: "hyperledger/besu:25.7.0", keysSecret: `${node}-keys` };
  const withBesu = (change: object): BesuPodObject => {
    const pod = besuPod();
    const [besu, ...rest] = pod.spec.containers;
    return { ...pod, spec: { ...pod.spec, containers: [{ ...besu, ...change } as never, ...rest] } };
  };

  it("passes a Ready Besu pod on the interop image, non-root, with its key from the node's Secret", () => {
    assert.deepEqual(besuPodFailures(besuPod(), expected), []);
    const subPath = withBesu({
      volumeMounts: [{ name: "other", mountPath: "/keys/nodekey", subPath: "nodekey" }],
    });
    assert.deepEqual(besuPodFailures(subPath, { ...expected, keysSecret: "kwok-validator-2-keys" }), []);
  });

  it("fails a Besu pod on the current release, as root, or with its key from elsewhere", () => {
    const name = `${node}-0`;
    assert.deepEqual(besuPodFailures(besuPod(), { ...expected, image: "hyperledger/besu:26.8.0" }), [
      `${name} runs hyperledger/besu:25.7.0, not hyperledger/besu:26.8.0`,
    ]);
    assert.deepEqual(besuPodFailures(withBesu({ securityContext: { runAsUser: 0 } }), expected), [
      `${name} may run as root (runAsUser 0, runAsNonRoot true)`,
    ]);
    const noNonRoot = { ...besuPod(), spec: { ...besuPod().spec, securityContext: { runAsUser: 1000 } } };
    assert.equal(besuPodFailures(noNonRoot, expected).length, 1);
    assert.deepEqual(besuPodFailures(withBesu({ args: ["--data-path=/data/besu"] }), expected), [
      `${name}: Besu is not given --node-private-key-file=`,
    ]);
    // A key file on the data volume (a key Besu generated), or one the Secret does not project.
    for (const args of [["--node-private-key-file=/data/besu/key"], ["--node-private-key-file=/keys/key"]])
      assert.deepEqual(besuPodFailures(withBesu({ args }), expected), [
        `${name}: ${args[0]?.split("=")[1]} is not a file of the Secret ${node}-keys`,
      ]);
    assert.deepEqual(besuPodFailures(besuPod(), { ...expected, keysSecret: "kwok-validator-2-keys" }), [
      `${name}: /keys/nodekey is not a file of the Secret kwok-validator-2-keys`,
    ]);
    assert.deepEqual(besuPodFailures({ ...besuPod(), status: {} }, expected), [`${name} is not Ready`]);
    assert.deepEqual(besuPodFailures(besuPod(), { ...expected, container: "goquorum" }), [
      `${name} has no goquorum container`,
    ]);
  });

  const id = (n: number) => n.toString(16).padStart(2, "0").repeat(64);
  const others = [
    { name: "kwok-validator-0", publicKey: id(1) },
    { name: "kwok-rpc-0", publicKey: id(2).toUpperCase() },
  ];
  const host = (name: string) => `${name}-0.goquorum-nodes.goquorum.svc.cluster.local`;
  const besuList = [
    `enode://${id(1)}@${host("kwok-validator-0")}:30303?discport=0`,
    `enode://${id(2)}@${host("kwok-rpc-0")}:30303?discport=0`,
    `enode://${id(3)}@${host(node)}:30303?discport=0`,
  ];

  it("reads the allowlist of a permissions_config.toml", () => {
    const toml = `nodes-allowlist=[\n${besuList.map((e) => `  "${e}",\n`).join("")}]\n`;
    assert.deepEqual(allowlistEntries(toml), besuList);
    assert.deepEqual(allowlistEntries('accounts-allowlist=["0x1"]\n'), []);
  });

  it("wants every other node in Besu's static nodes and allowlist, in Besu's dialect", () => {
    assert.deepEqual(besuPeerFailures({ staticNodes: besuList, allowlist: besuList }, others), []);
    const goQuorum = `enode://${id(2)}@${host("kwok-rpc-0")}:30303?discport=0&raftport=53000`;
    assert.deepEqual(
      besuPeerFailures({ staticNodes: [besuList[0] ?? "", goQuorum], allowlist: besuList.slice(1) }, others),
      [
        `staticNodes: ${goQuorum} is not in Besu's dialect`,
        "staticNodes: kwok-rpc-0 is missing",
        "allowlist: kwok-validator-0 is missing",
      ],
    );
  });

  it("finds a node's entry in a static list by its enode id", () => {
    assert.equal(enodeOf(besuList, id(2).toUpperCase()), besuList[1]);
    assert.equal(enodeOf(besuList, id(9)), undefined);
  });
});

describe("e2e stack", () => {
  it("plans with the project's planner, adopting the keys of every node", () => {
    const config = stackConfig(FIRST, "e2e");
    const network = JSON.parse(config["goquorum:network"] ?? "{}");
    const names = plannedNodes(FIRST, "e2e").map((n) => n.name);
    assert.equal(names.length, FIRST.validators + FIRST.rpc + FIRST.members);
    assert.deepEqual(network.adoptKeysFor, names);
    assert.equal(network.monitoring.enabled, false);
    assert.equal(JSON.parse(config["goquorum:clusters"] ?? "[]")[0].context, "e2e");
  });

  it("updates by exactly one RPC node, keeping every earlier node's name", () => {
    const first = plannedNodes(FIRST, "e2e");
    const update = plannedNodes(UPDATE, "e2e");
    const added = update.filter((n) => !first.some((f) => f.name === n.name));
    assert.deepEqual(
      added.map((n) => n.role),
      ["rpc"],
    );
    assert.equal(update.length, first.length + 1);
  });

  it("migrates exactly one validator of the update's nodes to Besu, stating private transactions stopped", () => {
    const update = plannedNodes(UPDATE, "e2e");
    const migrate = plannedNodes(MIGRATE, "e2e");
    assert.deepEqual(
      migrate.map((n) => n.name),
      update.map((n) => n.name),
    );
    assert.deepEqual(
      migrate.filter((n) => n.client !== "goquorum"),
      [{ name: MIGRATED_NODE, role: "validator", client: "besu" }],
    );
    assert.ok(update.every((n) => n.client === "goquorum"));
    assert.ok(
      migrate.some((n) => n.role === "member" && n.client === "goquorum"),
      "a Tessera member stays",
    );
    const config = stackConfig(MIGRATE, "e2e");
    assert.equal(JSON.parse(config["goquorum:network"] ?? "{}").privateTransactions, "stopped");
    assert.equal(
      JSON.parse(stackConfig(UPDATE, "e2e")["goquorum:network"] ?? "{}").privateTransactions,
      undefined,
    );
    assert.match(interopImage(MIGRATE, "e2e"), /^hyperledger\/besu:25\.7\./);
  });

  it("adopts a node key for every node and a Tessera key for members only, from distinct seeds", () => {
    const nodes = plannedNodes(FIRST, "e2e");
    const seen: string[] = [];
    const keys = adoptedKeys(nodes, (label) => {
      seen.push(label);
      return new Uint8Array(32).fill(seen.length);
    });
    for (const n of nodes) {
      assert.match(keys[n.name]?.nodeKey ?? "", /^[0-9a-f]{64}$/);
      assert.equal(keys[n.name]?.tesseraKey !== undefined, n.role === "member", n.name);
    }
    assert.equal(new Set(seen).size, seen.length);
  });
});
