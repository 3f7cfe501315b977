/** A cloud node's internal load balancer: its fixed private address, reachable from the peered clusters. */
import type { IService } from "kubernetes-models/v1/Service";
import type { NetworkConfig } from "../../config/schema";
import type { ClusterPlan, NodePlan } from "../../plan/types";
import { nodeLabels, nodeSelector } from "./labels";
import { p2pLoadBalancerName } from "./names";
import type { Named } from "./objects";
import { crossClusterPorts } from "./servicePorts";

type CloudProvider = Exclude<ClusterPlan["provider"], "local">;

/** Per provider: the annotations that make an internal load balancer on `ip` in `subnet`. */
export const LOAD_BALANCER_ANNOTATIONS: Readonly<
  Record<CloudProvider, (ip: string, subnet: string) => Record<string, string>>
> = {
  // AWS Load Balancer Controller: an internal NLB sending straight to the pod IP. Client IP preservation
  // keeps the peer's address as the source, which the NetworkPolicy's peer ranges are matched against.
  aws: (ip, subnet) => ({
    "service.beta.kubernetes.io/aws-load-balancer-type": "external",
    "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
    "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
    "service.beta.kubernetes.io/aws-load-balancer-private-ipv4-addresses": ip,
    "service.beta.kubernetes.io/aws-load-balancer-subnets": subnet,
    "service.beta.kubernetes.io/aws-load-balancer-target-group-attributes": "preserve_client_ip.enabled=true",
  }),
  // Azure cloud provider: an internal Standard LB frontend on a fixed address of the endpoints subnet.
  azure: (ip, subnet) => ({
    "service.beta.kubernetes.io/azure-load-balancer-internal": "true",
    "service.beta.kubernetes.io/azure-load-balancer-ipv4": ip,
    "service.beta.kubernetes.io/azure-load-balancer-internal-subnet": subnet,
  }),
};

/**
 * Only the cross-cluster ports. `externalTrafficPolicy: Local` keeps the peer's source address (no SNAT to
 * a node) so the NetworkPolicy can tell peers from strangers, and routes only to the node running the pod
 * (Azure's health probe fails on the others); AWS IP targets bypass node ports entirely.
 */
export function p2pLoadBalancer(
  network: NetworkConfig,
  cluster: ClusterPlan,
  node: NodePlan & { readonly endpointIp: string },
  subnet: string,
  peerCidrs: readonly string[],
): Named<IService> {
  if (cluster.provider === "local") {
    throw new Error(
      `node ${node.name}: local clusters have no internal load balancer (endpointIp must be absent)`,
    );
  }
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: {
      name: p2pLoadBalancerName(node.name),
      namespace: cluster.namespace,
      labels: nodeLabels(network.name, node),
      annotations: LOAD_BALANCER_ANNOTATIONS[cluster.provider](node.endpointIp, subnet),
    },
    spec: {
      type: "LoadBalancer",
      externalTrafficPolicy: "Local",
      // Readiness needs a peer: a node must be reachable from other clusters before it is ready, or a
      // network whose clusters hold one node each could never start.
      publishNotReadyAddresses: true,
      selector: nodeSelector(network.name, node.name),
      ports: crossClusterPorts(node.role),
      // Empty would mean "anyone": only set with peers to restrict to (a single-cluster network has none).
      ...(peerCidrs.length > 0 ? { loadBalancerSourceRanges: [...peerCidrs] } : {}),
    },
  };
}
