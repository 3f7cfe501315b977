/** Building config issues: every planner check reports through these, never by throwing. */
import type { ConfigIssue } from "../config/issue";

export const error = (path: string, message: string): ConfigIssue => ({ severity: "error", path, message });
export const warning = (path: string, message: string): ConfigIssue => ({
  severity: "warning",
  path,
  message,
});

export const hasErrors = (issues: readonly ConfigIssue[]): boolean =>
  issues.some((i) => i.severity === "error");
