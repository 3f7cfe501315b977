/** "Did you mean" suggestions for names the config got wrong (regions, instance types, VM sizes). */

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}

/**
 * Up to `limit` candidates closest to `value` (case-insensitive edit distance), nearest first and
 * then alphabetical; only candidates within a third of the value's length (at least 2 edits) count.
 */
export function closeMatches(value: string, candidates: Iterable<string>, limit = 3): string[] {
  const wanted = value.toLowerCase();
  const threshold = Math.max(2, Math.floor(wanted.length / 3));
  return [...candidates]
    .map((name) => ({ name, distance: editDistance(wanted, name.toLowerCase()) }))
    .filter((c) => c.distance <= threshold)
    .sort((x, y) => x.distance - y.distance || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0))
    .slice(0, limit)
    .map((c) => c.name);
}

/** ` Did you mean a, b or c?`, or an empty string when nothing is close. */
export function didYouMean(value: string, candidates: Iterable<string>): string {
  const matches = closeMatches(value, candidates);
  if (matches.length === 0) return "";
  const listed =
    matches.length === 1 ? matches[0] : `${matches.slice(0, -1).join(", ")} or ${matches.at(-1)}`;
  return ` Did you mean ${listed}?`;
}
