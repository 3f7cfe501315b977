import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterPlan, NodePlan } from "../../infra/plan/types";
import {
  keysSecretItems,
  keysSecretName,
  tesseraTlsSecretItems,
  tesseraTlsSecretName,
} from "../../infra/quorum/manifests";
import { keysOf, type NetworkKeys } from "../keys/NodeKeys";
import type { TesseraTls } from "../keys/TesseraTls";

export interface KubernetesSecretStoreArgs {
  readonly cluster: ClusterPlan;
  readonly keys: NetworkKeys;
  /** With strict Tessera TLS: the network's certificates, one kubernetes.io/tls Secret per member. */
  readonly tesseraTls?: TesseraTls;
  readonly provider: k8s.Provider;
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/**
 * The vault of a `local` cluster: one immutable Kubernetes Secret per node holding its key files, and with
 * strict Tessera TLS a kubernetes.io/tls Secret per member, each mounted read-only into the node's pod.
 * Values stay Pulumi secrets end to end (encrypted in state).
 */
export class KubernetesSecretStore extends pulumi.ComponentResource {
  constructor(name: string, args: KubernetesSecretStoreArgs, opts?: pulumi.ComponentResourceOptions) {
    super("goquorum:vault:KubernetesSecrets", name, {}, opts);
    const secretOpts = { parent: this, provider: args.provider, dependsOn: args.dependsOn };
    for (const node of args.cluster.nodes) {
      const keys = keysOf(args.keys, node.name);
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
        secretOpts,
      );
      if (args.tesseraTls && node.role === "member") {
        this.tesseraTlsSecret(node, args.cluster.namespace, args.tesseraTls, secretOpts);
      }
    }
    this.registerOutputs({});
  }

  /** Mutable, unlike the key Secret: a renewed certificate updates it in place. */
  private tesseraTlsSecret(
    node: NodePlan,
    namespace: string,
    tesseraTls: TesseraTls,
    opts: pulumi.CustomResourceOptions,
  ): void {
    const certificate = tesseraTls.certificates.get(node.name);
    if (!certificate) throw new Error(`no Tessera TLS certificate for member ${node.name}`);
    const items = tesseraTlsSecretItems();
    new k8s.core.v1.Secret(
      tesseraTlsSecretName(node),
      {
        metadata: { name: tesseraTlsSecretName(node), namespace },
        type: "kubernetes.io/tls",
        stringData: pulumi.secret({
          [items.key]: certificate.privateKeyPem,
          [items.certificate]: certificate.certificatePem,
          [items.ca]: tesseraTls.caCertificatePem,
        }),
      },
      opts,
    );
  }
}
