/**
 * A cloud node's internal load balancer: its fixed private address, reachable from the peered clusters. The
 * cloud-specific annotations that fix the address come from the cluster target (`infra/<cloud>/`).
 */
import type { IService } from "kubernetes-models/v1/Service";
import type { NetworkConfig } from "../../config/schema";
import type { ClusterPlan, NodePlan } from "../../plan/types";
import { loadBalancerSourceRanges } from "../peers";
import { nodeLabels, nodeSelector } from "./labels";
import { p2pLoadBalancerName } from "./names";
import type { Named } from "./objects";
import { crossClusterPorts } from "./servicePorts";

/**
 * Only the cross-cluster ports. `externalTrafficPolicy: Local` keeps the peer's source address (no SNAT to
 * a node) so the NetworkPolicy can tell peers from strangers, and routes only to the node running the pod
 * (Azure's health probe fails on the others); AWS IP targets bypass node ports entirely.
 */
export function p2pLoadBalancer(
  network: NetworkConfig,
  cluster: ClusterPlan,
  node: NodePlan,
  annotations: Readonly<Record<string, string>>,
  peerCidrs: readonly string[],
): Named<IService> {
  const sourceRanges = loadBalancerSourceRanges(node, cluster, peerCidrs);
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: {
      name: p2pLoadBalancerName(node.name),
      namespace: cluster.namespace,
      labels: nodeLabels(network.name, node),
      annotations: { ...annotations },
    },
    spec: {
      type: "LoadBalancer",
      externalTrafficPolicy: "Local",
      // Readiness needs a peer: a node must be reachable from other clusters before it is ready, or a
      // network whose clusters hold one node each could never start.
      publishNotReadyAddresses: true,
      selector: nodeSelector(network.name, node.name),
      ports: crossClusterPorts(node),
      // Empty would mean "anyone": only set with sources to restrict to (peers in other clusters or parties,
      // members of this cluster); a single-cluster network without a second member has none.
      ...(sourceRanges.length > 0 ? { loadBalancerSourceRanges: sourceRanges } : {}),
    },
  };
}
