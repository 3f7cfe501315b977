/** The objects a cluster's nodes share: namespace, governing Service, genesis, peer list and policies. */
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { IPodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { INamespace } from "kubernetes-models/v1/Namespace";
import type { IService } from "kubernetes-models/v1/Service";
import { disruptionBudgets } from "./disruptionBudgets";
import { clusterLabels } from "./labels";
import { GENESIS_CONFIGMAP, STATIC_NODES_CONFIGMAP } from "./names";
import { networkPolicies } from "./networkPolicies";
import type { Named } from "./objects";
import { FILES } from "./paths";
import { governingService } from "./services";
import type { ClusterManifestInput } from "./types";

export type ClusterManifests = {
  readonly namespace: Named<INamespace>;
  readonly governingService: Named<IService>;
  readonly genesis: Named<IConfigMap>;
  readonly staticNodes: Named<IConfigMap>;
  readonly disruptionBudgets: readonly Named<IPodDisruptionBudget>[];
  readonly networkPolicies: readonly Named<INetworkPolicy>[];
};

export function clusterManifests(input: ClusterManifestInput): ClusterManifests {
  const { network, cluster } = input;
  const configMap = (name: string, data: Record<string, string>): Named<IConfigMap> => ({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name, namespace: cluster.namespace, labels: clusterLabels(network.name, cluster.name) },
    data,
  });
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  return {
    namespace: {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: {
        name: cluster.namespace,
        labels: {
          ...clusterLabels(network.name, cluster.name),
          // Every pod of the namespace must meet the restricted Pod Security Standard.
          "pod-security.kubernetes.io/enforce": "restricted",
          "pod-security.kubernetes.io/audit": "restricted",
          "pod-security.kubernetes.io/warn": "restricted",
        },
      },
    },
    governingService: governingService(network, cluster),
    // The genesis never changes once the chain exists (the program keeps the deployed one); immutable guards it
    // against edits. pulumi-kubernetes would replace it on a data change (provider/pkg/provider/diff.go).
    genesis: { ...configMap(GENESIS_CONFIGMAP, { [FILES.genesis]: input.genesisJson }), immutable: true },
    // Updated in place when the network changes; peer-sync applies both lists to the running nodes.
    staticNodes: configMap(STATIC_NODES_CONFIGMAP, {
      [FILES.staticNodes]: json(input.staticNodes),
      [FILES.permissionedNodes]: json(input.permissionedNodes),
    }),
    disruptionBudgets: disruptionBudgets(network, cluster),
    networkPolicies: networkPolicies(input),
  };
}
