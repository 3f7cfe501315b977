/**
 * The pods a cloud cluster must find room for. Only pods that take a pod IP count: host-network
 * daemons (aws-node, kube-proxy, eks-pod-identity-agent, azure-cns, the Azure disk/file CSI nodes,
 * cloud-node-manager, prometheus node-exporter) use the node's own address.
 * The tables are planning assumptions, on the generous side, not a list of what gets installed.
 */
import type { CloudClusterConfig } from "../config/schema";

/** The per-cluster monitoring stack (kube-prometheus-stack layout). */
export const MONITORING_PODS: Readonly<Record<string, number>> = {
  prometheus: 1,
  grafana: 1,
  alertmanager: 1,
  "kube-state-metrics": 1,
  "prometheus-operator": 1,
};

/** Cluster-wide system pods per provider. */
export const SYSTEM_PODS: Readonly<Record<CloudClusterConfig["provider"], Readonly<Record<string, number>>>> =
  {
    aws: { coredns: 2, "ebs-csi-controller": 2, "aws-load-balancer-controller": 2 },
    azure: { coredns: 2, "coredns-autoscaler": 1, "metrics-server": 2, "konnectivity-agent": 2 },
  };

/** DaemonSet pods on every node that take a pod IP. */
export const DAEMON_PODS_PER_NODE: Readonly<
  Record<CloudClusterConfig["provider"], Readonly<Record<string, number>>>
> = {
  aws: { "ebs-csi-node": 1, "secrets-store-csi-driver": 1, "secrets-store-csi-driver-provider-aws": 1 },
  azure: { "secrets-store-csi-driver": 1, "secrets-store-provider-azure": 1 },
};

const total = (table: Readonly<Record<string, number>>) => Object.values(table).reduce((a, b) => a + b, 0);

/** One pod per GoQuorum node; a member's Tessera is a sidecar in the same pod. */
const quorumPods = (cluster: CloudClusterConfig): number =>
  cluster.nodes.validators + cluster.nodes.rpc + cluster.nodes.members;

/**
 * Pods planned on a cluster of `nodes` steady-state nodes. Surge nodes are left out: during an
 * upgrade each one replaces a drained node, so its daemons take the slots the drained node freed.
 */
export function plannedPods(cluster: CloudClusterConfig, nodes: number): number {
  return (
    quorumPods(cluster) +
    total(MONITORING_PODS) +
    total(SYSTEM_PODS[cluster.provider]) +
    total(DAEMON_PODS_PER_NODE[cluster.provider]) * nodes
  );
}
