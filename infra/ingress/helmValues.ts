/** Helm values of the two charts the ingress layer installs per cluster. */
import { GATEWAY_API_CHANNEL } from "./behaviour";
import { CERT_MANAGER } from "./names";

/**
 * Envoy Gateway: two controller replicas behind a PodDisruptionBudget. `crds.enabled` stays on for the one
 * template of the chart's `crds` subchart, the Gateway API safe-upgrades ValidatingAdmissionPolicy, which the
 * chart renders only when it owns the policy or none exists (`templates/gatewayapi-safe-upgrade-policy.yaml`;
 * envoyproxy/gateway `release-notes/v1.9.0.yaml`: "`--skip-crds` does not skip chart-templated resources");
 * the subchart's CRDs are skipped with the release's `skipCrds` and come from `envoyGatewayCrdsValues`.
 */
export function envoyGatewayValues(): Record<string, unknown> {
  return {
    crds: { enabled: true },
    deployment: { replicas: 2 },
    podDisruptionBudget: { minAvailable: 1 },
  };
}

/**
 * `gateway-crds-helm`: the Gateway API CRDs on the channel `gateway-helm` always installed, and Envoy Gateway's
 * own (both off by default, `charts/gateway-crds-helm/values.yaml`).
 */
export function envoyGatewayCrdsValues(): Record<string, unknown> {
  return {
    crds: {
      gatewayAPI: { enabled: true, channel: GATEWAY_API_CHANNEL },
      envoyGateway: { enabled: true },
    },
  };
}

/** How cert-manager's pods get the cluster's DNS identity for ACME DNS-01 (from the cluster target). */
export interface CertManagerIdentity<T> {
  readonly serviceAccountAnnotations: Readonly<Record<string, T>>;
  readonly podLabels?: Readonly<Record<string, string>>;
}

/**
 * cert-manager with its CRDs (kept when the release is removed, so certificates survive), leader election
 * in its own namespace (AKS forbids kube-system writes), and the DNS identity when the target provides one.
 */
export function certManagerValues<T = string>(identity?: CertManagerIdentity<T>): Record<string, unknown> {
  return {
    crds: { enabled: true, keep: true },
    global: { leaderElection: { namespace: CERT_MANAGER.namespace } },
    serviceAccount: {
      create: true,
      name: CERT_MANAGER.serviceAccount,
      annotations: { ...identity?.serviceAccountAnnotations },
    },
    podLabels: { ...identity?.podLabels },
  };
}
