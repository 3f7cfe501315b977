/** One cluster target per provider: the only place that knows which providers exist. */
import type * as pulumi from "@pulumi/pulumi";
import type { ClusterConfig } from "../../infra/config/schema";
import type { ClusterPlan } from "../../infra/plan/types";
import { LocalCluster } from "../local/LocalCluster";
import type { ClusterTarget } from "./ClusterTarget";

export type { ClusterTarget, NodeBinding, NodeVault, VaultArgs } from "./ClusterTarget";

/**
 * The target of one cluster, or undefined for a provider whose clusters the program cannot create yet
 * (the caller says so). `parent` owns the target's resources.
 */
export function createClusterTarget(
  config: ClusterConfig,
  _plan: ClusterPlan,
  opts: pulumi.ComponentResourceOptions,
): ClusterTarget | undefined {
  switch (config.provider) {
    case "local":
      return new LocalCluster(config.name, { cluster: config }, opts);
    case "aws":
    case "azure":
      return undefined;
  }
}
