/**
 * The objects a cluster's Besu nodes share, beside the cluster's GoQuorum objects (which stay as they are):
 * Besu's genesis and its peer files. Only a cluster with a Besu node gets them.
 */
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { NetworkConfig } from "../../config/schema";
import type { ClusterPlan } from "../../plan/types";
import { clusterLabels } from "../../quorum/manifests/labels";
import type { Named } from "../../quorum/manifests/objects";
import { BESU_FILES, BESU_GENESIS_CONFIGMAP, BESU_PEERS_CONFIGMAP } from "./paths";

export interface BesuClusterFiles {
  /** `besuGenesisJson` of the deployed GoQuorum genesis (`../genesis` besuGenesisFromGoQuorum). */
  readonly genesisJson: string;
  /** `static-nodes.json` text. */
  readonly staticNodesJson: string;
  /** `permissions_config.toml` text. */
  readonly permissionsToml: string;
  /** `../peers` nodeAddressesFile. */
  readonly nodeAddresses: string;
}

export interface BesuClusterManifests {
  readonly genesis: Named<IConfigMap>;
  readonly peers: Named<IConfigMap>;
}

/** Undefined for a cluster without Besu nodes: nothing of GoQuorum's cluster changes. */
export function besuClusterManifests(
  network: NetworkConfig,
  cluster: ClusterPlan,
  files: BesuClusterFiles,
): BesuClusterManifests | undefined {
  if (!cluster.nodes.some((n) => n.client === "besu")) return undefined;
  const configMap = (name: string, data: Record<string, string>): Named<IConfigMap> => ({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name, namespace: cluster.namespace, labels: clusterLabels(network.name, cluster.name) },
    data,
  });
  return {
    genesis: configMap(BESU_GENESIS_CONFIGMAP, { [BESU_FILES.genesis]: files.genesisJson }),
    peers: configMap(BESU_PEERS_CONFIGMAP, {
      [BESU_FILES.staticNodes]: files.staticNodesJson,
      [BESU_FILES.permissions]: files.permissionsToml,
      [BESU_FILES.nodeAddresses]: files.nodeAddresses,
    }),
  };
}
