/**
 * The pod's shell scripts, run for real under /bin/sh against a fake `geth` that records its calls.
 * Paths are moved under a temporary root; everything else is the script as shipped.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import {
  GETH_INIT_SCRIPT,
  IN_VALIDATOR_SET,
  PEER_SYNC_SCRIPT,
  PTM_SOCKET_WAIT_SECONDS,
  READINESS_ANSWER_SECONDS,
  READINESS_SCRIPT,
  READY_WITHIN_BLOCKS,
} from "../infra/quorum/manifests/scripts";
import { needs, toolPath } from "./helpers/hostTools";

const enode = (n: number, host = `node-${n}.ns.svc.cluster.local`) =>
  `enode://${n.toString(16).padStart(128, "0")}@${host}:30303?discport=0&raftport=53000`;

/**
 * A sandbox with the pod's directories and a fake geth that logs every call and succeeds, except for an
 * `admin.addPeer` of an enode listed in `failAdds` (one line each): that call fails once (an error on
 * stderr, exit 1, as geth attach does when the console throws) and the enode is taken off the list.
 * Each addPeer call also logs the peer list recorded as applied at that moment (`adds`), and whether the
 * installed permissioned-nodes.json lists the peer's id then, as geth's connection check would read it
 * (`permits`).
 */
