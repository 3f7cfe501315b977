import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { AdoptedKeys } from "../../infra/config/schema";
import type { NodePlan } from "../../infra/plan/types";
import {
  nodeIdentityFromPrivateKey,
  nodeKeyFromSeed,
  tesseraIdentityFromPrivateKey,
  tesseraKeyPairFromSeed,
} from "../../infra/quorum/keys";

export interface NodeKeysArgs {
  readonly node: NodePlan;
  /** Whether the node runs Tessera and so needs a Tessera key pair. */
  readonly tessera: boolean;
  /** Use these keys instead of generating them. */
  readonly adopted?: pulumi.Output<AdoptedKeys>;
  /**
   * Protect the generated key material so `pulumi destroy` cannot lose a node's identity.
   * @default true
   */
  readonly protect?: boolean;
}

/**
 * A node's identity. Generated keys come from 32 random bytes held in state as a secret: created once,
 * never regenerated, and independent of every other node (each node has its own resources).
 * Private values are secret Outputs; public ones are unwrapped explicitly.
 */
export class NodeKeys extends pulumi.ComponentResource {
  /** nodekey file content: 64 hex characters (secret). */
  readonly nodeKey: pulumi.Output<string>;
  /** Validator identity: keccak256 of the public key, last 20 bytes (0x…, checksummed). */
  readonly address: pulumi.Output<string>;
  /** Enode id: the uncompressed public key without its 04 prefix (128 hex). */
  readonly publicKey: pulumi.Output<string>;
  /** Tessera `tm.key` content (secret); members only. */
  readonly tesseraPrivateKeyJson?: pulumi.Output<string>;
  /** Tessera `tm.pub` content (base64); members only. */
  readonly tesseraPublicKey?: pulumi.Output<string>;

  constructor(name: string, args: NodeKeysArgs, opts?: pulumi.ComponentResourceOptions) {
    super("goquorum:keys:NodeKeys", name, {}, opts);
    const protect = args.protect ?? true;
    const seed = (purpose: string) =>
      new random.RandomBytes(`${name}-${purpose}`, { length: 32 }, { parent: this, protect }).hex;

    const nodeKeyHex = args.adopted
      ? pulumi.secret(args.adopted.apply((k) => k.nodeKey))
      : seed("nodekey").apply((hex) => nodeKeyFromSeed(Buffer.from(hex, "hex")));
    const identity = nodeKeyHex.apply(nodeIdentityFromPrivateKey);
    this.nodeKey = pulumi.secret(identity.apply((i) => i.nodeKey));
    this.address = pulumi.unsecret(identity.apply((i) => i.address));
    this.publicKey = pulumi.unsecret(identity.apply((i) => i.publicKey));

    if (args.tessera) {
      const adoptedTessera = args.adopted?.apply((k) => k.tesseraKey);
      const tessera = adoptedTessera
        ? pulumi.secret(adoptedTessera).apply((key) => {
            if (!key)
              throw new Error(`goquorum:nodeKeys.${args.node.name}.tesseraKey is required for a member node`);
            return tesseraIdentityFromPrivateKey(key);
          })
        : seed("tessera").apply((hex) => tesseraKeyPairFromSeed(Buffer.from(hex, "hex")));
      this.tesseraPrivateKeyJson = pulumi.secret(tessera.apply((t) => t.privateKeyJson));
      this.tesseraPublicKey = pulumi.unsecret(tessera.apply((t) => t.publicKey));
    }

    this.registerOutputs({
      address: this.address,
      publicKey: this.publicKey,
      tesseraPublicKey: this.tesseraPublicKey,
    });
  }
}

/** Every node's keys, by node name. */
export type NetworkKeys = ReadonlyMap<string, NodeKeys>;

export function keysOf(keys: NetworkKeys, node: string): NodeKeys {
  const found = keys.get(node);
  if (!found) throw new Error(`no keys for node ${node}`);
  return found;
}
