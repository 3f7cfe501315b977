/**
 * The bash scripts of a Besu pod, run for real under bash against a fake Besu JSON-RPC server (the image has
 * bash and no curl): the validator readiness, the liveness check and the disruption gate, whose verdicts must be
 * those of GoQuorum's gate (`DISRUPTION_GATE_SCRIPT`) for the same network. Paths and the port are moved into a
 * sandbox; everything else is the script as shipped.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { BESU_PATHS } from "../infra/besu/manifests";
import {
  BESU_DISRUPTION_GATE_SCRIPT,
  BESU_LIVENESS_SCRIPT,
  BESU_VALIDATOR_READINESS_SCRIPT,
  IN_VALIDATOR_SET,
} from "../infra/besu/manifests/scripts";
import { PATHS } from "../infra/quorum/manifests";

const id = (n: number) => n.toString(16).padStart(128, "c");
const address = (n: number) => `0x${n.toString(16).padStart(40, "0")}`;

/** What the fake Besu answers: its node (0), the validator set, its eth peers, and its /readiness status. */
interface FakeBesu {
  validators: number[];
  peers: number[];
  readiness: number;
  answers: boolean;
  paths: string[];
}

const state: FakeBesu = { validators: [], peers: [], readiness: 200, answers: true, paths: [] };
let server: Server;
let port = 0;
const root = mkdtempSync(path.join(tmpdir(), "besu-scripts-"));

before(async () => {
  server = createServer((req, res) => {
    state.paths.push(req.url ?? "");
    if (!state.answers) return; // accepts and never answers: the script's timeout must end it
    if (req.method === "GET") {
      res.writeHead(req.url?.startsWith("/readiness") ? state.readiness : 200, {
        "content-type": "application/json",
      });
      res.end('{"status":"UP"}');
      return;
    }
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      const { method } = JSON.parse(body) as { method: string };
      const result =
        method === "net_enode"
          ? `enode://${id(0)}@10.0.0.1:30303`
          : method === "qbft_getValidatorsByBlockNumber"
            ? state.validators.map(address).map((a) => a.toUpperCase().replace("0X", "0x"))
            : method === "admin_peers"
              ? state.peers.map((p) => ({
                  id: `0x${id(p)}`,
                  enode: `enode://${id(p)}@10.0.0.9:30303`,
                  port: "0x765f",
                }))
              : null;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ jsonrpc: "2.0", id: 1, result }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  mkdirSync(path.join(root, "config/besu-peers"), { recursive: true });
  mkdirSync(path.join(root, "config/disruption-gate"), { recursive: true });
  mkdirSync(path.join(root, "tmp"), { recursive: true });
  // Every node the program knows: 0..9; 42 is a validator it does not know.
  writeFileSync(
    path.join(root, BESU_PATHS.nodeAddresses),
    `${Array.from({ length: 10 }, (_, n) => `${id(n)} ${address(n)}`).join("\n")}\n`,
  );
});
after(() => server.close());

const localise = (script: string) =>
  script
    .replaceAll("/dev/tcp/127.0.0.1/8545", `/dev/tcp/127.0.0.1/${port}`)
    .replaceAll(BESU_PATHS.nodeAddresses, path.join(root, BESU_PATHS.nodeAddresses))
    .replaceAll(PATHS.minLiveValidators, path.join(root, PATHS.minLiveValidators))
    .replaceAll("work=/tmp/", `work=${root}/tmp/`);

function run(script: string, args: string[] = []): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile("timeout", ["5", "bash", "-c", localise(script), "probe", ...args], (error, stdout) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, out: stdout });
    });
  });
}

