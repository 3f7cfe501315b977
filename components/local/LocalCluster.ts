import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { LocalClusterConfig } from "../../infra/config/schema";
import { localEnforcesNetworkPolicies } from "../../infra/kubernetes/behaviour";
import {
  type ClusterTarget,
  CRD_ADOPTION,
  type NodeVault,
  once,
  type VaultArgs,
} from "../targets/ClusterTarget";
import { KubernetesSecretStore } from "../vault/KubernetesSecretStore";

export interface LocalClusterArgs {
  readonly cluster: LocalClusterConfig;
}

/**
 * An existing cluster reached through the ambient kubeconfig (KUBECONFIG or ~/.kube/config), e.g. kind
 * or minikube. The program manages what it deploys there, never the cluster itself; keys are Kubernetes
 * Secrets and nodes have no load balancer (one cluster, in-cluster DNS only).
 */
export class LocalCluster extends pulumi.ComponentResource implements ClusterTarget {
  readonly kubernetes: k8s.Provider;
  readonly crdKubernetes: () => k8s.Provider;
  readonly enforcesNetworkPolicies: boolean;
  readonly storageClass?: string;
  readonly prerequisites: readonly pulumi.Resource[] = [];

  constructor(name: string, args: LocalClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("goquorum:local:Cluster", name, {}, opts);
    this.storageClass = args.cluster.storageClass;
    this.enforcesNetworkPolicies = localEnforcesNetworkPolicies(args.cluster);
    const connection = {
      context: args.cluster.context,
      // A changed kubeconfig must not replace the provider and, with it, every object it manages.
      clusterIdentifier: `local-${args.cluster.name}`,
    };
    this.kubernetes = new k8s.Provider(
      `${name}-k8s`,
      // The peer list ConfigMap is updated in place (peer-sync applies it), never replaced.
      { ...connection, enableConfigMapMutable: true },
      { parent: this },
    );
    this.crdKubernetes = once(
      () => new k8s.Provider(`${name}-k8s-crds`, { ...connection, ...CRD_ADOPTION }, { parent: this }),
    );
    this.registerOutputs({});
  }

  createVault(name: string, args: VaultArgs, opts: pulumi.ComponentResourceOptions): NodeVault {
    return new KubernetesSecretStore(name, { ...args, provider: this.kubernetes }, opts);
  }
}
