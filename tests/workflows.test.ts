/** The GitHub workflows stay in step with the stacks and keep their safety settings. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { DEBIAN_PACKAGES } from "./helpers/hostTools";

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
    const preview = wf.jobs.preview as Job & { permissions: Record<string, string> };
    assert.equal(preview.permissions["id-token"], "write");
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

/** Every job of every workflow, with its workflow's file and top-level permissions. */
const WORKFLOWS = readdirSync(".github/workflows").filter((f) => f.endsWith(".yml"));
const cloudJobs = [
  {
    file: "deploy.yml",
    job: "up",
    aws: "AWS_DEPLOY_ROLE_ARN",
    azure: "AZURE_CLIENT_ID",
    runner: "goquorum-deploy",
  },
  {
    file: "pull-request.yml",
    job: "preview",
    aws: "AWS_PREVIEW_ROLE_ARN",
    azure: "AZURE_PREVIEW_CLIENT_ID",
    runner: "goquorum-preview",
  },
] as const;
const varOf = (value: unknown) => /^\$\{\{ vars\.([A-Z_]+) \}\}$/.exec(String(value))?.[1];

describe("actions and installs", () => {
  it("pins every action by full commit SHA with its release in a comment", () => {
    for (const file of WORKFLOWS) {
      const lines = readFileSync(`.github/workflows/${file}`, "utf8").split("\n");
      const uses = lines.filter((l) => /^\s*(- )?uses:/.test(l));
      assert.ok(uses.length > 0, file);
      for (const line of uses) {
        assert.match(
          line,
          /uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+(\.\d+){1,2}$/,
          `${file}: ${line.trim()}`,
        );
      }
    }
  });

  it("uses one release per action across the workflows", () => {
    const pins = new Map<string, Set<string>>();
    for (const file of WORKFLOWS) {
      for (const [, action, sha] of readFileSync(`.github/workflows/${file}`, "utf8").matchAll(
        /uses: ([\w.-]+\/[\w.-]+)@([0-9a-f]{40})/g,
      )) {
        pins.set(action as string, (pins.get(action as string) ?? new Set()).add(sha as string));
      }
    }
    for (const [action, shas] of pins) assert.equal(shas.size, 1, action);
  });

  it("every action is at least at the major release current on 2026-12-06 (the action repositories' tags)", () => {
    // Dependabot moves these forward; a pin below its floor is a downgrade or a stale copy.
    const currentMajors: Readonly<Record<string, number>> = {
      "actions/checkout": 7,
      "actions/setup-node": 7,
      "actions/upload-artifact": 7,
      "actions/download-artifact": 8,
      "aws-actions/configure-aws-credentials": 6,
      "azure/use-kubelogin": 1,
      "pulumi/actions": 7,
    };
    const seen = new Set<string>();
    for (const file of WORKFLOWS) {
      for (const [, action, major] of readFileSync(`.github/workflows/${file}`, "utf8").matchAll(
        /uses: ([\w.-]+\/[\w.-]+)@[0-9a-f]{40} # v(\d+)/g,
      )) {
        const floor = currentMajors[action as string];
        assert.ok(floor !== undefined, `${file}: ${action} has no current major listed here`);
        assert.ok(
          Number(major) >= floor,
          `${file}: ${action} v${major} is below its current major v${floor}`,
        );
        seen.add(action as string);
      }
    }
    assert.deepEqual([...seen].sort(), Object.keys(currentMajors).sort());
  });

  it("jobs that can mint cloud tokens install with npm ci --ignore-scripts; the others cannot mint any", () => {
    for (const file of WORKFLOWS) {
      const wf = workflow(file);
      assert.notEqual(wf.permissions["id-token"], "write", `${file}: id-token only on the jobs that need it`);
      for (const [name, job] of Object.entries(wf.jobs)) {
        const mints =
          (job as Job & { permissions?: Record<string, string> }).permissions?.["id-token"] === "write";
        const installs = job.steps.filter((s) => /\bnpm (ci|install|i)\b/.test(s.run ?? ""));
        for (const step of installs) {
          if (mints) assert.equal(step.run, "npm ci --ignore-scripts", `${file} ${name}`);
          else
            assert.doesNotMatch(step.run ?? "", /npm install|npm i\b/, `${file} ${name}: from the lockfile`);
        }
      }
    }
  });

  it("every Node.js comes from .nvmrc", () => {
    for (const file of WORKFLOWS) {
      for (const job of Object.values(workflow(file).jobs)) {
        for (const step of job.steps.filter((s) => s.uses?.startsWith("actions/setup-node@"))) {
          assert.equal(step.with?.["node-version-file"], ".nvmrc");
          assert.equal(step.with?.["node-version"], undefined);
        }
      }
    }
  });

  it("the test jobs install every tool the tests need outside npm (they fail in CI without it)", () => {
    for (const file of ["deploy.yml", "pull-request.yml"]) {
      const install = workflow(file).jobs.test.steps.find((s) => /apt-get install/.test(s.run ?? ""));
      for (const pkg of Object.values(DEBIAN_PACKAGES)) {
        assert.match(install?.run ?? "", new RegExp(` ${pkg}( |$)`), `${file}: ${pkg}`);
      }
    }
  });

  it("Dependabot keeps the actions and the npm dependencies current", () => {
    const config = parse(readFileSync(".github/dependabot.yml", "utf8")) as {
      updates: { "package-ecosystem": string; directory: string }[];
    };
    assert.deepEqual(config.updates.map((u) => [u["package-ecosystem"], u.directory]).sort(), [
      ["github-actions", "/"],
      ["npm", "/"],
    ]);
  });
});

