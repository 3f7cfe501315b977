/** Checks of the identity running the program, against the clouds, before any resource is registered. */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { deployerRoleIssues } from "../../infra/aws/eks";
import type { ConfigIssue } from "../../infra/config/issue";
import type { StackConfig } from "../../infra/config/schema";

/**
 * The AWS identity this run uses must be an admin of every AWS cluster (a viewer for a preview): otherwise
 * the update would create VPCs, clusters and node groups and then be refused at the first Kubernetes object.
 */
export async function deployerIssues(config: StackConfig): Promise<ConfigIssue[]> {
  const clusters = config.clusters.flatMap((c, i) =>
    c.provider === "aws"
      ? [{ path: `clusters[${i}]`, adminRoleArns: c.adminRoleArns, viewerRoleArns: c.viewerRoleArns }]
      : [],
  );
  if (clusters.length === 0) return [];
  const caller = await aws.getCallerIdentity();
  return deployerRoleIssues(caller.arn, clusters, pulumi.runtime.isDryRun());
}
