import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";

/** Every tracked text file, as git lists it. */
const trackedFiles = (): string[] =>
  execFileSync("git", ["ls-files", "-z"], { encoding: "utf8" }).split("\0").filter(Boolean);

/** Each import of a source file: whether it is type-only (erased at runtime) and the module it names. */
const importsOf = (file: string) =>
  [...readFileSync(file, "utf8").matchAll(/^import\s+(type\s)?[^;]*?from\s+"([^"]+)";/gms)].map((m) => ({
    typeOnly: m[1] !== undefined,
    from: m[2],
  }));

describe("repository", () => {
  it("carries no merge-conflict markers in any tracked file", () => {
    const marker = /^(<{7}|={7}|>{7})( |$)/m;
    const marked = trackedFiles().filter((file) => {
      const text = readFileSync(file, "utf8");
      return !text.includes("\0") && marker.test(text);
    });
    assert.deepEqual(marked, []);
  });

  it("imports every runtime dependency it declares (each one costs every runner an install and plugins)", () => {
    const { dependencies } = JSON.parse(readFileSync("package.json", "utf8")) as {
      dependencies: Record<string, string>;
    };
    const sources = trackedFiles()
      .filter((file) => /\.ts$/.test(file) && !file.startsWith("tests/"))
      .map((file) => readFileSync(file, "utf8"))
      .join("\n");
    const unused = Object.keys(dependencies).filter((name) => !sources.includes(`from "${name}`));
    assert.deepEqual(unused, []);
  });

  it("keeps behaviour modules leaf facts: they import types only, so any pure layer may read them", () => {
    const behaviour = trackedFiles().filter((file) => /^infra\/[a-z]+\/behaviour\.ts$/.test(file));
    assert.ok(behaviour.includes("infra/azure/behaviour.ts"));
    const runtime = behaviour.flatMap((file) =>
      importsOf(file)
        .filter((i) => !i.typeOnly)
        .map((i) => `${file} imports ${i.from}`),
    );
    assert.deepEqual(runtime, []);
  });

  it("lets config and plan import no higher layer, a provider's behaviour facts aside", () => {
    const lower = trackedFiles().filter((file) => /^infra\/(config|plan)\/.*\.ts$/.test(file));
    // package.json: the project's own metadata (the repository the runbook links point into).
    const allowed =
      /^\.\.\/(config|plan|data)\/|^\.\.\/[a-z]+\/behaviour$|^\.\/|^[^.]|^\.\.\/\.\.\/package\.json$/;
    const upward = lower.flatMap((file) =>
      importsOf(file)
        .filter((i) => !allowed.test(i.from))
        .map((i) => `${file} imports ${i.from}`),
    );
    assert.deepEqual(upward, []);
  });

  it("ships the full text of the license package.json names", () => {
    const { license } = JSON.parse(readFileSync("package.json", "utf8")) as { license: string };
    // The MD5 of https://www.apache.org/licenses/LICENSE-2.0.txt, the text SPDX's Apache-2.0 points to.
    const fullTexts: Readonly<Record<string, string>> = { "Apache-2.0": "3b83ef96387f14655fc854ddc3c6bd57" };
    assert.ok(fullTexts[license], `package.json license ${license}: add its full text and its digest here`);
    const digest = createHash("md5").update(readFileSync("LICENSE")).digest("hex");
    assert.equal(
      digest,
      fullTexts[license],
      "LICENSE is not the unmodified full text of package.json's license",
    );
  });
});
