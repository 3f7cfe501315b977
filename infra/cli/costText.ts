/** The cost section of `npm run plan`: per cluster and for the stack, each item with its quantity and price. */
import type { CostItem, CostPlan } from "../plan/cost";

const usd = (x: number) => x.toFixed(2).padStart(9);
const upTo = (now: number, ceiling: number) =>
  ceiling > now ? `  (up to ${ceiling.toFixed(2)} at maxCount)` : "";

function itemLine(i: CostItem): string {
  const quantity = `${i.quantity} × ${i.unitUsd}${i.per === "hour" ? "/h" : "/month"}`;
  return `    ${i.what.padEnd(78)} ${quantity.padStart(20)} ${usd(i.monthlyUsd)}${upTo(i.monthlyUsd, i.ceiling?.monthlyUsd ?? 0)}`;
}

export function describeCost(cost: CostPlan): string[] {
  const lines = [
    `monthly cost estimate (USD, list prices checked ${cost.pricesChecked}, infra/data/prices.ts):`,
  ];
  for (const c of cost.clusters) {
    lines.push(`  ${c.cluster.padEnd(101)}${usd(c.monthlyUsd)}${upTo(c.monthlyUsd, c.ceilingMonthlyUsd)}`);
    lines.push(...cost.items.filter((i) => i.cluster === c.cluster).map(itemLine));
  }
  lines.push(
    `  ${"stack".padEnd(101)}${usd(cost.monthlyUsd)}${upTo(cost.monthlyUsd, cost.ceilingMonthlyUsd)}`,
  );
  for (const n of cost.notPriced) lines.push(`  NOT PRICED (counted as 0): ${n}`);
  for (const n of cost.notes) lines.push(`  note: ${n}`);
  return lines;
}
