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
