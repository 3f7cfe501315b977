import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { expectedReference, expectedSchemaFile, REFERENCE_FILE, SCHEMA_FILE } from "../infra/cli/docs";
import { clusterRows } from "../infra/config/reference";
import { MIN_KUBERNETES_MINOR } from "../infra/config/schema";
import { DEBIAN_PACKAGES } from "./helpers/hostTools";
import { anchors, brokenLinks, linkTargets, slug } from "./helpers/markdown";

/** README.md and every page under docs/. */
const markdownFiles = (): string[] => [
  "README.md",
  ...readdirSync("docs", { recursive: true })
    .map(String)
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`)
    .sort(),
];
const allDocs = (): string =>
  markdownFiles()
    .map((f) => readFileSync(f, "utf8"))
    .join("\n");

describe("generated documentation", () => {
  it("the stack-file JSON schema is up to date (npm run docs)", () => {
    assert.equal(readFileSync(SCHEMA_FILE, "utf8"), expectedSchemaFile());
  });

  it("the configuration reference is up to date (npm run docs)", () => {
    const reference = readFileSync(REFERENCE_FILE, "utf8");
    assert.equal(reference, expectedReference(reference));
  });

  it("the reference documents every network key with its default", () => {
    const reference = readFileSync(REFERENCE_FILE, "utf8");
    assert.match(reference, /\| `network.chainId` \| integer/);
    assert.match(reference, /\| `network.blockPeriodSeconds` \| integer 1–600 \| `5` \|/);
  });

  it("the cluster keys are one table that names, for each key, the providers accepting it", () => {
    const reference = readFileSync(REFERENCE_FILE, "utf8");
    assert.doesNotMatch(reference, /`provider: aws`/, "no table per provider");
    assert.match(reference, /\| `clusters\[\].name` \| all \| string \|/);
    assert.match(reference, /\| `clusters\[\].nodePools\[\].vmSize` \| azure \| string \|/);
    assert.match(reference, /\| `clusters\[\].enforcesNetworkPolicies` \| local \| boolean \|/);
    assert.match(
      reference,
      /\| `clusters\[\].cni.mode` \| aws \| `secondary-ip` \\\| `prefix-delegation` \\\| `custom-networking`/,
    );
    assert.match(
      reference,
      /\| `clusters\[\].cni.mode` \| azure \| `node-subnet` \\\| `pod-subnet` \\\| `overlay`/,
    );
    assert.match(reference, /\| `clusters\[\].provider` \| all \| `aws` \\\| `azure` \\\| `local` \|/);
  });

  it("a key read alike by two providers is one row naming both; a key they read differently is a row each", () => {
    const row = (key: string, description: string) => ({ key, type: "string", default: "", description });
    const merged = clusterRows([
      { provider: "aws", rows: [row("a", "same"), row("b", "aws meaning")] },
      { provider: "azure", rows: [row("b", "azure meaning"), row("a", "same")] },
    ]);
    assert.deepEqual(
      merged.map((r) => [r.key, r.description, r.providers]),
      [
        ["a", "same", ["aws", "azure"]],
        ["b", "aws meaning", ["aws"]],
        ["b", "azure meaning", ["azure"]],
      ],
    );
  });

  it("every Kubernetes minimum the docs state is the schema's", () => {
    const docs = allDocs();
    const stated = [...docs.matchAll(/Kubernetes (?:≥ |>= )?1\.(\d+)(?: or later| or newer)?/g)]
      .filter((m) => /≥|>=|or later|or newer/.test(m[0]))
      .map((m) => Number(m[1]));
    assert.ok(stated.length >= 2, "the docs state the minimum for local and cloud clusters");
    assert.deepEqual(new Set(stated), new Set([MIN_KUBERNETES_MINOR]));
  });

  it("the README gives the two set-up commands and CI runs the same test command", () => {
    const readme = readFileSync("README.md", "utf8");
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

describe("documentation pages", () => {
  it("the README stays a front page of at most about 200 lines", () => {
    const lines = readFileSync("README.md", "utf8").split("\n").length;
    assert.ok(lines <= 210, `README.md has ${lines} lines: move detail into docs/`);
  });

  it("every relative link in README.md and docs/ points at a file that exists, and at a heading of it", () => {
    const broken = markdownFiles().flatMap((file) => brokenLinks(file));
    assert.deepEqual(
      broken.map((b) => `${b.file}: ${b.target}: ${b.why}`),
      [],
    );
    assert.ok(markdownFiles().flatMap((f) => linkTargets(readFileSync(f, "utf8"))).length > 50);
  });

  it("every page under docs/ is reachable from the README by links", () => {
    const reached = new Set(["README.md"]);
    const queue = ["README.md"];
    for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
      for (const target of linkTargets(readFileSync(file, "utf8"))) {
        const [pathPart] = target.split("#");
        if (/^[a-z][a-z0-9+.-]*:/i.test(target) || !pathPart?.endsWith(".md")) continue;
        const linked = path.normalize(path.join(path.dirname(file), pathPart));
        if (!reached.has(linked) && existsSync(linked)) {
          reached.add(linked);
          queue.push(linked);
        }
      }
    }
    assert.deepEqual(
      markdownFiles().filter((f) => !reached.has(f)),
      [],
      "link each page from the README or a page it links",
    );
  });

  it("every page closes the code blocks it opens (an open fence hides the rest of the page)", () => {
    for (const file of markdownFiles()) {
      const fences = readFileSync(file, "utf8")
        .split("\n")
        .filter((line) => /^\s*(```|~~~)/.test(line));
      assert.equal(fences.length % 2, 0, `${file} has an unclosed code fence`);
    }
  });

  it("the link check catches a missing file, a missing heading, and follows GitHub's anchors", () => {
    const pages: Record<string, string> = {
      "docs/a.md": "# A page\n\n## `Watchdog`: the dead man's switch\n\n## Step\n\n## Step\n",
      "docs/b.md":
        "[ok](a.md#watchdog-the-dead-mans-switch) [dup](a.md#step-1) [gone](c.md) [no](a.md#nope) [self](#b) [web](https://example.org/x)\n```\n[in code](missing.md)\n```\n",
    };
    const read = (file: string) => pages[file];
    assert.deepEqual(
      brokenLinks("docs/b.md", read).map((b) => b.target),
      ["c.md", "a.md#nope", "#b"],
    );
    assert.deepEqual(
      [...anchors(pages["docs/a.md"])],
      ["a-page", "watchdog-the-dead-mans-switch", "step", "step-1"],
    );
    assert.equal(slug("Running on Azure (AKS)"), "running-on-azure-aks");
    assert.equal(slug("Running the `local` stack"), "running-the-local-stack");
  });
});
