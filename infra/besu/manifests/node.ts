/**
 * The objects of a node that runs Besu: the same identity (ServiceAccount), Services and load balancer as a
 * GoQuorum node's, so clients, peers, policies and monitoring reach it unchanged; a Besu StatefulSet; and, for
 * a validator under the one-at-a-time rollout, GoQuorum's rollout gate Job (it reads the client container the
 * running pod has, `goquorum` or `besu`). A member
 * runs no Tessera (Besu removed Tessera privacy in 25.6.0): no Tessera config.
 */
import { type NodeManifests, nodeManifests, nodeObjects } from "../../quorum/manifests/node";
import { type BesuNodeManifestInput, besuStatefulSet } from "./statefulSet";

export type { BesuNodeManifestInput } from "./statefulSet";

export function besuNodeManifests(input: BesuNodeManifestInput): NodeManifests {
  checkInput(input);
  return nodeObjects(input, besuStatefulSet(input));
}

function checkInput(input: BesuNodeManifestInput): void {
  const { network, cluster, node } = input;
  const fail = (message: string) => {
    throw new Error(`node ${node.name}: ${message}`);
  };
  if (node.client !== "besu") fail(`runs ${node.client}, not Besu`);
  if (node.cluster !== cluster.name) fail(`belongs to cluster ${node.cluster}, not ${cluster.name}`);
  if (input.totalNodes < cluster.nodes.length)
    fail(`totalNodes ${input.totalNodes} is below the cluster's nodes`);
  if (input.tesseraConfigJson !== undefined) fail("a Besu node runs no Tessera: no Tessera config");
  if (network.consensus !== "qbft") fail("Besu runs QBFT only: network.consensus must be qbft");
  if ((node.endpointIp !== undefined) !== (input.loadBalancerAnnotations !== undefined)) {
    fail("load balancer annotations are required exactly for a node with an endpointIp");
  }
}

/**
 * A node's objects for the client it runs: GoQuorum's (`nodeManifests`) or Besu's. The one dispatch every
 * caller uses, so no caller builds a GoQuorum pod for a Besu node.
 */
export function clientNodeManifests(input: BesuNodeManifestInput): NodeManifests {
  return input.node.client === "besu" ? besuNodeManifests(input) : nodeManifests(input);
}
