/**
 * `npm run test:e2e`: the program through the real Pulumi engine onto a real Kubernetes control plane.
 * Builds (or reuses) the pieces, starts the control plane, then preview, first up, a no-op second up, an
 * update that adds an RPC node, a migration of one validator to Besu, and destroy; checks each through the engine's events and the API server;
 * writes out/e2e/summary.json and exits non-zero when a check fails. Every process it starts is stopped.
 */
import { execFileSync } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type EngineEvent, LocalWorkspace, PulumiCommand, type Stack } from "@pulumi/pulumi/automation";
import {
  BESU_CONTAINER,
  BESU_FILES,
  BESU_PEERS_CONFIGMAP,
  BESU_VOLUMES,
} from "../infra/besu/manifests/paths";
import { program } from "../infra/program";
import { nodeIdentityFromPrivateKey } from "../infra/quorum/keys";
import { keysSecretName } from "../infra/quorum/manifests/keysSecret";
import { GENESIS_CONFIGMAP, STATIC_NODES_CONFIGMAP } from "../infra/quorum/manifests/names";
import { FILES } from "../infra/quorum/manifests/paths";
import { VOLUMES } from "../infra/quorum/manifests/volumes";
import { binary, buildAll, CACHE, cachedBuild } from "./build";
import { type Claim, needsVolume, volumeForClaim } from "./cluster";
import { type ControlPlane, startControlPlane } from "./controlPlane";
import {
  celRuleEnforced,
  crdFixtures,
  dryRunCreate,
  renderedCustomObjects,
  serveFixtureCrds,
} from "./customObjects";
import { type Kube, KubeError, objectPath } from "./kube";
import { NOT_SERVED, PIECES, piece, semver } from "./pieces";
import {
  adoptedKeys,
  E2E_NAMESPACE,
  E2E_STACK,
  type E2eShape,
  FIRST,
  interopImage,
  MIGRATE,
  MIGRATED_NODE,
  migrationChanges,
  plannedNodes,
  stackConfig,
  UPDATE,
} from "./stack";
import {
  allowlistEntries,
  type BesuPodObject,
  besuPeerFailures,
  besuPodFailures,
  type ChangedResource,
  changeCount,
  changedStatefulSets,
  changes,
  type Diagnostic,
  destroyVerdict,
  enodeOf,
  issueSummary,
  migratedVolumes,
  type ObjectChange,
  objectChanges,
  outsideNode,
  type PodSnapshot,
  passed,
  podSecurityProblems,
  podSnapshot,
  protectedUrns,
  type RunRecord,
  restartedPods,
  type StatefulSetSnapshot,
  statefulSetSnapshot,
  tally,
  unexpectedChanges,
  type Versions,
  validatorKeySecretUrn,
} from "./steps";

const ROOT = resolve(__dirname, "..");
const OUT = join(ROOT, "out", "e2e");
const KWOK_NODES = 3;
/** The kinds the program creates in its namespace, by API group path and resource: gone after destroy. */
const DESTROYED_KINDS = [
  ["/apis/apps/v1", "statefulsets"],
  ["/api/v1", "services"],
  ["/api/v1", "configmaps"],
  ["/api/v1", "secrets"],
  ["/api/v1", "serviceaccounts"],
  ["/apis/networking.k8s.io/v1", "networkpolicies"],
  ["/apis/policy/v1", "poddisruptionbudgets"],
] as const;

function seconds(since: number): number {
  return Math.round((Date.now() - since) / 1000);
}

/** Engine events of one operation: its summary, what it changed and the diagnostics worth a verdict. */
class EventLog {
  summary?: Record<string, number>;
  readonly diagnostics: Diagnostic[] = [];
  readonly changed: ChangedResource[] = [];
  readonly onEvent = (e: EngineEvent) => {
    if (e.summaryEvent) this.summary = e.summaryEvent.resourceChanges as Record<string, number>;
    const outputs = e.resOutputsEvent?.metadata;
    if (outputs) this.changed.push({ op: outputs.op, urn: outputs.urn });
    if (e.diagnosticEvent && ["warning", "error"].includes(e.diagnosticEvent.severity)) {
      const { severity, message, urn } = e.diagnosticEvent;
      this.diagnostics.push({ severity, message, ...(urn ? { urn } : {}) });
    }
  };