function sandbox() {
  const root = mkdtempSync(path.join(tmpdir(), "pod-"));
  for (const dir of ["data", "config/genesis", "config/peers", "ipc", "tmp", "bin"])
    mkdirSync(path.join(root, dir), { recursive: true });
  writeFileSync(path.join(root, "config/genesis/genesis.json"), "{}");
  const log = path.join(root, "geth.log");
  const addsLog = path.join(root, "adds.log");
  const permitsLog = path.join(root, "permits.log");
  const installed = path.join(root, "data/quorum/permissioned-nodes.json");
  const failAdds = path.join(root, "fail-adds");
  const applied = path.join(root, "ipc/static-nodes.applied");
  const geth = path.join(root, "bin/geth");
  writeFileSync(
    geth,
    `#!/bin/sh
echo "$*" >> ${log}
case "$*" in *" init "*) mkdir -p ${root}/data/quorum/geth/chaindata;; esac
case "$*" in *addPeer*)
  echo "$* | applied: $(grep -oE 'enode://[0-9a-f]+@[^"?]+' ${applied} 2>/dev/null | sort | tr '\n' ' ')" >> ${addsLog}
  id=$(echo "$*" | grep -oE 'enode://[0-9a-f]{128}')
  if grep -qF ""$id"" ${installed} 2>/dev/null; then echo "permitted $id" >> ${permitsLog}; else echo "denied $id" >> ${permitsLog}; fi
  for failing in $(cat ${failAdds} 2>/dev/null); do
    case "$*" in *"$failing"*)
      grep -vF "$failing" ${failAdds} > ${failAdds}.left; mv ${failAdds}.left ${failAdds}
      echo "Error: dial failed" >&2
      exit 1;;
    esac
  done;;
esac
case "$*" in *attach*) echo true;; esac
`,
  );
  chmodSync(geth, 0o755);
  const localise = (script: string) =>
    script
      .replace(/(?<=^|[\s'"=])\/(data|config|ipc|tmp)(?=[/\s'"]|$)/gm, `${root}/$1`)
      .replace("sleep 30", "sleep 0.2");
  const env = { ...process.env, PATH: `${root}/bin:${process.env.PATH}` };
  const calls = () => (existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : []);
  const setPeers = (peers: string[]) =>
    writeFileSync(path.join(root, "config/peers/static-nodes.json"), JSON.stringify(peers, null, 2));
  const adds = () => (existsSync(addsLog) ? readFileSync(addsLog, "utf8").trim().split("\n") : []);
  const failAddOnce = (enodes: string[]) => writeFileSync(failAdds, enodes.map((e) => `${e}\n`).join(""));
  const setPermitted = (text: string) =>
    writeFileSync(path.join(root, "config/peers/permissioned-nodes.json"), text);
  const permits = () => (existsSync(permitsLog) ? readFileSync(permitsLog, "utf8").trim().split("\n") : []);
  return { root, localise, env, calls, setPeers, adds, failAddOnce, setPermitted, permits, installed };
}

describe("geth-init", () => {
  it("initialises a new volume once and installs the peer list every start", () => {
    const box = sandbox();
    box.setPeers([enode(1)]);
    const run = () =>
      spawnSync("/bin/sh", ["-c", box.localise(GETH_INIT_SCRIPT)], { env: box.env, encoding: "utf8" });
    assert.equal(run().status, 0);
    assert.equal(run().status, 0);
    assert.equal(box.calls().filter((c) => c.includes(" init ")).length, 1);
    assert.deepEqual(JSON.parse(readFileSync(path.join(box.root, "data/quorum/static-nodes.json"), "utf8")), [
      enode(1),
    ]);
  });

  it("on a member, starts geth only once Tessera's Q2T socket exists", async () => {
    const box = sandbox();
    box.setPeers([enode(1)]);
    const socketPath = path.join(box.root, "tmp/tm.ipc");
    const child = spawn("/bin/sh", ["-c", box.localise(GETH_INIT_SCRIPT), "geth-init", socketPath], {
      env: box.env,
      stdio: "ignore",
    });
    const exited = new Promise<number | null>((done) => child.on("exit", done));
    await new Promise((r) => setTimeout(r, 1500));
    assert.deepEqual(box.calls(), [], "geth init ran before Tessera's socket existed");
    const tessera = createServer();
    await new Promise<void>((done) => tessera.listen(socketPath, done));
    try {
      assert.equal(await exited, 0);
      assert.equal(box.calls().filter((c) => c.includes(" init ")).length, 1);
    } finally {
      tessera.close();
    }
  });

  it("fails when Tessera opens no socket in time, so the kubelet runs it again", () => {
    const box = sandbox();
    box.setPeers([enode(1)]);
    const impatient = box.localise(GETH_INIT_SCRIPT).replaceAll(`-ge ${PTM_SOCKET_WAIT_SECONDS}`, "-ge 1");
    const run = spawnSync("/bin/sh", ["-c", impatient, "geth-init", path.join(box.root, "tmp/none.ipc")], {
      env: box.env,
      encoding: "utf8",
    });
    assert.equal(run.status, 1);
    assert.match(run.stdout, /Tessera opened no socket at .*none\.ipc within/);
    assert.deepEqual(box.calls(), []);
  });
});

describe("peer-sync", () => {
  let box: ReturnType<typeof sandbox>;
  let socket: Server;
  before(async () => {
    box = sandbox();
    socket = createServer();
    await new Promise<void>((done) => socket.listen(path.join(box.root, "ipc/geth.ipc"), done));
  });
  after(() => socket.close());

  const waitFor = async (predicate: () => boolean) => {
    for (let i = 0; i < 50 && !predicate(); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(predicate());
  };

  it("adds new peers and removes gone ones over IPC, without restarting anything", async () => {
    box.setPeers([enode(1), enode(2)]);
    writeFileSync(path.join(box.root, "ipc/static-nodes.applied"), JSON.stringify([enode(1)]));
    const child = spawn("/bin/sh", ["-c", box.localise(PEER_SYNC_SCRIPT)], { env: box.env, stdio: "ignore" });
    try {
      await waitFor(() => box.calls().some((c) => c.includes(`admin.addPeer('${enode(2)}')`)));
      assert.ok(
        !box.calls().some((c) => c.includes(`admin.addPeer('${enode(1)}')`)),
        "an applied peer is not re-added",
      );

      box.setPeers([enode(2), enode(3, "10.64.195.4")]);
      await waitFor(() => box.calls().some((c) => c.includes(`admin.removePeer('${enode(1)}')`)));
      await waitFor(() => box.calls().some((c) => c.includes(`admin.addPeer('${enode(3, "10.64.195.4")}')`)));

      const before = box.calls().length;
      box.setPeers([]);
      await new Promise((r) => setTimeout(r, 600));
      assert.ok(
        !box
          .calls()
          .slice(before)
          .some((c) => c.includes("removePeer")),
        "an empty list disconnects nobody",
      );
    } finally {
      child.kill("SIGTERM");
    }
    const code = await new Promise<number | null>((done) => child.on("exit", done));
    assert.equal(code, 0);
  });

  it("retries a peer geth failed to add, keeping the applied list unchanged until it succeeds", async () => {
    const root = box.root;
    const applied = path.join(root, "ipc/static-nodes.applied");
    box.setPeers([enode(1), enode(4), enode(5)]);
    writeFileSync(applied, JSON.stringify([enode(1)]));
    // enode 5 is wrong for one cycle (its name does not resolve yet): its addPeer fails once.
    box.failAddOnce([enode(5).split("@")[0] ?? ""]);
    const child = spawn("/bin/sh", ["-c", box.localise(PEER_SYNC_SCRIPT)], { env: box.env, stdio: "ignore" });
    const addsOf = (n: number) => box.adds().filter((line) => line.includes(`admin.addPeer('${enode(n)}')`));
    try {
      await waitFor(() => addsOf(5).length >= 2);
      const appliedAt = (line: string | undefined) =>
        (line?.split("| applied:")[1] ?? "").split(/\s+/).filter(Boolean);
      const [failed, retried] = addsOf(5);
      const onlyFirst = [enode(1).replace(/\?.*$/, "")];
      assert.deepEqual(appliedAt(failed), onlyFirst);
      assert.deepEqual(appliedAt(retried), onlyFirst, "the failed cycle recorded its list as applied");
      // The peer that succeeded beside it is added again with the retry (admin.addPeer is idempotent).
      assert.ok(addsOf(4).length >= 2);
      await waitFor(() => readFileSync(applied, "utf8").includes(enode(5)));
      assert.deepEqual(
        readFileSync(applied, "utf8").trim().split("\n"),
        [enode(1), enode(4), enode(5)].sort(),
      );
      const settled = box.adds().length;
      await new Promise((r) => setTimeout(r, 600));
      assert.equal(box.adds().length, settled, "once applied, nothing is added again");
    } finally {
      child.kill("SIGTERM");
    }
    assert.equal(await new Promise<number | null>((done) => child.on("exit", done)), 0);
  });
});

describe("peer-sync: node permissioning", () => {
  const id = (n: number) => `enode://${n.toString(16).padStart(128, "0")}`;
  const waitFor = async (predicate: () => boolean) => {
    for (let i = 0; i < 50 && !predicate(); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(predicate());
  };
  const start = (
    box: ReturnType<typeof sandbox>,
    env = box.env,
    shell: [string, ...string[]] = ["/bin/sh"],
  ) => {
    const [command, ...args] = shell;
    const child = spawn(command, [...args, "-c", box.localise(PEER_SYNC_SCRIPT)], { env, stdio: "ignore" });
    const exited = new Promise<number | null>((done) => child.on("exit", done));
    const stop = () => {
      child.kill("SIGTERM");
      return exited;
    };
    return { stop };
  };
  const installedList = (box: ReturnType<typeof sandbox>) =>
    existsSync(box.installed) ? (JSON.parse(readFileSync(box.installed, "utf8")) as string[]) : undefined;
  const inode = (file: string) => statSync(file).ino;

  it("installs the network's node ids where geth reads them, before geth is up, and replaces them whole", async () => {
    const box = sandbox();
    mkdirSync(path.join(box.root, "data/quorum"), { recursive: true });
    // Any layout the ConfigMap may take; duplicates and case are normalised by id.
    box.setPermitted(JSON.stringify([id(0xab), id(1), id(0xab).replace("ab", "AB")]));
    const sync = start(box);
    try {
      await waitFor(() => installedList(box) !== undefined);
      assert.deepEqual(installedList(box), [id(1), id(0xab)]);
      const first = inode(box.installed);
      await new Promise((r) => setTimeout(r, 600));
      assert.equal(inode(box.installed), first, "an unchanged list is not rewritten");

      box.setPermitted(JSON.stringify([id(1), id(2), id(3)]));
      await waitFor(() => installedList(box)?.length === 3);
      assert.notEqual(inode(box.installed), first, "a changed list is renamed into place, never edited");
      assert.deepEqual(readdirSync(path.join(box.root, "data/quorum")), ["permissioned-nodes.json"]);
      assert.deepEqual(box.calls(), [], "no geth call while geth has no IPC socket");
    } finally {
      assert.equal(await sync.stop(), 0);
    }
  });

  it("keeps the installed list when the ConfigMap's is empty or unreadable (an empty one would admit nobody)", async () => {
    const box = sandbox();
    mkdirSync(path.join(box.root, "data/quorum"), { recursive: true });
    box.setPermitted(JSON.stringify([id(1)]));
    const sync = start(box);
    try {
      await waitFor(() => installedList(box)?.length === 1);
      for (const broken of ["[]", "not json", ""]) {
        box.setPermitted(broken);
        await new Promise((r) => setTimeout(r, 500));
        assert.deepEqual(installedList(box), [id(1)], JSON.stringify(broken));
      }
    } finally {
      assert.equal(await sync.stop(), 0);
    }
  });

  it("permits a new peer before it asks geth to dial it", async () => {
    const box = sandbox();
    mkdirSync(path.join(box.root, "data/quorum"), { recursive: true });
    const socket = createServer();
    await new Promise<void>((done) => socket.listen(path.join(box.root, "ipc/geth.ipc"), done));
    box.setPeers([enode(1), enode(2)]);
    box.setPermitted(JSON.stringify([id(1), id(2)]));
    const sync = start(box);
    try {
      await waitFor(() => box.permits().length >= 2);
      assert.deepEqual(box.permits().sort(), [`permitted ${id(1)}`, `permitted ${id(2)}`]);
    } finally {
      assert.equal(await sync.stop(), 0);
      socket.close();
    }
  });

  // The GoQuorum image's tools are busybox's: the same run with nothing but its applets on PATH.
  it("behaves the same under busybox", needs("busybox"), async () => {
    const busybox = toolPath("busybox");
    assert.ok(busybox, "busybox is not installed (apt-get install -y busybox)");
    const box = sandbox();
    mkdirSync(path.join(box.root, "data/quorum"), { recursive: true });
    const applets = path.join(box.root, "busybox-bin");
    mkdirSync(applets);
    const used = ["sh", "grep", "sort", "sed", "cmp", "cp", "mv", "mkdir", "sleep", "cat", "uniq", "tr"];
    for (const applet of used) symlinkSync(busybox, path.join(applets, applet));
    const socket = createServer();
    await new Promise<void>((done) => socket.listen(path.join(box.root, "ipc/geth.ipc"), done));
    box.setPeers([enode(1)]);
    box.setPermitted(JSON.stringify([id(2), id(1)]));
    const sync = start(box, { PATH: `${box.root}/bin:${applets}` }, [busybox, "sh"]);
    try {
      await waitFor(() => box.permits().length >= 1);
      assert.deepEqual(installedList(box), [id(1), id(2)]);
      assert.deepEqual(box.permits(), [`permitted ${id(1)}`]);
      box.setPermitted("[]");
      await new Promise((r) => setTimeout(r, 500));
      assert.deepEqual(installedList(box), [id(1), id(2)]);
    } finally {
      assert.equal(await sync.stop(), 0);
      socket.close();
    }
  });
});

/** What the fake geth's console sees: total difficulties (= height + 1 under IBFT/QBFT) and sync state. */
interface NodeState {
  /**
   * Each peer's total difficulty under `eth`, or under `istanbul` for a peer speaking only the legacy
   * istanbul/99 protocol, or null for a peer still in its handshake.
   */
  readonly peers: readonly (number | { istanbul: number } | null)[];
  readonly difficulty: number;
  readonly syncing: false | { currentBlock: number; highestBlock: number };
  readonly inValidatorSet: boolean;
  /** The console never answers. */
  readonly hang?: boolean;
}

describe("readiness", () => {
  let box: ReturnType<typeof sandbox>;
  let socket: Server;
  const socketPath = () => path.join(box.root, "ipc/geth.ipc");
  const statePath = () => path.join(box.root, "geth-state.json");

  before(async () => {
    box = sandbox();
    // A fake geth whose console evaluates the shipped --exec expression, as geth's console would, over the
    // admin/eth/istanbul objects of a given state, and prints the result the way geth does (strings quoted).
    writeFileSync(
      path.join(box.root, "bin/geth"),
      `#!${process.execPath}
const fs = require("node:fs");
const vm = require("node:vm");
const args = process.argv.slice(2);
fs.appendFileSync(${JSON.stringify(path.join(box.root, "geth.log"))}, JSON.stringify(args) + "\\n");
const state = JSON.parse(fs.readFileSync(${JSON.stringify(statePath())}, "utf8"));
if (state.hang) setInterval(() => {}, 1000);
else {
  const console_ = {
    admin: {
      peers: state.peers.map((td) =>
        td === null ? { protocols: { eth: "handshake" } }
        : typeof td === "number" ? { protocols: { eth: { version: 66, difficulty: td }, istanbul: { version: 100, difficulty: td } } }
        : { protocols: { istanbul: { version: 99, difficulty: td.istanbul } } }),
      nodeInfo: { protocols: { eth: { difficulty: state.difficulty } } },
    },
    eth: { syncing: state.syncing },
    istanbul: {
      isValidator: (block) => {
        if (block !== "latest") throw new Error("unexpected block " + block);
        return state.inValidatorSet;
      },
    },
  };
  const value = vm.runInNewContext(args[args.indexOf("--exec") + 1], console_);
  process.stdout.write((typeof value === "string" ? JSON.stringify(value) : String(value)) + "\\n");
}
`,
    );
    socket = createServer();
    await new Promise<void>((done) => socket.listen(socketPath(), done));
  });
  after(() => socket.close());

  /** Runs the shipped check once; the spawn limit only turns a hang into a failure, it measures nothing. */
  const probe = (state: NodeState, args: string[] = [], script = READINESS_SCRIPT) => {
    writeFileSync(statePath(), JSON.stringify(state));
    const run = spawnSync("/bin/sh", ["-c", box.localise(script), "readiness", ...args], {
      env: box.env,
      encoding: "utf8",
      timeout: 30_000,
    });
    return { ready: run.status === 0, status: run.status, output: run.stdout.trim() };
  };

  const atHead: NodeState = {
    peers: [101, 100, null],
    difficulty: 101,
    syncing: false,
    inValidatorSet: true,
  };

  const cases: [string, NodeState, string[], boolean, RegExp?][] = [
    ["peered and at the head: ready", atHead, [], true],
    ["a validator at the head and in the validator set: ready", atHead, [IN_VALIDATOR_SET], true],
    [
      "a fresh network at block 0, no head anywhere: a peer is enough",
      { peers: [1, 1, 1], difficulty: 1, syncing: false, inValidatorSet: true },
      [IN_VALIDATOR_SET],
      true,
    ],
    ["not peered", { ...atHead, peers: [] }, [IN_VALIDATOR_SET], false, /^not ready: "no peers"$/],
    [
      "not peered, even at block 0",
      { peers: [], difficulty: 1, syncing: false, inValidatorSet: true },
      [],
      false,
      /no peers/,
    ],
    [
      "syncing",
      { ...atHead, difficulty: 60, syncing: { currentBlock: 59, highestBlock: 100 } },
      [],
      false,
      /^not ready: "syncing"$/,
    ],
    [
      `${READY_WITHIN_BLOCKS} blocks behind its best peer: ready`,
      { ...atHead, difficulty: 101 - READY_WITHIN_BLOCKS },
      [],
      true,
    ],
    [
      `${READY_WITHIN_BLOCKS + 1} blocks behind its best peer`,
      { ...atHead, difficulty: 100 - READY_WITHIN_BLOCKS },
      [],
      false,
      new RegExp(`"${READY_WITHIN_BLOCKS + 1} blocks behind its best peer"`),
    ],
    [
      "behind a peer that speaks only the legacy istanbul/99 protocol",
      { ...atHead, peers: [101, { istanbul: 140 }] },
      [],
      false,
      /"39 blocks behind its best peer"/,
    ],
    [
      "far behind, before the sync starts",
      { ...atHead, difficulty: 11 },
      [],
      false,
      /"90 blocks behind its best peer"/,
    ],
    [
      "a validator whose key is not in the current validator set",
      { ...atHead, inValidatorSet: false },
      [IN_VALIDATOR_SET],
      false,
      /not in the current validator set/,
    ],
    [
      "a node that need not be a validator (yet): the set is not asked",
      { ...atHead, inValidatorSet: false },
      [],
      true,
    ],
  ];
  for (const [name, state, args, ready, message] of cases) {
    it(name, () => {
      const verdict = probe(state, args);
      assert.equal(verdict.ready, ready, verdict.output);
      if (ready) assert.equal(verdict.output, "");
      else assert.equal(verdict.status, 1);
      if (message) assert.match(verdict.output, message);
    });
  }

  it("asks geth once, over the pod-local IPC socket", () => {
    const before = box.calls().length;
    probe(atHead, [IN_VALIDATOR_SET]);
    const calls = box
      .calls()
      .slice(before)
      .map((line) => JSON.parse(line) as string[]);
    assert.equal(calls.length, 1);
    const [attach, datadirFlag, datadir, execFlag, , endpoint] = calls[0] ?? [];
    assert.deepEqual(
      [attach, datadirFlag, datadir, execFlag, endpoint],
      ["attach", "--datadir", `${box.root}/tmp/readiness`, "--exec", socketPath()],
    );
  });

  it("is not ready, without calling geth, while the IPC socket is missing", () => {
    socket.close();
    try {
      const before = box.calls().length;
      const verdict = probe(atHead);
      assert.equal(verdict.status, 1);
      assert.match(verdict.output, /^not ready: no geth IPC socket at .*\/ipc\/geth\.ipc yet$/);
      assert.equal(box.calls().length, before);
    } finally {
      socket = createServer();
    }
    return new Promise<void>((done) => socket.listen(socketPath(), done));
  });

  it("gives up on a console that never answers", () => {
    // The shipped bound, shortened as the peer-sync test shortens its sleep.
    const quick = READINESS_SCRIPT.replace(`timeout ${READINESS_ANSWER_SECONDS}`, "timeout 1");
    assert.notEqual(quick, READINESS_SCRIPT);
    const verdict = probe({ ...atHead, hang: true }, [], quick);
    assert.equal(verdict.status, 1);
    assert.equal(
      verdict.output,
      `not ready: geth did not answer over IPC within ${READINESS_ANSWER_SECONDS}s`,
    );
  });

  it("still answers where the image's timeout does not take this syntax (the kubelet bounds it then)", () => {
    const fakeTimeout = path.join(box.root, "bin/timeout");
    writeFileSync(fakeTimeout, "#!/bin/sh\necho 'usage: timeout -t SECS PROG ARGS' >&2\nexit 1\n");
    chmodSync(fakeTimeout, 0o755);
    try {
      assert.equal(probe(atHead).ready, true);
      assert.equal(probe({ ...atHead, peers: [] }).ready, false);
    } finally {
      rmSync(fakeTimeout);
    }
  });

  // The image's shell and timeout are busybox's (ash, `timeout SECS PROG`): run the same check with them
  // instead of the host's dash and coreutils (CI installs busybox and fails without it).
  it("behaves the same under busybox sh and timeout", needs("busybox"), () => {
    const busybox = toolPath("busybox");
    assert.ok(busybox, "busybox is not installed (apt-get install -y busybox)");
    const applets = path.join(box.root, "busybox-bin");
    mkdirSync(applets, { recursive: true });
    for (const applet of ["sh", "timeout", "mkdir"]) symlinkSync(busybox, path.join(applets, applet));
    const env = { ...box.env, PATH: `${box.root}/bin:${applets}` };
    const run = (state: NodeState, script = READINESS_SCRIPT) => {
      writeFileSync(statePath(), JSON.stringify(state));
      const localised = box.localise(script);
      return spawnSync(busybox, ["sh", "-c", localised, "readiness", IN_VALIDATOR_SET], {
        env,
        encoding: "utf8",
        timeout: 30_000,
      });
    };
    assert.equal(run(atHead).status, 0);
    assert.match(run({ ...atHead, peers: [] }).stdout, /^not ready: "no peers"$/m);
    const quick = READINESS_SCRIPT.replace(`timeout ${READINESS_ANSWER_SECONDS}`, "timeout 1");
    const hung = run({ ...atHead, hang: true }, quick);
    assert.equal(hung.status, 1);
    assert.match(hung.stdout, /geth did not answer over IPC/);
  });
});
