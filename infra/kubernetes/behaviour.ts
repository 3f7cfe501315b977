/**
 * Facts about Kubernetes itself and about `local` clusters (kind and other existing clusters) the program
 * relies on, each with its upstream source.
 */

/**
 * Whether an existing (`local`) cluster's CNI enforces NetworkPolicies, as its config declares: the program
 * does not manage that cluster's CNI, so it cannot know. kind enforces them by default from v0.24.0
 * (kindnetd bundles kube-network-policies: kubernetes-sigs/kind#842, #3612, release notes v0.24.0) unless
 * the cluster was created with `disableDefaultCNI`; minikube's and other distributions' defaults vary.
 */
export function localEnforcesNetworkPolicies(cluster: {
  readonly enforcesNetworkPolicies: boolean;
}): boolean {
  return cluster.enforcesNetworkPolicies;
}

/** The label the API server puts on every namespace, its name as value (Kubernetes 1.22+, "Namespaces"). */
export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

/**
 * NetworkPolicies never block traffic between a pod and the node it runs on: "traffic to and from the node
 * where a Pod is running is always allowed, regardless of the IP address of the Pod or the node" (Kubernetes
 * docs, "Network Policies"). Kubelet probes are such traffic.
 */
export const NODE_TRAFFIC_ALWAYS_ALLOWED = "traffic from the pod's own node is always allowed";

/** The kubelet's API port on every node (Kubernetes docs, "Ports and Protocols"). */
export const KUBELET_PORT = 10250;

/**
 * NodePorts, health check node ports included, come from 30000-32767 (kube-apiserver
 * `--service-node-port-range` default). The verifier checks its lower end.
 */
export const NODE_PORT_RANGE = { from: 30000, to: 32767 } as const;