describe("cloud identities of the workflows", () => {
  for (const { file, job, aws, azure, runner } of cloudJobs) {
    const steps = () => workflow(file).jobs[job]?.steps ?? [];
    const env = () => steps().find((s) => s.uses?.startsWith("pulumi/actions@"))?.env ?? {};

    it(`${file}: runs on a self-hosted runner in the management network (${runner})`, () => {
      const runsOn = (workflow(file).jobs[job] as Job & { "runs-on": string[] })["runs-on"];
      assert.deepEqual(runsOn, ["self-hosted", "linux", runner]);
    });

    it(`${file}: AWS and Azure as ${aws} and ${azure}, the same Azure identity for ARM and kubelogin`, () => {
      const awsStep = steps().find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
      assert.equal(varOf(awsStep?.with?.["role-to-assume"]), aws);
      assert.equal(varOf(env().ARM_CLIENT_ID), azure);
      assert.equal(varOf(env().AZURE_CLIENT_ID), azure);
      assert.equal(varOf(env().ARM_TENANT_ID), "AZURE_TENANT_ID");
      assert.equal(varOf(env().AZURE_TENANT_ID), "AZURE_TENANT_ID");
      assert.equal(env().ARM_USE_OIDC, "true");
      assert.ok(
        steps().every((s) => !s.uses?.startsWith("azure/login@")),
        "no az CLI session to expire",
      );
    });

    it(`${file}: kubelogin logs in with workload identity (a fresh OIDC token per call), a pinned release`, () => {
      const kubelogin = steps().findIndex((s) => s.uses?.startsWith("azure/use-kubelogin@"));
      const pulumi = steps().findIndex((s) => s.uses?.startsWith("pulumi/actions@"));
      assert.ok(kubelogin >= 0 && kubelogin < pulumi);
      assert.match(String(steps()[kubelogin]?.with?.["kubelogin-version"]), /^v0\.2\.\d+$/);
      assert.equal(env().AAD_LOGIN_METHOD, "workloadidentity");
      const permissions = (workflow(file).jobs[job] as Job & { permissions: Record<string, string> })
        .permissions;
      assert.equal(permissions["id-token"], "write", "kubelogin and ARM request GitHub OIDC tokens");
    });
  }

  it("previews are read-only: never the deploy identities", () => {
    const text = readFileSync(".github/workflows/pull-request.yml", "utf8");
    assert.doesNotMatch(text, /AWS_DEPLOY_ROLE_ARN|vars\.AZURE_CLIENT_ID\b/);
  });

  it("a deploy's AWS session outlasts a 45-minute update", () => {
    const awsStep = workflow("deploy.yml").jobs.up.steps.find((s) =>
      s.uses?.startsWith("aws-actions/configure-aws-credentials@"),
    );
    assert.ok(Number(awsStep?.with?.["role-duration-seconds"]) >= 2 * 45 * 60);
  });
});
