/**
 * Whether each cloud cluster's configured Kubernetes minor is one its cloud moves the running cluster to.
 * EKS and AKS upgrade a control plane one minor at a time, never lower it through an update, and hold node
 * pools to the control plane (`EKS_VERSION_UPDATE`, `AKS_VERSION_UPGRADE`); a config that asks for more would
 * fail in the middle of `pulumi up`, after the resources before the cluster had changed. The stack's last
 * deployment recorded what every cloud cluster and its pools run (output `kubernetesVersions`), read back
 * through its reference to itself.
 */

import { EKS_VERSION_UPDATE } from "../aws/behaviour";
import { AKS_END_OF_LIFE, AKS_VERSION_UPGRADE } from "../azure/behaviour";
import type { ConfigIssue } from "../config/issue";
import type { StackConfig } from "../config/schema";
import { error, warning } from "../plan/issues";
import { CALENDARS_READ, supportEnded } from "./kubernetesVersions";

/** Stack output: what each cloud cluster runs after the deployment, by cluster name. */
export const KUBERNETES_VERSIONS_OUTPUT = "kubernetesVersions";

/** The versions one cloud cluster runs, as its cloud reports them ("1.35" or "1.35.2"). */
export interface ClusterKubernetesVersions {
  readonly controlPlane: string;
  /** EKS node groups and AKS agent pools, by name. */
  readonly nodePools: Readonly<Record<string, string>>;
}

/** What the stack's reference to itself read from its last deployment. */
export interface PreviousKubernetesVersions {
  /** Whether the stack has a completed deployment (it left outputs). */
  readonly deployed: boolean;
  /** Its `kubernetesVersions` output, as the engine gave it; absent from deployments made before it existed. */
  readonly kubernetesVersions?: unknown;
}

/** "1.35" of "1.35" or "1.35.2" (AKS reports the patch it chose); undefined for anything else. */
export function kubernetesMinor(version: unknown): string | undefined {
  if (typeof version !== "string") return undefined;
  const match = /^1\.(\d{1,3})(\.\d+)?$/.exec(version);
  return match ? `1.${Number(match[1])}` : undefined;
}

const minorNumber = (minor: string) => Number(minor.split(".")[1]);

const HOW_TO_READ =
  "`aws eks describe-cluster --query cluster.version` or `az aks show --query currentKubernetesVersion`";

export function kubernetesUpgradeIssues(
  config: StackConfig,
  previous: PreviousKubernetesVersions,
  day: string = CALENDARS_READ,
): ConfigIssue[] {
  if (!previous.deployed) return [];
  const recorded = previous.kubernetesVersions;
  const versions =
    recorded !== null && typeof recorded === "object" && !Array.isArray(recorded)
      ? (recorded as Record<string, unknown>)
      : undefined;
  return config.clusters.flatMap((cluster, i): ConfigIssue[] => {
    if (cluster.provider === "local") return [];
    const path = `clusters[${i}].kubernetesVersion`;
    if (!versions) {
      return [
        warning(
          path,
          `the last deployment recorded no Kubernetes versions (output ${KUBERNETES_VERSIONS_OUTPUT}, added after it), so the check that ${cluster.name} moves at most one minor could not run. Pin the minor it runs (${HOW_TO_READ}), e.g. kubernetesVersion: "1.33" for a cluster deployed with that earlier default, then step one minor per pulumi up (docs/deployer-path.md, "Kubernetes version").`,
        ),
      ];
    }
    // A cluster the last deployment did not have is created at the configured minor.
    if (!(cluster.name in versions)) return [];
    const deployed = recordedMinors(versions[cluster.name]);
    if (!deployed) {
      return [
        warning(
          path,
          `the last deployment recorded ${JSON.stringify(versions[cluster.name])} as ${cluster.name}'s Kubernetes versions, which this program cannot read (not { controlPlane, nodePools } of versions), so the one-minor check could not run: pin the minor it runs (${HOW_TO_READ}).`,
        ),
      ];
    }
    return [
      ...stepIssues(
        path,
        cluster.name,
        cluster.provider,
        deployed.controlPlane,
        cluster.kubernetesVersion,
        day,
      ),
      ...poolIssues(path, cluster.name, cluster.provider, deployed, cluster.kubernetesVersion),
    ];
  });
}

interface RecordedMinors {
  readonly controlPlane: string;
  readonly nodePools: readonly (readonly [string, string])[];
}

/** The minors of a recorded cluster, or undefined when the record is not of the recorded shape. */
function recordedMinors(value: unknown): RecordedMinors | undefined {
  if (value === null || typeof value !== "object") return undefined;
  const { controlPlane, nodePools } = value as { controlPlane?: unknown; nodePools?: unknown };
  const plane = kubernetesMinor(controlPlane);
  if (!plane || nodePools === null || typeof nodePools !== "object") return undefined;
  const pools = Object.entries(nodePools as Record<string, unknown>).map(
    ([name, version]) => [name, kubernetesMinor(version)] as const,
  );
  if (pools.some(([, minor]) => minor === undefined)) return undefined;
  return { controlPlane: plane, nodePools: pools as [string, string][] };
}