  /** The step's Pod Security warnings and refusals. */
  podSecurity(): string[] {
    return podSecurityProblems(this.diagnostics).map((d) => d.message.trim());
  }
}

/** Creates a pre-bound volume for every pending claim, as a dynamic provisioner would (see cluster.ts). */
function startProvisioner(kube: Kube): () => void {
  let stopped = false;
  const loop = async () => {
    while (!stopped) {
      try {
        for (const claim of await kube.list<Claim>("/api/v1/persistentvolumeclaims")) {
          if (!needsVolume(claim)) continue;
          await kube.create("/api/v1/persistentvolumes", volumeForClaim(claim)).catch((e) => {
            if (!(e instanceof KubeError && e.status === 409)) throw e;
          });
        }
      } catch (e) {
        if (!stopped) process.stderr.write(`e2e provisioner: ${String(e)}\n`);
      }
      await new Promise((r) => setTimeout(r, 2000));
    }
  };
  void loop();
  return () => {
    stopped = true;
  };
}

async function pods(kube: Kube): Promise<PodSnapshot[]> {
  const list = await kube.list<Parameters<typeof podSnapshot>[0]>(`/api/v1/namespaces/${E2E_NAMESPACE}/pods`);
  return list.map(podSnapshot).sort((a, b) => a.name.localeCompare(b.name));
}

async function statefulSets(kube: Kube): Promise<StatefulSetSnapshot[]> {
  const list = await kube.list<Parameters<typeof statefulSetSnapshot>[0]>(
    `/apis/apps/v1/namespaces/${E2E_NAMESPACE}/statefulsets`,
  );
  return list.map(statefulSetSnapshot);
}

async function configMapData(kube: Kube, name: string): Promise<Record<string, string> | undefined> {
  const cm = await kube.find<{ data?: Record<string, string> }>(
    `/api/v1/namespaces/${E2E_NAMESPACE}/configmaps/${name}`,
  );
  return cm ? (cm.data ?? {}) : undefined;
}

async function genesisData(kube: Kube): Promise<string | undefined> {
  const data = await configMapData(kube, GENESIS_CONFIGMAP);
  return data ? JSON.stringify(data) : undefined;
}

/** The GoQuorum nodes' static list. */
async function goQuorumStaticNodes(kube: Kube): Promise<string[]> {
  const text = (await configMapData(kube, STATIC_NODES_CONFIGMAP))?.[FILES.staticNodes];
  return text ? (JSON.parse(text) as string[]) : [];
}

async function claims(kube: Kube) {
  const list = await kube.list<Claim & { status?: { phase?: string } }>(
    `/api/v1/namespaces/${E2E_NAMESPACE}/persistentvolumeclaims`,
  );
  return list.map((c) => ({ name: c.metadata.name, phase: c.status?.phase ?? "" }));
}

/** Each change of an operation with the `Kind/name` of its object, from the states before and after it. */
function namedChanges(changed: readonly ChangedResource[], states: readonly StateResource[]): ObjectChange[] {
  const names = new Map<string, string>();
  for (const r of states)
    if (r.outputs?.kind && r.outputs.metadata?.name)
      names.set(r.urn, `${r.outputs.kind}/${r.outputs.metadata.name}`);
  return changed.map((c) => ({ ...c, object: names.get(c.urn) ?? c.urn }));
}

interface StateResource {
  readonly type: string;
  readonly urn: string;
  readonly protect?: boolean;
  readonly outputs?: {
    apiVersion?: string;
    kind?: string;
    metadata?: { name?: string; namespace?: string; uid?: string };
  };
}

async function stateResources(stack: Stack): Promise<StateResource[]> {
  const state = await stack.exportStack();
  return (state.deployment as { resources?: StateResource[] }).resources ?? [];
}

