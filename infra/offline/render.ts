/**
 * Offline render: run the real program for a stack under the mock runtime and list every resource it
 * registers — type, name, parent, provider and inputs, secrets masked — in a deterministic order.
 */
import * as pulumi from "@pulumi/pulumi";
import { NODE_CLIENTS_OUTPUT } from "../besu/rollingUpgrade";
import { isSecureValue, readStackFile, stackFilePath } from "../config/load";
import { ADOPTED_KEYS_CONFIG_KEY, ALERTING_SECRETS_CONFIG_KEY, PROJECT } from "../config/schema";
import { nodeKeyFromSeed } from "../quorum/keys";
import { DEPLOYED_VALIDATORS_OUTPUT } from "../quorum/rollout";
import { planRawConfig, planUpgradeFor } from "../stackPlan";
import { KUBERNETES_VERSIONS_OUTPUT } from "../verify/kubernetesUpgrade";
import { throwawayBytes, useOfflineRuntime } from "./mocks";

export const SECRET_PLACEHOLDER = "[secret]";

export interface RenderedResource {
  readonly type: string;
  readonly name: string;
  /** `type::name` of the parent, or null at the top. */
  readonly parent: string | null;
  /** `name` of the explicit provider, or null for the default one. */
  readonly provider: string | null;
  /**
   * Options a reviewer must see, only when set: `protect`, `retainOnDelete`, `deleteBeforeReplace`,
   * `customTimeouts` and `dependsOn` (`type::name`).
   */
  readonly options?: {
    readonly protect?: boolean;
    readonly retainOnDelete?: boolean;
    readonly deleteBeforeReplace?: boolean;
    readonly customTimeouts?: pulumi.CustomTimeouts;
    readonly dependsOn?: readonly string[];
  };
  readonly inputs: unknown;
}

export interface RenderResult {
  readonly resources: RenderedResource[];
  /** Stack outputs with secrets masked. */
  readonly outputs: Record<string, unknown>;
}

interface Captured {
  readonly type: string;
  readonly name: string;
  readonly parent?: pulumi.Resource;
  readonly provider?: pulumi.ProviderResource;
  readonly props: pulumi.Inputs;
  readonly opts: pulumi.ResourceOptions;
  readonly resource: pulumi.Resource;
}

/** Config for the mock runtime: values as the CLI would pass them, `secure:` values replaced by placeholders. */
export function offlineConfig(raw: Record<string, unknown>): {
  config: Record<string, string>;
  secretKeys: string[];
} {
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    const fullKey = key.includes(":") ? key : `${PROJECT}:${key}`;
    if (fullKey === ADOPTED_KEYS) continue; // replaced by throwaway keys below: render never sees real keys
    if (fullKey === ALERTING_SECRETS && isSecureValue(value)) {
      // Encrypted receiver credentials: stand-ins of the right shape (a URL serves every receiver type).
      config[fullKey] = JSON.stringify(standInCredentials(value));
      secretKeys.push(fullKey);
      continue;
    }
    if (isSecureValue(value)) secretKeys.push(fullKey);
    config[fullKey] = typeof value === "string" ? value : JSON.stringify(maskSecure(value));
  }
  const adopted = throwawayAdoptedKeys(raw[`${PROJECT}:network`]);
  if (adopted) {
    config[ADOPTED_KEYS] = JSON.stringify(adopted);
    secretKeys.push(ADOPTED_KEYS);
  }
  return { config, secretKeys };
}

const ADOPTED_KEYS = `${PROJECT}:${ADOPTED_KEYS_CONFIG_KEY}`;
const ALERTING_SECRETS = `${PROJECT}:${ALERTING_SECRETS_CONFIG_KEY}`;

function standInCredentials(value: unknown): Record<string, string> {
  const names = value !== null && typeof value === "object" ? Object.keys(value) : [];
  return Object.fromEntries(names.map((name) => [name, `https://alerting.invalid/${name}`]));
}

/** Stand-ins for keys a user brings, derived from the node name like every throwaway key. */
function throwawayAdoptedKeys(
  network: unknown,
): Record<string, { nodeKey: string; tesseraKey: string }> | undefined {
  const names = (network as { adoptKeysFor?: unknown } | undefined)?.adoptKeysFor;
  if (!Array.isArray(names) || names.length === 0) return undefined;
  const derive = (purpose: string, name: string) => throwawayBytes(`${purpose}:${name}`);
  return Object.fromEntries(
    names.map((name) => [
      String(name),
      {
        nodeKey: nodeKeyFromSeed(derive("nodekey", name)),
        tesseraKey: derive("tessera", name).toString("base64"),
      },
    ]),
  );
}

function maskSecure(value: unknown): unknown {
  if (isSecureValue(value) && typeof value === "object" && value !== null && "secure" in value)
    return SECRET_PLACEHOLDER;
  if (Array.isArray(value)) return value.map(maskSecure);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskSecure(v)]));
  }
  return value;
}

/** Resolves Inputs to plain JSON, masking every secret. */
async function resolve(value: unknown, names: Map<pulumi.Resource, string>): Promise<unknown> {
  if (pulumi.Output.isInstance(value)) {
    if (await pulumi.isSecret(value)) return SECRET_PLACEHOLDER;
    const inner = await new Promise<unknown>((done) => value.apply(done));
    return resolve(inner, names);
  }
  if (value instanceof Promise) return resolve(await value, names);
  if (pulumi.Resource.isInstance(value)) return { resource: names.get(value) ?? "unknown" };
  if (Array.isArray(value)) return Promise.all(value.map((v) => resolve(v, names)));
  if (value !== null && typeof value === "object") {
    const entries = await Promise.all(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(async ([k, v]) => [k, await resolve(v, names)] as const),
    );
    return Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b)));
  }
  return value;
}

