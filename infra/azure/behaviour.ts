/**
 * Facts about Azure the program relies on, each with its upstream source. Components, the mock runtime and
 * the verifiers read them here, never a copy.
 */

// ---------------------------------------------------------------------------------------------------------
// AKS: NetworkPolicy enforcement
// ---------------------------------------------------------------------------------------------------------

/**
 * Policy engines AKS enforces NetworkPolicies with (`networkProfile.networkPolicy`). Without one
 * (`none`, or the field unset) AKS accepts NetworkPolicy objects and enforces nothing (Microsoft Learn,
 * "Secure traffic between pods by using network policies in AKS").
 */
const ENFORCING_POLICY_ENGINES: readonly string[] = ["cilium", "calico", "azure"];

/** Whether an AKS cluster with this network profile enforces NetworkPolicies. */
export function aksEnforcesNetworkPolicies(profile: { readonly networkPolicy?: string }): boolean {
  return profile.networkPolicy !== undefined && ENFORCING_POLICY_ENGINES.includes(profile.networkPolicy);
}
