/**
 * The update preview: what `pulumi up` would do to the resources an earlier render describes, read from two
 * renders — which resources it creates, updates, replaces and deletes — with the steps a reviewer must not
 * miss flagged: replacements (with the inputs that force them, per `./replacement`), stateful resources
 * replaced or deleted, changes the cloud does not apply in place, protected resources deleted.
 *
 * A resource is the same resource in both renders when its URN is: its name and the chain of its parents'
 * types (pulumi/pulumi `resource/urn.go`); so a new parent type is a delete and a create. Secret values are
 * masked in both renders, so a change to one is not visible here.
 */
import type { RenderedResource } from "./render";
import { type ReplacementRule, replacementRule, underPath } from "./replacement";

export type Action = "create" | "update" | "replace" | "delete";

export interface Step {
  readonly action: Action;
  readonly type: string;
  readonly name: string;
  /** Input paths that differ (update and replace). */
  readonly changed?: readonly string[];
  /** What forces a replacement: input paths, or `provider` when its provider is replaced. */
  readonly replaceBecause?: readonly string[];
  /** Changed inputs the cloud does not apply in place, with why. */
  readonly notApplied?: Readonly<Record<string, string>>;
  /** Replacing or deleting it loses data, keys, identities or addresses. */
  readonly stateful: boolean;
  /** False when no rule says which of its inputs replace it: an update of it may still be a replacement. */
  readonly modelled: boolean;
  /** Options of a deleted resource: protected ones stop `pulumi up`, retained ones stay in the cloud. */
  readonly protect?: boolean;
  readonly retainOnDelete?: boolean;
}

export interface UpdatePreview {
  readonly counts: Readonly<Record<Action | "same", number>>;
  readonly steps: readonly Step[];
  /** One line per step a reviewer must look at. */
  readonly flags: readonly string[];
}

/** Resources of our own component types have no provider: they are never replaced. */
const isComponent = (type: string) => type.startsWith("goquorum:");

export function previewUpdate(
  before: readonly RenderedResource[],
  after: readonly RenderedResource[],
): UpdatePreview {
  const old = byUrn(before);
  const now = byUrn(after);
  const providersBefore = providers(before);
  const providersAfter = providers(after);
  const steps: Step[] = [];
  let same = 0;
  for (const [urn, resource] of now) {
    const previous = old.get(urn);
    if (!previous) {
      steps.push(step("create", resource));
      continue;
    }
    const diff = compare(previous, resource, providersBefore, providersAfter);
    if (diff) steps.push(diff);
    else same += 1;
  }
  for (const [urn, resource] of old) if (!now.has(urn)) steps.push(step("delete", resource));
  const cascaded = replaceWithProviders(steps, after);
  cascaded.sort(
    (a, b) =>
      ORDER[a.action] - ORDER[b.action] || a.type.localeCompare(b.type) || a.name.localeCompare(b.name),
  );
  const counts = { create: 0, update: 0, replace: 0, delete: 0, same };
  for (const s of cascaded) counts[s.action] += 1;
  return { counts, steps: cascaded, flags: cascaded.flatMap(flagsOf) };
}

const ORDER: Record<Action, number> = { replace: 0, delete: 1, update: 2, create: 3 };

function step(action: "create" | "delete", resource: RenderedResource): Step {
  const rule = replacementRule(resource.type);
  return {
    action,
    type: resource.type,
    name: resource.name,
    stateful: rule?.stateful ?? false,
    modelled: rule !== undefined || isComponent(resource.type),
    ...(action === "delete" && resource.options?.protect ? { protect: true } : {}),
    ...(action === "delete" && resource.options?.retainOnDelete ? { retainOnDelete: true } : {}),
  };
}

type Providers = ReadonlyMap<string, RenderedResource>;

function compare(
  before: RenderedResource,
  after: RenderedResource,
  providersBefore: Providers,
  providersAfter: Providers,
): Step | undefined {
  const changed = changedPaths(before.inputs, after.inputs);
  const providerReplaced =
    before.provider !== after.provider &&
    providerReplacement(providersBefore.get(before.provider ?? ""), providersAfter.get(after.provider ?? ""));
  if (changed.length === 0 && !providerReplaced) return undefined;
  const rule = replacementRule(after.type);
  const input = {
    before: asInputs(before.inputs),
    after: asInputs(after.inputs),
    provider: asInputs(providersAfter.get(after.provider ?? "")?.inputs),
  };
  const forcing = rule ? rule.replaceOnChange(input) : [];
  const replaceBecause = [
    ...changed.filter((path) => forcing.some((rulePath) => underPath(path, rulePath))),
    ...(providerReplaced ? ["provider"] : []),
  ];
  const notApplied = notAppliedChanges(rule, input, changed);
  return {
    action: replaceBecause.length > 0 ? "replace" : "update",
    type: after.type,
    name: after.name,
    changed,
    ...(replaceBecause.length > 0 ? { replaceBecause } : {}),
    ...(Object.keys(notApplied).length > 0 ? { notApplied } : {}),
    stateful: rule?.stateful ?? false,
    modelled: rule !== undefined || isComponent(after.type),
  };
}

function notAppliedChanges(
  rule: ReplacementRule | undefined,
  input: Parameters<ReplacementRule["replaceOnChange"]>[0],
  changed: readonly string[],
): Record<string, string> {
  const fields = rule?.notAppliedInPlace?.(input) ?? {};
  return Object.fromEntries(
    Object.entries(fields).filter(([path]) => changed.some((c) => underPath(c, path))),
  );
}

