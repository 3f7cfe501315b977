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

type StepName = "preview" | "firstUp" | "secondUp" | "update" | "destroy";
const STEPS: readonly StepName[] = ["preview", "firstUp", "secondUp", "update", "destroy"];

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
  if ((destroy.left ?? []).length > 0) failures.destroy.push(`destroy left ${destroy.left?.join(", ")}`);
  if (destroy.protectRefusal === undefined)
    failures.destroy.push("destroy: the protect refusal was not tried");
  else if (!destroy.protectRefusal.ok)
    failures.destroy.push(
      `destroy with ${destroy.protectRefusal.urn} protected: ${destroy.protectRefusal.error}`,
    );
  return failures;
}

/** Every failure of a run, in step order; empty when it proves what the issue asks. */
export function passed(r: RunRecord): string[] {
  return [...Object.values(stepFailures(r)).flat(), ...customObjectFailures(r)];
}

/**
 * The run as the closing line of a test runner: the five steps and the custom objects, each passed when none
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
