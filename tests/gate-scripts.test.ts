/**
 * The disruption gate's scripts, run for real under /bin/sh (and busybox, the image's shell) against a fake
 * `geth` whose console evaluates the shipped JavaScript, and a fake `curl` that answers as the API server.
 * Paths are moved under a temporary root; everything else is the script as shipped.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { SERVICE_ACCOUNT_DIR } from "../infra/kubernetes/behaviour";
import {
  DISRUPTION_GATE_SCRIPT,
  GATE_ANSWER_SECONDS,
  ROLLOUT_GATE_RETRY_SECONDS,
  ROLLOUT_GATE_SCRIPT,
  ROLLOUT_GATE_WAIT_SECONDS,
} from "../infra/quorum/manifests/gateScripts";
import { needs, toolPath } from "./helpers/hostTools";

/** A node's enode ID (keccak256 of its public key, 64 hex) and the validator address it maps to. */
const nodeId = (n: number) => `${"ab".repeat(12)}${n.toString(16).padStart(40, "0")}`;
const addressOf = (n: number) => `0x${nodeId(n).slice(-40)}`;

function sandbox() {
  const root = mkdtempSync(path.join(tmpdir(), "gate-"));
  for (const dir of ["config/disruption-gate", "ipc", "tmp", "bin", "sa"]) {
    mkdirSync(path.join(root, dir), { recursive: true });
  }
  const localise = (script: string) =>
    script
      .replace(/(?<=^|[\s'"=])\/(config|ipc|tmp)(?=[/\s'"]|$)/gm, `${root}/$1`)
      .replaceAll(SERVICE_ACCOUNT_DIR, `${root}/sa`);
  const env = { ...process.env, PATH: `${root}/bin:${process.env.PATH}` };
  return { root, localise, env };
}

/** Runs `script` under busybox sh with only busybox applets (and the sandbox's fakes) on the PATH. */
function busyboxRun(root: string, script: string, args: string[], extraEnv: Record<string, string> = {}) {
  const busybox = toolPath("busybox");
  assert.ok(busybox, "busybox is not installed (apt-get install -y busybox)");
  const applets = path.join(root, "busybox-bin");
  mkdirSync(applets, { recursive: true });
  for (const applet of ["sh", "timeout", "mkdir", "cat", "tr", "awk", "sleep"]) {
    try {
      symlinkSync(busybox, path.join(applets, applet));
    } catch {
      // already linked by an earlier run
    }
  }
  return spawnSync(busybox, ["sh", "-c", script, ...args], {
    env: { ...process.env, ...extraEnv, PATH: `${root}/bin:${applets}` },
    encoding: "utf8",
    timeout: 30_000,
  });
}

/** What the fake console sees: the validator set at the head, this node, and its peers. */
interface ChainView {
  readonly validators: readonly number[];
  readonly self: number;
  /** Peers by node number; `handshake` ones have not finished their protocol handshake. */
  readonly peers: readonly (number | { handshake: number })[];
  readonly hang?: boolean;
}

describe("disruption gate (readiness of each validator's disruption-gate container)", () => {
  const box = sandbox();
  let socket: Server;
  const statePath = path.join(box.root, "chain.json");
  const minLive = (value: string) =>
    writeFileSync(path.join(box.root, "config/disruption-gate/MIN_LIVE_VALIDATORS"), value);

  before(async () => {
    writeFileSync(
      path.join(box.root, "bin/geth"),
      `#!${process.execPath}
const fs = require("node:fs");
const vm = require("node:vm");
const args = process.argv.slice(2);
const s = JSON.parse(fs.readFileSync(${JSON.stringify(statePath)}, "utf8"));
const id = (n) => "ab".repeat(12) + n.toString(16).padStart(40, "0");
if (s.hang) setInterval(() => {}, 1000);
else {
  const console_ = {
    // geth returns checksummed or lowercase hex; the check must not care.
    istanbul: {
      getValidators: (block) => {
        if (block !== "latest") throw new Error("unexpected block " + block);
        return s.validators.map((n, i) => { const a = "0x" + id(n).slice(-40); return i % 2 ? a.toUpperCase().replace("0X", "0x") : a; });
      },
    },
    admin: {
      nodeInfo: { id: id(s.self) },
      peers: s.peers.map((p) => typeof p === "number"
        ? { id: id(p), protocols: { eth: { version: 66, difficulty: 9 }, istanbul: { version: 100, difficulty: 9 } } }
        : { id: id(p.handshake), protocols: { eth: "handshake" } }),
    },
  };
  const value = vm.runInNewContext(args[args.indexOf("--exec") + 1], console_);
  process.stdout.write((typeof value === "string" ? JSON.stringify(value) : String(value)) + "\\n");
}
`,
    );
    chmodSync(path.join(box.root, "bin/geth"), 0o755);
    socket = createServer();
    await new Promise<void>((done) => socket.listen(path.join(box.root, "ipc/geth.ipc"), done));
  });
  after(() => socket.close());

  const gate = (view: ChainView, script = DISRUPTION_GATE_SCRIPT) => {
    writeFileSync(statePath, JSON.stringify(view));
    const run = spawnSync("/bin/sh", ["-c", box.localise(script), "disruption-gate"], {
      env: box.env,
      encoding: "utf8",
      timeout: 30_000,
    });
    return { ready: run.status === 0, status: run.status, output: run.stdout.trim() };
  };

  // Six validators (1..6, quorum 4, as 2/2/2 in prod) plus a non-validator peer 9; this node is validator 1.
  const SIX = [1, 2, 3, 4, 5, 6];
  const view = (peers: ChainView["peers"], validators = SIX): ChainView => ({ validators, self: 1, peers });
  const cases: [string, ChainView, string, boolean, RegExp?][] = [
    ["all six live: ready", view([2, 3, 4, 5, 6, 9]), "5", true],
    ["five of six live (quorum + 1): ready, the last accepted count", view([2, 3, 4, 5, 9]), "5", true],
    [
      "exactly quorum (four of six): not ready, one more down halts consensus",
      view([2, 3, 4, 9]),
      "5",
      false,
      /^not ready: "no margin: 4 of 6 validators live from here, quorum 4, at least 5 needed/,
    ],
    [
      "a non-validator peer and a peer still in its handshake do not count",
      view([2, 3, 4, { handshake: 5 }, 9, 10, 11]),
      "5",
      false,
      /no margin: 4 of 6/,
    ],
    [
      "a partitioned view that still sees exactly quorum: not ready",
      view([4, 5, 6]),
      "5",
      false,
      /no margin: 4 of 6/,
    ],
    [
      "a partitioned view below quorum: consensus is halted as it sees it, so the gate holds nothing up",
      view([2]),
      "5",
      true,
    ],
    [
      "a node outside the set counts only its validator peers",
      { ...view([2, 3, 4, 5, 6]), self: 9 },
      "5",
      true,
    ],
    [
      "the config's threshold when it asks more (a validator the config adds but the chain has not voted in)",
      view([2, 3, 4, 5]),
      "6",
      false,
      /no margin: 5 of 6 validators live from here, quorum 4, at least 6 needed/,
    ],
    [
      "never more than the set has: a config ahead of the chain by a vote still lets a full set through",
      view([2, 3, 4, 5, 6]),
      "7",
      true,
    ],
    [
      "the chain's quorum when the config asks less (the set grew by a vote the config does not know yet)",
      view([2, 3, 4, 5], [1, 2, 3, 4, 5, 6, 7]),
      "5",
      false,
      /no margin: 5 of 7 validators live from here, quorum 5, at least 6 needed/,
    ],
    ["a missing or unreadable threshold falls back to the chain's quorum + 1", view([2, 3, 4, 5]), "", true],
  ];
  for (const [name, state, threshold, ready, message] of cases) {
    it(name, () => {
      minLive(threshold);
      const verdict = gate(state);
      assert.equal(verdict.ready, ready, verdict.output);
      if (!ready) assert.equal(verdict.status, 1);
      if (message) assert.match(verdict.output, message);
    });
  }

  it("is not ready while geth has no IPC socket, and when geth does not answer", () => {
    minLive("5");
    const quick = DISRUPTION_GATE_SCRIPT.replace(`timeout ${GATE_ANSWER_SECONDS}`, "timeout 1");
    assert.notEqual(quick, DISRUPTION_GATE_SCRIPT);
    const hung = gate({ ...view([2, 3, 4, 5, 6]), hang: true }, quick);
    assert.equal(hung.status, 1);
    assert.equal(hung.output, `not ready: geth did not answer over IPC within ${GATE_ANSWER_SECONDS}s`);
    const noSocket = gate(
      view([2, 3, 4, 5, 6]),
      DISRUPTION_GATE_SCRIPT.replaceAll("/ipc/geth.ipc", "/ipc/none.ipc"),
    );
    assert.match(noSocket.output, /^not ready: no geth IPC socket at .*none\.ipc yet$/);
  });

  it("maps a peer to its validator address by the last 20 bytes of its node ID", () => {
    assert.equal(addressOf(5), `0x${"0".repeat(39)}5`);
    assert.ok(DISRUPTION_GATE_SCRIPT.includes("String(id).slice(-40)"));
  });

  it("behaves the same under busybox sh and timeout", needs("busybox"), () => {
    minLive("5");
    const run = (state: ChainView, script = DISRUPTION_GATE_SCRIPT) => {
      writeFileSync(statePath, JSON.stringify(state));
      return busyboxRun(box.root, box.localise(script), ["disruption-gate"]);
    };
    assert.equal(run(view([2, 3, 4, 5, 9])).status, 0);
    const atQuorum = run(view([2, 3, 4]));
    assert.equal(atQuorum.status, 1);
    assert.match(atQuorum.stdout, /no margin: 4 of 6/);
    assert.equal(run(view([2])).status, 0, "below quorum");
    const quick = DISRUPTION_GATE_SCRIPT.replace(`timeout ${GATE_ANSWER_SECONDS}`, "timeout 1");
    const hung = run({ ...view([2, 3, 4, 5, 6]), hang: true }, quick);
    assert.equal(hung.status, 1);
    assert.match(hung.stdout, /geth did not answer over IPC/);
  });
});

/** A container status as the API server writes it (k8s.io/api core/v1 ContainerStatus field order). */
const containerStatus = (name: string, ready: boolean, message = "") => ({
  name,
  state: { running: { startedAt: "2026-11-02T10:00:00Z" } },
  lastState: message
    ? { terminated: { exitCode: 1, reason: "Error", message, startedAt: "x", finishedAt: "y" } }
    : {},
  ready,
  restartCount: 0,
  image: "quorumengineering/quorum:24.4.1",
  started: true,
  volumeMounts: [{ name: "ipc", mountPath: "/ipc" }],
});

/** A validator pod as GET /api/v1/namespaces/<ns>/pods/<pod> returns it. */
function podJson(statuses: object[] | undefined, options: { gateInSpec?: boolean } = {}) {
  return {
    kind: "Pod",
    apiVersion: "v1",
    metadata: {
      name: "prod-validator-0-0",
      managedFields: [
        { fieldsV1: { "f:status": { "f:containerStatuses": {} }, 'k:{"name":"goquorum"}': {} } },
      ],
    },
    spec: {
      containers: [
        { name: "goquorum", readinessProbe: { exec: { command: ["sh"] } } },
        ...(options.gateInSpec === false ? [] : [{ name: "disruption-gate" }]),
      ],
    },
    status: {
      phase: statuses ? "Running" : "Pending",
      conditions: [{ type: "Ready", status: "False" }],
      initContainerStatuses: [containerStatus("geth-init", true)],
      ...(statuses ? { containerStatuses: statuses } : {}),
    },
  };
}

/** One answer of the fake API server: an HTTP status and a body (a pod, or an API Status). */
interface Answer {
  readonly code: number;
  readonly body: unknown;
  readonly pretty?: boolean;
}

describe("rollout gate (the Job before each validator's StatefulSet changes)", () => {
  const box = sandbox();
  const answersPath = path.join(box.root, "answers.json");
  const callsPath = path.join(box.root, "curl.log");
  writeFileSync(path.join(box.root, "sa/token"), "sa-token");
  writeFileSync(path.join(box.root, "sa/ca.crt"), "ca");
  writeFileSync(path.join(box.root, "sa/namespace"), "goquorum");
  // A fake curl: logs its arguments, writes the next answer's body to -o, prints its code for -w.
  writeFileSync(
    path.join(box.root, "bin/curl"),
    `#!${process.execPath}
const fs = require("node:fs");
const args = process.argv.slice(2);
fs.appendFileSync(${JSON.stringify(callsPath)}, JSON.stringify(args) + "\\n");
const answers = JSON.parse(fs.readFileSync(${JSON.stringify(answersPath)}, "utf8"));
const answer = answers.length > 1 ? answers.shift() : answers[0];
fs.writeFileSync(${JSON.stringify(answersPath)}, JSON.stringify(answers));
fs.writeFileSync(args[args.indexOf("-o") + 1], JSON.stringify(answer.body, null, answer.pretty ? 2 : 0));
process.stdout.write(String(answer.code));
`,
  );
  chmodSync(path.join(box.root, "bin/curl"), 0o755);

  // Waits shortened as the other pod-script tests shorten theirs: three looks, no real sleeping.
  const quick = ROLLOUT_GATE_SCRIPT.replace(`sleep ${ROLLOUT_GATE_RETRY_SECONDS}`, "sleep 0").replaceAll(
    `-ge ${ROLLOUT_GATE_WAIT_SECONDS}`,
    `-ge ${2 * ROLLOUT_GATE_RETRY_SECONDS}`,
  );
  const looks = () => readFileSync(callsPath, "utf8").trim().split("\n").length;
  const rollout = (answers: Answer[], script = quick) => {
    writeFileSync(answersPath, JSON.stringify(answers));
    writeFileSync(callsPath, "");
    const run = spawnSync("/bin/sh", ["-c", box.localise(script), "rollout-gate", "prod-validator-0-0"], {
      env: box.env,
      encoding: "utf8",
      timeout: 30_000,
    });
    return { passed: run.status === 0, status: run.status, output: run.stdout.trim() };
  };
  const pod = (geth: boolean, gate: boolean | undefined, message = "", client = "goquorum") => ({
    code: 200,
    body: podJson([
      containerStatus(client, geth, message),
      containerStatus("peer-sync", true),
      ...(gate === undefined ? [] : [containerStatus("disruption-gate", gate)]),
    ]),
  });
  const atQuorum = pod(true, false);

  const cases: [string, Answer[], boolean, RegExp, number?][] = [
    [
      "no pod yet (a validator the first deployment creates)",
      [{ code: 404, body: {} }],
      true,
      /does not exist/,
      1,
    ],
    [
      "geth ready and the gate ready: the network can spare it",
      [pod(true, true)],
      true,
      /a validator to spare/,
      1,
    ],
    [
      "the same answer pretty-printed (the API server's default for curl)",
      [{ ...pod(true, true), pretty: true }],
      true,
      /to spare/,
    ],
    [
      "geth not ready (a crash-looping validator, the one the update repairs): nothing to lose",
      [pod(false, false)],
      true,
      /is not serving now \(client false\)/,
    ],
    [
      "a pod not started yet: no container statuses",
      [{ code: 200, body: podJson(undefined) }],
      true,
      /client absent/,
    ],
    [
      "a pod deployed before the gate existed: the rollout chain alone protects it",
      [{ code: 200, body: podJson([containerStatus("goquorum", true)], { gateInSpec: false }) }],
      true,
      /runs no disruption-gate container yet/,
    ],
    [
      "at quorum: waits, then fails without letting the update through",
      [atQuorum],
      false,
      /not updating prod-validator-0-0: the network runs at quorum as prod-validator-0-0 sees it/,
      3,
    ],
    [
      "at quorum, then a validator comes back: passes at the next look",
      [atQuorum, pod(true, true)],
      true,
      /waiting: the network runs at quorum[\s\S]*a validator to spare/,
      2,
    ],
    [
      "a termination message that spells a ready field is not read as the status",
      [pod(true, false, 'probe said {"name":"disruption-gate","ready":true}')],
      false,
      /runs at quorum/,
    ],
    [
      "a validator on Besu at quorum: waits on its besu container as on geth",
      [pod(true, false, "", "besu")],
      false,
      /not updating prod-validator-0-0: the network runs at quorum/,
      3,
    ],
    [
      "a validator on Besu with margin passes, and a Besu not ready yet costs nothing",
      [pod(true, true, "", "besu")],
      true,
      /a validator to spare/,
    ],
    [
      "a Besu validator that is not serving: nothing to lose",
      [pod(false, false, "", "besu")],
      true,
      /not serving now \(client false\)/,
    ],
    [
      "an API server that does not answer is waited on, never passed",
      [{ code: 0, body: "" }],
      false,
      /the API server did not answer \(HTTP 0\)/,
      3,
    ],
    [
      "a body it cannot read is waited on, never passed",
      [
        {
          code: 200,
          body: { kind: "Pod", status: { containerStatuses: [{ name: "goquorum", state: {} }] } },
        },
      ],
      false,
      /cannot read the readiness of prod-validator-0-0 \(client unknown/,
    ],
    [
      "a refusal by the API server (RBAC) fails at once",
      [{ code: 403, body: { kind: "Status", message: "pods is forbidden" } }],
      false,
      /refused to read pod prod-validator-0-0 \(HTTP 403\).*forbidden/,
      1,
    ],
  ];
  for (const [name, answers, passed, message, calls] of cases) {
    it(name, () => {
      const verdict = rollout(answers);
      assert.equal(verdict.passed, passed, verdict.output);
      assert.match(verdict.output, message);
      if (calls !== undefined) assert.equal(looks(), calls);
    });
  }

  it("reads exactly that pod, with the service account's token and CA, as compact JSON", () => {
    rollout([pod(true, true)]);
    const args = JSON.parse(readFileSync(callsPath, "utf8").trim().split("\n")[0] ?? "[]") as string[];
    assert.equal(
      args.at(-1),
      "https://kubernetes.default.svc/api/v1/namespaces/goquorum/pods/prod-validator-0-0?pretty=false",
    );
    assert.ok(args.includes("Authorization: Bearer sa-token"));
    assert.equal(args[args.indexOf("--cacert") + 1], `${box.root}/sa/ca.crt`);
  });

  it("behaves the same under busybox sh, tr and awk", needs("busybox"), () => {
    const run = (answers: Answer[]) => {
      writeFileSync(answersPath, JSON.stringify(answers));
      writeFileSync(callsPath, "");
      return busyboxRun(box.root, box.localise(quick), ["rollout-gate", "prod-validator-0-0"]);
    };
    assert.equal(run([pod(true, true)]).status, 0);
    assert.equal(run([{ ...pod(true, true), pretty: true }]).status, 0);
    assert.equal(run([pod(false, false)]).status, 0);
    const blocked = run([atQuorum]);
    assert.equal(blocked.status, 1);
    assert.match(blocked.stdout, /not updating prod-validator-0-0/);
    assert.equal(run([pod(true, false, 'probe said {"name":"disruption-gate","ready":true}')]).status, 1);
  });
});
