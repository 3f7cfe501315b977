/** The pod's volumes and the mounts each container gets (least privilege: a container sees only what it uses). */
import type { IVolume } from "kubernetes-models/v1/Volume";
import type { IVolumeMount } from "kubernetes-models/v1/VolumeMount";
import { type KeyItem, tesseraKeyItems, tesseraTlsItems } from "./keysSecret";
import { GENESIS_CONFIGMAP, STATIC_NODES_CONFIGMAP, tesseraConfigMapName } from "./names";
import { DIRS, FILES } from "./paths";

/** Volume names; `data` is the StatefulSet's volume claim template. */
export const VOLUMES = {
  data: "data",
  nodeKey: "nodekey",
  tesseraKeys: "tessera-keys",
  genesis: "genesis",
  peers: "peers",
  tesseraConfig: "tessera-config",
  ipc: "ipc",
  tmp: "tmp",
} as const;

/**
 * Owner-read only. With the pod's fsGroup kubelet adds group read and sets the group, so the files end up
 * root:1000 0440: readable by the containers' group and nobody else.
 */
const KEY_FILE_MODE = 0o400;

interface PodVolumesInput {
  readonly nodeName: string;
  readonly keysSecretName: string;
  /** Members only; `tlsSecretName` with strict Tessera TLS. */
  readonly tessera?: { readonly tlsSecretName?: string };
}

const secretItems = (items: KeyItem[]) => items.map(({ key, path }) => ({ key, path }));

export function podVolumes(input: PodVolumesInput): IVolume[] {
  const { tessera } = input;
  return [
    {
      name: VOLUMES.nodeKey,
      secret: {
        secretName: input.keysSecretName,
        items: [{ key: FILES.nodeKey, path: FILES.nodeKey }],
        defaultMode: KEY_FILE_MODE,
      },
    },
    { name: VOLUMES.genesis, configMap: { name: GENESIS_CONFIGMAP } },
    { name: VOLUMES.peers, configMap: { name: STATIC_NODES_CONFIGMAP } },
    { name: VOLUMES.ipc, emptyDir: {} },
    // Bounded so a runaway JVM temp file cannot fill the node's disk.
    { name: VOLUMES.tmp, emptyDir: { sizeLimit: "1Gi" } },
    ...(tessera
      ? [
          {
            // One read-only tree at /keys: the key pair and, with TLS, the certificate Secret under tls/.
            name: VOLUMES.tesseraKeys,
            projected: {
              defaultMode: KEY_FILE_MODE,
              sources: [
                { secret: { name: input.keysSecretName, items: secretItems(tesseraKeyItems()) } },
                ...(tessera.tlsSecretName
                  ? [{ secret: { name: tessera.tlsSecretName, items: secretItems(tesseraTlsItems()) } }]
                  : []),
              ],
            },
          },
          { name: VOLUMES.tesseraConfig, configMap: { name: tesseraConfigMapName(input.nodeName) } },
        ]
      : []),
  ];
}

const mount = (name: string, mountPath: string, readOnly = false): IVolumeMount =>
  readOnly ? { name, mountPath, readOnly } : { name, mountPath };

export const MOUNTS = {
  data: () => mount(VOLUMES.data, DIRS.data),
  nodeKey: () => mount(VOLUMES.nodeKey, DIRS.keys, true),
  tesseraKeys: () => mount(VOLUMES.tesseraKeys, DIRS.keys, true),
  genesis: () => mount(VOLUMES.genesis, DIRS.genesis, true),
  peers: () => mount(VOLUMES.peers, DIRS.peers, true),
  tesseraConfig: () => mount(VOLUMES.tesseraConfig, DIRS.tesseraConfig, true),
  ipc: () => mount(VOLUMES.ipc, DIRS.ipc),
  tmp: () => mount(VOLUMES.tmp, DIRS.tmp),
};
