/**
 * How a node's key files reach its pod, whatever holds them: a Kubernetes Secret (`local`, or a cloud
 * cluster's dev tier) or a cloud vault through the Secrets Store CSI driver. Either way every container sees
 * exactly the same files at the same paths under /keys, read-only: geth only `nodekey`, Tessera only its own.
 */
import { posix } from "node:path";
import type { IVolume } from "kubernetes-models/v1/Volume";
import type { IVolumeMount } from "kubernetes-models/v1/VolumeMount";
import type { NodeClient, NodeRole } from "../../config/schema";
import { TESSERA_KEY_PATHS, TESSERA_TLS_PATHS } from "../peers";
import { DIRS, PATHS } from "./paths";
import { nodeRunsTessera, runsTessera } from "./roles";

/** The container that reads a key file. */
export type KeyReader = "goquorum" | "tessera";

/**
 * One key file of a node: `name` is its flat name in the vault (Secret item, CSI object alias), `path` its
 * place under /keys. `material` tells the node's long-lived keys from its renewable Tessera TLS certificate.
 */
export interface KeyFile {
  readonly name: string;
  readonly path: string;
  readonly reader: KeyReader;
  readonly material: "keys" | "tls";
}

/** Where the key files come from; vault components say which, the manifests only mount it. */
export type KeySource =
  | {
      readonly kind: "secret";
      /** Secret with the node's keys (items named as `KeyFile.name`). */
      readonly keysSecret: string;
      /** kubernetes.io/tls Secret with `ca.crt`, for members with strict Tessera TLS. */
      readonly tlsSecret?: string;
    }
  | {
      readonly kind: "csi";
      /** SecretProviderClass (in the node's namespace) that yields every `KeyFile.name` of the node. */
      readonly secretProviderClass: string;
    };

export const SECRETS_STORE_CSI_DRIVER = "secrets-store.csi.k8s.io";
/** apiVersion of the driver's SecretProviderClass. */
export const SECRETS_STORE_CSI_API_VERSION = "secrets-store.csi.x-k8s.io/v1";
/**
 * Mode of the key files a cloud vault's CSI provider writes. The driver writes them owned by root and
 * applies no fsGroup, so the containers' non-root user (uid 1000) reads them through the "other" bits:
 * read-only for everyone in the pod, and each container mounts only its own files (subPath) anyway.
 */
export const CSI_KEY_FILE_PERMISSION = "0444";

const file = (absolutePath: string, reader: KeyReader, material: KeyFile["material"]): KeyFile => {
  const path = posix.relative(DIRS.keys, absolutePath);
  if (path.startsWith("..")) throw new Error(`${absolutePath} is outside the keys mount ${DIRS.keys}`);
  return { name: posix.basename(absolutePath), path, reader, material };
};

/** Every key file a node reads: the one list vaults store and pods mount. */
export function nodeKeyFiles(role: NodeRole, tesseraTls: "off" | "strict"): KeyFile[] {
  const tessera = runsTessera(role);
  return [
    file(PATHS.nodeKey, "goquorum", "keys"),
    ...(tessera
      ? [
          file(TESSERA_KEY_PATHS.privateKeyPath, "tessera", "keys"),
          file(TESSERA_KEY_PATHS.publicKeyPath, "tessera", "keys"),
        ]
      : []),
    ...(tessera && tesseraTls === "strict"
      ? [
          file(TESSERA_TLS_PATHS.key, "tessera", "tls"),
          file(TESSERA_TLS_PATHS.certificate, "tessera", "tls"),
          file(TESSERA_TLS_PATHS.ca, "tessera", "tls"),
        ]
      : []),
  ];
}

/**
 * The Tessera TLS mode of one node's key files: strict only for a node that runs Tessera. A Besu member runs
 * none (Besu removed Tessera privacy in 25.6.0), so it gets no certificate; it keeps its Tessera keys, stored
 * by role, so switching it back to GoQuorum keeps its Tessera identity.
 */
export function nodeTesseraTls(
  node: { readonly role: NodeRole; readonly client: NodeClient },
  tesseraTls: "off" | "strict",
): "off" | "strict" {
  return tesseraTls === "strict" && nodeRunsTessera(node) ? "strict" : "off";
}

/** Volume names of key material. */
export const KEY_VOLUMES = { nodeKey: "nodekey", tesseraKeys: "tessera-keys", vault: "keys" } as const;

/**
 * Owner-read only. With the pod's fsGroup kubelet adds group read and sets the group, so the files end up
 * root:1000 0440: readable by the containers' group and nobody else.
 */
const KEY_FILE_MODE = 0o400;

const items = (files: readonly KeyFile[]) => files.map(({ name, path }) => ({ key: name, path }));

export function keyVolumes(source: KeySource, files: readonly KeyFile[]): IVolume[] {
  if (source.kind === "csi") {
    return [
      {
        name: KEY_VOLUMES.vault,
        csi: {
          driver: SECRETS_STORE_CSI_DRIVER,
          readOnly: true,
          volumeAttributes: { secretProviderClass: source.secretProviderClass },
        },
      },
    ];
  }
  const of = (reader: KeyReader, material: KeyFile["material"]) =>
    files.filter((f) => f.reader === reader && f.material === material);
  const tesseraTls = of("tessera", "tls");
  if (tesseraTls.length > 0 && !source.tlsSecret) throw new Error("Tessera TLS files need a tlsSecret");
  const tessera = of("tessera", "keys");
  return [
    {
      name: KEY_VOLUMES.nodeKey,
      secret: {
        secretName: source.keysSecret,
        items: items(of("goquorum", "keys")),
        defaultMode: KEY_FILE_MODE,
      },
    },
    ...(tessera.length > 0
      ? [
          {
            // One read-only tree at /keys: the key pair and, with TLS, the certificate Secret under tls/.
            name: KEY_VOLUMES.tesseraKeys,
            projected: {
              defaultMode: KEY_FILE_MODE,
              sources: [
                { secret: { name: source.keysSecret, items: items(tessera) } },
                ...(source.tlsSecret && tesseraTls.length > 0
                  ? [{ secret: { name: source.tlsSecret, items: items(tesseraTls) } }]
                  : []),
              ],
            },
          },
        ]
      : []),
  ];
}

/**
 * A container's view of its keys: a Secret volume is already cut to the reader's files and mounts as the
 * /keys directory; the CSI volume holds every file of the node, so each file the reader may see is mounted
 * on its own (subPath), and nothing else of the volume is visible.
 */
export function keyMounts(source: KeySource, files: readonly KeyFile[], reader: KeyReader): IVolumeMount[] {
  if (source.kind === "csi") {
    return files
      .filter((f) => f.reader === reader)
      .map((f) => ({
        name: KEY_VOLUMES.vault,
        mountPath: posix.join(DIRS.keys, f.path),
        subPath: f.name,
        readOnly: true,
      }));
  }
  const volume = reader === "goquorum" ? KEY_VOLUMES.nodeKey : KEY_VOLUMES.tesseraKeys;
  return [{ name: volume, mountPath: DIRS.keys, readOnly: true }];
}
