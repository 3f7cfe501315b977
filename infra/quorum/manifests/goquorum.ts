/** The GoQuorum containers of a node's pod: geth-init, geth itself and peer-sync. */
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IContainerPort } from "kubernetes-models/v1/ContainerPort";
import type { IEnvVar } from "kubernetes-models/v1/EnvVar";
import type { IProbe } from "kubernetes-models/v1/Probe";
import type { IVolumeMount } from "kubernetes-models/v1/VolumeMount";
import type { NetworkConfig, NodeRole } from "../../config/schema";
import type { NodePlan } from "../../plan/types";
import { GOQUORUM_PTM } from "../behaviour";
import { PORTS } from "../ports";
import { type GethArgsOptions, gethArgs } from "./gethFlags";
import { PORT_NAMES } from "./names";
import { DIRS, PATHS } from "./paths";
import { readinessProbe } from "./readiness";
import { HELPER_RESOURCES, resourceRequirements } from "./resources";
import { runsTessera, servesRpc } from "./roles";
import { GETH_INIT_SCRIPT, PEER_SYNC_SCRIPT } from "./scripts";
import { containerSecurityContext } from "./securityContext";
import { MOUNTS } from "./volumes";

export const GOQUORUM_CONTAINER = "goquorum";

/** uid 1000 has no passwd entry; anything that falls back to $HOME lands on the writable /tmp. */
const home = (): IEnvVar => ({ name: "HOME", value: DIRS.tmp });

function helper(network: NetworkConfig, name: string, script: string): IContainer {
  return {
    name,
    image: network.workloads.images.goquorum,
    imagePullPolicy: "IfNotPresent",
    command: ["sh", "-c", script],
    env: [home()],
    resources: resourceRequirements(HELPER_RESOURCES),
    securityContext: containerSecurityContext(),
  };
}

/** On a member, geth-init also waits for Tessera's Q2T socket ($1 of its script). */
export function gethInitContainer(network: NetworkConfig, role: NodeRole): IContainer {
  const tessera = runsTessera(role);
  const init = helper(network, "geth-init", GETH_INIT_SCRIPT);
  return {
    ...init,
    ...(tessera ? { command: [...(init.command ?? []), "geth-init", PATHS.ptmSocket] } : {}),
    volumeMounts: [
      MOUNTS.data(),
      MOUNTS.genesis(),
      MOUNTS.peers(),
      MOUNTS.ipc(),
      ...(tessera ? [{ ...MOUNTS.ptm(), readOnly: true }] : []),
      MOUNTS.tmp(),
    ],
  };
}

/** peer-sync writes the permissioned list into geth's datadir: it mounts that directory and nothing else of the volume. */
export function peerSyncContainer(network: NetworkConfig): IContainer {
  return {
    ...helper(network, "peer-sync", PEER_SYNC_SCRIPT),
    volumeMounts: [MOUNTS.peers(), MOUNTS.quorumDataDir(), MOUNTS.ipc(), MOUNTS.tmp()],
  };
}

const tcpP2p = (periodSeconds: number, failureThreshold: number): IProbe => ({
  tcpSocket: { port: PORT_NAMES.p2p },
  periodSeconds,
  failureThreshold,
  timeoutSeconds: 5,
});

export function goquorumContainer(
  node: NodePlan,
  network: NetworkConfig,
  options: GethArgsOptions,
  keyMounts: readonly IVolumeMount[],
  genesisValidators: readonly string[],
): IContainer {
  const rpc = servesRpc(node.role);
  const tessera = runsTessera(node.role);
  const port = (key: keyof typeof PORTS): IContainerPort => ({
    name: PORT_NAMES[key],
    containerPort: PORTS[key],
    protocol: "TCP",
  });
  return {
    name: GOQUORUM_CONTAINER,
    image: network.workloads.images.goquorum,
    imagePullPolicy: "IfNotPresent",
    // geth is PID 1 and gets SIGTERM directly, so it flushes its state within the grace period.
    command: ["geth"],
    args: gethArgs(node, network, options),
    // Without a PTM, privacy must be switched off explicitly.
    env: tessera ? [home()] : [home(), { ...GOQUORUM_PTM.privacyOff }],
    ports: [
      port("p2p"),
      port("metrics"),
      ...(rpc ? [port("rpcHttp")] : []),
      ...(rpc && network.workloads.rpc.websocket ? [port("rpcWs")] : []),
    ],
    // Opening a large chain database can take minutes; the p2p listener comes up once it is open.
    startupProbe: tcpP2p(10, 60),
    readinessProbe: readinessProbe(node, genesisValidators),
    livenessProbe: tcpP2p(30, 5),
    resources: resourceRequirements(network.workloads.goquorumResources),
    securityContext: containerSecurityContext(),
    volumeMounts: [
      MOUNTS.data(),
      ...keyMounts,
      MOUNTS.ipc(),
      ...(tessera ? [MOUNTS.ptm()] : []),
      MOUNTS.tmp(),
    ],
  };
}
