/** The GitHub workflows stay in step with the stacks and keep their safety settings. */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { parse } from "yaml";

type Step = { uses?: string; run?: string; with?: Record<string, unknown> };
type Job = { steps: Step[]; strategy?: { matrix?: { stack?: string[] } }; if?: string; environment?: string };
const workflow = (file: string) =>
  parse(readFileSync(`.github/workflows/${file}`, "utf8")) as {
    on: object;
    permissions: Record<string, string>;
    jobs: Record<string, Job>;
  };
const stacks = readdirSync("stacks").map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1]);
const pulumiStep = (job: Job) => job.steps.find((s) => s.uses?.startsWith("pulumi/actions@"));

describe("pull-request workflow", () => {
  const wf = workflow("pull-request.yml");

  it("runs the README's test command before any preview", () => {
    assert.ok(wf.jobs.test.steps.some((s) => s.run === "npm test"));
    assert.deepEqual((wf.jobs.preview as Job & { needs: string }).needs, "test");
  });

  it("previews every cloud stack with a diff commented on the PR", () => {
    const matrix = wf.jobs.preview.strategy?.matrix?.stack ?? [];
    for (const stack of matrix) assert.ok(stacks.includes(stack), `${stack} has no stack file`);
    assert.deepEqual(
      [...matrix].sort(),
      stacks.filter((s) => s !== "local").sort(),
      "every cloud stack file in stacks/ is previewed: add it to jobs.preview.strategy.matrix.stack in .github/workflows/pull-request.yml",
    );
    const step = pulumiStep(wf.jobs.preview);
    assert.equal(step?.with?.command, "preview");
    assert.equal(step?.with?.diff, true);
    assert.equal(step?.with?.["comment-on-pr"], true);
  });

  it("uses OIDC, not stored cloud keys, and skips forks", () => {
    assert.equal(wf.permissions["id-token"], "write");
    assert.match(wf.jobs.preview.if ?? "", /head\.repo\.full_name == github\.repository/);
    assert.doesNotMatch(
      readFileSync(".github/workflows/pull-request.yml", "utf8"),
      /AWS_SECRET_ACCESS_KEY|client-secret/,
    );
  });
});

describe("deploy workflow", () => {
  const wf = workflow("deploy.yml");

  it("runs pulumi up per stack, one at a time, behind an environment", () => {
    const up = wf.jobs.up;
    assert.equal(pulumiStep(up)?.with?.command, "up");
    assert.equal((up.strategy as { "max-parallel"?: number })["max-parallel"], 1);
    assert.match(up.environment ?? "", /matrix\.stack/);
    for (const stack of up.strategy?.matrix?.stack ?? [])
      assert.ok(stacks.includes(stack), `${stack} has no stack file`);
  });
});

describe("AKS access from the workflows", () => {
  for (const [file, job] of [
    ["pull-request.yml", "preview"],
    ["deploy.yml", "up"],
  ] as const) {
    it(`${file}: installs kubelogin and has it reuse the OIDC login`, () => {
      const steps = workflow(file).jobs[job]?.steps ?? [];
      const kubelogin = steps.findIndex((s) => s.uses?.startsWith("azure/use-kubelogin@"));
      const pulumi = steps.findIndex((s) => s.uses?.startsWith("pulumi/actions@"));
      assert.ok(kubelogin >= 0 && kubelogin < pulumi);
      assert.match(String(steps[kubelogin]?.with?.["kubelogin-version"]), /^v\d+\.\d+\.\d+$/);
      const env = (steps[pulumi] as Step & { env?: Record<string, string> }).env ?? {};
      assert.equal(env.AAD_LOGIN_METHOD, "azurecli");
    });
  }
});