/** The Kubernetes objects in the stack's state, each read back from the API server by kind, name and uid. */
async function acceptedObjects(stack: Stack, kube: Kube): Promise<{ accepted: number; missing: string[] }> {
  const resources = (await stateResources(stack)).filter(
    (r) => r.type.startsWith("kubernetes:") && !r.type.startsWith("pulumi:providers:"),
  );
  const missing: string[] = [];
  for (const r of resources) {
    const o = r.outputs;
    if (!o?.apiVersion || !o.kind || !o.metadata?.name) {
      missing.push(`${r.urn} (no object in its outputs)`);
      continue;
    }
    const live = await kube.find<{ metadata: { uid: string } }>(
      objectPath(o.apiVersion, o.kind, o.metadata.name, o.metadata.namespace),
    );
    if (!live || live.metadata.uid !== o.metadata.uid) missing.push(`${o.kind}/${o.metadata.name}`);
  }
  return { accepted: resources.length - missing.length, missing };
}

function message(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  // The CLI's stderr ends the message; its last lines say what failed.
  return text.split("\n").filter(Boolean).slice(-15).join("\n");
}

async function configure(
  stack: Stack,
  shape: E2eShape,
  context: string,
  keySeed: Buffer,
): Promise<ReturnType<typeof adoptedKeys>> {
  const values = stackConfig(shape, context);
  // 32 bytes per label from the run's random seed: every key differs, and every run makes new ones.
  const keys = adoptedKeys(
    plannedNodes(shape, context),
    (label) => new Uint8Array(createHmac("sha256", keySeed).update(label).digest()),
  );
  await stack.setAllConfig({
    ...Object.fromEntries(Object.entries(values).map(([k, value]) => [k, { value }])),
    "goquorum:nodeKeys": { value: JSON.stringify(keys), secret: true },
  });
  return keys;
}

/** The migration step (see main); its record, the engine's diagnostics kept in `diagnostics`. */
async function migrate(
  stack: Stack,
  kube: Kube,
  context: string,
  keySeed: Buffer,
  diagnostics: Diagnostic[],
): Promise<RunRecord["migrate"]> {
  const node = MIGRATED_NODE;
  const secretPath = `/api/v1/namespaces/${E2E_NAMESPACE}/secrets/${keysSecretName({ name: node })}`;
  const podsBefore = await pods(kube);
  const setsBefore = await statefulSets(kube);
  const genesisBefore = await genesisData(kube);
  const staticBefore = await goQuorumStaticNodes(kube);
  const secretBefore = await kube.find<{ metadata: { uid: string } }>(secretPath);
  const stateBefore = await stateResources(stack);
  const log = new EventLog();
  let record: RunRecord["migrate"];
  try {
    const keys = await configure(stack, MIGRATE, context, keySeed);
    await stack.up({ onEvent: log.onEvent });
    const named = namedChanges(log.changed, [...stateBefore, ...(await stateResources(stack))]);
    const objects = objectChanges(named);
    const identity = (name: string) => nodeIdentityFromPrivateKey(keys[name]?.nodeKey ?? "").publicKey;
    const others = plannedNodes(MIGRATE, context)
      .filter((n) => n.name !== node)
      .map((n) => ({ name: n.name, publicKey: identity(n.name) }));
    const peers = (await configMapData(kube, BESU_PEERS_CONFIGMAP)) ?? {};
    const pod = await kube.get<BesuPodObject>(`/api/v1/namespaces/${E2E_NAMESPACE}/pods/${node}-0`);
    const secretAfter = await kube.find<{ metadata: { uid: string } }>(secretPath);
    const ns = await kube.get<{ metadata: { labels?: Record<string, string> } }>(
      `/api/v1/namespaces/${E2E_NAMESPACE}`,
    );
    const staticAfter = await goQuorumStaticNodes(kube);
    const enodeBefore = enodeOf(staticBefore, identity(node));
    record = {
      ok: true,
      node,
      changes: changeCount(log.summary),
      changed: named.filter((c) => c.op !== "same" && c.op !== "read").map((c) => `${c.op} ${c.object}`),
      objects,
      unexpected: unexpectedChanges(objects, migrationChanges(node)),
      restarted: outsideNode(restartedPods(podsBefore, await pods(kube)), node),
      revisionsChanged: outsideNode(changedStatefulSets(setsBefore, await statefulSets(kube)), node),
      genesisUnchanged: genesisBefore !== undefined && (await genesisData(kube)) === genesisBefore,
      ...migratedVolumes(await claims(kube), node, { old: VOLUMES.data, new: BESU_VOLUMES.data }),
      besuPod: besuPodFailures(pod, {
        container: BESU_CONTAINER,
        image: interopImage(MIGRATE, context),
        keysSecret: keysSecretName({ name: node }),
      }),
      keySecretKept: secretBefore !== undefined && secretAfter?.metadata.uid === secretBefore.metadata.uid,
      peerFiles: besuPeerFailures(
        {
          staticNodes: JSON.parse(peers[BESU_FILES.staticNodes] ?? "[]") as string[],
          allowlist: allowlistEntries(peers[BESU_FILES.permissions] ?? ""),
        },
        others,
      ),
      enodeKept: enodeBefore !== undefined && enodeOf(staticAfter, identity(node)) === enodeBefore,
      restrictedEnforced: ns.metadata.labels?.["pod-security.kubernetes.io/enforce"] === "restricted",
    };
  } catch (e) {
    record = { ok: false, node, changes: changeCount(log.summary), error: message(e) };
  }
  record = { ...record, resourceChanges: log.summary ?? {}, podSecurity: log.podSecurity() };
  diagnostics.push(...log.diagnostics);
  if (!record.ok) return record;
  const againLog = new EventLog();
  try {
    await stack.up({ onEvent: againLog.onEvent, expectNoChanges: true, refresh: true });
    record = { ...record, again: { ok: true, changes: changeCount(againLog.summary) } };
  } catch (e) {
    record = { ...record, again: { ok: false, changes: changeCount(againLog.summary), error: message(e) } };
  }
  diagnostics.push(...againLog.diagnostics);
  return { ...record, podSecurity: [...(record.podSecurity ?? []), ...againLog.podSecurity()] };
}

