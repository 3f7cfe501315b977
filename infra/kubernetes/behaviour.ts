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

/** A container port as a pod spec declares it. */
interface DeclaredPort {
  readonly name?: string;
  readonly containerPort: number;
  readonly protocol?: string;
}

interface PodPorts {
  readonly containers: readonly { readonly ports?: readonly DeclaredPort[] }[];
  readonly initContainers?: readonly {
    readonly restartPolicy?: string;
    readonly ports?: readonly DeclaredPort[];
  }[];
}

/**
 * The first Kubernetes minor whose endpoint controllers resolve a Service's *named* `targetPort` against the
 * ports of restartable init containers (native sidecars) too. Before it they look at `spec.containers`
 * only (`FindPort`, kubernetes/kubernetes `pkg/api/v1/pod/util.go`), so a name only a sidecar declares
 * gets no endpoint: kubernetes/kubernetes#127976, fixed by #128850 in 1.32 and not backported.
 */
export const SIDECAR_NAMED_PORTS_FROM_MINOR = 32;

/**
 * The port an endpoint of `pod` gets for a Service port's `targetPort`, as the endpoint controllers of
 * Kubernetes 1.`minor` compute it: a number is taken as is; a name is looked up, with the Service port's
 * protocol, in the regular containers, and in native sidecars only from SIDECAR_NAMED_PORTS_FROM_MINOR.
 * Undefined: the pod gets no endpoint for that Service port.
 */
export function endpointPort(
  servicePort: { readonly targetPort: number | string; readonly protocol?: string },
  pod: PodPorts,
  minor: number,
): number | undefined {
  const { targetPort } = servicePort;
  if (typeof targetPort === "number") return targetPort;
  const sidecars =
    minor >= SIDECAR_NAMED_PORTS_FROM_MINOR
      ? (pod.initContainers ?? []).filter((c) => c.restartPolicy === "Always")
      : [];
  return [...pod.containers, ...sidecars]
    .flatMap((c) => c.ports ?? [])
    .find((p) => p.name === targetPort && (p.protocol ?? "TCP") === (servicePort.protocol ?? "TCP"))
    ?.containerPort;
}

/**
 * Where the kubelet mounts a pod's service-account token, the cluster CA and the namespace when the token is
 * automounted. Source: Kubernetes docs, "Accessing the Kubernetes API from a Pod" (directly accessing the REST
 * API). The API server pretty-prints JSON for a user agent starting with `curl` unless the query says
 * `pretty=false` (kubernetes/kubernetes `staging/src/k8s.io/apiserver/pkg/endpoints/handlers/negotiation/
 * negotiate.go`, isPrettyPrint).
 */
export const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

/** A PodDisruptionBudget as the eviction API reads it for one pod. */
export interface BudgetForEviction {
  readonly maxUnavailable: number;
  readonly unhealthyPodEvictionPolicy: "IfHealthyBudget" | "AlwaysAllow";
  /** Pods the budget covers (each StatefulSet's replicas). */
  readonly expectedPods: number;
  /** Covered pods that are Ready. */
  readonly healthyPods: number;
}

/**
 * Whether the eviction API lets a running pod go (a node drain: EKS managed node group updates, AKS upgrades,
 * `kubectl drain`). The disruption controller sets desiredHealthy = expected − maxUnavailable and
 * disruptionsAllowed = max(0, healthy − desiredHealthy) (kubernetes/kubernetes `pkg/controller/disruption/
 * disruption.go`); the eviction handler lets an unready pod go under AlwaysAllow, or under IfHealthyBudget
 * when healthy ≥ desiredHealthy and desiredHealthy > 0, and otherwise needs disruptionsAllowed > 0
 * (`pkg/registry/core/pod/storage/eviction.go`). Readiness is the pod's Ready condition: every container's
 * readiness probe.
 */
export function evictionAllowed(budget: BudgetForEviction, podReady: boolean): boolean {
  const desiredHealthy = budget.expectedPods - budget.maxUnavailable;
  const disruptionsAllowed = Math.max(0, budget.healthyPods - desiredHealthy);
  if (!podReady) {
    if (budget.unhealthyPodEvictionPolicy === "AlwaysAllow") return true;
    if (budget.healthyPods >= desiredHealthy && desiredHealthy > 0) return true;
  }
  return budget.expectedPods > 0 && disruptionsAllowed > 0;
}

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
 * docs, "Network Policies", the IP blocks identifier). Kubelet probes are such traffic: an HTTP probe of a Besu
 * RPC node's JSON-RPC port passes the namespace's default-deny. The same page: "a pod cannot block access to
 * itself", so a container reaches its pod's loopback (a Besu validator's probes and disruption gate) whatever
 * the policies.
 */
export const NODE_TRAFFIC_ALWAYS_ALLOWED = "traffic from the pod's own node is always allowed";

/** The kubelet's API port on every node (Kubernetes docs, "Ports and Protocols"). */
export const KUBELET_PORT = 10250;

/**
 * NodePorts, health check node ports included, come from 30000-32767 (kube-apiserver
 * `--service-node-port-range` default). The verifier checks its lower end.
 */
export const NODE_PORT_RANGE = { from: 30000, to: 32767 } as const;

/** What implements Services on a cluster's nodes. */
export type ServiceProxy = "kube-proxy" | "cilium";

/**
 * Whether a node's service proxy lets an in-cluster client's packet to a LoadBalancer Service's ingress IP
 * (an address in `status.loadBalancer.ingress[].ip`) through. Such a packet never reaches the cloud's load
 * balancer: the proxy on the client's node sends it straight to an endpoint, keeping the pod's address.
 * - kube-proxy (iptables): `KUBE-SERVICES` sends `-d <ingress IP> --dport <port>` to the Service port's
 *   firewall chain whenever loadBalancerSourceRanges is set; that chain jumps on only for `-s <range>` (and
 *   for the ingress IP itself when a range holds the node's IP), and what falls through is dropped by
 *   `KUBE-PROXY-FIREWALL`. Pod traffic then takes the cluster policy chain, unmasqueraded. Source:
 *   kubernetes/kubernetes `pkg/proxy/iptables/proxier.go` (syncProxyRules: "Capture load-balancer ingress",
 *   "Set up firewall chain, if needed", "pod traffic for ... external destinations").
 * - Cilium's kube-proxy replacement ignores loadBalancerSourceRanges for clients inside the cluster: "any pod
 *   or any host process in the cluster will be able to access the LoadBalancer service internally" (cilium/cilium
 *   `Documentation/network/kubernetes/kubeproxy-free.rst`, "LoadBalancer Source Ranges Checks").
 * One list per Service: every port of it admits the same ranges.
 */
export function serviceProxyAdmits(
  proxy: ServiceProxy,
  service: { readonly name: string; readonly loadBalancerSourceRanges: readonly string[] },
  sourceInRanges: boolean,
): { readonly admitted: boolean; readonly rule: string } {
  if (proxy === "cilium")
    return { admitted: true, rule: `${service.name}: Cilium ignores source ranges inside the cluster` };
  if (service.loadBalancerSourceRanges.length === 0)
    return { admitted: true, rule: `${service.name}: kube-proxy, no loadBalancerSourceRanges` };
  return sourceInRanges
    ? { admitted: true, rule: `${service.name}: kube-proxy firewall chain, loadBalancerSourceRanges` }
    : {
        admitted: false,
        rule: `${service.name}: KUBE-PROXY-FIREWALL drops sources outside loadBalancerSourceRanges`,
      };
}
