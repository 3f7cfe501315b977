/**
 * The network plan: everything decided before any resource exists. Pure data, JSON-serialisable;
 * `npm run plan -- --json` prints it and the components only translate it into resources.
 */

import type { ConfigIssue } from "../config/issue";
import type { NodeClient, NodeRole } from "../config/schema";
import type { DeployerPath } from "./apiAccess";
import type { ConnectivityPlan, ExternalPeerPlan } from "./connectivityTypes";
import type { IngressPlan } from "./ingressTypes";
import type { MaintenanceWindowPlan } from "./maintenance";

/** `gateway`: the Azure VPN gateway's GatewaySubnet (no NSG, no delegation, nothing else in it). */
export type SubnetPurpose = "public" | "private" | "pods" | "endpoints" | "gateway";

export interface SubnetPlan {
  /** Unique within the cluster, e.g. `private-eu-west-1a`, `pods`, `endpoints`. */
  readonly name: string;
  readonly purpose: SubnetPurpose;
  /** Zone name for zonal subnets (AWS); absent for regional ones (Azure subnets span zones). */
  readonly zone?: string;
  readonly cidr: string;
  /** Addresses left after the cloud's 5 reserved ones. */
  readonly usableAddresses: number;
}

export interface CapacityPlan {
  /** Pods one node can run (CNI/maxPods limit). */
  readonly podsPerNode: number;
  /** Nodes planned for: the pools' upper bounds plus upgrade surge. */
  readonly nodes: number;
  /** Pod addresses the subnets can hand out, after node, warm-pool and reserved addresses. */
  readonly podAddresses: number;
  /** Pods the plan puts on the cluster: GoQuorum nodes, monitoring, system pods and per-node daemons. */
  readonly plannedPods: number;
  /** Share of the binding limit (pods schedulable or pod addresses, whichever is smaller) left free, 0..1. */
  readonly headroom: number;
  /** Which limit binds: the nodes' pod slots or the subnets' addresses. */
  readonly bindingLimit: "podsPerNode" | "podAddresses";
}

export interface NodePlan {
  /** `<cluster>-<role>-<index>`, a DNS label; also the StatefulSet name. */
  readonly name: string;
  readonly cluster: string;
  readonly role: NodeRole;
  /** Ordinal within its role and cluster. */
  readonly index: number;
  /** The client it runs: the cluster's `client`, or its entry in `nodeClients`. Its key never depends on it. */
  readonly client: NodeClient;
  /**
   * Zone the node is pinned to (its volume lives there), as the cloud's API names it (AWS `eu-west-1a`,
   * Azure `1`). Absent when the cluster has no zone information.
   */
  readonly zone?: string;
  /**
   * Private address reserved for the node's internal load balancer, reachable from every peered
   * cluster. Absent on `local` clusters (single-cluster, in-cluster DNS only).
   */
  readonly endpointIp?: string;
}

/** Where a load balancer of the cluster sits: a node's, or the monitoring endpoint's placed like one. */
export type EndpointPlacement = Pick<NodePlan, "name" | "zone" | "endpointIp">;

export interface ClusterPlan {
  readonly name: string;
  readonly provider: "aws" | "azure" | "local";
  readonly region: string;
  readonly namespace: string;
  /** VPC/VNet range; absent on `local`. */
  readonly cidr?: string;
  readonly serviceCidr?: string;
  readonly podCidr?: string;
  readonly zones: readonly string[];
  readonly subnets: readonly SubnetPlan[];
  /** Absent on `local`, whose nodes the program does not manage. */
  readonly capacity?: CapacityPlan;
  readonly nodes: readonly NodePlan[];
  /**
   * Private address reserved for the internal load balancer of the cluster's Prometheus (federated by the
   * central monitoring cluster). Absent on `local` clusters.
   */
  readonly monitoringEndpointIp?: string;
  /** Endpoints published outside the cluster; absent when none are configured (the default). */
  readonly ingress?: IngressPlan;
}

export interface LossVerdict {
  readonly cluster: string;
  /** Absent for a whole-cluster verdict. */
  readonly zone?: string;
  readonly validators: number;
  /** Whether the remaining validators still reach quorum. */
  readonly survives: boolean;
  /**
   * Live validators above quorum after the loss: what the network can still spare (negative: it halts). At 0
   * it makes blocks, but the disruption gate holds every drain, upgrade and validator rollout, and one more
   * failure halts it.
   */
  readonly margin: number;
}

export interface FaultTolerancePlan {
  readonly validators: number;
  /** ⌈2n/3⌉: validators that must be live for QBFT to make blocks. */
  readonly quorum: number;
  /** Validators that may fail with consensus continuing: n − quorum. */
  readonly tolerates: number;
  readonly survivesLossOfAnyCluster: boolean;
  readonly survivesLossOfAnyZone: boolean;
  /** Each external validator is a failure domain of its own. */
  readonly survivesLossOfAnyExternalParty: boolean;
  readonly clusterLoss: readonly LossVerdict[];
  readonly zoneLoss: readonly LossVerdict[];
  readonly externalLoss: readonly {
    readonly party: string;
    readonly validators: number;
    readonly survives: boolean;
    readonly margin: number;
  }[];
  /** The smallest margin any one cluster's (or external validator's) loss leaves; -1 and below: a loss halts. */
  readonly marginAfterClusterLoss: number;
  /** The smallest margin any one zone's loss leaves. */
  readonly marginAfterZoneLoss: number;
  /**
   * A validator count per cluster that would survive the loss of any one cluster, when the current one does
   * not; or, when it survives with nothing to spare, one that keeps a validator to spare (which may need
   * more clusters: `additionalClusters`).
   */
  readonly suggestion?: {
    readonly validatorsPerCluster: Readonly<Record<string, number>>;
    /** Validators of each cluster to add, when the current clusters cannot hold the spread. */
    readonly additionalClusters?: readonly number[];
    readonly reason: string;
  };
}

export interface NetworkPlan {
  readonly network: {
    readonly name: string;
    readonly chainId: number;
    readonly consensus: "qbft" | "ibft";
    /** Validators in the genesis block's extraData: our node names and external peer names. */
    readonly genesisValidators: readonly string[];
  };
  readonly clusters: readonly ClusterPlan[];
  /** How clusters and sites connect: links, routed ranges, VPN gateways and tunnels, costs. */
  readonly connectivity: ConnectivityPlan;
  /** GoQuorum nodes outside the stack that join the network. */
  readonly externalPeers: readonly ExternalPeerPlan[];
  /** Who reaches each cloud cluster's API server, from where, and what admits them (`clusters[].apiAccess`). */
  readonly deployerPaths: readonly DeployerPath[];
  readonly faultTolerance: FaultTolerancePlan;
  /** When AKS may upgrade each Azure cluster on its own (`maintenance.ts`); empty without Azure clusters. */
  readonly maintenance: readonly MaintenanceWindowPlan[];
  /** Warnings (errors stop planning and are thrown as a `ConfigError`). */
  readonly warnings: readonly ConfigIssue[];
}
