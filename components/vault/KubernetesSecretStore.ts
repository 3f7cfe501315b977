import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterPlan } from "../../infra/plan/types";
import { keysSecretItems, keysSecretName } from "../../infra/quorum/manifests";
import type { NodeKeys } from "../keys/NodeKeys";

export interface KubernetesSecretStoreArgs {
  readonly cluster: ClusterPlan;
  readonly keys: ReadonlyMap<string, NodeKeys>;
  readonly provider: k8s.Provider;
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/**
 * The vault of a `local` cluster: one immutable Kubernetes Secret per node holding its key files, mounted
 * read-only into the node's pod. Values stay Pulumi secrets end to end (encrypted in state).
 */
export class KubernetesSecretStore extends pulumi.ComponentResource {
  constructor(name: string, args: KubernetesSecretStoreArgs, opts?: pulumi.ComponentResourceOptions) {
    super("goquorum:vault:KubernetesSecrets", name, {}, opts);
    for (const node of args.cluster.nodes) {
      const keys = args.keys.get(node.name);
      if (!keys) throw new Error(`no keys for node ${node.name}`);
      const items = keysSecretItems(node.role);
      const data: Record<string, pulumi.Output<string>> = { [items.nodeKey]: keys.nodeKey };
      if (
        keys.tesseraPrivateKeyJson &&
        keys.tesseraPublicKey &&
        items.tesseraPrivateKey &&
        items.tesseraPublicKey
      ) {
        data[items.tesseraPrivateKey] = keys.tesseraPrivateKeyJson;
        data[items.tesseraPublicKey] = keys.tesseraPublicKey;
      }
      new k8s.core.v1.Secret(
        keysSecretName(node),
        {
          metadata: { name: keysSecretName(node), namespace: args.cluster.namespace },
          type: "Opaque",
          immutable: true,
          stringData: pulumi.secret(data),
        },
        { parent: this, provider: args.provider, dependsOn: args.dependsOn },
      );
    }
    this.registerOutputs({});
  }
}
