/**
 * The pod's shell scripts, run for real under /bin/sh against a fake `geth` that records its calls.
 * Paths are moved under a temporary root; everything else is the script as shipped.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { GETH_INIT_SCRIPT, PEER_SYNC_SCRIPT } from "../infra/quorum/manifests/scripts";

const enode = (n: number, host = `node-${n}.ns.svc.cluster.local`) =>
  `enode://${n.toString(16).padStart(128, "0")}@${host}:30303?discport=0&raftport=53000`;

/** A sandbox with the pod's directories and a fake geth that logs every call and succeeds. */
function sandbox() {
  const root = mkdtempSync(path.join(tmpdir(), "pod-"));
  for (const dir of ["data", "config/genesis", "config/peers", "ipc", "tmp", "bin"])
    mkdirSync(path.join(root, dir), { recursive: true });
  writeFileSync(path.join(root, "config/genesis/genesis.json"), "{}");
  const log = path.join(root, "geth.log");
  const geth = path.join(root, "bin/geth");
  writeFileSync(
    geth,
    `#!/bin/sh\necho "$*" >> ${log}\ncase "$*" in *" init "*) mkdir -p ${root}/data/quorum/geth/chaindata;; esac\ncase "$*" in *attach*) echo true;; esac\n`,
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
  return { root, localise, env, calls, setPeers };
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
});
