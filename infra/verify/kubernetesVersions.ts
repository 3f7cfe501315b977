/**
 * Whether each cloud cluster's Kubernetes minor is one its cloud still supports and the pinned Envoy Gateway
 * runs on. The clouds' calendars are facts with dates (`EKS_STANDARD_SUPPORT_ENDS`, `AKS_END_OF_LIFE`), read
 * on CALENDARS_READ: the plan stays a pure function of the config, and warns about a minor whose support
 * had ended by that day (or that is older than the calendar). Refresh the calendars and this date together.
 */

import { EKS_STANDARD_SUPPORT_ENDS } from "../aws/behaviour";
import { AKS_END_OF_LIFE } from "../azure/behaviour";
import type { ConfigIssue } from "../config/issue";
import { DEFAULT_KUBERNETES_VERSION, type StackConfig } from "../config/schema";
import { ENVOY_GATEWAY } from "../ingress/names";
import { warning } from "../plan/issues";

export const CALENDARS_READ = "2026-12-06";

const minorOf = (version: string) => Number(version.split(".")[1]);

/** The day support of `version` ends in `calendar`, "older" for a minor older than every listed one. */
export function supportEnd(calendar: Readonly<Record<string, string>>, version: string): string | undefined {
  const ends = calendar[version];
  if (ends) return ends;
  const oldest = Math.min(...Object.keys(calendar).map(minorOf));
  return minorOf(version) < oldest ? "older" : undefined;
}

/** Whether `version`'s support had ended on `day` (ISO dates compare as strings). */
export const supportEnded = (calendar: Readonly<Record<string, string>>, version: string, day: string) => {
  const ends = supportEnd(calendar, version);
  return ends !== undefined && (ends === "older" || ends <= day);
};

const ended = (ends: string | undefined) =>
  ends === "older" ? "before its oldest listed minor" : `on ${ends}`;

export function kubernetesVersionIssues(config: StackConfig, day: string = CALENDARS_READ): ConfigIssue[] {
  return config.clusters.flatMap((cluster, i): ConfigIssue[] => {
    if (cluster.provider === "local") return [];
    const path = `clusters[${i}].kubernetesVersion`;
    const version = cluster.kubernetesVersion;
    const fix = `set a minor in support, e.g. ${DEFAULT_KUBERNETES_VERSION} (the default), and upgrade the node pools with it.`;
    const issues: ConfigIssue[] = [];
    if (cluster.provider === "aws" && supportEnded(EKS_STANDARD_SUPPORT_ENDS, version, day)) {
      const consequence =
        cluster.supportType === "STANDARD"
          ? "with supportType STANDARD EKS upgrades the control plane on its own and leaves the node groups behind"
          : "with supportType EXTENDED the control plane costs six times the standard hourly price";
      issues.push(
        warning(
          path,
          `${version} left EKS standard support ${ended(supportEnd(EKS_STANDARD_SUPPORT_ENDS, version))} (EKS release calendar, read ${CALENDARS_READ}): ${consequence}; ${fix}`,
        ),
      );
    }
    if (cluster.provider === "azure" && supportEnded(AKS_END_OF_LIFE, version, day)) {
      issues.push(
        warning(
          path,
          `${version} reached AKS end of life ${ended(supportEnd(AKS_END_OF_LIFE, version))} (AKS release calendar, read ${CALENDARS_READ}): AKS gives it platform support only and creates no new cluster on it; ${fix}`,
        ),
      );
    }
    const gatewayMinors: readonly string[] = ENVOY_GATEWAY.kubernetesMinors;
    if (cluster.ingress.routes.length > 0 && !gatewayMinors.includes(version)) {
      issues.push(
        warning(
          path,
          `${version} is not a Kubernetes minor Envoy Gateway ${ENVOY_GATEWAY.version} supports (${gatewayMinors.join(", ")}; its compatibility matrix), and this cluster publishes routes through it: use one of those.`,
        ),
      );
    }
    return issues;
  });
}
