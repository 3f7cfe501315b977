/**
 * The option names each pinned Besu release accepts, as data: `data/besu-<version>-options.txt`, derived from
 * the picocli `@Option(names = …)` declarations at the release's tag (each file's header says how). Tests
 * check every flag and config-file key the program gives Besu against the list of the release it runs, so a
 * flag a release lacks (removed, renamed, or not yet added) fails the build instead of the node's start
 * ("Unknown option", or "Unknown option … in TOML configuration file").
 */
import { readFileSync } from "node:fs";
import path from "node:path";

/** Releases with an option list in `data/`: the two the schema pins (`images.besu`, `images.besuInterop`). */
export const BESU_OPTION_LIST_VERSIONS = ["25.7.0", "26.8.0"] as const;

const cache = new Map<string, ReadonlySet<string>>();

/**
 * The names the main `besu` command accepts in `version` (`--data-path`, `-l`, hidden `--X…`): the list up to
 * the file's first `# ---` line. Help options and subcommand-only options (listed after it) are left out.
 */
export function besuOptions(version: string): ReadonlySet<string> {
  if (!(BESU_OPTION_LIST_VERSIONS as readonly string[]).includes(version)) {
    throw new Error(
      `No option list for Besu ${version}: the program has ${BESU_OPTION_LIST_VERSIONS.join(", ")} (infra/besu/data/). Derive it from the release's source before pinning it.`,
    );
  }
  const known = cache.get(version);
  if (known) return known;
  const text = readFileSync(path.join(__dirname, "data", `besu-${version}-options.txt`), "utf8");
  const lines = text.split("\n");
  const end = lines.findIndex((line) => line.startsWith("# ---"));
  const names = new Set(lines.slice(0, end).filter((line) => line !== "" && !line.startsWith("#")));
  cache.set(version, names);
  return names;
}

/**
 * The arguments among `args` whose option `version` does not accept: `--name=value` and `--name` are read by
 * their name; values (anything not starting with `-`) are skipped.
 */
export function unknownBesuOptions(version: string, args: readonly string[]): string[] {
  const options = besuOptions(version);
  return args.filter((arg) => arg.startsWith("-") && !options.has(arg.split("=")[0]));
}
