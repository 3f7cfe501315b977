/** The keys of a cluster's nodes as the program creates them (under the mock runtime: throwaway bytes). */
import { NodeKeys } from "../../components/keys/NodeKeys";
import { TesseraTls } from "../../components/keys/TesseraTls";
import type { ClusterPlan } from "../../infra/plan/types";

export function clusterKeys(cluster: ClusterPlan): Map<string, NodeKeys> {
  return new Map(
    cluster.nodes.map((node) => [
      node.name,
      new NodeKeys(node.name, { node, tessera: node.role === "member" }),
    ]),
  );
}

/** Strict Tessera TLS for the cluster's members, under the network name `testnet`. */
export function clusterTesseraTls(cluster: ClusterPlan): TesseraTls {
  return new TesseraTls("testnet-tessera-tls", {
    networkName: "testnet",
    members: cluster.nodes
      .filter((n) => n.role === "member")
      .map((node) => ({ node, namespace: cluster.namespace })),
  });
}
