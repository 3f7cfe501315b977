import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { expectedReadme, expectedSchemaFile, README_FILE, SCHEMA_FILE } from "../infra/cli/docs";
import { MIN_KUBERNETES_MINOR } from "../infra/config/schema";
import { DEBIAN_PACKAGES } from "./helpers/hostTools";

describe("generated documentation", () => {
  it("the stack-file JSON schema is up to date (npm run docs)", () => {
    assert.equal(readFileSync(SCHEMA_FILE, "utf8"), expectedSchemaFile());
  });

  it("the README configuration reference is up to date (npm run docs)", () => {
    const readme = readFileSync(README_FILE, "utf8");
    assert.equal(readme, expectedReadme(readme));
  });

  it("the reference documents every network key with its default", () => {
    const readme = readFileSync(README_FILE, "utf8");
    assert.match(readme, /\| `network.chainId` \| integer/);
    assert.match(readme, /\| `network.blockPeriodSeconds` \| integer 1–600 \| `5` \|/);
    assert.match(readme, /#### `provider: aws`/);
    assert.match(
      readme,
      /\| `clusters\[\].cni.mode` \| `secondary-ip` \\\| `prefix-delegation` \\\| `custom-networking`/,
    );
  });

  it("every Kubernetes minimum the README states is the schema's", () => {
    const readme = readFileSync(README_FILE, "utf8");
    const stated = [...readme.matchAll(/Kubernetes (?:≥ |>= )?1\.(\d+)(?: or later| or newer)?/g)]
      .filter((m) => /≥|>=|or later|or newer/.test(m[0]))
      .map((m) => Number(m[1]));
    assert.ok(stated.length >= 2, "the README states the minimum for local and cloud clusters");
    assert.deepEqual(new Set(stated), new Set([MIN_KUBERNETES_MINOR]));
  });

  it("the README gives the two set-up commands and CI runs the same test command", () => {
    const readme = readFileSync(README_FILE, "utf8");
    assert.match(readme, /npm ci && npm test/);
    assert.match(readme, /pulumi up --stack local/);
    assert.match(readFileSync(".ci/run", "utf8"), /^npm test$/m);
  });

  it("CI installs every program the tests run that npm does not bring, with its Debian package", () => {
    const ci = readFileSync(".ci/run", "utf8");
    for (const [tool, pkg] of Object.entries(DEBIAN_PACKAGES)) {
      assert.ok(ci.includes(` ${tool}:${pkg}`), `.ci/run does not install ${pkg} for ${tool}`);
    }
    assert.match(ci, /apt-get install [^\n]*"\$\{missing\[@\]\}"/);
  });

  it("Pulumi.yaml reads stacks from stacks/ and package.json points at the program", () => {
    const project = parse(readFileSync("Pulumi.yaml", "utf8"));
    assert.equal(project.name, "goquorum");
    assert.equal(project.stackConfigDir, "stacks");
    assert.equal(JSON.parse(readFileSync("package.json", "utf8")).main, "infra/index.ts");
  });
});
