/**
 * The secret config the published routes need (`goquorum:ingressSecrets`), checked by key before any
 * resource exists. Only the presence of each key is looked at; values stay Pulumi secrets elsewhere.
 */
import { INGRESS_SECRETS_CONFIG_KEY } from "../config/ingress";
import type { ConfigIssue } from "../config/issue";
import { error } from "./issues";
import type { NetworkPlan } from "./types";

/** The key paths (below `ingressSecrets.<cluster>`) a cluster's routes read, e.g. `apiKeys.app`. */
function requiredIngressSecrets(cluster: NetworkPlan["clusters"][number]): string[][] {
  const ingress = cluster.ingress;
  if (!ingress) return [];
  const keys: string[][] = [];
  for (const route of ingress.routes) {
    for (const client of route.auth?.apiKeys ?? []) keys.push(["apiKeys", client]);
    if (route.kind === "grafana") keys.push(["grafanaClientSecret"]);
    if (ingress.tls.source === "secret") {
      keys.push(
        ["certificates", route.hostname, "certificate"],
        ["certificates", route.hostname, "privateKey"],
      );
    }
  }
  if (ingress.tls.source === "ca") keys.push(["ca", "certificate"], ["ca", "privateKey"]);
  return keys;
}

/** `--path` syntax: dotted, with names that hold dots (hostnames) in brackets. */
export const secretKeyPath = (cluster: string, key: readonly string[]): string =>
  [INGRESS_SECRETS_CONFIG_KEY, cluster, ...key]
    .map((k, i) => (k.includes(".") ? `["${k}"]` : i === 0 ? k : `.${k}`))
    .join("");

/** One issue per secret the routes need but the stack does not set. */
export function missingIngressSecrets(plan: NetworkPlan, secrets: unknown): ConfigIssue[] {
  const has = (path: readonly string[]) => {
    let node: unknown = secrets;
    for (const key of path) {
      if (node === null || typeof node !== "object") return false;
      node = (node as Record<string, unknown>)[key];
    }
    return typeof node === "string" && node.length > 0;
  };
  return plan.clusters.flatMap((cluster) =>
    requiredIngressSecrets(cluster)
      .filter((key) => !has([cluster.name, ...key]))
      .map((key) => {
        const path = secretKeyPath(cluster.name, key);
        return error(
          path,
          `the routes of cluster ${cluster.name} need it: pulumi config set --secret --path '${path}' <value>`,
        );
      }),
  );
}
