/** A member's Tessera: its config and the native sidecar that runs it next to geth. */
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IProbe } from "kubernetes-models/v1/Probe";
import type { IVolumeMount } from "kubernetes-models/v1/VolumeMount";
import type { NetworkConfig } from "../../config/schema";
import type { NodePlan } from "../../plan/types";
import { TESSERA } from "../behaviour";
import { PORTS } from "../ports";
import { nodeLabels } from "./labels";
import { PORT_NAMES, tesseraConfigMapName } from "./names";
import type { Named } from "./objects";
import { DIRS, FILES, PATHS } from "./paths";
import { resourceRequirements } from "./resources";
import { containerSecurityContext } from "./securityContext";
import { MOUNTS } from "./volumes";

const TESSERA_CONTAINER = "tessera";

/** Tessera reads its config once at start; new Tessera peers are learnt through its own peer discovery. */
export function tesseraConfigMap(
  network: NetworkConfig,
  node: NodePlan,
  namespace: string,
  tesseraConfigJson: string,
): Named<IConfigMap> {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: tesseraConfigMapName(node.name), namespace, labels: nodeLabels(network.name, node) },
    data: { [FILES.tesseraConfig]: tesseraConfigJson },
  };
}

/**
 * /upcheck on the third-party API: a port Tessera is meant to serve to the namespace anyway, plain HTTP
 * whatever the P2P TLS mode (P2P under strict TLS wants a client certificate the kubelet never presents).
 * Q2T is a socket the kubelet cannot probe; geth-init waits for it before geth starts.
 */
const upcheck = (periodSeconds: number, failureThreshold: number): IProbe => ({
  httpGet: { path: TESSERA.upcheckPath, port: PORTS.tesseraThirdParty },
  periodSeconds,
  failureThreshold,
  timeoutSeconds: 5,
});

/** Removes a Q2T socket left by an unclean exit (Jetty would not bind over it), then becomes Tessera. */
const TESSERA_START_SCRIPT = `rm -f ${PATHS.ptmSocket}
exec /tessera/bin/tessera -configfile ${PATHS.tesseraConfig}
`;

/**
 * Runs as an init container with `restartPolicy: Always` (a native sidecar, Kubernetes ≥ 1.29): the kubelet
 * starts the next init container only once this one's startupProbe has passed, so Tessera is answering
 * before geth starts (geth exits when the PTM's /upcheck fails, see ../behaviour.ts), and it is stopped
 * only after geth.
 */
export function tesseraSidecar(network: NetworkConfig, keyMounts: readonly IVolumeMount[]): IContainer {
  const workloads = network.workloads;
  return {
    name: TESSERA_CONTAINER,
    image: workloads.images.tessera,
    imagePullPolicy: "IfNotPresent",
    restartPolicy: "Always",
    command: ["sh", "-c", TESSERA_START_SCRIPT],
    env: [
      { name: "HOME", value: DIRS.tmp },
      // Heap sized from the container's memory limit; exit on OOM so the kubelet restarts a clean JVM.
      {
        name: "JAVA_OPTS",
        value: `-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=${DIRS.tmp}`,
      },
    ],
    ports: [
      { name: PORT_NAMES.tesseraP2p, containerPort: PORTS.tesseraP2p, protocol: "TCP" },
      { name: PORT_NAMES.tesseraThirdParty, containerPort: PORTS.tesseraThirdParty, protocol: "TCP" },
    ],
    // Up to 10 minutes for the JVM and database migrations on a slow volume.
    startupProbe: upcheck(5, 120),
    readinessProbe: upcheck(10, 3),
    livenessProbe: upcheck(30, 5),
    resources: resourceRequirements(workloads.tesseraResources),
    securityContext: containerSecurityContext(),
    volumeMounts: [MOUNTS.data(), ...keyMounts, MOUNTS.tesseraConfig(), MOUNTS.ptm(), MOUNTS.tmp()],
  };
}