async function main(): Promise<number> {
  const started = Date.now();
  const built = buildAll();
  const buildSeconds = built.seconds;
  const coldBuild = PIECES.reduce((sum, p) => sum + (cachedBuild(p)?.seconds ?? 0), 0);
  const runStarted = Date.now();

  const dir = mkdtempSync(join(tmpdir(), "goquorum-e2e-"));
  const k8s = piece("kubernetes");
  const kwok = piece("kwok");
  const providerPiece = piece("pulumi-resource-kubernetes");
  const pulumiPiece = piece("pulumi");
  const versions: Versions = {
    pulumi: pulumiPiece.version,
    kubernetes: k8s.version,
    // The plugin the engine runs for @pulumi/kubernetes (the SDK's own version is in details.json).
    providers: { kubernetes: semver(providerPiece.version) },
    etcd: piece("etcd").version,
    kwok: kwok.version,
    nodejs: process.version,
  };
  const record: { -readonly [K in keyof RunRecord]: RunRecord[K] } & { sdks: Record<string, string> } = {
    versions,
    sdks: {
      "@pulumi/pulumi": require("@pulumi/pulumi/package.json").version,
      "@pulumi/kubernetes": require("@pulumi/kubernetes/package.json").version,
    },
    notServed: NOT_SERVED,
    preview: { ok: false },
    firstUp: { ok: false },
    secondUp: { ok: false },
    update: { ok: false },
    migrate: { ok: false },
    destroy: { ok: false },
    customObjects: { crds: 0, objects: 0, refused: [] },
    seconds: { build: buildSeconds, run: 0, coldBuild },
  };
  const diagnostics: Diagnostic[] = [];

  let plane: ControlPlane | undefined;
  let stopProvisioner: (() => void) | undefined;
  try {
    plane = await startControlPlane(
      dir,
      {
        etcd: binary(piece("etcd"), "etcd"),
        apiserver: binary(k8s, "kube-apiserver"),
        controllerManager: binary(k8s, "kube-controller-manager"),
        scheduler: binary(k8s, "kube-scheduler"),
        kwok: binary(kwok, "kwok"),
        kwokModuleDir: join(CACHE, "go", "mod", `${kwok.module}@${kwok.version}`),
      },
      KWOK_NODES,
    );
    const { kube } = plane;
    stopProvisioner = startProvisioner(kube);
    // The CRDs the program's custom objects need, served before the first step (tests/fixtures/crds).
    const fixtures = crdFixtures();
    await serveFixtureCrds(kube, fixtures);
    record.customObjects = { ...record.customObjects, crds: fixtures.length };

    // The CLI, its plugin home and its state: all in the cache or the run directory, nothing downloaded.
    const pulumiHome = join(CACHE, "pulumi-home");
    const pulumiBin = binary(pulumiPiece, "pulumi");
    const env = {
      PULUMI_HOME: pulumiHome,
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PULUMI_IGNORE_AMBIENT_PLUGINS: "true",
      PULUMI_CONFIG_PASSPHRASE: randomBytes(16).toString("hex"),
      PULUMI_BACKEND_URL: `file://${join(dir, "state")}`,
      KUBECONFIG: plane.kubeconfigPath,
    };
    mkdirSync(join(dir, "state"), { recursive: true });
    Object.assign(process.env, env);
    const providerVersion = semver(providerPiece.version);
    execFileSync(
      pulumiBin,
      [
        "plugin",
        "install",
        "resource",
        "kubernetes",
        providerVersion,
        "--file",
        binary(providerPiece, "pulumi-resource-kubernetes"),
      ],
      { env: { ...process.env, ...env }, stdio: "inherit" },
    );
    const pluginDir = join(pulumiHome, "plugins", `resource-kubernetes-v${providerVersion}`);

    // The project: the repository's program, run inline (no Node.js language host, see pieces.ts). The
    // provider the proxy serves stands in as a project plugin, under its own version.
    const workDir = join(dir, "project");
    mkdirSync(workDir);
    writeFileSync(
      join(workDir, "Pulumi.yaml"),
      [
        "name: goquorum",
        "runtime: nodejs",
        "plugins:",
        "  providers:",
        "    - name: kubernetes",
        `      path: ${pluginDir}`,
        "",
      ].join("\n"),
    );
    const pulumiCommand = await PulumiCommand.get({
      root: join(pulumiBin, "..", ".."),
      skipVersionCheck: true,
    });
    const stack = await LocalWorkspace.createOrSelectStack(
      { stackName: E2E_STACK, projectName: "goquorum", program },
      { workDir, pulumiHome, pulumiCommand, envVars: env, secretsProvider: "passphrase" },
    );
    const keySeed = randomBytes(32);
    await configure(stack, FIRST, plane.context, keySeed);

    // 1. preview
    const previewLog = new EventLog();
    try {
      const r = await stack.preview({ onEvent: previewLog.onEvent });
      record.preview = { ok: true, creates: r.changeSummary.create ?? 0 };
    } catch (e) {
      record.preview = { ok: false, error: message(e) };
    }
    record.preview = { ...record.preview, podSecurity: previewLog.podSecurity() };
    diagnostics.push(...previewLog.diagnostics);

    // 2. first up: every object in the API server, the restricted level enforced, every pod Ready
    const firstLog = new EventLog();
    try {
      await stack.up({ onEvent: firstLog.onEvent });
      const ns = await kube.get<{ metadata: { labels?: Record<string, string> } }>(
        `/api/v1/namespaces/${E2E_NAMESPACE}`,
      );
      const { accepted, missing } = await acceptedObjects(stack, kube);
      const running = await pods(kube);
      record.firstUp = {
        ok: missing.length === 0,
        created: firstLog.summary?.create ?? 0,
        accepted,
        // The nodes' pods; kwok also marks the validators' rollout gate Job pods ready, which are no node.
        readyPods: running.filter((p) => p.owner === "StatefulSet" && p.ready).length,
        expectedPods: plannedNodes(FIRST, plane.context).length,
        restrictedEnforced: ns.metadata.labels?.["pod-security.kubernetes.io/enforce"] === "restricted",
        ...(missing.length > 0 ? { error: `not in the API server: ${missing.join(", ")}` } : {}),
      };
    } catch (e) {
      record.firstUp = { ok: false, created: firstLog.summary?.create ?? 0, error: message(e) };
    }
    record.firstUp = { ...record.firstUp, podSecurity: firstLog.podSecurity() };
    diagnostics.push(...firstLog.diagnostics);

    // The custom objects of ingress, which this stack cannot deploy (its charts): judged by the API server.
    try {
      const objects = renderedCustomObjects(ROOT, dir, crdFixtures());
      const refused = await dryRunCreate(kube, objects);
      record.customObjects = {
        ...record.customObjects,
        objects: objects.length,
        refused,
        celRuleEnforced: await celRuleEnforced(kube, objects),
      };
    } catch (e) {
      record.customObjects = { ...record.customObjects, error: message(e) };
    }

    if (record.firstUp.ok) {
      // 3. second up: nothing to do, also after refreshing every object from the API server (its defaults and
      // what the controllers wrote must not read as drift)
      const secondLog = new EventLog();
      try {
        await stack.up({ onEvent: secondLog.onEvent, expectNoChanges: true, refresh: true });
        record.secondUp = { ok: true, changes: changeCount(secondLog.summary) };
      } catch (e) {
        record.secondUp = { ok: false, changes: changeCount(secondLog.summary), error: message(e) };
      }
      record.secondUp = {
        ...record.secondUp,
        resourceChanges: secondLog.summary ?? {},
        podSecurity: secondLog.podSecurity(),
      };
      diagnostics.push(...secondLog.diagnostics);

      // 4. update: one more RPC node; no existing pod restarts and no existing StatefulSet gets a new pod
      // template revision; the genesis stays byte for byte
      const podsBefore = await pods(kube);
      const setsBefore = await statefulSets(kube);
      const genesisBefore = await genesisData(kube);
      const updateLog = new EventLog();
      try {
        await configure(stack, UPDATE, plane.context, keySeed);
        await stack.up({ onEvent: updateLog.onEvent });
        const after = await pods(kube);
        const known = new Set(podsBefore.map((p) => p.name));
        const restarted = restartedPods(podsBefore, after);
        record.update = {
          ok: true,
          changes: changeCount(updateLog.summary),
          restartedPods: restarted.length,
          restarted,
          revisionsChanged: changedStatefulSets(setsBefore, await statefulSets(kube)),
          genesisUnchanged: genesisBefore !== undefined && (await genesisData(kube)) === genesisBefore,
          newPods: after.filter((p) => !known.has(p.name)).map((p) => p.name),
          notReady: after.filter((p) => !p.ready).map((p) => p.name),
        };
      } catch (e) {
        record.update = { ok: false, changes: changeCount(updateLog.summary), error: message(e) };
      }
      record.update = {
        ...record.update,
        resourceChanges: updateLog.summary ?? {},
        changed: changes(updateLog.changed),
        podSecurity: updateLog.podSecurity(),
      };
      diagnostics.push(...updateLog.diagnostics);

      // 5. migrate: one validator to Besu. Exactly its StatefulSet and rollout gate are replaced and Besu's
      // files created; its GoQuorum volume stays; nothing else restarts; the Besu pod runs the interop image as
      // a non-root user on the same key Secret; then a second up does nothing.
      record.migrate = await migrate(stack, kube, plane.context, keySeed, diagnostics);
    }

    // 6. destroy. First with a validator's key Secret protected in the state (`pulumi state protect`): the
    // engine must refuse and keep it. Then unprotected, as the program leaves it: protected resources of the
    // program refuse it; what the program retains stays in the cluster, the rest goes.
    const cli = (...args: string[]) =>
      execFileSync(pulumiBin, [...args, "--stack", E2E_STACK, "--yes", "--non-interactive"], {
        cwd: workDir,
        env: process.env,
        stdio: ["ignore", "ignore", "inherit"],
      });
    const keyUrn = validatorKeySecretUrn((await stateResources(stack)).map((r) => r.urn));
    let protectRefusal: NonNullable<RunRecord["destroy"]["protectRefusal"]> | undefined;
    if (keyUrn) {
      cli("state", "protect", keyUrn);
      let refusal: string | undefined;
      const refusedLog = new EventLog();
      try {
        await stack.destroy({ onEvent: refusedLog.onEvent });
      } catch (e) {
        refusal = message(e);
      }
      const stateAfter = (await stateResources(stack)).map((r) => r.urn);
      protectRefusal = {
        urn: keyUrn,
        ...destroyVerdict([keyUrn], { error: refusal, stateAfter }),
        // The engine still deletes what the protected resource does not need (see docs/e2e.md).
        deletedBeforeRefusal: refusedLog.summary?.delete ?? 0,
        refusal: refusedLog.diagnostics.filter((d) => d.severity === "error").map((d) => d.message.trim()),
      };
      cli("state", "unprotect", keyUrn);
    }
    const protectedBefore = protectedUrns(await stateResources(stack));
    const mustKeep = [
      `Namespace/${E2E_NAMESPACE}`,
      ...(await claims(kube)).map((c) => `PersistentVolumeClaim/${c.name}`),
    ];
    const destroyLog = new EventLog();
    let destroyError: string | undefined;
    try {
      await stack.destroy({ onEvent: destroyLog.onEvent });
    } catch (e) {
      destroyError = message(e);
    }
    try {
      const stateAfter = (await stateResources(stack)).map((r) => r.urn);
      const kept = protectedBefore.filter((urn) => stateAfter.includes(urn));
      const left: string[] = [];
      if (await kube.find(`/api/v1/namespaces/${E2E_NAMESPACE}`)) kept.push(`Namespace/${E2E_NAMESPACE}`);
      for (const claim of await kube.list<Claim>(
        `/api/v1/namespaces/${E2E_NAMESPACE}/persistentvolumeclaims`,
      ))
        kept.push(`PersistentVolumeClaim/${claim.metadata.name}`);
      // Without protected resources, everything else the program created goes; Kubernetes itself keeps the
      // namespace's default ServiceAccount and its root CA ConfigMap.
      const builtIn = new Set(["serviceaccounts/default", "configmaps/kube-root-ca.crt"]);
      if (protectedBefore.length === 0)
        for (const [group, kind] of DESTROYED_KINDS) {
          const items = await kube.list<{ metadata: { name: string } }>(
            `${group}/namespaces/${E2E_NAMESPACE}/${kind}`,
          );
          for (const i of items)
            if (!builtIn.has(`${kind}/${i.metadata.name}`)) left.push(`${kind}/${i.metadata.name}`);
        }
      record.destroy = {
        ...destroyVerdict(protectedBefore, { error: destroyError, stateAfter }),
        ...(protectRefusal ? { protectRefusal } : {}),
        deleted: destroyLog.summary?.delete ?? 0,
        protected: protectedBefore,
        kept,
        mustKeep,
        left,
      };
    } catch (e) {
      record.destroy = { ok: false, error: message(e) };
    }
    record.destroy = { ...record.destroy, podSecurity: destroyLog.podSecurity() };
    diagnostics.push(...destroyLog.diagnostics);
  } catch (e) {
    process.stderr.write(`e2e: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  } finally {
    stopProvisioner?.();
    await plane?.stop();
  }
  record.seconds.run = seconds(runStarted);
  const summary = issueSummary(record);
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, "summary.json"), `${JSON.stringify(summary, null, 2)}\n`);
  writeFileSync(join(OUT, "details.json"), `${JSON.stringify({ ...record, diagnostics }, null, 2)}\n`);
  rmSync(join(OUT, "diagnostics.json"), { force: true });
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  const failures = passed(record);
  if (failures.length === 0) rmSync(dir, { recursive: true, force: true });
  else process.stderr.write(`e2e: failed (logs kept in ${dir}):\n  ${failures.join("\n  ")}\n`);
  process.stderr.write(`e2e: details in ${join(OUT, "details.json")}; ${seconds(started)}s in all\n`);
  const { passed: ok, failed } = tally(record);
  process.stdout.write(`e2e: ${ok} passed, ${failed} failed\n`);
  return failures.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`e2e: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
