/** Inputs of the manifest functions: plain data, decided by the plan and the key/genesis/peer generators. */
import type { NetworkConfig } from "../../config/schema";
import type { ClusterPlan, NodePlan } from "../../plan/types";

export interface ClusterManifestInput {
  readonly network: NetworkConfig;
  readonly cluster: ClusterPlan;
  /** The genesis file, byte-identical on every cluster. */
  readonly genesisJson: string;
  /** enode URLs the cluster's nodes keep peered with (at start and, through peer-sync, at runtime). */
  readonly staticNodes: readonly string[];
  /** VPC/VNet and pod ranges of the other clusters: the only outside sources allowed to reach p2p ports. */
  readonly peerCidrs: readonly string[];
}

export interface NodeManifestInput {
  readonly network: NetworkConfig;
  readonly cluster: ClusterPlan;
  readonly node: NodePlan;
  /** GoQuorum nodes in the whole network (sizes `--maxpeers`). */
  readonly totalNodes: number;
  /** Secret holding `nodekey` and, for members, `tm.key` and `tm.pub`. */
  readonly keysSecretName: string;
  /** Members only: the Tessera config (`../peers` `tesseraConfig`), which fixes where its files must be. */
  readonly tesseraConfigJson?: string;
  /** Members with `tessera.tls: strict` only: kubernetes.io/tls Secret (with `ca.crt`) for Tessera P2P. */
  readonly tesseraTlsSecretName?: string;
  /** Subnet (name or id) of the node's internal load balancer; required when the node has an `endpointIp`. */
  readonly endpointSubnet?: string;
  /** Same as `ClusterManifestInput.peerCidrs`; restricts the internal load balancer. */
  readonly peerCidrs: readonly string[];
  /** StorageClass of the data volume; the cluster default when absent. */
  readonly storageClass?: string;
  /** Annotations binding the node's ServiceAccount to a cloud identity (IRSA, workload identity). */
  readonly serviceAccountAnnotations?: Readonly<Record<string, string>>;
}