describe("validator readiness", () => {
  it("asks /readiness with the thresholds it is given", async () => {
    Object.assign(state, { readiness: 200, answers: true, paths: [] });
    assert.equal((await run(BESU_VALIDATOR_READINESS_SCRIPT, ["1", "2"])).code, 0);
    assert.deepEqual(state.paths, ["/readiness?minPeers=1&maxBlocksBehind=2"]);
  });
  it("is not ready when /readiness says 503", async () => {
    Object.assign(state, { readiness: 503 });
    const r = await run(BESU_VALIDATOR_READINESS_SCRIPT, ["1", "2"]);
    assert.equal(r.code, 1);
    assert.match(r.out, /answered 503/);
  });
  it("a genesis validator must be in the validator set at its head", async () => {
    Object.assign(state, { readiness: 200, validators: [0, 1, 2, 3] });
    assert.equal((await run(BESU_VALIDATOR_READINESS_SCRIPT, ["1", "2", IN_VALIDATOR_SET])).code, 0);
    Object.assign(state, { validators: [1, 2, 3, 4] });
    const r = await run(BESU_VALIDATOR_READINESS_SCRIPT, ["1", "2", IN_VALIDATOR_SET]);
    assert.equal(r.code, 1);
    assert.match(r.out, /not in the current validator set/);
  });
  it("is not ready when Besu is down or never answers", async () => {
    Object.assign(state, { answers: false });
    assert.notEqual((await run(BESU_VALIDATOR_READINESS_SCRIPT, ["1", "2"])).code, 0);
    Object.assign(state, { answers: true });
    const closed = localise(BESU_LIVENESS_SCRIPT).replace(
      `/dev/tcp/127.0.0.1/${port}`,
      "/dev/tcp/127.0.0.1/1",
    );
    const r = await new Promise<number>((resolve) =>
      execFile("timeout", ["5", "bash", "-c", closed], (e) => resolve(e ? Number(e.code) : 0)),
    );
    assert.equal(r, 1);
  });
  it("liveness: /liveness answers 200", async () => {
    Object.assign(state, { answers: true, paths: [] });
    assert.equal((await run(BESU_LIVENESS_SCRIPT)).code, 0);
    assert.deepEqual(state.paths, ["/liveness"]);
  });
});

describe("disruption gate: GoQuorum's verdicts from Besu's view", () => {
  // [name, validators in the set, eth peers, MIN_LIVE_VALIDATORS, ready]
  const cases: [string, number[], number[], string, boolean][] = [
    ["4 of 4 live, threshold 4: margin", [0, 1, 2, 3], [1, 2, 3], "4", true],
    ["3 of 4 live, threshold 4: at quorum, no margin", [0, 1, 2, 3], [1, 2], "4", false],
    ["2 of 4 live: below quorum 3, halted: lets it through", [0, 1, 2, 3], [1], "4", true],
    ["no threshold file: quorum + 1 (4 of 4)", [0, 1, 2, 3], [1, 2, 3], "", true],
    ["7 validators, threshold 7, 6 live: short of 7", [0, 1, 2, 3, 4, 5, 6], [1, 2, 3, 4, 5], "7", false],
    ["7 validators, threshold 7, 7 live", [0, 1, 2, 3, 4, 5, 6], [1, 2, 3, 4, 5, 6], "7", true],
    ["threshold above the set counts the set (5 of 5)", [0, 1, 2, 3, 4], [1, 2, 3, 4], "9", true],
    ["peers that are not validators do not count", [0, 1, 2, 3], [1, 2, 7, 8], "4", false],
    ["a validator the program does not know counts as not live", [0, 1, 2, 42], [1, 2, 42], "4", false],
    ["this node outside the set counts only its peers", [1, 2, 3, 4], [1, 2, 3], "4", false],
    ["the same peer twice counts once", [0, 1, 2, 3], [1, 2, 2], "4", false],
  ];
  for (const [name, validators, peers, planned, ready] of cases) {
    it(name, async () => {
      Object.assign(state, { validators, peers, answers: true });
      writeFileSync(path.join(root, PATHS.minLiveValidators), planned);
      const r = await run(BESU_DISRUPTION_GATE_SCRIPT);
      assert.equal(r.code === 0, ready, r.out);
    });
  }
  it("is not ready when Besu does not answer", async () => {
    Object.assign(state, { answers: false });
    assert.notEqual((await run(BESU_DISRUPTION_GATE_SCRIPT)).code, 0);
    Object.assign(state, { answers: true });
  });
});
