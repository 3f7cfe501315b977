/** The objects of one node: identity, Services, Tessera config and StatefulSet. */
import type { IStatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import type { IJob } from "kubernetes-models/batch/v1/Job";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { IService } from "kubernetes-models/v1/Service";
import type { IServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { MIN_KUBERNETES_MINOR } from "../../config/schema";
import { endpointPort } from "../../kubernetes/behaviour";
import { rolloutGateJob } from "./disruptionGate";
import { nodeLabels } from "./labels";
import { p2pLoadBalancer } from "./loadBalancer";
import { serviceAccountName } from "./names";
import type { Named } from "./objects";
import { runsTessera } from "./roles";
import { nodeService } from "./services";
import { statefulSet } from "./statefulSet";
import { tesseraConfigMap } from "./tessera";
import type { NodeManifestInput } from "./types";

export type NodeManifests = {
  readonly serviceAccount: Named<IServiceAccount>;
  readonly service: Named<IService>;
  /** Nodes with an `endpointIp` (cloud clusters) only. */
  readonly p2pLoadBalancer?: Named<IService>;
  /** Members only. */
  readonly tesseraConfig?: Named<IConfigMap>;
  readonly statefulSet: Named<IStatefulSet>;
  /**
   * Validators under the disruption gate and the one-at-a-time rollout: the Job their StatefulSet waits for
   * (`disruptionGate.ts`).
   */
  readonly rolloutGate?: Named<IJob>;
};

export function nodeManifests(input: NodeManifestInput): NodeManifests {
  checkInput(input);
  const { network, cluster, node, tesseraConfigJson } = input;
  return nodeObjects(
    input,
    statefulSet(input),
    tesseraConfigJson !== undefined
      ? tesseraConfigMap(network, node, cluster.namespace, tesseraConfigJson)
      : undefined,
  );
}

/** A node's objects around its StatefulSet, whatever client that runs: its identity, Services and gate. */
export function nodeObjects(
  input: NodeManifestInput,
  sts: Named<IStatefulSet>,
  tesseraConfig?: Named<IConfigMap>,
): NodeManifests {
  const { network, cluster, node, loadBalancerAnnotations } = input;
  const namespace = cluster.namespace;
  const endpointIp = node.endpointIp;
  const gated =
    node.role === "validator" &&
    input.disruptionGate !== undefined &&
    network.workloads.validatorRollout === "one-at-a-time";
  const manifests: NodeManifests = {
    // Its own identity, so a cloud role can be bound to exactly this node's keys (the vault annotates it).
    // No API token is mounted.
    serviceAccount: {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name: serviceAccountName(node), namespace, labels: nodeLabels(network.name, node) },
      automountServiceAccountToken: false,
    },
    service: nodeService(network, node, namespace),
    ...(endpointIp !== undefined && loadBalancerAnnotations !== undefined
      ? {
          p2pLoadBalancer: p2pLoadBalancer(network, cluster, node, loadBalancerAnnotations, input.peerCidrs),
        }
      : {}),
    ...(tesseraConfig ? { tesseraConfig } : {}),
    statefulSet: sts,
    ...(gated ? { rolloutGate: rolloutGateJob(network, node, namespace, sts) } : {}),
  };
  checkServicePorts(node.name, [manifests.service, manifests.p2pLoadBalancer], manifests.statefulSet);
  return manifests;
}

/**
 * Every port of the node's Services reaches a port its pod declares, on the oldest Kubernetes the program
 * supports: a name only a native sidecar declares would get no endpoint there.
 */
export function checkServicePorts(
  nodeName: string,
  services: readonly (Named<IService> | undefined)[],
  sts: Named<IStatefulSet>,
): void {
  const pod = sts.spec?.template.spec;
  if (!pod) return;
  const declared = new Set(
    [...pod.containers, ...(pod.initContainers ?? [])].flatMap((c) =>
      (c.ports ?? []).map((p) => p.containerPort),
    ),
  );
  for (const service of services) {
    for (const port of service?.spec?.ports ?? []) {
      const target = endpointPort(
        { ...port, targetPort: port.targetPort ?? port.port },
        pod,
        MIN_KUBERNETES_MINOR,
      );
      if (target === undefined || !declared.has(target)) {
        throw new Error(
          `node ${nodeName}: Service ${service?.metadata.name} port ${port.name} targets ${port.targetPort}, which its pod does not serve on Kubernetes 1.${MIN_KUBERNETES_MINOR}`,
        );
      }
    }
  }
}

function checkInput({ network, cluster, node, ...input }: NodeManifestInput): void {
  const fail = (message: string) => {
    throw new Error(`node ${node.name}: ${message}`);
  };
  if (node.cluster !== cluster.name) fail(`belongs to cluster ${node.cluster}, not ${cluster.name}`);
  if (input.totalNodes < cluster.nodes.length)
    fail(`totalNodes ${input.totalNodes} is below the cluster's nodes`);
  const member = runsTessera(node.role);
  if (member !== (input.tesseraConfigJson !== undefined))
    fail("a Tessera config is required for members only");
  const tls = network.workloads.tessera.tls === "strict";
  if (member && tls && input.keys.kind === "secret" && input.keys.tlsSecret === undefined) {
    fail("strict Tessera TLS needs the key source's tlsSecret");
  }
  if ((node.endpointIp !== undefined) !== (input.loadBalancerAnnotations !== undefined)) {
    fail("load balancer annotations are required exactly for a node with an endpointIp");
  }
}
