/**
 * Facts about AWS the program relies on, each with its upstream source. Components, the mock runtime and
 * the verifiers read them here, never a copy.
 */

// ---------------------------------------------------------------------------------------------------------
// VPC CNI: NetworkPolicy enforcement
// ---------------------------------------------------------------------------------------------------------

/** The vpc-cni add-on's configuration values; two of them decide NetworkPolicy enforcement. */
export interface VpcCniConfigurationValues {
  readonly enableNetworkPolicy?: string;
  readonly nodeAgent?: { readonly enabled?: boolean };
  readonly [key: string]: unknown;
}

/**
 * Whether the VPC CNI enforces NetworkPolicies with these add-on configuration values. Off unless
 * `enableNetworkPolicy` is "true" (aws/amazon-vpc-cni-k8s `charts/aws-vpc-cni/values.yaml`:
 * `enableNetworkPolicy: false`; the VPC CNI "Network Policy FAQ": "network policies are not enabled by
 * default"), and the network policy agent of the aws-node DaemonSet (`nodeAgent.enabled`, on by default)
 * must run: it programs the eBPF filters. Supported from VPC CNI 1.14 on EKS 1.25+ with a 5.10+ kernel
 * (EKS user guide "Restrict Pod network traffic with Kubernetes network policies"); the schema requires
 * 1.30+, EKS installs a matching add-on version, and AL2023 runs kernel 6.1.
 */
export function vpcCniEnforcesNetworkPolicies(settings: VpcCniConfigurationValues): boolean {
  return settings.enableNetworkPolicy === "true" && settings.nodeAgent?.enabled !== false;
}
