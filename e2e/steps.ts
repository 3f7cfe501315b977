/** Verdicts of the end-to-end steps from the engine's events and the API server's objects. Pure. */

/**
 * Operations of the engine's summary event (`resourceChanges`) that change nothing: the engine's own
 * definition behind `--expect-no-changes` (pulumi/pulumi pkg/engine/update.go `HasChanges`: same, read,
 * read-replacement and discard, the op names of pkg/resource/deploy/step.go). The program's self
 * StackReference is read on every run.
 */
const UNCHANGED = new Set(["same", "read", "read-replacement", "discard"]);

/** Resources the engine created, updated, replaced or deleted, from a summary's `resourceChanges`. */
export function changeCount(resourceChanges: Readonly<Record<string, number>> | undefined): number {
  return Object.entries(resourceChanges ?? {})
    .filter(([op]) => !UNCHANGED.has(op))
    .reduce((sum, [, n]) => sum + n, 0);
}

export interface PodSnapshot {
  readonly name: string;
  readonly uid: string;
  /** Kind of the pod's controller: `StatefulSet` for a node, `Job` for a validator's rollout gate. */
  readonly owner?: string;
  /** Sum of the restart counts of its containers (init and sidecar containers included). */
  readonly restarts: number;
  readonly ready: boolean;
}

interface PodObject {
  readonly metadata: {
    readonly name: string;
    readonly uid: string;
    readonly ownerReferences?: readonly { readonly kind: string; readonly controller?: boolean }[];
  };
  readonly status?: {
    readonly conditions?: readonly { readonly type: string; readonly status: string }[];
    readonly containerStatuses?: readonly { readonly restartCount?: number }[];
    readonly initContainerStatuses?: readonly { readonly restartCount?: number }[];
  };
}

export function podSnapshot(pod: PodObject): PodSnapshot {
  const statuses = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])];
  const owner = pod.metadata.ownerReferences?.find((o) => o.controller)?.kind;
  return {
    name: pod.metadata.name,
    uid: pod.metadata.uid,
    ...(owner ? { owner } : {}),
    restarts: statuses.reduce((sum, s) => sum + (s.restartCount ?? 0), 0),
    ready: pod.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false,
  };
}

/**
 * Pods of `before` that an update restarted: replaced (another uid, or gone) or with more container restarts.
 * Pods that appear only in `after` are new, not restarted.
 */
export function restartedPods(before: readonly PodSnapshot[], after: readonly PodSnapshot[]): string[] {
  const now = new Map(after.map((p) => [p.name, p]));
  return before
    .filter((p) => {
      const later = now.get(p.name);
      return !later || later.uid !== p.uid || later.restarts > p.restarts;
    })
    .map((p) => p.name);
}

/** A diagnostic the engine reported (diagnosticEvent), kept when it is an error or a Pod Security warning. */
export interface Diagnostic {
  readonly severity: string;
  readonly message: string;
  readonly urn?: string;
}

/**
 * Messages that show an object was refused or would break the namespace's Pod Security level: the API server's
 * warning for a pod template below the enforced level ("would violate PodSecurity", kubernetes.io docs "Pod
 * Security Admission": warn mode on workload resources), or its refusal of a pod ("violates PodSecurity").
 */
export function podSecurityProblems(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => /violates? PodSecurity/i.test(d.message));
}

/** A resource an operation changed, from the engine's resOutputsEvent metadata. */
export interface ChangedResource {
  readonly op: string;
  readonly urn: string;
}

/** `op urn` of each resource whose operation is a change (not same, read...). */
export function changes(resources: readonly ChangedResource[]): string[] {
  return resources.filter((r) => !UNCHANGED.has(r.op)).map((r) => `${r.op} ${r.urn}`);
}

/** A StatefulSet's identity and the pod template revision its controller rolls out. */
export interface StatefulSetSnapshot {
  readonly name: string;
  readonly uid: string;
  /** `status.updateRevision`: the ControllerRevision of the current pod template (apps/v1 API reference). */
  readonly updateRevision: string;
}

