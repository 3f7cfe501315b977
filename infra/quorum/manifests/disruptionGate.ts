/**
 * The network-wide disruption gate. A validator may be stopped voluntarily (a node drain, an EKS node group
 * update, an AKS upgrade, a rollout) only while the network has more live validators than quorum, counted by
 * the validators themselves, not by any one cluster:
 * - every validator pod runs a `disruption-gate` container whose readiness says so (DISRUPTION_GATE_SCRIPT),
 *   so the pod is Ready only while the network has a validator to spare; the cluster's validator
 *   PodDisruptionBudget (`disruptionBudgets.ts`) then lets an eviction through only while every validator pod
 *   of the cluster is Ready;
 * - before the rollout chain changes a validator's StatefulSet, a Job (ROLLOUT_GATE_SCRIPT) waits until that
 *   validator's gate is ready; the StatefulSet depends on the Job, and the Job is replaced whenever the
 *   StatefulSet's spec changes (its digest is on the Job's pod template, which pulumi-kubernetes replaces a
 *   Job on: `provider/pkg/provider/diff.go`, `job`), so it runs before every update.
 * A network with no validator to spare even when all are up (fewer than 3) gets no gate: any disruption
 * halts it, and the plan says so.
 */
import { createHash } from "node:crypto";
import type { IStatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import type { IJob } from "kubernetes-models/batch/v1/Job";
import type { IRole } from "kubernetes-models/rbac.authorization.k8s.io/v1/Role";
import type { IRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import type { NetworkConfig } from "../../config/schema";
import type { ClusterPlan, FaultTolerancePlan, NodePlan } from "../../plan/types";
import {
  DISRUPTION_GATE_SCRIPT,
  GATE_ANSWER_SECONDS,
  GATE_CONTAINER,
  ROLLOUT_GATE_SCRIPT,
  ROLLOUT_GATE_WAIT_SECONDS,
} from "./gateScripts";
import { clusterLabels, LABELS } from "./labels";
import type { Named } from "./objects";
import { DIRS, FILES } from "./paths";
import { HELPER_RESOURCES, resourceRequirements } from "./resources";
import { placement } from "./scheduling";
import { containerSecurityContext, podSecurityContext } from "./securityContext";
import { MOUNTS, VOLUMES } from "./volumes";

export interface DisruptionGate {
  /** Live validators the network needs before one may go: the planned quorum plus one. */
  readonly minLiveValidators: number;
}

/** The gate of a network that can spare a validator at full strength; none otherwise. */
export function disruptionGate(
  faultTolerance: Pick<FaultTolerancePlan, "quorum" | "tolerates">,
): DisruptionGate | undefined {
  return faultTolerance.tolerates >= 1 ? { minLiveValidators: faultTolerance.quorum + 1 } : undefined;
}

export const DISRUPTION_GATE_CONFIGMAP = "goquorum-disruption-gate";
/** Name of the rollout gate's ServiceAccount, Role and RoleBinding in each cluster. */
export const ROLLOUT_GATE = "goquorum-rollout-gate";
/** Pod-template annotation of a rollout gate Job: the digest of the StatefulSet spec it guards. */
export const GUARDED_SPEC_ANNOTATION = "goquorum.network/guarded-statefulset-sha256";
/** pulumi-kubernetes replaces, rather than awaits again, a Job that failed in the previous update. */
export const REPLACE_UNREADY_ANNOTATION = "pulumi.com/replaceUnready";

/** A validator's pod: the StatefulSet's only replica. */
export const validatorPod = (node: Pick<NodePlan, "name">): string => `${node.name}-0`;

/**
 * The threshold, in a ConfigMap mounted into every gate container: kubelet updates the file in place, so a
 * network that grows changes the threshold without restarting any validator.
 */
export function disruptionGateConfigMap(
  network: NetworkConfig,
  cluster: ClusterPlan,
  gate: DisruptionGate,
): Named<IConfigMap> {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name: DISRUPTION_GATE_CONFIGMAP,
      namespace: cluster.namespace,
      labels: clusterLabels(network.name, cluster.name),
    },
    data: { [FILES.minLiveValidators]: String(gate.minLiveValidators) },
  };
}

export const gateVolume = () => ({
  name: VOLUMES.disruptionGate,
  configMap: { name: DISRUPTION_GATE_CONFIGMAP },
});

