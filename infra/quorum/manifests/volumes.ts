/** The pod's volumes and the mounts each container gets (least privilege: a container sees only what it uses). */
import type { IVolume } from "kubernetes-models/v1/Volume";
import type { IVolumeMount } from "kubernetes-models/v1/VolumeMount";
import { type KeyFile, type KeySource, keyVolumes } from "./keySource";
import { GENESIS_CONFIGMAP, STATIC_NODES_CONFIGMAP, tesseraConfigMapName } from "./names";
import { DIRS, PATHS } from "./paths";

/** Volume names; `data` is the StatefulSet's volume claim template. Key volumes: see `keySource.ts`. */
export const VOLUMES = {
  data: "data",
  genesis: "genesis",
  peers: "peers",
  tesseraConfig: "tessera-config",
  ipc: "ipc",
  ptm: "ptm",
  tmp: "tmp",
} as const;

interface PodVolumesInput {
  readonly nodeName: string;
  readonly keys: KeySource;
  readonly keyFiles: readonly KeyFile[];
  readonly tessera: boolean;
}

export function podVolumes(input: PodVolumesInput): IVolume[] {
  return [
    ...keyVolumes(input.keys, input.keyFiles),
    { name: VOLUMES.genesis, configMap: { name: GENESIS_CONFIGMAP } },
    { name: VOLUMES.peers, configMap: { name: STATIC_NODES_CONFIGMAP } },
    { name: VOLUMES.ipc, emptyDir: {} },
    // Bounded so a runaway JVM temp file cannot fill the node's disk.
    { name: VOLUMES.tmp, emptyDir: { sizeLimit: "1Gi" } },
    ...(input.tessera
      ? [
          { name: VOLUMES.tesseraConfig, configMap: { name: tesseraConfigMapName(input.nodeName) } },
          { name: VOLUMES.ptm, emptyDir: {} },
        ]
      : []),
  ];
}

const mount = (name: string, mountPath: string, readOnly = false): IVolumeMount =>
  readOnly ? { name, mountPath, readOnly } : { name, mountPath };

export const MOUNTS = {
  data: () => mount(VOLUMES.data, DIRS.data),
  /** geth's datadir alone (chain data, not Tessera's database). */
  quorumDataDir: (): IVolumeMount => ({
    name: VOLUMES.data,
    mountPath: PATHS.quorumDataDir,
    subPath: PATHS.quorumDataDir.slice(DIRS.data.length + 1),
  }),
  genesis: () => mount(VOLUMES.genesis, DIRS.genesis, true),
  peers: () => mount(VOLUMES.peers, DIRS.peers, true),
  tesseraConfig: () => mount(VOLUMES.tesseraConfig, DIRS.tesseraConfig, true),
  ipc: () => mount(VOLUMES.ipc, DIRS.ipc),
  ptm: () => mount(VOLUMES.ptm, DIRS.ptm),
  tmp: () => mount(VOLUMES.tmp, DIRS.tmp),
};
