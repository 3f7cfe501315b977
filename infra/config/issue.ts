/** A problem found in the stack config. `path` names the key, e.g. `clusters[1].cidr`. */
export interface ConfigIssue {
  readonly severity: "error" | "warning";
  readonly path: string;
  readonly message: string;
}