interface StatefulSetObject {
  readonly metadata: { readonly name: string; readonly uid: string };
  readonly status?: { readonly updateRevision?: string };
}

export function statefulSetSnapshot(sts: StatefulSetObject): StatefulSetSnapshot {
  return { name: sts.metadata.name, uid: sts.metadata.uid, updateRevision: sts.status?.updateRevision ?? "" };
}

/**
 * StatefulSets of `before` whose pod template an update changed (a new revision, which a RollingUpdate rolls
 * out pod by pod) or that it replaced or removed. New StatefulSets are not changed ones.
 */
export function changedStatefulSets(
  before: readonly StatefulSetSnapshot[],
  after: readonly StatefulSetSnapshot[],
): string[] {
  const now = new Map(after.map((s) => [s.name, s]));
  return before
    .filter((s) => {
      const later = now.get(s.name);
      return !later || later.uid !== s.uid || later.updateRevision !== s.updateRevision;
    })
    .map((s) => s.name);
}

/**
 * Operations that belong to a replacement: the engine creates the replacement and deletes the old object, or
 * the other way round for an object whose name stays (delete-before-replace, pulumi-kubernetes
 * provider/pkg/provider/provider.go Diff). The op names are the engine's step ops (pulumi/pulumi
 * pkg/resource/deploy/step.go), as `@pulumi/pulumi` automation/stack.d.ts `OpType` lists them.
 */
const REPLACING = new Set([
  "replace",
  "create-replacement",
  "delete-replaced",
  "discard-replaced",
  "import-replacement",
  "remove-pending-replace",
]);

/** A change of the engine on a Kubernetes object, named `Kind/name` from the state's outputs. */
export interface ObjectChange {
  readonly op: string;
  readonly urn: string;
  /** `Kind/name` of the object, from the state before or after the operation; the URN when neither has it. */
  readonly object: string;
}

/**
 * What happened to each object in a step: one verdict per object, whatever the steps the engine took. A
 * replacement outranks a create, a create a delete; `updated` holds the rest (in place, or any other changing
 * op such as an import).
 */
export interface ObjectChanges {
  readonly replaced: readonly string[];
  readonly created: readonly string[];
  readonly updated: readonly string[];
  readonly deleted: readonly string[];
}

export function objectChanges(changes: readonly ObjectChange[]): ObjectChanges {
  const ops = new Map<string, Set<string>>();
  for (const c of changes) {
    if (UNCHANGED.has(c.op)) continue;
    ops.set(c.object, (ops.get(c.object) ?? new Set()).add(c.op));
  }
  const of = (test: (o: Set<string>) => boolean) =>
    [...ops.entries()]
      .filter(([, o]) => test(o))
      .map(([object]) => object)
      .sort();
  const replacing = (o: Set<string>) => [...o].some((op) => REPLACING.has(op));
  return {
    replaced: of(replacing),
    created: of((o) => !replacing(o) && o.has("create")),
    updated: of((o) => !replacing(o) && !o.has("create") && !o.has("delete")),
    deleted: of((o) => !replacing(o) && !o.has("create") && o.has("delete")),
  };
}

/** Every difference between what a step changed and what it had to change, by verdict and object. */
export function unexpectedChanges(actual: ObjectChanges, expected: ObjectChanges): string[] {
  const verdicts = ["replaced", "created", "updated", "deleted"] as const;
  return verdicts.flatMap((v) => [
    ...actual[v].filter((o) => !expected[v].includes(o)).map((o) => `${o} ${v}, not expected`),
    ...expected[v].filter((o) => !actual[v].includes(o)).map((o) => `${o} not ${v}`),
  ]);
}

/** A volume claim's name and phase (`status.phase`: Pending, Bound or Lost). */
export interface ClaimSnapshot {
  readonly name: string;
  readonly phase: string;
}

