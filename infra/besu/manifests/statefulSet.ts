/**
 * The StatefulSet of a node that runs Besu: one replica, its own volume, and a pod with Besu (and, on a
 * validator, the disruption gate). It keeps everything of a GoQuorum node's StatefulSet that others rely on
 * (name, governing Service, selector, labels, scheduling, security contexts, the key mount at /keys) and
 * changes what is Besu's own. Its volume claim template is named apart from GoQuorum's: pulumi-kubernetes
 * replaces a StatefulSet whose `.spec.volumeClaimTemplates` change (`provider/pkg/provider/diff.go`,
 * `statefulSet` force-new properties), deleting it first because the name stays (`provider.go` Diff,
 * `deleteBeforeReplace`), so switching a node's client creates a new StatefulSet with a new, empty volume and
 * leaves the GoQuorum volume claim to the retention policy (kept with `workloads.retainVolumesOnDelete`).
 */
import type { IStatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IContainerPort } from "kubernetes-models/v1/ContainerPort";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import type { IProbe } from "kubernetes-models/v1/Probe";
import type { IVolumeMount } from "kubernetes-models/v1/VolumeMount";
import { gateVolume } from "../../quorum/manifests/disruptionGate";
import { GATE_CONTAINER } from "../../quorum/manifests/gateScripts";
import { keyMounts, keyVolumes, nodeKeyFiles } from "../../quorum/manifests/keySource";
import { podClientLabels, podRoleLabels } from "../../quorum/manifests/labels";
import { PORT_NAMES } from "../../quorum/manifests/names";
import type { Named } from "../../quorum/manifests/objects";
import { DIRS } from "../../quorum/manifests/paths";
import { HELPER_RESOURCES, resourceRequirements } from "../../quorum/manifests/resources";
import { servesRpc } from "../../quorum/manifests/roles";
import { READY_WITHIN_BLOCKS } from "../../quorum/manifests/scripts";
import { containerSecurityContext } from "../../quorum/manifests/securityContext";
import { nodePodBasics, nodeStatefulSet } from "../../quorum/manifests/statefulSet";
import type { NodeManifestInput } from "../../quorum/manifests/types";
import { MOUNTS, VOLUMES } from "../../quorum/manifests/volumes";
import { PORTS } from "../../quorum/ports";
import { BESU_HEALTH, BESU_IMAGE } from "../behaviour";
import { besuArgs } from "./flags";
import {
  BESU_CONTAINER,
  BESU_DIRS,
  BESU_GENESIS_CONFIGMAP,
  BESU_PEERS_CONFIGMAP,
  BESU_VOLUMES,
} from "./paths";
import {
  BESU_ANSWER_SECONDS,
  BESU_DISRUPTION_GATE_SCRIPT,
  BESU_LIVENESS_SCRIPT,
  BESU_START_SCRIPT,
  BESU_VALIDATOR_READINESS_SCRIPT,
  IN_VALIDATOR_SET,
  readinessPath,
} from "./scripts";

/** What a Besu node needs beyond a GoQuorum node's input. */
export interface BesuNodeManifestInput extends NodeManifestInput {
  /** The network's Besu image (`infra/plan/besuImage.ts`). */
  readonly besuImage: string;
  /** Whether Besu enforces its node allowlist (`../peers` besuNodeAllowlistEnabled). */
  readonly nodeAllowlist: boolean;
  /** Every Besu node writes pre-26.1 QBFT messages during a rolling upgrade (`../rollingUpgrade`). */
  readonly legacyBftEncoding?: boolean;
}

export function besuStatefulSet(input: BesuNodeManifestInput): Named<IStatefulSet> {
  return nodeStatefulSet(input, {
    claimName: BESU_VOLUMES.data,
    labels: { ...podRoleLabels(input.node.role), ...podClientLabels("besu") },
    defaultContainer: BESU_CONTAINER,
    spec: podSpec(input),
  });
}

/** Only the node key: a Besu member runs no Tessera, so it mounts none of Tessera's files. */
const besuKeyFiles = (input: BesuNodeManifestInput) =>
  nodeKeyFiles(input.node.role, input.network.workloads.tessera.tls).filter((f) => f.reader === "goquorum");

function podSpec(input: BesuNodeManifestInput): IPodSpec {
  const { node } = input;
  const gated = node.role === "validator" && input.disruptionGate !== undefined;
  const keyFiles = besuKeyFiles(input);
  return {
    ...nodePodBasics(input),
    containers: [
      besuContainer(input, keyMounts(input.keys, keyFiles, "goquorum")),
      ...(gated ? [besuGateContainer(input.besuImage)] : []),
    ],
    volumes: [
      ...keyVolumes(input.keys, keyFiles),
      { name: BESU_VOLUMES.genesis, configMap: { name: BESU_GENESIS_CONFIGMAP } },
      { name: BESU_VOLUMES.peers, configMap: { name: BESU_PEERS_CONFIGMAP } },
      // Besu's pid file (BESU_PID_PATH), the JVM's temp files and RocksDB's extracted native library.
      { name: VOLUMES.tmp, emptyDir: { sizeLimit: "1Gi" } },
      ...(gated ? [gateVolume()] : []),
    ],
  };
}

const mount = (name: string, mountPath: string): IVolumeMount => ({ name, mountPath, readOnly: true });

/**
 * The probes of a node whose RPC kubelet can reach (RPC and member nodes): HTTP on the pod address, which the
 * host allowlist names (`$(POD_IP)`) and no NetworkPolicy blocks (NODE_TRAFFIC_ALWAYS_ALLOWED).
 */
