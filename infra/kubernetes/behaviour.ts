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