/**
 * The volumes of a node after its client switched: the claim of the old volume claim template, kept (for a
 * rollback), and the claim of the new template, bound. A StatefulSet's claims are named
 * `<template>-<statefulset>-<ordinal>` (kubernetes.io docs "StatefulSets": Stable Storage).
 */
export function migratedVolumes(
  claims: readonly ClaimSnapshot[],
  node: string,
  templates: { readonly old: string; readonly new: string },
): { keptVolume?: string; newVolume?: string; newVolumePhase?: string } {
  const find = (template: string) => claims.find((c) => c.name === `${template}-${node}-0`);
  const kept = find(templates.old);
  const fresh = find(templates.new);
  return {
    ...(kept ? { keptVolume: kept.name } : {}),
    ...(fresh ? { newVolume: fresh.name, newVolumePhase: fresh.phase } : {}),
  };
}

/**
 * Pods and StatefulSets a migration may restart or change: the node's own (`<node>-0`) and its rollout gate
 * Job's pods (`<node>-rollout-gate-<suffix>`), named after the node.
 */
export function outsideNode(names: readonly string[], node: string): string[] {
  return names.filter((n) => n !== node && n !== `${node}-0` && !n.startsWith(`${node}-rollout-gate-`));
}

interface Container {
  readonly name: string;
  readonly image?: string;
  readonly args?: readonly string[];
  readonly command?: readonly string[];
  readonly securityContext?: { readonly runAsNonRoot?: boolean; readonly runAsUser?: number };
  readonly volumeMounts?: readonly {
    readonly name: string;
    readonly mountPath: string;
    readonly subPath?: string;
  }[];
}

/** The parts of a pod the Besu judge reads. */
export interface BesuPodObject {
  readonly metadata: { readonly name: string; readonly uid: string };
  readonly spec: {
    readonly securityContext?: { readonly runAsNonRoot?: boolean; readonly runAsUser?: number };
    readonly containers: readonly Container[];
    readonly volumes?: readonly {
      readonly name: string;
      readonly secret?: {
        readonly secretName?: string;
        readonly items?: readonly { readonly path: string }[];
      };
    }[];
  };
  readonly status?: PodObject["status"];
}

/**
 * Why a Besu node's pod is not what the migration must leave: its Besu container runs `image`, as a non-root
 * user (the container's or the pod's `runAsUser`, non-zero, with `runAsNonRoot`), its key from the file
 * `--node-private-key-file` names, and that file comes from the Secret `keysSecret`; the pod is Ready.
 */
export function besuPodFailures(
  pod: BesuPodObject,
  expected: { readonly container: string; readonly image: string; readonly keysSecret: string },
): string[] {
  const failures: string[] = [];
  const name = pod.metadata.name;
  if (!podSnapshot(pod).ready) failures.push(`${name} is not Ready`);
  const besu = pod.spec.containers.find((c) => c.name === expected.container);
  if (!besu) return [...failures, `${name} has no ${expected.container} container`];
  if (besu.image !== expected.image) failures.push(`${name} runs ${besu.image}, not ${expected.image}`);
  const runAsUser = besu.securityContext?.runAsUser ?? pod.spec.securityContext?.runAsUser;
  const runAsNonRoot = besu.securityContext?.runAsNonRoot ?? pod.spec.securityContext?.runAsNonRoot;
  if (runAsUser === undefined || runAsUser === 0 || runAsNonRoot !== true)
    failures.push(`${name} may run as root (runAsUser ${runAsUser}, runAsNonRoot ${runAsNonRoot})`);
  const flag = "--node-private-key-file=";
  const keyFile = [...(besu.command ?? []), ...(besu.args ?? [])]
    .find((a) => a.startsWith(flag))
    ?.slice(flag.length);
  if (!keyFile) return [...failures, `${name}: Besu is not given ${flag}`];
  const source = (besu.volumeMounts ?? []).flatMap((m) => {
    const inside = m.subPath
      ? m.mountPath === keyFile
        ? m.subPath
        : undefined
      : keyFile.startsWith(`${m.mountPath.replace(/\/$/, "")}/`)
        ? keyFile.slice(m.mountPath.replace(/\/$/, "").length + 1)
        : undefined;
    const secret = pod.spec.volumes?.find((v) => v.name === m.name)?.secret;
    if (inside === undefined || !secret) return [];
    const projected = secret.items === undefined || secret.items.some((i) => i.path === inside);
    return projected ? [secret.secretName] : [];
  });
  if (!source.includes(expected.keysSecret))
    failures.push(`${name}: ${keyFile} is not a file of the Secret ${expected.keysSecret}`);
  return failures;
}

