/** Helm values of the two charts the ingress layer installs per cluster. */
import { CERT_MANAGER } from "./names";

/** Envoy Gateway: two controller replicas behind a PodDisruptionBudget; the chart installs every CRD. */
export function envoyGatewayValues(): Record<string, unknown> {
  return {
    crds: { enabled: true },
    deployment: { replicas: 2 },
    podDisruptionBudget: { minAvailable: 1 },
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
