/**
 * Validation of rendered custom objects against the OpenAPI schemas of their CRDs, taken from the pinned
 * releases (tests/fixtures/crds/README.md says where from). CEL rules (`x-kubernetes-validations`) are not
 * evaluated; formats are not checked.
 */
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import Ajv, { type ValidateFunction } from "ajv";

interface CrdFixture {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly schema: object;
}

const DIR = path.join(__dirname, "..", "fixtures", "crds");
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });

const validators = new Map<string, ValidateFunction>(
  readdirSync(DIR)
    .filter((f) => f.endsWith(".json"))
    .map((f) => {
      const crd = JSON.parse(readFileSync(path.join(DIR, f), "utf8")) as CrdFixture;
      return [`${crd.group}/${crd.version}/${crd.kind}`, ajv.compile(crd.schema)] as const;
    }),
);

/** The schema errors of an object, or [] when it validates; throws for a kind without a fixture. */
export function crdErrors(obj: object): string[] {
  const { apiVersion, kind } = obj as { apiVersion?: string; kind?: string };
  const validate = validators.get(`${apiVersion}/${kind}`);
  if (!validate) throw new Error(`no CRD fixture for ${apiVersion} ${kind}`);
  if (validate(obj)) return [];
  return (validate.errors ?? []).map(
    (e) => `${e.instancePath} ${e.message ?? ""} ${JSON.stringify(e.params)}`,
  );
}
