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
  /** Sum of the restart counts of its containers (init and sidecar containers included). */
  readonly restarts: number;
  readonly ready: boolean;
}

interface PodObject {
  readonly metadata: { readonly name: string; readonly uid: string };
  readonly status?: {
    readonly conditions?: readonly { readonly type: string; readonly status: string }[];
    readonly containerStatuses?: readonly { readonly restartCount?: number }[];
    readonly initContainerStatuses?: readonly { readonly restartCount?: number }[];
  };
}

export function podSnapshot(pod: PodObject): PodSnapshot {
  const statuses = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])];
  return {
    name: pod.metadata.name,
    uid: pod.metadata.uid,
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

export interface Summary {
  readonly versions: Record<string, string>;
  readonly notServed: readonly { module: string; version: string; error: string; instead: string }[];
  readonly preview: { ok: boolean; creates?: number; error?: string };
  readonly firstUp: { ok: boolean; created?: number; accepted?: number; readyPods?: number; error?: string };
  readonly secondUp: {
    ok: boolean;
    changes?: number;
    resourceChanges?: Record<string, number>;
    error?: string;
  };
  readonly update: {
    ok: boolean;
    changes?: number;
    resourceChanges?: Record<string, number>;
    /** How many pods that existed before the update it restarted (replaced, or a container restarted). */
    restartedPods?: number;
    restarted?: string[];
    genesisUnchanged?: boolean;
    newPods?: string[];
    error?: string;
  };
  readonly destroy: { ok: boolean; deleted?: number; kept?: string[]; left?: string[]; error?: string };
  readonly podSecurity: { enforced: boolean; problems: number };
  readonly seconds: { build: number; run: number; coldBuild: number };
}

/** Whether the run proves what the issue asks: each step ok, no-op second up, no restart, same genesis. */
export function passed(s: Summary): string[] {
  const failures: string[] = [];
  if (!s.preview.ok) failures.push(`preview: ${s.preview.error ?? "failed"}`);
  if (!s.firstUp.ok) failures.push(`first up: ${s.firstUp.error ?? "failed"}`);
  if (!s.secondUp.ok || s.secondUp.changes !== 0)
    failures.push(`second up: ${s.secondUp.error ?? `${s.secondUp.changes} changes, expected none`}`);
  if (!s.update.ok) failures.push(`update: ${s.update.error ?? "failed"}`);
  if ((s.update.restartedPods ?? 0) > 0) failures.push(`update restarted ${s.update.restarted?.join(", ")}`);
  if (s.update.genesisUnchanged !== true) failures.push("update changed the genesis ConfigMap");
  if (!s.destroy.ok) failures.push(`destroy: ${s.destroy.error ?? "failed"}`);
  if ((s.destroy.left ?? []).length > 0) failures.push(`destroy left ${s.destroy.left?.join(", ")}`);
  if (!s.podSecurity.enforced)
    failures.push("the namespace does not enforce the restricted Pod Security level");
  if (s.podSecurity.problems > 0)
    failures.push(`${s.podSecurity.problems} Pod Security warnings or refusals`);
  return failures;
}
