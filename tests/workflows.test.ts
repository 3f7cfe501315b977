/** The GitHub workflows stay in step with the stacks and keep their safety settings. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";

type Step = {
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  "working-directory"?: string;
};
type Job = { steps: Step[]; strategy?: { matrix?: { stack?: string[] } }; if?: string; environment?: string };
const workflow = (file: string) =>
  parse(readFileSync(`.github/workflows/${file}`, "utf8")) as {
    name: string;
    on: Record<string, unknown>;
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

describe("offline update preview on pull requests", () => {
  const pr = workflow("pull-request.yml");
  const comment = workflow("update-preview-comment.yml");
  const steps = pr.jobs.test.steps;

  it("renders the base branch, then this branch as its update, and uploads the preview even when one fails", () => {
    const base = steps.findIndex((s) => s.uses?.startsWith("actions/checkout@") && s.with?.path === "base");
    assert.ok(base > steps.findIndex((s) => s.run === "npm test"), "after the tests");
    assert.match(String(steps[base].with?.ref), /^\$\{\{ github\.event\.pull_request\.base\.sha \}\}$/);
    const baseRender = steps.findIndex((s) => s["working-directory"] === "base");
    assert.match(
      steps[baseRender].run ?? "",
      /npm ci[\s\S]*render -- --stack "\$s" --out "\.\.\/base-out\/\$s"/,
    );
    const update = steps.findIndex((s) => /--previous "base-out\/\$s"/.test(s.run ?? ""));
    assert.ok(update > baseRender);
    assert.match(steps[update].run ?? "", /> "preview\/\$s\.txt"|>> "preview\/\$s\.txt"/);
    const upload = steps.find(
      (s) => s.uses?.startsWith("actions/upload-artifact@") && s.with?.name === "update-preview",
    );
    assert.equal(upload?.if, "always()");
    assert.equal(upload?.with?.path, "preview/");
  });

  it("comments from a workflow_run with write access that never checks out or runs the fork's code", () => {
    const trigger = comment.on.workflow_run as { workflows: string[]; types: string[] };
    assert.deepEqual(trigger.workflows, [pr.name]);
    assert.deepEqual(trigger.types, ["completed"]);
    assert.deepEqual(comment.permissions, { actions: "read", "pull-requests": "write" });
    const job = comment.jobs.comment;
    assert.match(job.if ?? "", /workflow_run\.head_repository\.full_name != github\.repository/);
    assert.ok(job.steps.every((s) => !s.uses?.startsWith("actions/checkout@")));
    assert.ok(job.steps.every((s) => !/\bnpm\b|\bnode\b|\bbash preview|\bsh preview/.test(s.run ?? "")));
    const download = job.steps.find((s) => s.uses?.startsWith("actions/download-artifact@"));
    assert.equal(download?.with?.name, "update-preview");
    assert.match(String(download?.with?.["run-id"]), /^\$\{\{ github\.event\.workflow_run\.id \}\}$/);
    // Values the fork controls (branch names) reach scripts only through the environment.
    for (const s of job.steps) assert.doesNotMatch(s.run ?? "", /\$\{\{/);
  });

  describe("the comment script", () => {
    const script = comment.jobs.comment.steps.find((s) => s.run?.includes("gh pr comment"))?.run ?? "";
    const runScript = (previews: Record<string, string>, fake: { pr: string; editFails?: boolean }) => {
      const dir = mkdtempSync(path.join(tmpdir(), "comment-"));
      mkdirSync(path.join(dir, "preview"));
      for (const [file, text] of Object.entries(previews))
        writeFileSync(path.join(dir, "preview", file), text);
      const bin = path.join(dir, "bin");
      mkdirSync(bin);
      // A fake gh: answers the pull-request lookup, records every call, keeps the posted body.
      writeFileSync(
        path.join(bin, "gh"),
        `#!/bin/sh
echo "$*" >> "${dir}/calls"
case "$1" in
  api) [ -n "${fake.pr}" ] && echo "${fake.pr}"; exit 0 ;;
  pr) case "$*" in *--edit-last*) ${fake.editFails ? "exit 1" : ":"} ;; esac; cp comment.md "${dir}/posted" ;;
esac
`,
      );
      chmodSync(path.join(bin, "gh"), 0o755);
      const env = {
        PATH: `${bin}:${process.env.PATH}`,
        REPO: "org/repo",
        HEAD_OWNER: "fork",
        HEAD_BRANCH: "feature",
        HEAD_SHA: "abc123",
        GH_TOKEN: "unused",
      };
      const result = spawnSync("bash", ["-e", "-c", script], { cwd: dir, env, encoding: "utf8" });
      const read = (name: string) => {
        try {
          return readFileSync(path.join(dir, name), "utf8");
        } catch {
          return "";
        }
      };
      return { code: result.status, calls: read("calls"), posted: read("posted") };
    };

    it("finds the PR by head owner, branch and commit, and keeps each preview inside its fence", () => {
      const { code, calls, posted } = runScript(
        { "local.txt": "Update preview: 1 to create\n```\n<b>x</b>\n", "bad name.txt": "skipped" },
        { pr: "7" },
      );
      assert.equal(code, 0);
      assert.match(calls, /^api repos\/org\/repo\/pulls\?state=open&head=fork:feature --jq .*"abc123"/m);
      assert.match(calls, /^pr comment 7 --repo org\/repo --edit-last --body-file comment\.md$/m);
      assert.match(posted, /<code>local<\/code>/);
      assert.equal(posted.split("```").length - 1, 2, "only the script's own fence");
      assert.doesNotMatch(posted, /skipped/);
    });

    it("posts a new comment when there is none to edit, and nothing when no open PR is at that commit", () => {
      const fresh = runScript({ "local.txt": "x" }, { pr: "7", editFails: true });
      assert.equal(fresh.code, 0);
      assert.match(fresh.calls, /^pr comment 7 --repo org\/repo --body-file comment\.md$/m);
      const none = runScript({ "local.txt": "x" }, { pr: "" });
      assert.equal(none.code, 0);
      assert.doesNotMatch(none.calls, /pr comment/);
    });
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
