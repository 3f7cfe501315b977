/**
 * The seam between a cluster's provider and the GoQuorum workloads. `local`, `aws` and `azure` each
 * implement it; `ClusterWorkloads` and the pure manifest builders only ever see this contract, so a new
 * provider is a new target, not a change to them.
 */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { AcmeConfig, Exposure } from "../../infra/config/ingress";
import type { ClusterPlan, EndpointPlacement, NodePlan } from "../../infra/plan/types";
import type { KeySource } from "../../infra/quorum/manifests";
import type { ClusterKubernetesVersions } from "../../infra/verify/kubernetesUpgrade";
import type { NetworkKeys } from "../keys/NodeKeys";
import type { TesseraTls } from "../keys/TesseraTls";

/** What the workloads of one cluster are deployed through. */
export interface ClusterTarget {
  /** Every Kubernetes object of the cluster goes through this provider, but the CRDs the program upgrades. */
  readonly kubernetes: k8s.Provider;
  /**
   * The same cluster, for CustomResourceDefinitions the program applies itself (Envoy Gateway's) only: it
   * adopts a CRD already there, as an older chart release installed it (CRD_ADOPTION). Made on first use
   * (`once`), so a cluster without routes has none.
   */
  readonly crdKubernetes: () => k8s.Provider;
  /**
   * Whether the cluster's CNI enforces NetworkPolicies, from the configuration the target gives it (or, on
   * `local`, what the config declares): every isolation the workloads rely on is a NetworkPolicy.
   */
  readonly enforcesNetworkPolicies: boolean;
  /**
   * What the control plane and each node pool run once this deployment is through (EKS, AKS), recorded in the
   * stack output `kubernetesVersions`; absent where the program does not choose them (`local`).
   */
  readonly kubernetesVersions?: pulumi.Output<ClusterKubernetesVersions>;
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
  readonly loadBalancerAnnotations?: (node: EndpointPlacement) => Record<string, string>;
  /**
   * Annotations that make the ingress gateway's Service a private (`internal`) or an Internet-facing
   * (`public`) load balancer. Absent on targets without load balancers (`local`: the Service stays
   * ClusterIP, reached with `kubectl port-forward`).
   */
  readonly gatewayServiceAnnotations?: (exposure: Exposure) => Record<string, string>;
  /**
   * The cloud identity cert-manager answers ACME DNS-01 challenges with (Route 53 through IRSA, Azure DNS
   * through workload identity), allowed to write TXT records in the configured zone only. Needed exactly
   * when a cluster's `ingress.tls.source` is acme; absent on `local`.
   */
  createDnsSolverIdentity?(
    name: string,
    request: DnsSolverRequest,
    opts: pulumi.ComponentResourceOptions,
  ): DnsSolverIdentity;
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

/** What cert-manager's DNS-01 identity is for: its ServiceAccount and the zone it writes. */
export interface DnsSolverRequest {
  /** cert-manager's ServiceAccount (`system:serviceaccount:<namespace>:<name>`), the identity's subject. */
  readonly serviceAccount: { readonly namespace: string; readonly name: string };
  /** `ingress.tls.acme`: `route53.hostedZoneId` on aws, `azureDns` on azure. */
  readonly acme: AcmeConfig;
}

/** How cert-manager's pods take on the identity. */
export interface DnsSolverIdentity {
  /** On cert-manager's ServiceAccount: `eks.amazonaws.com/role-arn`, or `azure.workload.identity/client-id`. */
  readonly serviceAccountAnnotations: Readonly<Record<string, pulumi.Input<string>>>;
  /** On cert-manager's pods: `azure.workload.identity/use: "true"` on Azure. */
  readonly podLabels?: Readonly<Record<string, string>>;
  /** Azure DNS: the managed identity's client id, named in the ClusterIssuer's solver. */
  readonly azureClientId?: pulumi.Input<string>;
  /** cert-manager starts once these exist (role policy, federated credential, role assignment). */
  readonly dependsOn?: readonly pulumi.Resource[];
}

/**
 * Provider settings that let the program take over CRDs a chart's `crds/` folder installed: since
 * pulumi-kubernetes v4.29.0 a create of an existing object fails (AlreadyExists) unless
 * `upsertExistingObjects` is set, and server-side apply refuses to change fields another manager (Helm,
 * which created them) owns unless conflicts are forced, `enablePatchForce` (provider.d.ts of
 * @pulumi/kubernetes 4.34; pulumi-kubernetes CHANGELOG v4.29.0). Only CRDs go through a provider with these,
 * so nothing else is ever adopted silently.
 */
export const CRD_ADOPTION = { upsertExistingObjects: true, enablePatchForce: true } as const;

/** `make`, called at most once: the first call's result is every call's. */
export function once<T>(make: () => T): () => T {
  let made: { readonly value: T } | undefined;
  return () => {
    made ??= { value: make() };
    return made.value;
  };
}
