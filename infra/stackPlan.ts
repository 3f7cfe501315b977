/** Planning a stack from its raw config map: the one path shared by `pulumi up`, `npm run plan` and render. */
import { parseStackConfig, projectKeys, readStackFile, stackFilePath } from "./config/load";
import type { StackConfig } from "./config/schema";
import { planNetwork } from "./plan";
import type { ConfigIssue, NetworkPlan } from "./plan/types";

export interface StackPlan {
  readonly config?: StackConfig;
  readonly plan?: NetworkPlan;
  readonly issues: readonly ConfigIssue[];
}

export function planRawConfig(raw: Record<string, unknown>): StackPlan {
  const { values, issues: keyIssues } = projectKeys(raw);
  const parsed = parseStackConfig(values);
  if (!parsed.config) return { issues: [...keyIssues, ...parsed.issues] };
  const { plan, issues } = planNetwork(parsed.config);
  const all = [...keyIssues, ...issues];
  return {
    config: parsed.config,
    plan: all.some((i) => i.severity === "error") ? undefined : plan,
    issues: all,
  };
}

export function planStackFile(stack: string, dir?: string): StackPlan {
  return planRawConfig(readStackFile(stackFilePath(stack, dir)));
}
