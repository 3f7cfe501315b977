/** The StatefulSet of one node: one replica, its volume, and the pod that runs geth (and Tessera). */
import type { IStatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import { gateContainer, gateVolume } from "./disruptionGate";
import type { GethArgsOptions } from "./gethFlags";
import { GOQUORUM_CONTAINER, gethInitContainer, goquorumContainer, peerSyncContainer } from "./goquorum";
import { type KeyReader, keyMounts, nodeKeyFiles } from "./keySource";
import { nodeLabels, nodeSelector, podRoleLabels } from "./labels";
import { GOVERNING_SERVICE, serviceAccountName } from "./names";
import type { Named } from "./objects";
import { runsTessera } from "./roles";
import { affinity, placement, topologySpread } from "./scheduling";
import { podSecurityContext } from "./securityContext";
import { tesseraSidecar } from "./tessera";
import type { NodeManifestInput } from "./types";
import { podVolumes, VOLUMES } from "./volumes";

/** The client flushes its database on SIGTERM (geth its in-memory state, Besu RocksDB): time before SIGKILL. */
const TERMINATION_GRACE_SECONDS = 180;

/** What a client puts in its node's StatefulSet: its volume claim's name and its pod. */
export interface ClientPod {
  /** The volume claim template's name: a client's own, so a switch of client gets a new volume. */
  readonly claimName: string;
  /** Pod labels beyond the node's (role, client, cloud identity). */
  readonly labels: Readonly<Record<string, string>>;
  readonly defaultContainer: string;
  readonly spec: IPodSpec;
}

/**
 * The StatefulSet of a node, whatever its client: one replica, its volume, the node's name, governing Service,
 * selector and labels, on which Services, policies, monitoring and the rollout gate rely.
 */
export function nodeStatefulSet(input: NodeManifestInput, pod: ClientPod): Named<IStatefulSet> {
  const { network, cluster, node } = input;
  const retention = network.workloads.retainVolumesOnDelete ? "Retain" : "Delete";
  return {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name: node.name, namespace: cluster.namespace, labels: nodeLabels(network.name, node) },
    spec: {
      replicas: 1,
      serviceName: GOVERNING_SERVICE,
      // With one replica ordering is moot; Parallel avoids OrderedReady's stuck-rollout state (a broken
      // revision that needs its pod deleted by hand).
      podManagementPolicy: "Parallel",
      updateStrategy: { type: "RollingUpdate" },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: retention, whenScaled: retention },
      selector: { matchLabels: nodeSelector(network.name, node.name) },
      volumeClaimTemplates: [
        {
          apiVersion: "v1",
          kind: "PersistentVolumeClaim",
          metadata: { name: pod.claimName, labels: nodeLabels(network.name, node) },
          spec: {
            accessModes: ["ReadWriteOnce"],
            ...(input.storageClass ? { storageClassName: input.storageClass } : {}),
            resources: { requests: { storage: network.workloads.storageSize } },
          },
        },
      ],
      template: {
        metadata: {
          labels: { ...input.podLabels, ...nodeLabels(network.name, node), ...pod.labels },
          annotations: { "kubectl.kubernetes.io/default-container": pod.defaultContainer },
        },
        spec: pod.spec,
      },
    },
  };
}

/** The pod settings every node shares, whatever its client: identity, security, placement. */
export function nodePodBasics(input: NodeManifestInput): IPodSpec {
  const { network, node } = input;
  return {
    serviceAccountName: serviceAccountName(node),
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    terminationGracePeriodSeconds: TERMINATION_GRACE_SECONDS,
    securityContext: podSecurityContext(),
    affinity: affinity(network.name, input.cluster, node),
    topologySpreadConstraints: topologySpread(network.name, node),
    ...placement(network),
    containers: [],
  };
}

/**
 * The pod template depends only on the node, the network settings and the size band of `--maxpeers`: never
 * on the peer list, so adding a node to the network restarts no pod (peer-sync picks it up).
 */
export function statefulSet(input: NodeManifestInput): Named<IStatefulSet> {
  const options: GethArgsOptions = { namespace: input.cluster.namespace, totalNodes: input.totalNodes };
  return nodeStatefulSet(input, {
    claimName: VOLUMES.data,
    labels: podRoleLabels(input.node.role),
    defaultContainer: GOQUORUM_CONTAINER,
    spec: podSpec(input, options),
  });
}

function podSpec(input: NodeManifestInput, options: GethArgsOptions): IPodSpec {
  const { network, node } = input;
  const tessera = runsTessera(node.role);
  const keyFiles = nodeKeyFiles(node.role, network.workloads.tessera.tls);
  const mountsFor = (reader: KeyReader) => keyMounts(input.keys, keyFiles, reader);
  const gated = node.role === "validator" && input.disruptionGate !== undefined;
  return {
    ...nodePodBasics(input),
    // Order matters: the Tessera sidecar is up before geth-init, which runs before geth.
    initContainers: [
      ...(tessera ? [tesseraSidecar(network, mountsFor("tessera"))] : []),
      gethInitContainer(network, node.role),
    ],
    containers: [
      goquorumContainer(node, network, options, mountsFor("goquorum"), input.genesisValidators),
      peerSyncContainer(network),
      ...(gated ? [gateContainer(network)] : []),
    ],
    volumes: [
      ...podVolumes({ nodeName: node.name, keys: input.keys, keyFiles, tessera }),
      ...(gated ? [gateVolume()] : []),
    ],
  };
}
