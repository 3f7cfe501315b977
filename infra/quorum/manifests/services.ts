/** In-cluster Services: the namespace's governing Service and each node's stable ClusterIP Service. */
import type { IService } from "kubernetes-models/v1/Service";
import type { NetworkConfig } from "../../config/schema";
import type { ClusterPlan, NodePlan } from "../../plan/types";
import { clusterLabels, networkSelector, nodeLabels, nodeSelector } from "./labels";
import { GOVERNING_SERVICE } from "./names";
import type { Named } from "./objects";
import { nodePorts, servicePort } from "./servicePorts";

/**
 * Headless Service required by the StatefulSets (pod DNS `<node>-0.goquorum.<ns>`). It publishes pods that
 * are not ready yet so a starting node is already resolvable by its peers.
 */
export function governingService(network: NetworkConfig, cluster: ClusterPlan): Named<IService> {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: {
      name: GOVERNING_SERVICE,
      namespace: cluster.namespace,
      labels: clusterLabels(network.name, cluster.name),
    },
    spec: {
      clusterIP: "None",
      publishNotReadyAddresses: true,
      selector: networkSelector(network.name),
      ports: [servicePort("p2p")],
    },
  };
}

/**
 * The node's ClusterIP Service. In-cluster peers dial `<node>.<ns>.svc.cluster.local`: geth resolves an
 * enode's name once, and a Service's ClusterIP, unlike a pod IP, survives pod restarts. With one pod behind
 * it, publishing the pod before it is ready costs clients nothing and lets peers connect as soon as the
 * listeners are up.
 */
export function nodeService(network: NetworkConfig, node: NodePlan, namespace: string): Named<IService> {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: node.name, namespace, labels: nodeLabels(network.name, node) },
    spec: {
      type: "ClusterIP",
      publishNotReadyAddresses: true,
      selector: nodeSelector(network.name, node.name),
      ports: nodePorts(node, network),
    },
  };
}