function httpProbes(minPeers: number): Pick<IContainer, "startupProbe" | "readinessProbe" | "livenessProbe"> {
  const get = (path: string) => ({ httpGet: { path, port: PORT_NAMES.rpcHttp } });
  return {
    // Besu serves JSON-RPC (and /liveness) once its database is open, which can take minutes on a large chain.
    startupProbe: {
      ...get(BESU_HEALTH.liveness),
      periodSeconds: 10,
      failureThreshold: 60,
      timeoutSeconds: 5,
    },
    readinessProbe: {
      ...get(readinessPath(minPeers)),
      periodSeconds: 5,
      failureThreshold: 3,
      timeoutSeconds: 5,
    },
    livenessProbe: {
      ...get(BESU_HEALTH.liveness),
      periodSeconds: 30,
      failureThreshold: 5,
      timeoutSeconds: 5,
    },
  };
}

/** The probes of a validator, whose RPC listens on loopback only: the same checks, run in the container. */
function execProbes(
  minPeers: number,
  inGenesis: boolean,
): Pick<IContainer, "startupProbe" | "readinessProbe" | "livenessProbe"> {
  const exec = (script: string, name: string, args: string[] = []): IProbe["exec"] => ({
    command: ["timeout", String(BESU_ANSWER_SECONDS), BESU_IMAGE.shell, "-c", script, name, ...args],
  });
  const liveness = exec(BESU_LIVENESS_SCRIPT, "liveness");
  const timeoutSeconds = 2 * BESU_ANSWER_SECONDS;
  return {
    startupProbe: { exec: liveness, periodSeconds: 10, failureThreshold: 60, timeoutSeconds },
    readinessProbe: {
      exec: exec(BESU_VALIDATOR_READINESS_SCRIPT, "readiness", [
        String(minPeers),
        String(READY_WITHIN_BLOCKS),
        ...(inGenesis ? [IN_VALIDATOR_SET] : []),
      ]),
      periodSeconds: 5,
      failureThreshold: 3,
      successThreshold: 1,
      timeoutSeconds,
    },
    livenessProbe: { exec: liveness, periodSeconds: 30, failureThreshold: 5, timeoutSeconds },
  };
}

function besuContainer(input: BesuNodeManifestInput, keys: readonly IVolumeMount[]): IContainer {
  const { network, node } = input;
  const rpc = servesRpc(node.role);
  const port = (key: keyof typeof PORTS): IContainerPort => ({
    name: PORT_NAMES[key],
    containerPort: PORTS[key],
    protocol: "TCP",
  });
  // A single-node network has no peer to wait for (Besu docs: `?minPeers=0`).
  const minPeers = input.totalNodes > 1 ? 1 : 0;
  const inGenesis = node.role === "validator" && input.genesisValidators.includes(node.name);
  return {
    name: BESU_CONTAINER,
    image: input.besuImage,
    imagePullPolicy: "IfNotPresent",
    // Not the image's entrypoint (it starts as root to chown and then re-splits the arguments).
    command: [BESU_IMAGE.shell, "-c", BESU_START_SCRIPT, "besu"],
    args: besuArgs(node, network, {
      namespace: input.cluster.namespace,
      totalNodes: input.totalNodes,
      nodeAllowlist: input.nodeAllowlist,
      legacyBftEncoding: input.legacyBftEncoding === true,
    }),
    env: [
      { name: "POD_IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } },
      // Its passwd home (/opt/besu) is on the read-only image; anything that falls back to $HOME gets /tmp.
      { name: "HOME", value: DIRS.tmp },
    ],
    ports: [
      port("p2p"),
      port("metrics"),
      ...(rpc ? [port("rpcHttp")] : []),
      ...(rpc && network.workloads.rpc.websocket ? [port("rpcWs")] : []),
    ],
    ...(rpc ? httpProbes(minPeers) : execProbes(minPeers, inGenesis)),
    resources: resourceRequirements(network.workloads.goquorumResources),
    securityContext: containerSecurityContext(),
    volumeMounts: [
      { name: BESU_VOLUMES.data, mountPath: DIRS.data },
      ...keys,
      mount(BESU_VOLUMES.genesis, BESU_DIRS.genesis),
      mount(BESU_VOLUMES.peers, BESU_DIRS.peers),
      MOUNTS.tmp(),
    ],
  };
}

/** Idles in the Besu image; its readiness probe is the gate (BESU_DISRUPTION_GATE_SCRIPT). */
function besuGateContainer(image: string): IContainer {
  return {
    name: GATE_CONTAINER,
    image,
    imagePullPolicy: "IfNotPresent",
    command: [BESU_IMAGE.shell, "-c", "trap 'exit 0' TERM INT; while :; do sleep 3600 & wait $!; done"],
    env: [{ name: "HOME", value: DIRS.tmp }],
    readinessProbe: {
      exec: {
        command: [
          "timeout",
          String(BESU_ANSWER_SECONDS),
          BESU_IMAGE.shell,
          "-c",
          BESU_DISRUPTION_GATE_SCRIPT,
          "disruption-gate",
        ],
      },
      periodSeconds: 10,
      timeoutSeconds: 2 * BESU_ANSWER_SECONDS,
      // One failed look already withholds the pod from evictions, as GoQuorum's gate.
      failureThreshold: 1,
      successThreshold: 1,
    },
    resources: resourceRequirements(HELPER_RESOURCES),
    securityContext: containerSecurityContext(),
    volumeMounts: [MOUNTS.disruptionGate(), mount(BESU_VOLUMES.peers, BESU_DIRS.peers), MOUNTS.tmp()],
  };
}
