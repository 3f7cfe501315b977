import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { LocalClusterConfig } from "../../infra/config/schema";

export interface LocalClusterArgs {
  readonly cluster: LocalClusterConfig;
}

/**
 * An existing cluster reached through the ambient kubeconfig (KUBECONFIG or ~/.kube/config), e.g. kind
 * or minikube. The program manages what it deploys there, never the cluster itself.
 */
export class LocalCluster extends pulumi.ComponentResource {
  readonly provider: k8s.Provider;

  constructor(name: string, args: LocalClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("goquorum:local:Cluster", name, {}, opts);
    this.provider = new k8s.Provider(
      `${name}-k8s`,
      {
        context: args.cluster.context,
        // A changed kubeconfig must not replace the provider and, with it, every object it manages.
        clusterIdentifier: `local-${args.cluster.name}`,
        // The peer list ConfigMap is updated in place (peer-sync applies it), never replaced.
        enableConfigMapMutable: true,
      },
      { parent: this },
    );
    this.registerOutputs({});
  }
}
