/**
 * The editor schema (`schema/stack-config.schema.json`, what yaml-language-server checks stack files with),
 * run through a JSON Schema validator against stack files: every shipped stack passes, and a mistake in a
 * cluster is reported for that key only, against its own provider's fields.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import Ajv2020, { type ErrorObject } from "ajv/dist/2020";
import { parse } from "yaml";
import { listStacks, stackFilePath } from "../infra/config/load";

const schema = JSON.parse(readFileSync("schema/stack-config.schema.json", "utf8"));
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

/** The errors a user sees: where and what, without the `if` wrapper's "must match then". */
function errorsOf(clusters: unknown[]): string[] {
  const file = { config: { "goquorum:network": { name: "n", chainId: 5 }, "goquorum:clusters": clusters } };
  validate(file);
  return (validate.errors ?? [])
    .filter((e: ErrorObject) => e.keyword !== "if")
    .map(
      (e: ErrorObject) =>
        `${e.instancePath} ${e.message}${e.params.additionalProperty ? ` ${e.params.additionalProperty}` : ""}`,
    )
    .sort();
}

const awsCluster = {
  name: "a",
  provider: "aws",
  region: "eu-west-1",
  nodePools: [{ name: "p", instanceType: "m6i.large", count: 2 }],
};
const azureCluster = {
  name: "b",
  provider: "azure",
  region: "westeurope",
  nodePools: [{ name: "p", vmSize: "Standard_D4s_v5", count: 2 }],
};

describe("the editor schema", () => {
  for (const stack of listStacks()) {
    it(`accepts the shipped stack ${stack}`, () => {
      const ok = validate(parse(readFileSync(stackFilePath(stack), "utf8")));
      assert.ok(ok, JSON.stringify(validate.errors, null, 2));
    });
  }

  it("accepts a valid cluster of each cloud", () => {
    assert.deepEqual(errorsOf([awsCluster, azureCluster]), []);
  });

  it("flags an Azure-only key on an AWS cluster, and only that key", () => {
    assert.deepEqual(errorsOf([{ ...awsCluster, deployerRanges: ["198.51.100.0/24"] }]), [
      "/config/goquorum:clusters/0 must NOT have additional properties deployerRanges",
    ]);
  });

  it("asks an AWS pool for its instance type, never for a VM size", () => {
    assert.deepEqual(errorsOf([{ ...awsCluster, nodePools: [{ name: "p", count: 2 }] }]), [
      "/config/goquorum:clusters/0/nodePools/0 must have required property 'instanceType'",
    ]);
    assert.deepEqual(errorsOf([{ ...azureCluster, nodePools: [{ name: "p", count: 2 }] }]), [
      "/config/goquorum:clusters/0/nodePools/0 must have required property 'vmSize'",
    ]);
  });

  it("asks for the provider first, and names the valid ones", () => {
    const { provider: _, ...noProvider } = awsCluster;
    assert.deepEqual(errorsOf([noProvider]), [
      "/config/goquorum:clusters/0 must have required property 'provider'",
    ]);
    assert.deepEqual(errorsOf([{ ...awsCluster, provider: "gcp" }]), [
      "/config/goquorum:clusters/0/provider must be equal to one of the allowed values",
    ]);
  });
});
