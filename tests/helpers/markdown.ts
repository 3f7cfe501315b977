/**
 * Markdown as GitHub renders it, for the documentation tests: heading anchors and relative links.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";

/**
 * GitHub's heading anchor (github-slugger, which github.com uses): lower case, every character that is not a
 * letter, mark, number, connector, hyphen or space dropped, each space a hyphen; a repeated slug gets `-1`, `-2`.
 */
export function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
    .replace(/ /g, "-");
}

/** Lines outside fenced code blocks. */
function proseLines(markdown: string): string[] {
  let fenced = false;
  return markdown.split("\n").filter((line) => {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      return false;
    }
    return !fenced;
  });
}

/** The anchors of a file's headings, as GitHub numbers repeated ones. */
export function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const line of proseLines(markdown)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const base = slug(heading[1]);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    out.add(count === 0 ? base : `${base}-${count}`);
  }
  return out;
}

/** Link targets of inline links `[text](target)` outside code, without a title. */
export function linkTargets(markdown: string): string[] {
  const targets: string[] = [];
  for (const line of proseLines(markdown)) {
    const withoutCode = line.replace(/`[^`]*`/g, "");
    for (const m of withoutCode.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) targets.push(m[1]);
  }
  return targets;
}

export interface BrokenLink {
  readonly file: string;
  readonly target: string;
  readonly why: string;
}

/** Relative links of `file` whose file does not exist or whose `#anchor` names no heading of it. */
export function brokenLinks(
  file: string,
  read: (file: string) => string | undefined = readIfExists,
): BrokenLink[] {
  const text = read(file) ?? "";
  const broken: BrokenLink[] = [];
  for (const target of linkTargets(text)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto: …: not ours to check
    const [pathPart, anchor] = target.split("#", 2) as [string, string | undefined];
    const linked =
      pathPart === "" ? file : path.normalize(path.join(path.dirname(file), decodeURI(pathPart)));
    const linkedText = pathPart === "" ? text : read(linked);
    if (linkedText === undefined) {
      broken.push({ file, target, why: `${linked} does not exist` });
    } else if (anchor !== undefined && linked.endsWith(".md") && !anchors(linkedText).has(anchor)) {
      broken.push({ file, target, why: `${linked} has no heading with the anchor #${anchor}` });
    }
  }
  return broken;
}

function readIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    // A directory is a valid link target (GitHub shows its listing or README).
    if ((e as NodeJS.ErrnoException).code === "EISDIR") return "";
    return undefined;
  }
}
