/** The schedulability section of `npm run plan`: per cluster, where its pods fit and what was not checked. */
import type { SchedulabilityReport } from "../verify/schedulability";

export function describeSchedulability(report: SchedulabilityReport): string[] {
  const lines = ["schedulability:"];
  for (const c of report.clusters) {
    const count = (verdict: string) => c.pods.filter((p) => p.verdict === verdict).length;
    lines.push(
      c.checked === "unmanaged-nodes"
        ? `  ${c.cluster}: ${c.pods.length} pods, nodes not managed by the program (${count("unchecked")} unchecked)`
        : `  ${c.cluster}: ${count("schedulable")} of ${c.pods.length} pods fit the planned nodes (${c.nodeGroups.join(", ")})`,
    );
    for (const p of c.pods.filter((x) => x.verdict === "unschedulable")) {
      lines.push(`    ${p.pod}: ${p.unmet?.join("; ")}`);
    }
    for (const note of c.notes) lines.push(`    note: ${note}`);
  }
  return lines;
}