/** Whether moving a resource from one provider to another replaces it: the new provider's rule decides. */
function providerReplacement(
  before: RenderedResource | undefined,
  after: RenderedResource | undefined,
): boolean {
  if (!before || !after) return true;
  const rule = replacementRule(after.type);
  const input = { before: asInputs(before.inputs), after: asInputs(after.inputs) };
  const forcing = rule?.replaceOnChange(input) ?? [];
  return changedPaths(before.inputs, after.inputs).some((p) => forcing.some((r) => underPath(p, r)));
}

/** Every resource of a replaced provider is replaced with it (pulumi/pulumi step_generator.go). */
function replaceWithProviders(steps: readonly Step[], after: readonly RenderedResource[]): Step[] {
  const replaced = new Set(
    steps.filter((s) => s.action === "replace" && s.type.startsWith("pulumi:providers:")).map((s) => s.name),
  );
  if (replaced.size === 0) return [...steps];
  const byKey = new Map(steps.map((s) => [`${s.type}::${s.name}`, s]));
  for (const resource of after) {
    if (!resource.provider || !replaced.has(resource.provider)) continue;
    const key = `${resource.type}::${resource.name}`;
    const existing = byKey.get(key);
    if (existing?.action === "create" || existing?.action === "replace") continue;
    const rule = replacementRule(resource.type);
    byKey.set(key, {
      ...(existing ?? { type: resource.type, name: resource.name, changed: [] }),
      action: "replace",
      replaceBecause: ["provider"],
      stateful: rule?.stateful ?? false,
      modelled: true,
    });
  }
  return [...byKey.values()];
}

function flagsOf(s: Step): string[] {
  const what = `${s.type} ${s.name}`;
  const stateful = s.stateful ? " (stateful)" : "";
  const flags: string[] = [];
  if (s.action === "replace")
    flags.push(`replace${stateful} ${what}: ${s.replaceBecause?.join(", ")} cannot change in place`);
  if (s.action === "delete" && s.protect)
    flags.push(`delete ${what}: protected, so pulumi up stops here until it is unprotected`);
  else if (s.action === "delete" && s.stateful)
    flags.push(
      `delete${stateful} ${what}${s.retainOnDelete ? " (retained in the cloud, dropped from state)" : ""}`,
    );
  for (const [path, why] of Object.entries(s.notApplied ?? {}))
    flags.push(`not applied in place: ${what}: ${path}: ${why}`);
  return flags;
}

/** Input paths whose values differ, down to the leaves (`spec.template.spec.containers[0].image`). */
export function changedPaths(before: unknown, after: unknown, prefix = ""): string[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  if (Array.isArray(before) && Array.isArray(after)) {
    const length = Math.max(before.length, after.length);
    return Array.from({ length }, (_, i) => changedPaths(before[i], after[i], `${prefix}[${i}]`)).flat();
  }
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => changedPaths(before[k], after[k], prefix ? `${prefix}.${k}` : k));
  }
  return [prefix || "(inputs)"];
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);
const asInputs = (v: unknown): Record<string, unknown> => (isObject(v) ? v : {});

/** Resources by URN: name and the chain of parent types, as Pulumi identifies them. */
function byUrn(resources: readonly RenderedResource[]): Map<string, RenderedResource> {
  const byKey = new Map(resources.map((r) => [`${r.type}::${r.name}`, r]));
  const typeChain = (r: RenderedResource, seen = new Set<string>()): string => {
    const parent = r.parent ? byKey.get(r.parent) : undefined;
    if (!parent || seen.has(r.parent ?? "")) return r.type;
    seen.add(r.parent ?? "");
    return `${typeChain(parent, seen)}$${r.type}`;
  };
  const urns = new Map<string, RenderedResource>();
  for (const r of resources) {
    const urn = `${typeChain(r)}::${r.name}`;
    // The engine refuses two registrations of one URN; a render with two is not a deployment.
    if (urns.has(urn)) throw new Error(`the render registers ${urn} twice`);
    urns.set(urn, r);
  }
  return urns;
}

function providers(resources: readonly RenderedResource[]): Map<string, RenderedResource> {
  return new Map(resources.filter((r) => r.type.startsWith("pulumi:providers:")).map((r) => [r.name, r]));
}

/** The preview as a reviewer reads it on stdout or in a pull-request comment. */
export function formatPreview(preview: UpdatePreview, limit = 6): string {
  const { counts } = preview;
  const lines = [
    `Update preview: ${counts.create} to create, ${counts.update} to update, ${counts.replace} to replace, ${counts.delete} to delete, ${counts.same} unchanged.`,
  ];
  if (preview.flags.length > 0) lines.push("", "Needs a look:", ...preview.flags.map((f) => `  ! ${f}`));
  const section = (title: string, action: Action, mark: string) => {
    const steps = preview.steps.filter((s) => s.action === action);
    if (steps.length === 0) return;
    lines.push("", `${title}:`);
    for (const s of steps) {
      const paths = s.changed ?? [];
      const shown =
        paths.slice(0, limit).join(", ") + (paths.length > limit ? `, … (${paths.length - limit} more)` : "");
      lines.push(`  ${mark} ${s.type} ${s.name}${shown ? `: ${shown}` : ""}`);
    }
  };
  section("Replace", "replace", "+-");
  section("Delete", "delete", "-");
  section("Update", "update", "~");
  section("Create", "create", "+");
  const unmodelled = preview.steps.filter((s) => s.action === "update" && !s.modelled).length;
  lines.push(
    "",
    "Secret values are masked in both renders: a change to one does not show here.",
    ...(unmodelled > 0
      ? [
          `${unmodelled} update(s) of types without a replacement rule (infra/offline/replacement.ts) may be replacements.`,
        ]
      : []),
  );
  return `${lines.join("\n")}\n`;
}