function reviewedOptions(
  opts: pulumi.ResourceOptions & { readonly deleteBeforeReplace?: boolean },
  names: ReadonlyMap<pulumi.Resource, string>,
): Pick<RenderedResource, "options"> {
  // Components pass dependsOn as a plain list; a resource may also be given alone.
  const dependsOn = ([] as unknown[]).concat(opts.dependsOn ?? []).filter(pulumi.Resource.isInstance);
  const options = {
    ...(opts.protect ? { protect: true } : {}),
    ...(opts.retainOnDelete ? { retainOnDelete: true } : {}),
    ...(opts.deleteBeforeReplace ? { deleteBeforeReplace: true } : {}),
    ...(opts.customTimeouts ? { customTimeouts: opts.customTimeouts } : {}),
    ...(dependsOn.length > 0 ? { dependsOn: dependsOn.map((r) => names.get(r) ?? "unknown").sort() } : {}),
  };
  return Object.keys(options).length > 0 ? { options } : {};
}

export interface RenderOptions {
  /** Outputs of the stack's last deployment, as its reference to itself reads them. @default none: a new stack */
  readonly previousOutputs?: Record<string, unknown>;
}

/**
 * The outputs a completed deployment of this very config leaves behind: every validator deployed, and every
 * cloud cluster at its configured minor (its pools with it, so none trails). Rendering with them shows an
 * update of the running network (the rollout chain) rather than its first deployment.
 */
export function redeploymentOutputs(raw: Record<string, unknown>): Record<string, unknown> {
  const { config, plan } = planRawConfig(raw);
  const validators = (plan?.clusters ?? [])
    .flatMap((c) => c.nodes)
    .filter((n) => n.role === "validator")
    .map((n) => n.name);
  const versions = (config?.clusters ?? []).flatMap((c) =>
    c.provider === "local" ? [] : [[c.name, { controlPlane: c.kubernetesVersion, nodePools: {} }]],
  );
  // Each node on the client and image this config gives it, as its own deployment would have recorded.
  const clients = config && plan ? planUpgradeFor(config, plan, { deployed: false }).output : undefined;
  return {
    [DEPLOYED_VALIDATORS_OUTPUT]: validators,
    [KUBERNETES_VERSIONS_OUTPUT]: Object.fromEntries(versions),
    ...(clients ? { [NODE_CLIENTS_OUTPUT]: clients } : {}),
  };
}

/** Runs `program` for `stack` with the given raw stack config under mocks. */
export async function renderProgram(
  stack: string,
  raw: Record<string, unknown>,
  program: () => Promise<Record<string, unknown>>,
  options: RenderOptions = {},
): Promise<RenderResult> {
  const { config, secretKeys } = offlineConfig(raw);
  await useOfflineRuntime(stack, config, secretKeys, options.previousOutputs);
  const captured: Captured[] = [];
  // A failing program is reported to the caller, not left as a rejected stack registration.
  let failure: unknown;
  // The program's own return value: the stack's registered outputs are unwrapped, which drops secrecy.
  let outputs: Record<string, unknown> = {};
  await pulumi.runtime.runInPulumiStack(async () => {
    pulumi.runtime.registerStackTransformation((args) => {
      captured.push({
        type: args.type,
        name: args.name,
        parent: args.opts.parent,
        provider: (args.opts as pulumi.CustomResourceOptions).provider,
        props: args.props,
        opts: args.opts,
        resource: args.resource,
      });
      return undefined;
    });
    try {
      outputs = await program();
      return outputs;
    } catch (e) {
      failure = e;
      return {};
    }
  });
  if (failure !== undefined) {
    await pulumi.runtime.disconnect();
    throw failure;
  }
  const names = new Map(captured.map((c) => [c.resource, `${c.type}::${c.name}`]));
  const byName = new Map(captured.map((c) => [c.resource, c.name]));
  // A resource reference read back from another resource's outputs is constructed again with `urn` set: it
  // names a resource registered elsewhere, not a registration of its own.
  const registered = captured.filter((c) => !c.opts.urn);
  const resources = await Promise.all(
    registered.map(
      async (c): Promise<RenderedResource> => ({
        type: c.type,
        name: c.name,
        parent: c.parent ? (names.get(c.parent) ?? null) : null,
        provider: c.provider ? (byName.get(c.provider) ?? null) : null,
        ...reviewedOptions(c.opts, names),
        inputs: await resolve(c.props, names),
      }),
    ),
  );
  resources.sort((a, b) => a.name.localeCompare(b.name) || a.type.localeCompare(b.type));
  const resolvedOutputs = (await resolve(outputs, names)) as Record<string, unknown>;
  // Let every pending registration finish before the next run replaces the mock monitor.
  await pulumi.runtime.disconnect();
  return { resources, outputs: resolvedOutputs };
}

/**
 * Which deployment a render shows: a new stack's first, the next update of this very config once deployed,
 * or an update of the deployment another render described (its outputs, `outputs.json`).
 */
export type Deployment = "first" | "update" | { readonly previousOutputs: Record<string, unknown> };

/** Renders a stack from its file in `stacks/`. */
export async function renderStack(
  stack: string,
  program: () => Promise<Record<string, unknown>>,
  dir?: string,
  deployment: Deployment = "first",
) {
  const raw = readStackFile(stackFilePath(stack, dir));
  const previousOutputs =
    deployment === "first"
      ? undefined
      : deployment === "update"
        ? redeploymentOutputs(raw)
        : deployment.previousOutputs;
  return renderProgram(stack, raw, program, { previousOutputs });
}
