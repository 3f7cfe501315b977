/**
 * The seam between a cluster's provider and the GoQuorum workloads. `local`, `aws` and `azure` each
 * implement it; `ClusterWorkloads` and the pure manifest builders only ever see this contract, so a new
 * provider is a new target, not a change to them.
 */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { ClusterPlan, NodePlan } from "../../infra/plan/types";
import type { KeySource } from "../../infra/quorum/manifests";
import type { NetworkKeys } from "../keys/NodeKeys";
import type { TesseraTls } from "../keys/TesseraTls";

/** What the workloads of one cluster are deployed through. */
export interface ClusterTarget {
  /** Every Kubernetes object of the cluster goes through this provider. */
  readonly kubernetes: k8s.Provider;
  /** StorageClass of the nodes' chain-data volumes; the cluster default when absent. */
  readonly storageClass?: string;
  /**
   * Cluster add-ons the node pods need before they start (CSI drivers, the load balancer controller, the
   * StorageClass). The workloads' objects wait for them.
   */
  readonly prerequisites: readonly pulumi.Resource[];
  /**
   * Annotations that turn a node's p2p Service into an internal load balancer on its reserved `endpointIp`.
   * Absent on targets whose nodes have no endpoint address.
   */
  readonly loadBalancerAnnotations?: (node: NodePlan) => Record<string, string>;
  /** The vault holding the nodes' keys in this cluster, created inside the workloads component. */
  createVault(name: string, args: VaultArgs, opts: pulumi.ComponentResourceOptions): NodeVault;
}

export interface VaultArgs {
  readonly cluster: ClusterPlan;
  readonly keys: NetworkKeys;
  /** The network's Tessera certificates; exactly when `workloads.tessera.tls` is strict. */
  readonly tesseraTls?: TesseraTls;
  /** Kubernetes objects of the vault wait for these (the namespace). */
  readonly dependsOn: readonly pulumi.Resource[];
}

/** A vault, as the workloads use it: something pods wait for, and per node how it reaches the pod. */
export interface NodeVault {
  /** Node pods start only once this exists (secrets written, identities bound). */
  readonly resource: pulumi.Resource;
  binding(node: NodePlan): NodeBinding;
}

/** How one node's pod gets its keys and its cloud identity. */
export interface NodeBinding {
  readonly keys: KeySource;
  /** On the node's ServiceAccount: binds it to its cloud identity (IRSA role, workload identity client id). */
  readonly serviceAccountAnnotations?: Readonly<Record<string, pulumi.Input<string>>>;
  /** On the node's pod: labels its cloud identity needs. */
  readonly podLabels?: Readonly<Record<string, string>>;
}
