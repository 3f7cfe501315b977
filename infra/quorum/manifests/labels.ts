/** Labels and selectors, defined once. Selectors only use labels that never change for a pod. */
import type { NodeClient, NodeRole } from "../../config/schema";
import type { NodePlan } from "../../plan/types";
import { NODE_ROLES, servesRpc } from "./roles";

export const LABELS = {
  name: "app.kubernetes.io/name",
  instance: "app.kubernetes.io/instance",
  component: "app.kubernetes.io/component",
  partOf: "app.kubernetes.io/part-of",
  managedBy: "app.kubernetes.io/managed-by",
  cluster: "goquorum.network/cluster",
  /** On the pods of every role that serves JSON-RPC (pod templates only, see `podRoleLabels`). */
  servesRpc: "goquorum.network/serves-rpc",
  /** On the pods of Besu nodes (pod templates only, see `podClientLabels`). */
  client: "goquorum.network/client",
} as const;

const APP_NAME = "goquorum";

type Labels = Record<string, string>;

/** Labels of the objects a cluster shares among its nodes (namespace, governing service, policies). */
export function clusterLabels(networkName: string, clusterName: string): Labels {
  return {
    [LABELS.name]: APP_NAME,
    [LABELS.partOf]: networkName,
    [LABELS.managedBy]: "pulumi",
    [LABELS.cluster]: clusterName,
  };
}

/** Labels of one node's objects and pod. */
export function nodeLabels(networkName: string, node: NodePlan): Labels {
  return {
    ...clusterLabels(networkName, node.cluster),
    [LABELS.instance]: node.name,
    [LABELS.component]: node.role,
  };
}

/** Every GoQuorum pod of the network. */
export function networkSelector(networkName: string): Labels {
  return { [LABELS.name]: APP_NAME, [LABELS.partOf]: networkName };
}

/** Every GoQuorum pod of the network with the given role. */
export function roleSelector(networkName: string, role: NodeRole): Labels {
  return { ...networkSelector(networkName), [LABELS.component]: role };
}

/** The pod of one node. */
export function nodeSelector(networkName: string, nodeName: string): Labels {
  return { ...networkSelector(networkName), [LABELS.instance]: nodeName };
}

/**
 * Extra labels of a node's pod: whether it serves JSON-RPC, so one Service can select RPC and member nodes
 * together (a Service selector only matches equal labels). Only on the pod template: changing the labels of
 * a StatefulSet's volumeClaimTemplates is refused, and the template's are free to change.
 */
export function podRoleLabels(role: NodeRole): Labels {
  return servesRpc(role) ? { [LABELS.servesRpc]: "true" } : {};
}

/** The pods of the network with one of `roles`, as a Service selector: one role, or every RPC-serving role. */
export function rolesSelector(networkName: string, roles: readonly NodeRole[]): Labels {
  const [only] = roles;
  if (roles.length === 1 && only) return roleSelector(networkName, only);
  const rpcRoles = NODE_ROLES.filter(servesRpc);
  if (roles.length === rpcRoles.length && rpcRoles.every((r) => roles.includes(r))) {
    return { ...networkSelector(networkName), [LABELS.servesRpc]: "true" };
  }
  throw new Error(`no pod label selects exactly the roles ${roles.join(", ")}`);
}

/**
 * Extra labels of a node's pod naming its client, which decides how it is scraped and watched. Only Besu pods
 * carry one: GoQuorum pods deployed before Besu existed have none, and labelling them would restart every
 * running pod for nothing, so "not besu" is how a selector finds GoQuorum pods.
 */
export function podClientLabels(client: NodeClient): Labels {
  return client === "besu" ? { [LABELS.client]: client } : {};
}