/**
 * The node pools against the control plane. EKS moves a control plane only while every managed node group
 * runs its minor. AKS holds every pool within two minors of the control plane; `pulumi up` upgrades the
 * pools it registers as AgentPool resources after the control plane, but not the inline System pool, which
 * AKS refuses to upgrade through the cluster (a pool's version changes through the agent pool API only:
 * docs/operations/upgrade.md), so it trails until upgraded on its own.
 */
function poolIssues(
  path: string,
  name: string,
  provider: "aws" | "azure",
  deployed: RecordedMinors,
  wanted: string,
): ConfigIssue[] {
  const plane = minorNumber(deployed.controlPlane);
  const behind = deployed.nodePools.filter(([, minor]) => minorNumber(minor) < plane);
  const listed = behind.map(([pool, minor]) => `${pool} (${minor})`).join(", ");
  if (behind.length === 0) return [];
  if (provider === "aws") {
    if (minorNumber(wanted) <= plane) return [];
    return [
      error(
        path,
        `is ${wanted}, but node groups of ${name} still run an older minor than its control plane's ${deployed.controlPlane}: ${listed}. EKS moves a control plane only while every managed node group runs its minor (UpdateClusterVersion). Run pulumi up with ${path} at ${deployed.controlPlane} first (the node groups follow it), then ${wanted}.`,
      ),
    ];
  }
  const upgrade = (pool: string) =>
    `az aks nodepool upgrade --cluster-name <AKS name of ${name}> --resource-group <its group> --name ${pool} --kubernetes-version ${deployed.controlPlane}`;
  const tooFar = behind.filter(
    ([, minor]) => minorNumber(wanted) - minorNumber(minor) > AKS_VERSION_UPGRADE.poolMaxMinorSkew,
  );
  if (tooFar.length > 0) {
    return [
      error(
        path,
        `is ${wanted}, more than ${AKS_VERSION_UPGRADE.poolMaxMinorSkew} minors above node pools of ${name}: ${listed}; AKS holds every pool within ${AKS_VERSION_UPGRADE.poolMaxMinorSkew} minors of the control plane (AgentPool orchestratorVersion). pulumi up does not upgrade the inline System pool: upgrade it first, ${tooFar.map(([pool]) => upgrade(pool)).join("; ")}.`,
      ),
    ];
  }
  return [
    warning(
      path,
      `node pools of ${name} run an older minor than its control plane's ${deployed.controlPlane}: ${listed}. pulumi up upgrades the pools it registers as AgentPool resources, not the inline System pool: ${behind.map(([pool]) => upgrade(pool)).join("; ")}.`,
    ),
  ];
}

function stepIssues(
  path: string,
  name: string,
  provider: "aws" | "azure",
  deployed: string,
  wanted: string,
  day: string,
): ConfigIssue[] {
  const step = minorNumber(wanted) - minorNumber(deployed);
  const cloud = provider === "aws" ? "EKS" : "AKS";
  const recorded = `output ${KUBERNETES_VERSIONS_OUTPUT} of the last deployment`;
  const runs = `${name} runs ${deployed} (${recorded})`;
  const above = `${step} minors above ${deployed}, which ${name} runs (${recorded})`;
  if (step < 0) {
    const rollback =
      provider === "aws"
        ? ' (EKS\'s version rollback is a separate operation, for the control plane alone, within 7 days of an upgrade: EKS user guide, "Roll back a cluster to a previous Kubernetes version")'
        : "";
    return [
      error(
        path,
        `is ${wanted} but ${runs}: ${cloud} never lowers a cluster's minor through an update${rollback}. Set it back to ${deployed}.`,
      ),
    ];
  }
  const maxStep = provider === "aws" ? EKS_VERSION_UPDATE.maxMinorStep : AKS_VERSION_UPGRADE.maxMinorStep;
  if (step <= maxStep) return [];
  const next = `1.${minorNumber(deployed) + 1}`;
  const stepFix = `Set ${path} to ${next} and run pulumi up (the control plane, then every ${provider === "aws" ? "node group" : "node pool"}, which follow it); then ${wanted} the same way, one minor per update.`;
  if (
    provider === "azure" &&
    supportEnded(AKS_END_OF_LIFE, deployed, day) &&
    !supportEnded(AKS_END_OF_LIFE, wanted, day) &&
    step <= AKS_VERSION_UPGRADE.poolMaxMinorSkew
  ) {
    return [
      warning(
        path,
        `is ${wanted}, ${step} minors above ${deployed}, which ${name} runs (${recorded}) past AKS end of life: AKS skips minors only out of an unsupported one, with no guarantee of functionality and outside its SLA ("Upgrade an Azure Kubernetes Service (AKS) cluster"). ${stepFix}`,
      ),
    ];
  }
  const why =
    provider === "aws"
      ? `EKS upgrades a control plane one minor at a time (EKS user guide, "Update existing cluster to new Kubernetes version")`
      : `AKS upgrades a supported cluster one minor at a time, and its node pools stay within ${AKS_VERSION_UPGRADE.poolMaxMinorSkew} minors of the control plane ("Upgrade an Azure Kubernetes Service (AKS) cluster")`;
  return [error(path, `is ${wanted}, ${above}: ${why}. ${stepFix}`)];
}
