/**
 * Wrapper modules for Go commands whose own module cannot be `go install`ed: `go install module@version`
 * refuses a main module with `replace` directives, and the directives of a dependency are ignored
 * (go.dev/ref/mod, "replace directive": "replace directives only apply in the main module's go.mod file").
 * The wrapper requires the upstream module, repeats its non-local replaces, and points every local one
 * (`=> ./staging/src/...`, `=> ../sdk`) at the published release of that module. Pure: text in, text out.
 */

export interface Replace {
  readonly path: string;
  /** Version on the left-hand side (`path v1 => ...`), when the replace is limited to it. */
  readonly fromVersion?: string;
  readonly to: string;
  /** Absent for a local directory. */
  readonly toVersion?: string;
}

/** A local replace: the right-hand side is a directory (go.dev/ref/mod: "a path beginning with ./ or ../"). */
export function isLocal(r: Replace): boolean {
  return r.toVersion === undefined && (r.to.startsWith("./") || r.to.startsWith("../"));
}

function parseReplaceLine(line: string): Replace | undefined {
  const [left, right] = line.split("=>").map((s) => s.trim());
  if (!left || !right) return undefined;
  const [path, fromVersion] = left.split(/\s+/);
  const [to, toVersion] = right.split(/\s+/);
  if (!path || !to) return undefined;
  return { path, to, ...(fromVersion ? { fromVersion } : {}), ...(toVersion ? { toVersion } : {}) };
}

/** Every `replace` directive of a go.mod, single-line or in a block; comments dropped. */
export function parseReplaces(goMod: string): Replace[] {
  const replaces: Replace[] = [];
  let inBlock = false;
  for (const raw of goMod.split("\n")) {
    const line = raw.replace(/\/\/.*$/, "").trim();
    if (inBlock) {
      if (line === ")") inBlock = false;
      else if (line) {
        const r = parseReplaceLine(line);
        if (r) replaces.push(r);
      }
    } else if (/^replace\s*\($/.test(line)) inBlock = true;
    else if (line.startsWith("replace ")) {
      const r = parseReplaceLine(line.slice("replace ".length));
      if (r) replaces.push(r);
    }
  }
  return replaces;
}

/** The module path a go.mod declares. */
export function modulePath(goMod: string): string {
  const m = /^module\s+(\S+)/m.exec(goMod);
  if (!m?.[1]) throw new Error("go.mod has no module line");
  return m[1];
}

export interface WrapperRequest {
  /** Module path of the wrapper itself (any name outside the upstream's). */
  readonly wrapper: string;
  readonly module: string;
  readonly version: string;
  /** The upstream module's go.mod at `version`. */
  readonly upstreamGoMod: string;
  /** The published version for each locally replaced module path; a missing one is an error. */
  readonly publishedVersion: (path: string) => string | undefined;
  /** Further replaces of the wrapper's own (e.g. a module the upstream's local replace stood for). */
  readonly extra?: readonly Replace[];
}

function formatReplace(r: Replace): string {
  const left = r.fromVersion ? `${r.path} ${r.fromVersion}` : r.path;
  const right = r.toVersion ? `${r.to} ${r.toVersion}` : r.to;
  return `\t${left} => ${right}`;
}

/**
 * The wrapper's go.mod: requires `module@version`, repeats its non-local replaces verbatim, and replaces each
 * local one with its published version. `go mod tidy` completes the requirements afterwards.
 */
export function wrapperGoMod(req: WrapperRequest): string {
  const replaces = parseReplaces(req.upstreamGoMod).map((r): Replace => {
    if (!isLocal(r)) return r;
    const published = req.publishedVersion(r.path);
    if (!published)
      throw new Error(`${req.module}@${req.version} replaces ${r.path} with ${r.to}: no published version`);
    return { path: r.path, to: r.path, toVersion: published };
  });
  const all = [...replaces, ...(req.extra ?? [])];
  return [
    `module ${req.wrapper}`,
    "",
    "go 1.26",
    "",
    `require ${req.module} ${req.version}`,
    ...(all.length > 0 ? ["", "replace (", ...all.map(formatReplace), ")"] : []),
    "",
  ].join("\n");
}

/**
 * The go.mod of a copied upstream module (built in place when it needs generated files): every local
 * replace pointed at its published version, everything else unchanged.
 */
export function publishLocalReplaces(goMod: string, publishedVersion: (path: string) => string | undefined) {
  return goMod
    .split("\n")
    .map((raw) => {
      const code = raw.replace(/\/\/.*$/, "");
      if (!code.includes("=>")) return raw;
      const body = code.trim().replace(/^replace\s+/, "");
      const r = parseReplaceLine(body);
      if (!r || !isLocal(r)) return raw;
      const published = publishedVersion(r.path);
      if (!published) throw new Error(`${r.path} is replaced with ${r.to}: no published version`);
      const indent = /^\s*/.exec(raw)?.[0] ?? "";
      const prefix = code.trim().startsWith("replace ") ? "replace " : "";
      return `${indent}${prefix}${r.path} => ${r.path} ${published}`;
    })
    .join("\n");
}

/**
 * The file `go build -o dir/` writes for a main package: the last path element, or the one before a major
 * version suffix (`go help build`: "the last non-major-version component of the package path").
 */
export function defaultBinaryName(pkg: string): string {
  const parts = pkg.split("/");
  const last = parts[parts.length - 1] ?? pkg;
  return /^v\d+$/.test(last) && parts.length > 1 ? (parts[parts.length - 2] ?? last) : last;
}
