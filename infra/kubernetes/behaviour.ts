/**
 * Facts about Kubernetes itself (and `local` clusters) that the program relies on, each with its upstream
 * source. Facts only: this module imports nothing from the project, so every pure layer may read it.
 */

/**
 * Node labels the kubelet and the cloud's node controller set on every node. Source: Kubernetes docs,
 * "Well-Known Labels, Annotations and Taints" (kubernetes.io/docs/reference/labels-annotations-taints).
 */
export const WELL_KNOWN_LABELS = {
  zone: "topology.kubernetes.io/zone",
  region: "topology.kubernetes.io/region",
  hostname: "kubernetes.io/hostname",
  os: "kubernetes.io/os",
  arch: "kubernetes.io/arch",
} as const;

/**
 * The Secrets Store CSI driver chart always schedules its node DaemonSet with `nodeSelector:
 * kubernetes.io/os: linux`, and with only the tolerations its values give (`linux.tolerations`, none by
 * default). Source: kubernetes-sigs/secrets-store-csi-driver `charts/secrets-store-csi-driver/templates/
 * secrets-store-csi-driver.yaml` and `values.yaml`.
 */
export const SECRETS_STORE_DRIVER_NODE_SELECTOR: Readonly<Record<string, string>> = {
  [WELL_KNOWN_LABELS.os]: "linux",
};
