/** Names of the Kubernetes objects that carry a node's key material to its pod. */
import type { NodePlan } from "../../plan/types";

/** The node's key Secret (`local` vault) or SecretProviderClass (cloud vaults): `<node>-keys`. */
export const keysSecretName = (node: Pick<NodePlan, "name">): string => `${node.name}-keys`;

/** A member's kubernetes.io/tls Secret for Tessera P2P (strict TLS, `local` vault). */
export const tesseraTlsSecretName = (node: Pick<NodePlan, "name">): string => `${node.name}-tessera-tls`;

/**
 * Pod-template annotation carrying a digest of the member's Tessera certificate: Tessera reads it only at
 * start, so a re-issued certificate has to restart the pod.
 */
export const TESSERA_TLS_CERTIFICATE_ANNOTATION = "goquorum.network/tessera-tls-certificate-sha256";
