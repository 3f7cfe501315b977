/**
 * Starts etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok on loopback, each under
 * `nice -n 19` with its log in the run directory, and stops every one of them (also when the test fails).
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdirSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import {
  apiserverArgs,
  controllerManagerArgs,
  etcdArgs,
  fakeNode,
  KUBECONFIG_CONTEXT,
  kubeconfig,
  kwokArgs,
  LOOPBACK,
  type Pki,
  type Ports,
  schedulerArgs,
} from "./cluster";
import { Kube } from "./kube";

export interface Binaries {
  readonly etcd: string;
  readonly apiserver: string;
  readonly controllerManager: string;
  readonly scheduler: string;
  readonly kwok: string;
  /** kwok's module directory, whose stage files configure it. */
  readonly kwokModuleDir: string;
}

export interface ControlPlane {
  readonly kube: Kube;
  readonly kubeconfigPath: string;
  readonly context: string;
  readonly logs: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, LOOPBACK, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function openssl(args: string[], cwd: string): void {
  execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
}

/** A CA, the API server's serving certificate for 127.0.0.1, an admin client certificate, the SA key pair. */
function makePki(dir: string): Pki {
  mkdirSync(dir, { recursive: true });
  const days = ["-days", "2"];
  openssl(
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      "ca.key",
      "-out",
      "ca.crt",
      "-subj",
      "/CN=e2e-ca",
      ...days,
    ],
    dir,
  );
  const issue = (name: string, subject: string, ext?: string) => {
    openssl(
      [
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        `${name}.key`,
        "-out",
        `${name}.csr`,
        "-subj",
        subject,
      ],
      dir,
    );
    if (ext) writeFileSync(join(dir, `${name}.ext`), ext);
    openssl(
      [
        "x509",
        "-req",
        "-in",
        `${name}.csr`,
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        `${name}.crt`,
        ...days,
        ...(ext ? ["-extfile", `${name}.ext`] : []),
      ],
      dir,
    );
  };
  issue(
    "server",
    "/CN=kube-apiserver",
    `subjectAltName=IP:${LOOPBACK},DNS:localhost\nextendedKeyUsage=serverAuth\n`,
  );
  // O=system:masters: the group RBAC lets do everything (kubernetes.io docs, "Using RBAC Authorization").
  issue("admin", "/O=system:masters/CN=e2e-admin", "extendedKeyUsage=clientAuth\n");
  openssl(["genrsa", "-out", "sa.key", "2048"], dir);
  openssl(["rsa", "-in", "sa.key", "-pubout", "-out", "sa.pub"], dir);
  const f = (name: string) => join(dir, name);
  return {
    caCert: f("ca.crt"),
    serverCert: f("server.crt"),
    serverKey: f("server.key"),
    adminCert: f("admin.crt"),
    adminKey: f("admin.key"),
    serviceAccountKey: f("sa.key"),
    serviceAccountPub: f("sa.pub"),
  };
}

async function waitFor<T>(what: string, seconds: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`${what} not ready after ${seconds}s${last ? `: ${String(last)}` : ""}`);
}

export async function startControlPlane(dir: string, bin: Binaries, nodes: number): Promise<ControlPlane> {
  const logs = join(dir, "logs");
  mkdirSync(logs, { recursive: true });
  const processes: { name: string; child: ChildProcess }[] = [];
  const start = (name: string, binary: string, args: string[]) => {
    const out = openSync(join(logs, `${name}.log`), "a");
    const child = spawn("nice", ["-n", "19", binary, ...args], { stdio: ["ignore", out, out] });
    processes.push({ name, child });
    child.on("exit", (code, signal) => {
      if (!stopping)
        process.stderr.write(`e2e: ${name} exited (${code ?? signal}); see ${logs}/${name}.log\n`);
    });
  };
  let stopping = false;
  const stop = async () => {
    stopping = true;
    // Reverse order: kwok and the controllers before the API server, etcd last.
    for (const { child } of [...processes].reverse()) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const exited = new Promise<void>((r) => child.once("exit", () => r()));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    }
  };
  // A crash of the driver itself must not leave servers behind.
  const killAll = () => {
    for (const { child } of processes) if (child.exitCode === null) child.kill("SIGKILL");
  };
  process.once("exit", killAll);
  // Interrupted (Ctrl-C, CI's timeout): exit through the handler above.
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(130));

  try {
    const pki = makePki(join(dir, "pki"));
    const ports: Ports = {
      etcdClient: await freePort(),
      etcdPeer: await freePort(),
      apiserver: await freePort(),
    };
    const server = `https://${LOOPBACK}:${ports.apiserver}`;
    const ca = readFileSync(pki.caCert, "utf8");
    const cert = readFileSync(pki.adminCert, "utf8");
    const key = readFileSync(pki.adminKey, "utf8");
    const kubeconfigPath = join(dir, "kubeconfig");
    writeFileSync(kubeconfigPath, kubeconfig(server, ca, cert, key), { mode: 0o600 });
    const kube = new Kube({ server, ca, cert, key });

    start("etcd", bin.etcd, etcdArgs(join(dir, "etcd"), ports));
    start("kube-apiserver", bin.apiserver, apiserverArgs(pki, ports));
    await waitFor("kube-apiserver /readyz", 300, async () =>
      (await kube.get<string>("/readyz")) === "ok" ? true : undefined,
    );
    await waitFor("the default ServiceAccount's namespace", 120, () =>
      kube.find("/api/v1/namespaces/default"),
    );
    start("kube-controller-manager", bin.controllerManager, controllerManagerArgs(pki, kubeconfigPath));
    start("kube-scheduler", bin.scheduler, schedulerArgs(kubeconfigPath));
    start("kwok", bin.kwok, kwokArgs(kubeconfigPath, bin.kwokModuleDir));
    for (let i = 0; i < nodes; i++) await kube.create("/api/v1/nodes", fakeNode(`kwok-node-${i}`));
    await waitFor("kwok nodes Ready", 180, async () => {
      const list = await kube.list<{ status?: { conditions?: { type: string; status: string }[] } }>(
        "/api/v1/nodes",
      );
      const ready = list.filter((n) =>
        n.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"),
      );
      return ready.length >= nodes ? true : undefined;
    });
    return { kube, kubeconfigPath, context: KUBECONFIG_CONTEXT, logs, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
