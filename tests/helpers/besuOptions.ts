/** The option lists of the pinned Besu releases (`infra/besu/data/`), as the tests read them. */
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";

const DATA = path.join(__dirname, "..", "..", "infra/besu/data");

/** Every `besu-<version>-options.txt` in the data directory: each pinned release's list. */
export const BESU_OPTION_LISTS = readdirSync(DATA).filter((f) => /^besu-.+-options\.txt$/.test(f));

/** Option names the main `besu` command accepts: the list's lines before its first `# ---` section. */
export function besuOptionNames(file: string): Set<string> {
  const text = readFileSync(path.join(DATA, file), "utf8");
  const main = text.split(/^# ---/m)[0] ?? "";
  return new Set(main.split("\n").filter((l) => l.startsWith("--")));
}
