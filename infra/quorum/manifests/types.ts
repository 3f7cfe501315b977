/** Inputs of the manifest functions: plain data, decided by the plan and the key/genesis/peer generators. */
import type { INetworkPolicyPeer } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer";
import type { NetworkConfig } from "../../config/schema";
import type { ClusterPlan, NodePlan } from "../../plan/types";
import type { KeySource } from "./keySource";

export interface ClusterManifestInput {
  readonly network: NetworkConfig;
  readonly cluster: ClusterPlan;
  /** The genesis file, byte-identical on every cluster. */
  readonly genesisJson: string;
  /** enode URLs the cluster's nodes keep peered with (at start and, through peer-sync, at runtime). */
  readonly staticNodes: readonly string[];
  /** Node ids allowed to connect at all (`permissioned-nodes.json`, installed by peer-sync). */
  readonly permissionedNodes: readonly string[];
  /** VPC/VNet and pod ranges of the other clusters: the only outside sources allowed to reach p2p ports. */
  readonly peerCidrs: readonly string[];
  /**
   * Extra sources (pods of other namespaces, e.g. the ingress gateway's proxies) admitted to JSON-RPC and to
   * Tessera's third-party API, on top of the namespace and the configured client ranges.
   */
  readonly routedSources?: {
    readonly rpc?: readonly INetworkPolicyPeer[];
    readonly tesseraThirdParty?: readonly INetworkPolicyPeer[];
  };
}

export interface NodeManifestInput {
  readonly network: NetworkConfig;
  readonly cluster: ClusterPlan;
  readonly node: NodePlan;
  /** GoQuorum nodes in the whole network (sizes `--maxpeers`). */
  readonly totalNodes: number;
  /** Validators in block 0 of the chain (`plan.network.genesisValidators`: the deployed set once it runs). */
  readonly genesisValidators: readonly string[];
  /** Where the node's key files come from (a Secret or a vault through the CSI driver). */
  readonly keys: KeySource;
  /** Members only: the Tessera config (`../peers` `tesseraConfig`), which fixes where its files must be. */
  readonly tesseraConfigJson?: string;
  /**
   * Annotations that make the node's internal load balancer on its `endpointIp` in the cluster's cloud
   * (from the cluster target); required exactly when the node has an `endpointIp`.
   */
  readonly loadBalancerAnnotations?: Readonly<Record<string, string>>;
  /** Same as `ClusterManifestInput.peerCidrs`; restricts the internal load balancer. */
  readonly peerCidrs: readonly string[];
  /** StorageClass of the data volume; the cluster default when absent. */
  readonly storageClass?: string;
  /** Pod labels the node's cloud identity needs (e.g. Azure workload identity's opt-in label). */
  readonly podLabels?: Readonly<Record<string, string>>;
}
