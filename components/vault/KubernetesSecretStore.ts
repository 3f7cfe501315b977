import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { NodePlan } from "../../infra/plan/types";
import {
  type KeyFile,
  keysSecretName,
  nodeKeyFiles,
  nodeTesseraTls,
  tesseraTlsSecretName,
} from "../../infra/quorum/manifests";
import type { NodeBinding, NodeVault, VaultArgs } from "../targets/ClusterTarget";
import { keyFileContents } from "./keyFileContents";

export interface KubernetesSecretStoreArgs extends VaultArgs {
  readonly provider: k8s.Provider;
}

/**
 * The vault of a `local` cluster (and the dev tier of a cloud one): one immutable Kubernetes Secret per node
 * holding its key files, and with strict Tessera TLS a kubernetes.io/tls Secret per member, each mounted
 * read-only into the node's pod. Values stay Pulumi secrets end to end (encrypted in state).
 */
export class KubernetesSecretStore extends pulumi.ComponentResource implements NodeVault {
  readonly resource: pulumi.Resource = this;
  private readonly tls: boolean;

  constructor(name: string, args: KubernetesSecretStoreArgs, opts?: pulumi.ComponentResourceOptions) {
    super("goquorum:vault:KubernetesSecrets", name, {}, opts);
    const secretOpts = { parent: this, provider: args.provider, dependsOn: [...args.dependsOn] };
    this.tls = args.tesseraTls !== undefined;
    const tlsMode = this.tls ? "strict" : "off";
    for (const node of args.cluster.nodes) {
      const files = nodeKeyFiles(node.role, nodeTesseraTls(node, tlsMode));
      const contents = keyFileContents(node, files, args.keys, args.tesseraTls);
      const of = (material: KeyFile["material"]) =>
        Object.fromEntries(
          files.filter((f) => f.material === material).map((f) => [f.name, contents[f.name]]),
        );
      new k8s.core.v1.Secret(
        keysSecretName(node),
        {
          metadata: { name: keysSecretName(node), namespace: args.cluster.namespace },
          type: "Opaque",
          immutable: true,
          stringData: pulumi.secret(of("keys")),
        },
        secretOpts,
      );
      const tlsFiles = of("tls");
      if (Object.keys(tlsFiles).length > 0) {
        // Mutable, unlike the key Secret: a renewed certificate updates it in place.
        new k8s.core.v1.Secret(
          tesseraTlsSecretName(node),
          {
            metadata: { name: tesseraTlsSecretName(node), namespace: args.cluster.namespace },
            type: "kubernetes.io/tls",
            stringData: pulumi.secret(tlsFiles),
          },
          secretOpts,
        );
      }
    }
    this.registerOutputs({});
  }

  binding(node: NodePlan): NodeBinding {
    return {
      keys: {
        kind: "secret",
        keysSecret: keysSecretName(node),
        ...(nodeTesseraTls(node, this.tls ? "strict" : "off") === "strict"
          ? { tlsSecret: tesseraTlsSecretName(node) }
          : {}),
      },
    };
  }
}
