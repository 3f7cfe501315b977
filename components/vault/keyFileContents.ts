/** The content of each key file of a node, as every vault stores it. */
import { posix } from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import type { NodePlan } from "../../infra/plan/types";
import type { KeyFile } from "../../infra/quorum/manifests";
import { DIRS, PATHS } from "../../infra/quorum/manifests";
import { TESSERA_KEY_PATHS, TESSERA_TLS_PATHS } from "../../infra/quorum/peers";
import { keysOf, type NetworkKeys } from "../keys/NodeKeys";
import type { TesseraTls } from "../keys/TesseraTls";

/**
 * `file.name` → content (secret Outputs for private material). Throws when a file's source is missing,
 * e.g. a member without Tessera keys, so a vault can never store an empty key.
 */
export function keyFileContents(
  node: NodePlan,
  files: readonly KeyFile[],
  keys: NetworkKeys,
  tesseraTls?: TesseraTls,
): Record<string, pulumi.Output<string>> {
  const nodeKeys = keysOf(keys, node.name);
  const certificate = tesseraTls?.certificates.get(node.name);
  const sources: Record<string, pulumi.Output<string> | undefined> = {
    [PATHS.nodeKey]: nodeKeys.nodeKey,
    [TESSERA_KEY_PATHS.privateKeyPath]: nodeKeys.tesseraPrivateKeyJson,
    [TESSERA_KEY_PATHS.publicKeyPath]: nodeKeys.tesseraPublicKey,
    [TESSERA_TLS_PATHS.key]: certificate?.privateKeyPem,
    [TESSERA_TLS_PATHS.certificate]: certificate?.certificatePem,
    [TESSERA_TLS_PATHS.ca]: tesseraTls?.caCertificatePem,
  };
  return Object.fromEntries(
    files.map((file) => {
      const content = sources[posix.join(DIRS.keys, file.path)];
      if (!content) throw new Error(`node ${node.name}: nothing to store as ${file.path}`);
      return [file.name, content];
    }),
  );
}
