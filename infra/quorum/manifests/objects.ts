/** The rendered objects as a component consumes them: always named and labelled. */
import type { IStatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import type { IJob } from "kubernetes-models/batch/v1/Job";
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { IPodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import type { IRole } from "kubernetes-models/rbac.authorization.k8s.io/v1/Role";
import type { IRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { INamespace } from "kubernetes-models/v1/Namespace";
import type { IService } from "kubernetes-models/v1/Service";
import type { IServiceAccount } from "kubernetes-models/v1/ServiceAccount";

/** `T` with the metadata every rendered object has (the namespace is absent only on the Namespace). */
export type Named<T extends { metadata?: object }> = T & {
  readonly metadata: NonNullable<T["metadata"]> & {
    readonly name: string;
    readonly namespace?: string;
    readonly labels: Record<string, string>;
  };
};

export type KubernetesObject =
  | Named<INamespace>
  | Named<IService>
  | Named<IConfigMap>
  | Named<IServiceAccount>
  | Named<IStatefulSet>
  | Named<IPodDisruptionBudget>
  | Named<INetworkPolicy>
  | Named<IRole>
  | Named<IRoleBinding>
  | Named<IJob>;

/** Every object of a `clusterManifests` or `nodeManifests` result, the Namespace first. */
export function listObjects(manifests: {
  readonly [key: string]: KubernetesObject | readonly KubernetesObject[] | undefined;
}): KubernetesObject[] {
  return Object.values(manifests)
    .flat()
    .filter((object): object is KubernetesObject => object !== undefined);
}
