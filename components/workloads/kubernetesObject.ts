import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

/**
 * A Kubernetes object as registered: a manifest from the pure builders, whose fields may hold Outputs where
 * the value depends on keys (genesis, peer list, certificate digest).
 */
export interface RegistrableObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
}

type Constructor = new (
  name: string,
  args: never,
  opts?: pulumi.CustomResourceOptions,
) => pulumi.CustomResource;

/** The kinds the manifests use, mapped to their typed resources (so preview diffs are per object). */
const KINDS: Readonly<Record<string, Constructor>> = {
  "v1/Namespace": k8s.core.v1.Namespace,
  "v1/ConfigMap": k8s.core.v1.ConfigMap,
  "v1/Service": k8s.core.v1.Service,
  "v1/ServiceAccount": k8s.core.v1.ServiceAccount,
  "apps/v1/StatefulSet": k8s.apps.v1.StatefulSet,
  "policy/v1/PodDisruptionBudget": k8s.policy.v1.PodDisruptionBudget,
  "networking.k8s.io/v1/NetworkPolicy": k8s.networking.v1.NetworkPolicy,
  "rbac.authorization.k8s.io/v1/Role": k8s.rbac.v1.Role,
  "rbac.authorization.k8s.io/v1/RoleBinding": k8s.rbac.v1.RoleBinding,
  "batch/v1/Job": k8s.batch.v1.Job,
};

/** The Pulumi name of an object: unique across clusters and namespaces, stable across runs. */
function resourceName(cluster: string, obj: RegistrableObject): string {
  return [cluster, obj.kind.toLowerCase(), obj.metadata.namespace, obj.metadata.name]
    .filter(Boolean)
    .join("-");
}

export function createObject<T extends RegistrableObject>(
  cluster: string,
  obj: T,
  opts: pulumi.CustomResourceOptions,
): pulumi.CustomResource {
  const kind = KINDS[`${obj.apiVersion}/${obj.kind}`];
  if (!kind) throw new Error(`no resource type for ${obj.apiVersion} ${obj.kind}`);
  // The registry pairs each kind with its own class, so the object matches that class's args.
  return new kind(resourceName(cluster, obj), obj as never, opts);
}
