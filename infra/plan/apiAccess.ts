/**
 * Who may reach an Azure cluster's control plane and Key Vault: the API server is private or admits only
 * `deployerRanges`, never every address. The ranges are public addresses (Key Vault IP rules and AKS
 * authorized ranges see the public source address of the deployer), so private or all-covering ranges
 * are refused here, before anything exists.
 */
import type { ConfigIssue } from "../config/issue";
import type { StackConfig } from "../config/schema";
import { cidr, cidrsOverlap, formatCidr, parseCidr } from "./cidr";
import { error } from "./issues";

const NON_PUBLIC = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8"].map(
  cidr,
);

export function apiAccessIssues(config: StackConfig): ConfigIssue[] {
  return config.clusters.flatMap((cluster, i) => {
    if (cluster.provider !== "azure") return [];
    const path = `clusters[${i}].deployerRanges`;
    const issues = cluster.deployerRanges.flatMap((text, k): ConfigIssue[] => {
      const parsed = parseCidr(text);
      if (!parsed.ok) return [error(`${path}[${k}]`, parsed.reason)];
      if (parsed.cidr.prefix === 0) {
        return [
          error(`${path}[${k}]`, `${text} admits every address: list the public ranges pulumi up runs from.`),
        ];
      }
      const inside = NON_PUBLIC.find((r) => cidrsOverlap(r, parsed.cidr));
      return inside
        ? [
            error(
              `${path}[${k}]`,
              `${text} meets the non-public range ${formatCidr(inside)}: the API server and Key Vault see the deployer's public address, so list public ranges only.`,
            ),
          ]
        : [];
    });
    if (!cluster.privateCluster && cluster.deployerRanges.length === 0) {
      issues.push(
        error(
          path,
          "is empty and privateCluster is false: the AKS API server would be open to every address. List the public ranges pulumi up runs from, or set privateCluster: true.",
        ),
      );
    }
    return issues;
  });
}
