/**
 * Who administers each cloud cluster, named in config (`adminRoleArns` on AWS, `adminGroupObjectIds` on
 * Azure): never whoever ran `pulumi up` last. A cluster without an admin could not be deployed to, and an EKS
 * principal has one access entry per cluster, so a role listed twice (as admin and viewer, or under two paths)
 * would fail to create.
 */
import type { ConfigIssue } from "../config/issue";
import type { StackConfig } from "../config/schema";
import { error, warning } from "./issues";

/** The account and name of an IAM role ARN: a role's name is unique in its account, whatever its path. */
const roleKey = (arn: string) => {
  const parts = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(arn);
  return parts ? `${parts[1]}/${parts[2]}` : arn;
};

/** Account ids the AWS documentation uses in examples: a role there is a placeholder. */
const EXAMPLE_ACCOUNTS = ["111122223333", "123456789012"];
/** Object ids in the nil GUID's range (00000000-0000-0000-0000-…): placeholders, as the shipped stacks carry. */
const isPlaceholderObjectId = (id: string) => id.startsWith("00000000-0000-0000-0000-");

export function adminIssues(config: StackConfig): ConfigIssue[] {
  return config.clusters.flatMap((cluster, i): ConfigIssue[] => {
    const path = `clusters[${i}]`;
    if (cluster.provider === "aws") {
      const issues: ConfigIssue[] = [];
      if (cluster.adminRoleArns.length === 0) {
        issues.push(
          error(
            `${path}.adminRoleArns`,
            "is empty: nobody could create the cluster's Kubernetes objects (the creator gets no access of its own). List the role pulumi up runs as and your operators' roles.",
          ),
        );
      }
      const listed = [
        ...cluster.adminRoleArns.map((arn, k) => ({ arn, at: `${path}.adminRoleArns[${k}]` })),
        ...cluster.viewerRoleArns.map((arn, k) => ({ arn, at: `${path}.viewerRoleArns[${k}]` })),
      ];
      listed.forEach(({ arn, at }, k) => {
        const first = listed.findIndex((l) => roleKey(l.arn) === roleKey(arn));
        if (first !== k) {
          issues.push(
            error(
              at,
              `${arn} is the role already listed at ${listed[first]?.at}: EKS gives a principal one access entry per cluster, so list each role once, as admin or as viewer.`,
            ),
          );
        }
        if (EXAMPLE_ACCOUNTS.some((account) => arn.includes(`::${account}:`))) {
          issues.push(
            warning(
              at,
              `${arn} is in an AWS documentation example account, a placeholder: put your role's ARN.`,
            ),
          );
        }
      });
      return issues;
    }
    if (cluster.provider === "azure") {
      const issues: ConfigIssue[] = [];
      if (cluster.adminGroupObjectIds.length === 0) {
        issues.push(
          error(
            `${path}.adminGroupObjectIds`,
            "is empty: nobody could create the cluster's Kubernetes objects or its node keys. Name an Entra group holding the deploy workflow's service principal and your operators.",
          ),
        );
      }
      const ids = [
        ...cluster.adminGroupObjectIds.map((id, k) => ({ id, at: `${path}.adminGroupObjectIds[${k}]` })),
        ...cluster.viewerPrincipals.map((v, k) => ({
          id: v.objectId,
          at: `${path}.viewerPrincipals[${k}].objectId`,
        })),
      ];
      ids.forEach(({ id, at }, k) => {
        const first = ids.findIndex((x) => x.id.toLowerCase() === id.toLowerCase());
        if (first !== k) {
          issues.push(error(at, `${id} is already listed at ${ids[first]?.at}: list each principal once.`));
        }
        if (isPlaceholderObjectId(id)) {
          issues.push(warning(at, `${id} is a placeholder: put the principal's object id.`));
        }
      });
      return issues;
    }
    return [];
  });
}
