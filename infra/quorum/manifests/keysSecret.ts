/**
 * The node's key Secret (`<node>-keys`) and how its items reach the containers: geth sees only `nodekey`;
 * Tessera sees its key pair and, with strict TLS, the certificate Secret, at the paths its config names.
 */
import { posix } from "node:path";
import type { NodeRole } from "../../config/schema";
import type { NodePlan } from "../../plan/types";
import { TESSERA_KEY_PATHS, TESSERA_TLS_PATHS } from "../peers";
import { DIRS, FILES } from "./paths";
import { runsTessera } from "./roles";

export const keysSecretName = (node: Pick<NodePlan, "name">): string => `${node.name}-keys`;

/** A member's kubernetes.io/tls Secret for Tessera P2P (strict TLS only). */
export const tesseraTlsSecretName = (node: Pick<NodePlan, "name">): string => `${node.name}-tessera-tls`;

/**
 * Pod-template annotation carrying a digest of the member's Tessera certificate: Tessera reads it only at
 * start, so a re-issued certificate has to restart the pod.
 */
export const TESSERA_TLS_CERTIFICATE_ANNOTATION = "goquorum.network/tessera-tls-certificate-sha256";

export interface KeysSecretItems {
  readonly nodeKey: string;
  readonly tesseraPrivateKey?: string;
  readonly tesseraPublicKey?: string;
}

/** Item keys of the node's key Secret: `nodekey`, plus `tm.key` and `tm.pub` for members. */
export function keysSecretItems(role: NodeRole): KeysSecretItems {
  return {
    nodeKey: FILES.nodeKey,
    ...(runsTessera(role)
      ? {
          tesseraPrivateKey: posix.basename(TESSERA_KEY_PATHS.privateKeyPath),
          tesseraPublicKey: posix.basename(TESSERA_KEY_PATHS.publicKeyPath),
        }
      : {}),
  };
}

export interface KeyItem {
  /** Key in the Secret. */
  readonly key: string;
  /** Path relative to the keys mount. */
  readonly path: string;
}

/** A file the Tessera config reads under the keys mount, as a Secret item at that place. */
function keysMountItem(absolutePath: string): KeyItem {
  const path = posix.relative(DIRS.keys, absolutePath);
  if (path.startsWith("..")) throw new Error(`${absolutePath} is outside the keys mount ${DIRS.keys}`);
  return { key: posix.basename(absolutePath), path };
}

/** Tessera's key pair, from the node's key Secret. */
export function tesseraKeyItems(): KeyItem[] {
  return [keysMountItem(TESSERA_KEY_PATHS.privateKeyPath), keysMountItem(TESSERA_KEY_PATHS.publicKeyPath)];
}

/** Item keys of the TLS Secret: `tls.key` and `tls.crt` (kubernetes.io/tls) plus `ca.crt`. */
export function tesseraTlsSecretItems(): Record<keyof typeof TESSERA_TLS_PATHS, string> {
  return {
    key: posix.basename(TESSERA_TLS_PATHS.key),
    certificate: posix.basename(TESSERA_TLS_PATHS.certificate),
    ca: posix.basename(TESSERA_TLS_PATHS.ca),
  };
}

/** Tessera's P2P TLS material, from a kubernetes.io/tls Secret with `ca.crt` (as cert-manager writes it). */
export function tesseraTlsItems(): KeyItem[] {
  return [TESSERA_TLS_PATHS.key, TESSERA_TLS_PATHS.certificate, TESSERA_TLS_PATHS.ca].map(keysMountItem);
}