/** Idles; its readiness probe is the gate. */
export function gateContainer(network: NetworkConfig): IContainer {
  return {
    name: GATE_CONTAINER,
    image: network.workloads.images.goquorum,
    imagePullPolicy: "IfNotPresent",
    command: ["sh", "-c", "trap 'exit 0' TERM INT; while :; do sleep 3600 & wait $!; done"],
    env: [{ name: "HOME", value: DIRS.tmp }],
    readinessProbe: {
      exec: { command: ["sh", "-c", DISRUPTION_GATE_SCRIPT, "disruption-gate"] },
      periodSeconds: 10,
      timeoutSeconds: 2 * GATE_ANSWER_SECONDS,
      // One failed look already withholds the pod from evictions: a drain waits rather than guess.
      failureThreshold: 1,
      successThreshold: 1,
    },
    resources: resourceRequirements(HELPER_RESOURCES),
    securityContext: containerSecurityContext(),
    volumeMounts: [MOUNTS.disruptionGate(), MOUNTS.ipc(), MOUNTS.tmp()],
  };
}

/** The rollout gate's identity in a cluster: it may read the cluster's validator pods and nothing else. */
export function rolloutGateAccess(
  network: NetworkConfig,
  cluster: ClusterPlan,
): [Named<IServiceAccount>, Named<IRole>, Named<IRoleBinding>] {
  const metadata = {
    name: ROLLOUT_GATE,
    namespace: cluster.namespace,
    labels: clusterLabels(network.name, cluster.name),
  };
  const validators = cluster.nodes.filter((n) => n.role === "validator").map(validatorPod);
  return [
    { apiVersion: "v1", kind: "ServiceAccount", metadata, automountServiceAccountToken: false },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata,
      rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["get"], resourceNames: validators }],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata,
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: ROLLOUT_GATE },
      subjects: [{ kind: "ServiceAccount", name: ROLLOUT_GATE, namespace: cluster.namespace }],
    },
  ];
}

/** sha256 of a StatefulSet's spec, keys sorted: any change to it changes the digest. */
export function specDigest(statefulSet: Named<IStatefulSet>): string {
  const sorted = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(sorted)
      : value !== null && typeof value === "object"
        ? Object.fromEntries(
            Object.keys(value)
              .sort()
              .map((k) => [k, sorted((value as Record<string, unknown>)[k])]),
          )
        : value;
  return createHash("sha256")
    .update(JSON.stringify(sorted(statefulSet.spec)))
    .digest("hex");
}

/** The Job that must succeed before `statefulSet` (validator `node`'s) changes. */
export function rolloutGateJob(
  network: NetworkConfig,
  node: NodePlan,
  namespace: string,
  statefulSet: Named<IStatefulSet>,
): Named<IJob> {
  // Not the name label of GoQuorum pods: no Service, policy or budget of the nodes selects the gate's pod.
  const labels = {
    ...clusterLabels(network.name, node.cluster),
    [LABELS.name]: ROLLOUT_GATE,
    [LABELS.instance]: node.name,
  };
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: {
      name: `${node.name}-rollout-gate`,
      namespace,
      labels,
      annotations: { [REPLACE_UNREADY_ANNOTATION]: "true" },
    },
    spec: {
      // The script waits and retries itself; a second pod would only start the wait again.
      backoffLimit: 0,
      activeDeadlineSeconds: ROLLOUT_GATE_WAIT_SECONDS + 60,
      template: {
        metadata: { labels, annotations: { [GUARDED_SPEC_ANNOTATION]: specDigest(statefulSet) } },
        spec: {
          serviceAccountName: ROLLOUT_GATE,
          automountServiceAccountToken: true,
          enableServiceLinks: false,
          restartPolicy: "Never",
          securityContext: podSecurityContext(),
          ...placement(network),
          containers: [
            {
              name: "rollout-gate",
              image: network.workloads.images.goquorum,
              imagePullPolicy: "IfNotPresent",
              command: ["sh", "-c", ROLLOUT_GATE_SCRIPT, "rollout-gate", validatorPod(node)],
              env: [{ name: "HOME", value: DIRS.tmp }],
              resources: resourceRequirements(HELPER_RESOURCES),
              securityContext: containerSecurityContext(),
              volumeMounts: [MOUNTS.tmp()],
            },
          ],
          volumes: [{ name: VOLUMES.tmp, emptyDir: { sizeLimit: "16Mi" } }],
        },
      },
    },
  };
}
