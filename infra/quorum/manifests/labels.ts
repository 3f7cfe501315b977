/** Labels and selectors, defined once. Selectors only use labels that never change for a pod. */
import type { NodeRole } from "../../config/schema";
import type { NodePlan } from "../../plan/types";

export const LABELS = {
  name: "app.kubernetes.io/name",
  instance: "app.kubernetes.io/instance",
  component: "app.kubernetes.io/component",
  partOf: "app.kubernetes.io/part-of",
  managedBy: "app.kubernetes.io/managed-by",
  cluster: "goquorum.network/cluster",
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