/**
 * Besu's enode form (besu-eth/besu EnodeURLImpl.fromString): 128 hex id, host, TCP port and of the query at
 * most `discport`; GoQuorum's `raftport` (or any other query) makes Besu refuse the whole file.
 */
const BESU_ENODE =
  /^enode:\/\/([0-9a-f]{128})@([^:/?#@\s]+|\[[0-9a-f:.]+\]):([0-9]{1,5})(\?discport=[0-9]{1,5})?$/;

/** The quoted entries of `nodes-allowlist=[...]` in a `permissions_config.toml`. */
export function allowlistEntries(toml: string): string[] {
  const list = /^nodes-allowlist\s*=\s*\[([^\]]*)\]/m.exec(toml)?.[1] ?? "";
  return [...list.matchAll(/"([^"]*)"/g)].map((m) => m[1] ?? "");
}

/**
 * Why a Besu node's peer files are wrong: every other node must be in its static nodes and in its allowlist,
 * by enode id, and every entry must be in Besu's dialect (it refuses the file otherwise).
 */
export function besuPeerFailures(
  files: { readonly staticNodes: readonly string[]; readonly allowlist: readonly string[] },
  others: readonly { readonly name: string; readonly publicKey: string }[],
): string[] {
  const failures: string[] = [];
  for (const [file, entries] of Object.entries(files) as [string, readonly string[]][]) {
    for (const e of entries) if (!BESU_ENODE.test(e)) failures.push(`${file}: ${e} is not in Besu's dialect`);
    const ids = new Set(entries.map((e) => BESU_ENODE.exec(e)?.[1]));
    for (const o of others)
      if (!ids.has(o.publicKey.toLowerCase())) failures.push(`${file}: ${o.name} is missing`);
  }
  return failures;
}

/** The entry of a static nodes list with this enode id (the node's public key), if any. */
export function enodeOf(staticNodes: readonly string[], publicKey: string): string | undefined {
  return staticNodes.find((e) => e.toLowerCase().startsWith(`enode://${publicKey.toLowerCase()}@`));
}

/** Resources of a state export that carry `protect`: `pulumi destroy` refuses to delete them. */
export function protectedUrns(resources: readonly { urn: string; protect?: boolean }[]): string[] {
  return resources.filter((r) => r.protect === true).map((r) => r.urn);
}

/** Fields every step records: whether the engine finished it, its error, its Pod Security messages. */
interface Step {
  readonly ok: boolean;
  readonly error?: string;
  /** Pod Security warnings and refusals among the step's diagnostics (podSecurityProblems). */
  readonly podSecurity?: readonly string[];
}

/** Everything a run observed (out/e2e/details.json); `issueSummary` is the part the issue asks for. */
export interface RunRecord {
  readonly versions: Versions;
  readonly notServed: readonly { module: string; version: string; error: string; instead: string }[];
  readonly preview: Step & { creates?: number };
  readonly firstUp: Step & {
    created?: number;
    accepted?: number;
    readyPods?: number;
    expectedPods?: number;
    /** The namespace's `pod-security.kubernetes.io/enforce` label is `restricted`. */
    restrictedEnforced?: boolean;
  };
  readonly secondUp: Step & { changes?: number; resourceChanges?: Record<string, number> };
  readonly update: Step & {
    changes?: number;
    resourceChanges?: Record<string, number>;
    /**
     * `op urn` of every resource the engine changed. Adding a node may create resources and update others in
     * place; a replace or delete (an immutable field changed, a name moved) fails the step.
     */
    changed?: string[];
    /** How many pods that existed before the update it restarted (replaced, or a container restarted). */
    restartedPods?: number;
    restarted?: string[];
    /** StatefulSets that existed before whose template revision changed (changedStatefulSets). */
    revisionsChanged?: string[];
    genesisUnchanged?: boolean;
    newPods?: string[];
    notReady?: string[];
  };
  /** One validator switched to Besu (`nodeClients`): what the step replaced and what it left alone. */
  readonly migrate: Step & {
    node?: string;
    changes?: number;
    resourceChanges?: Record<string, number>;
    /** `op Kind/name` of each step the engine took that changed something. */
    changed?: string[];
    /** What happened to each object (objectChanges), and every difference from what had to (unexpectedChanges). */
    objects?: ObjectChanges;
    unexpected?: string[];
    /** Pods and StatefulSets other than the node's that the step restarted or gave a new template revision. */
    restarted?: string[];
    revisionsChanged?: string[];
    genesisUnchanged?: boolean;
    /** The node's GoQuorum volume claim, still there, and its Besu claim (migratedVolumes). */
    keptVolume?: string;
    newVolume?: string;
    newVolumePhase?: string;
    /** Why the Besu pod is not what it must be (besuPodFailures), and whether it reads the same key Secret. */
    besuPod?: string[];
    keySecretKept?: boolean;
    /** Why Besu's static nodes or allowlist are wrong (besuPeerFailures). */
    peerFiles?: string[];
    /** The node's entry in the GoQuorum nodes' static list is the one it had (same enode id and host). */
    enodeKept?: boolean;
    restrictedEnforced?: boolean;
    /** A second `pulumi up` after the migration. */
    again?: { ok: boolean; changes?: number; error?: string };
  };
  readonly destroy: Step & {
    /**
     * A destroy while one resource (a validator's key Secret) is protected in the state: the engine must
     * refuse it and keep that resource, what `network.protectKeys` relies on (destroyVerdict).
     */
    protectRefusal?: {
      urn: string;
      ok: boolean;
      error?: string;
      deletedBeforeRefusal?: number;
      /** The engine's error diagnostics of the refused destroy. */
      refusal?: string[];
    };
    deleted?: number;
    /** Protected resources in the state before destroy, by URN. */
    protected?: string[];
    /** Retained objects still in the API server, and protected resources still in the state. */
    kept?: string[];
    /**
     * What retention must keep (`workloads.retainVolumesOnDelete`): the namespace and every volume claim that
     * existed before destroy (after the migration, the migrated node's GoQuorum and Besu claims both).
     */
    mustKeep?: string[];
    /** Objects the program created that should be gone and are not. */
    left?: string[];
  };
  /** The program's custom objects (ingress, rendered) against the fixture CRDs, created with dryRun=All. */
  readonly customObjects: {
    readonly crds: number;
    readonly objects: number;
    /** `Kind/name: answer` of each object the API server refused. */
    readonly refused: readonly string[];
    /** A Gateway that breaks one CEL rule of its CRD was refused with that rule's message (crds.celControl). */
    readonly celRuleEnforced?: boolean;
    readonly error?: string;
  };
  readonly seconds: { build: number; run: number; coldBuild: number };
}

export interface Versions {
  readonly pulumi: string;
  readonly kubernetes: string;
  /** Provider plugins the engine loaded, by package, at the version it ran. */
  readonly providers: Readonly<Record<string, string>>;
  readonly [piece: string]: string | Readonly<Record<string, string>>;
}

type StepName = "preview" | "firstUp" | "secondUp" | "update" | "migrate" | "destroy";
const STEPS: readonly StepName[] = ["preview", "firstUp", "secondUp", "update", "migrate", "destroy"];

/** Why each step does not prove what the issue asks, by step (empty lists when it does). */
export function stepFailures(r: RunRecord): Record<StepName, string[]> {
  const failures = Object.fromEntries(STEPS.map((s) => [s, [] as string[]])) as Record<StepName, string[]>;
  for (const s of STEPS) {
    if (!r[s].ok) failures[s].push(`${s}: ${r[s].error ?? "failed"}`);
    for (const m of r[s].podSecurity ?? []) failures[s].push(`${s}: Pod Security: ${m}`);
  }
  const { firstUp, secondUp, update, destroy } = r;
  if (firstUp.ok && firstUp.restrictedEnforced !== true)
    failures.firstUp.push("firstUp: the namespace does not enforce the restricted Pod Security level");
  if (firstUp.ok && firstUp.readyPods !== firstUp.expectedPods)
    failures.firstUp.push(`firstUp: ${firstUp.readyPods} of ${firstUp.expectedPods} pods ready`);
  if (secondUp.ok && secondUp.changes !== 0)
    failures.secondUp.push(`secondUp: ${secondUp.changes} changes, expected none`);
  if (update.ok) {
    if ((update.restartedPods ?? 0) > 0)
      failures.update.push(`update restarted ${update.restarted?.join(", ")}`);
    if ((update.revisionsChanged ?? []).length > 0)
      failures.update.push(`update changed the pod template of ${update.revisionsChanged?.join(", ")}`);
    if (update.genesisUnchanged !== true) failures.update.push("update changed the genesis ConfigMap");
    const replaced = (update.changed ?? []).filter((c) => !/^(create|update) /.test(c));
    if (replaced.length > 0) failures.update.push(`update replaced or deleted ${replaced.join(", ")}`);
    if ((update.notReady ?? []).length > 0)
      failures.update.push(`update: not ready ${update.notReady?.join(", ")}`);
  }
  failures.migrate.push(...migrateFailures(r.migrate).map((f) => `migrate: ${f}`));
  const lost = (destroy.mustKeep ?? []).filter((k) => !(destroy.kept ?? []).includes(k));
  if (lost.length > 0) failures.destroy.push(`destroy did not keep ${lost.join(", ")}`);
  if ((destroy.left ?? []).length > 0) failures.destroy.push(`destroy left ${destroy.left?.join(", ")}`);
  if (destroy.protectRefusal === undefined)
    failures.destroy.push("destroy: the protect refusal was not tried");
  else if (!destroy.protectRefusal.ok)
    failures.destroy.push(
      `destroy with ${destroy.protectRefusal.urn} protected: ${destroy.protectRefusal.error}`,
    );
  return failures;
}

/** Why a finished migration step does not prove what it must (none when the engine failed it: its error). */
function migrateFailures(m: RunRecord["migrate"]): string[] {
  if (!m.ok) return [];
  const list = (label: string, items: readonly string[] | undefined) =>
    items === undefined
      ? [`${label}: not observed`]
      : items.length > 0
        ? [`${label} ${items.join(", ")}`]
        : [];
  return [
    ...(m.unexpected ?? ["changes not observed"]),
    ...list("restarted", m.restarted),
    ...list("changed the pod template of", m.revisionsChanged),
    ...(m.genesisUnchanged === true ? [] : ["the GoQuorum genesis ConfigMap changed"]),
    ...(m.keptVolume ? [] : ["the node's GoQuorum volume claim is gone"]),
    ...(m.newVolume !== undefined && m.newVolume === m.keptVolume
      ? [`Besu was given the GoQuorum volume ${m.newVolume}`]
      : []),
    ...(m.newVolume && m.newVolumePhase === "Bound"
      ? []
      : [`the node's Besu volume claim is ${m.newVolume ? m.newVolumePhase : "missing"}`]),
    ...(m.besuPod ?? ["the Besu pod was not read"]),
    ...(m.keySecretKept === true ? [] : ["the node's key Secret is not the one it had"]),
    ...(m.peerFiles ?? ["Besu's peer files were not read"]),
    ...(m.enodeKept === true ? [] : ["the node's enode changed in the GoQuorum static nodes"]),
    ...(m.restrictedEnforced === true ? [] : ["the namespace does not enforce the restricted level"]),
    ...(m.again === undefined
      ? ["the second up was not run"]
      : !m.again.ok
        ? [`second up: ${m.again.error ?? "failed"}`]
        : m.again.changes !== 0
          ? [`second up: ${m.again.changes} changes, expected none`]
          : []),
  ];
}

/** Every failure of a run, in step order; empty when it proves what the issue asks. */
export function passed(r: RunRecord): string[] {
  return [...Object.values(stepFailures(r)).flat(), ...customObjectFailures(r)];
}

/**
 * The run as the closing line of a test runner: the six steps and the custom objects, each passed when none
 * of its checks failed.
 */
export function tally(r: RunRecord): { passed: number; failed: number } {
  const checks = [...Object.values(stepFailures(r)), customObjectFailures(r)];
  const failed = checks.filter((f) => f.length > 0).length;
  return { passed: checks.length - failed, failed };
}

function customObjectFailures(r: RunRecord): string[] {
  const { customObjects: c } = r;
  return [
    ...(c.error ? [`custom objects: ${c.error}`] : []),
    ...(c.objects === 0 && !c.error ? ["custom objects: none rendered"] : []),
    ...c.refused.map((m) => `custom objects: refused ${m}`),
    ...(c.objects > 0 && c.celRuleEnforced !== true
      ? ["custom objects: the API server did not enforce the Gateway CRD's CEL rule"]
      : []),
  ];
}

/** out/e2e/summary.json, in the shape issue 17 gives; a step is ok only when all of its checks pass. */
export function issueSummary(r: RunRecord) {
  const failures = stepFailures(r);
  const ok = (s: StepName) => failures[s].length === 0;
  return {
    versions: r.versions,
    preview: { ok: ok("preview") },
    firstUp: { ok: ok("firstUp"), created: r.firstUp.created ?? 0 },
    secondUp: { ok: ok("secondUp"), changes: r.secondUp.changes ?? null },
    update: {
      ok: ok("update"),
      changes: r.update.changes ?? null,
      restartedPods: r.update.restartedPods ?? null,
      genesisUnchanged: r.update.genesisUnchanged ?? false,
    },
    migrate: {
      ok: ok("migrate"),
      replaced: r.migrate.objects?.replaced ?? [],
      restartedPods: r.migrate.restarted?.length ?? null,
      keptVolume: r.migrate.keptVolume ?? null,
      newVolume: r.migrate.newVolumePhase === "Bound" ? (r.migrate.newVolume ?? null) : null,
    },
    destroy: { ok: ok("destroy"), kept: r.destroy.kept ?? [] },
    seconds: { build: r.seconds.build, run: r.seconds.run },
  };
}

/**
 * What `pulumi destroy` must do, given the protected resources in the state before it: with none, finish; with
 * some, fail (Pulumi docs "Resource option: protect": "it will be an error to do a Pulumi deployment which
 * tries to delete a protected resource") and leave each of them in the state.
 */
export function destroyVerdict(
  protectedBefore: readonly string[],
  result: { error?: string; stateAfter: readonly string[] },
): { ok: boolean; error?: string } {
  if (protectedBefore.length === 0)
    return result.error === undefined ? { ok: true } : { ok: false, error: result.error };
  const lost = protectedBefore.filter((urn) => !result.stateAfter.includes(urn));
  if (result.error === undefined)
    return { ok: false, error: `destroy finished although ${protectedBefore.join(", ")} are protected` };
  if (lost.length > 0) return { ok: false, error: `destroy deleted protected ${lost.join(", ")}` };
  return { ok: true };
}

/** The URN of the first validator's key Secret in a state: the resource the protect refusal protects. */
export function validatorKeySecretUrn(urns: readonly string[]): string | undefined {
  return urns.find((urn) => /\$kubernetes:core\/v1:Secret::[^:]*validator-0-keys$/.test(urn));
}
