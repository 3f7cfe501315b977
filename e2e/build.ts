/**
 * Builds the pinned pieces (e2e/pieces.ts) from the Go module proxy, once: each into
 * `<cache>/<name>-<version>/bin`, with the Go build and module caches under `<cache>/go`, all outside the
 * repository. A piece whose binaries and build record exist is reused. Every `go` runs under `nice -n 19`.
 *
 *   npx tsx e2e/build.ts [piece ...]
 */
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { defaultBinaryName, publishLocalReplaces, wrapperGoMod } from "./goMod";
import { PIECES, type Piece, piece } from "./pieces";

export const CACHE = join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "goquorum-pulumi", "e2e");

const goEnv = {
  ...process.env,
  GOCACHE: join(CACHE, "go", "cache"),
  GOMODCACHE: join(CACHE, "go", "mod"),
  GOFLAGS: "-mod=mod",
  // The machine's Go; a module asking for a newer one fails here instead of downloading a toolchain.
  GOTOOLCHAIN: "local",
  CGO_ENABLED: "0",
};

function go(args: readonly string[], cwd: string, env: Record<string, string> = {}): string {
  const run = spawnSync("nice", ["-n", "19", "go", ...args], {
    cwd,
    env: { ...goEnv, ...env },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`go ${args.join(" ")} (in ${cwd}) exited ${run.status}`);
  return run.stdout;
}

export function pieceDir(p: Piece): string {
  return join(CACHE, `${p.name}-${p.version}`);
}

export function binary(p: Piece, name: string): string {
  return join(pieceDir(p), "bin", name);
}

export interface BuildRecord {
  readonly module: string;
  readonly version: string;
  readonly seconds: number;
  readonly go: string;
}

function recordPath(p: Piece): string {
  return join(pieceDir(p), "build.json");
}

/** The record of a complete earlier build, if every binary is there. */
export function cachedBuild(p: Piece): BuildRecord | undefined {
  if (!existsSync(recordPath(p))) return undefined;
  if (!p.commands.every((c) => existsSync(binary(p, c.binary)))) return undefined;
  return JSON.parse(readFileSync(recordPath(p), "utf8")) as BuildRecord;
}

/** Builds one piece (or returns its cached build) and says how long this call spent. */
export function buildPiece(p: Piece): { record: BuildRecord; seconds: number; cached: boolean } {
  const cached = cachedBuild(p);
  if (cached) return { record: cached, seconds: 0, cached: true };
  const started = Date.now();
  const dir = pieceDir(p);
  const src = join(dir, "src");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(src, { recursive: true });
  process.stderr.write(`e2e build: ${p.module}@${p.version} into ${dir}\n`);

  const info = JSON.parse(go(["mod", "download", "-json", `${p.module}@${p.version}`], src)) as {
    GoMod: string;
    Dir: string;
  };
  const upstreamGoMod = readFileSync(info.GoMod, "utf8");
  if (p.mode === "wrapper") {
    const goMod = wrapperGoMod({
      wrapper: `e2e.invalid/${p.name}`,
      module: p.module,
      version: p.version,
      upstreamGoMod,
      publishedVersion: p.publishedVersion,
    });
    writeFileSync(join(src, "go.mod"), goMod);
  } else {
    cpSync(info.Dir, src, { recursive: true });
    chmodRecursive(src);
    writeFileSync(join(src, "go.mod"), publishLocalReplaces(upstreamGoMod, p.publishedVersion));
    if (p.generate) go(p.generate.args, join(src, p.generate.dir), p.generate.env);
  }
  const ldflags = ["-s", "-w", ...p.versionFlags.map((f) => `-X=${f}`)].join(" ");
  go(["build", "-o", `${join(dir, "bin")}/`, `-ldflags=${ldflags}`, ...p.commands.map((c) => c.pkg)], src);
  for (const c of p.commands) {
    const built = join(dir, "bin", defaultBinaryName(c.pkg));
    if (built !== binary(p, c.binary)) renameSync(built, binary(p, c.binary));
  }
  const record: BuildRecord = {
    module: p.module,
    version: p.version,
    seconds: Math.round((Date.now() - started) / 1000),
    go: go(["env", "GOVERSION"], src).trim(),
  };
  writeFileSync(recordPath(p), `${JSON.stringify(record, null, 2)}\n`);
  return { record, seconds: record.seconds, cached: false };
}

/** The module cache is read-only; a copied module must be writable to generate files in it. */
function chmodRecursive(path: string): void {
  const run = spawnSync("chmod", ["-R", "u+w", path]);
  if (run.status !== 0) chmodSync(path, 0o755);
}

/** Builds the named pieces (all by default) in order; returns the seconds this call spent building. */
export function buildAll(names: readonly string[] = []): { seconds: number; records: BuildRecord[] } {
  const pieces = names.length > 0 ? names.map(piece) : PIECES;
  let seconds = 0;
  const records: BuildRecord[] = [];
  for (const p of pieces) {
    const built = buildPiece(p);
    seconds += built.seconds;
    records.push(built.record);
    process.stderr.write(
      `e2e build: ${p.name} ${p.version} ${built.cached ? "cached" : `built in ${built.seconds}s`}\n`,
    );
  }
  return { seconds, records };
}

if (require.main === module) buildAll(process.argv.slice(2));
