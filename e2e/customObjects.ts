/**
 * Server-side acceptance of the program's custom objects: the API server serves the CRD fixtures, and every
 * custom object the program registers for ingress (rendered, since its charts cannot be installed here) is
 * created with dryRun=All and strict field validation, so the API server's schema validation, CEL rules and
 * admission judge it, not ajv.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import YAML from "yaml";
import {
  CONTROL_RULE_MESSAGE,
  type CrdFixture,
  celControl,
  crdFromFixture,
  established,
  INGRESS_STACK,
  ingressStackFile,
  isCustomType,
} from "./crds";
import { collectionPath, type Kube, KubeError } from "./kube";

const FIXTURES = join(__dirname, "..", "tests", "fixtures", "crds");

export function crdFixtures(): CrdFixture[] {
  return readdirSync(FIXTURES)
    .filter((f) => f.endsWith(".json"))
    .map((f) => JSON.parse(readFileSync(join(FIXTURES, f), "utf8")) as CrdFixture);
}

/** Creates a CRD per fixture and waits until the API server serves each. */
export async function serveFixtureCrds(kube: Kube, fixtures: readonly CrdFixture[]): Promise<void> {
  const path = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
  const names = [];
  for (const f of fixtures) {
    const crd = crdFromFixture(f);
    await kube.create(path, crd);
    names.push(crd.metadata.name);
  }
  const deadline = Date.now() + 60_000;
  for (const name of names) {
    while (!established(await kube.get(`${path}/${name}`))) {
      if (Date.now() > deadline) throw new Error(`CRD ${name} not Established within 60 s`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

interface CustomObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
}

/** The custom objects of the ingress stack's render (infra/cli/render.ts in a child process). */
export function renderedCustomObjects(
  root: string,
  dir: string,
  fixtures: readonly CrdFixture[],
): CustomObject[] {
  const stacks = join(dir, "stacks");
  const out = join(dir, "render");
  mkdirSync(stacks, { recursive: true });
  writeFileSync(join(stacks, `Pulumi.${INGRESS_STACK}.yaml`), YAML.stringify(ingressStackFile()));
  execFileSync(
    process.execPath,
    [
      "--import",
      "tsx",
      join(root, "infra", "cli", "render.ts"),
      ...["--stack", INGRESS_STACK, "--stacks-dir", stacks, "--out", out, "--first-deployment"],
    ],
    { cwd: root, stdio: ["ignore", "ignore", "inherit"] },
  );
  const resources = JSON.parse(readFileSync(join(out, "resources.json"), "utf8")) as {
    type: string;
    inputs: CustomObject;
  }[];
  return resources.filter((r) => isCustomType(r.type, fixtures)).map((r) => r.inputs);
}

/** Creates each object with dryRun=All (nothing is stored) in its namespace, which is made when missing. */
export async function dryRunCreate(kube: Kube, objects: readonly CustomObject[]): Promise<string[]> {
  for (const ns of new Set(objects.flatMap((o) => (o.metadata.namespace ? [o.metadata.namespace] : []))))
    if (!(await kube.find(`/api/v1/namespaces/${ns}`)))
      await kube.create("/api/v1/namespaces", {
        apiVersion: "v1",
        kind: "Namespace",
        metadata: { name: ns },
      });
  const refused: string[] = [];
  for (const o of objects) {
    const path = `${collectionPath(o.apiVersion, o.kind, o.metadata.namespace)}?dryRun=All&fieldValidation=Strict`;
    try {
      await kube.create(path, o);
    } catch (e) {
      if (!(e instanceof KubeError)) throw e;
      refused.push(`${o.kind}/${o.metadata.name}: ${e.status} ${e.body.slice(0, 600)}`);
    }
  }
  return refused;
}

/** Whether the API server refuses the Gateway that breaks a CEL rule (celControl) with that rule's message. */
export async function celRuleEnforced(kube: Kube, objects: readonly CustomObject[]): Promise<boolean> {
  const control = celControl(objects);
  if (!control) return false;
  try {
    await kube.create(
      `${collectionPath(control.apiVersion, control.kind, control.metadata.namespace)}?dryRun=All`,
      control,
    );
    return false;
  } catch (e) {
    return e instanceof KubeError && e.status === 422 && e.body.includes(CONTROL_RULE_MESSAGE);
  }
}
