/**
 * Node and Tessera key material (spec §3a, §5, §6). Pure functions: the program feeds them bytes from
 * Pulumi RandomBytes resources, so the same bytes always give the same keys.
 */
import { x25519 } from "@noble/curves/ed25519";
import { secp256k1 } from "@noble/curves/secp256k1";
import { keccak_256 } from "@noble/hashes/sha3";
import { bytesToHex, hexToBytes, utf8ToBytes } from "@noble/hashes/utils";

const SECP256K1_ORDER = secp256k1.Point.CURVE().n;

export interface NodeIdentity {
  /** Exact content of the geth `nodekey` file: 64 lowercase hex, no 0x, no newline. */
  readonly nodeKey: string;
  /** Uncompressed public key X‖Y without the 04 prefix (128 lowercase hex): the enode id. */
  readonly publicKey: string;
  /** keccak256(X‖Y)[12:], EIP-55 checksummed: the QBFT validator address. */
  readonly address: string;
}

export interface TesseraKeyPair {
  /** Content of `tm.pub`: base64 of the 32-byte X25519 public key (44 chars). */
  readonly publicKey: string;
  /** Content of `tm.key` for an unlocked key. */
  readonly privateKeyJson: string;
}

export function nodeIdentityFromPrivateKey(privateKeyHex: string): NodeIdentity {
  // Trimming lets a pasted nodekey file (geth tolerates one trailing newline) through.
  const hex = privateKeyHex.trim().replace(/^0x/i, "");
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) {
    throw new Error("node private key must be 64 hex characters (32 bytes), optionally 0x-prefixed");
  }
  const scalar = BigInt(`0x${hex}`);
  if (scalar === 0n || scalar >= SECP256K1_ORDER) {
    throw new Error("node private key is out of range: it must satisfy 1 <= key < secp256k1 order n");
  }
  const nodeKey = hex.toLowerCase();
  const publicXY = secp256k1.getPublicKey(hexToBytes(nodeKey), false).subarray(1);
  return {
    nodeKey,
    publicKey: bytesToHex(publicXY),
    address: toChecksumAddress(bytesToHex(keccak_256(publicXY).subarray(12))),
  };
}

/**
 * Maps 32 random bytes to a valid secp256k1 private key. Almost every input is already valid
 * (the chance of 0 or ≥ n is about 2^-128); otherwise the bytes are re-hashed with keccak256 until
 * they are, so the mapping is total and never changes for a given input.
 */
export function nodeKeyFromSeed(seed: Uint8Array): string {
  assertSeed(seed);
  let candidate = seed;
  for (;;) {
    const scalar = BigInt(`0x${bytesToHex(candidate)}`);
    if (scalar !== 0n && scalar < SECP256K1_ORDER) return bytesToHex(candidate);
    candidate = keccak_256(candidate);
  }
}

/** EIP-55 mixed-case checksum of a 20-byte address (with or without 0x). */
export function toChecksumAddress(address: string): string {
  const lower = address.replace(/^0x/i, "").toLowerCase();
  if (!/^[0-9a-f]{40}$/.test(lower)) throw new Error(`not a 20-byte hex address: ${address}`);
  const hash = bytesToHex(keccak_256(utf8ToBytes(lower)));
  let out = "0x";
  for (let i = 0; i < 40; i++) {
    out += Number.parseInt(hash[i], 16) >= 8 ? lower[i].toUpperCase() : lower[i];
  }
  return out;
}

/**
 * Tessera keys are NaCl box (X25519) keys. Any 32 bytes are a valid secret: X25519 clamps the scalar
 * when multiplying (RFC 7748 §5), in noble as in tweetnacl and Tessera's own NaCl. So the seed is
 * stored as-is and the public key is X25519(seed, 9), exactly what `box.keyPair.fromSecretKey` gives.
 */
export function tesseraKeyPairFromSeed(seed: Uint8Array): TesseraKeyPair {
  assertSeed(seed);
  return {
    publicKey: Buffer.from(x25519.getPublicKey(seed)).toString("base64"),
    privateKeyJson: JSON.stringify({
      type: "unlocked",
      data: { bytes: Buffer.from(seed).toString("base64") },
    }),
  };
}

/**
 * For a Tessera key a user brings: the base64 private key, or the content of an unlocked `tm.key`.
 * Password-locked keys are refused: the deployment mounts the key without a password file.
 */
export function tesseraIdentityFromPrivateKey(privateKey: string): TesseraKeyPair {
  const text = privateKey.trim();
  const base64 = text.startsWith("{") ? unlockedKeyBytes(text) : text;
  if (!/^[A-Za-z0-9+/]{43}=$/.test(base64)) {
    throw new Error("Tessera private key must be the base64 of 32 bytes (44 characters ending in '=')");
  }
  return tesseraKeyPairFromSeed(new Uint8Array(Buffer.from(base64, "base64")));
}

function unlockedKeyBytes(json: string): string {
  let parsed: { type?: unknown; data?: { bytes?: unknown } };
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new Error("Tessera private key looks like JSON but does not parse");
  }
  if (parsed.type !== "unlocked" || typeof parsed.data?.bytes !== "string") {
    throw new Error(
      `Tessera key of type ${JSON.stringify(parsed.type)} is not supported: supply an unlocked key ({"type":"unlocked","data":{"bytes":"..."}})`,
    );
  }
  return parsed.data.bytes;
}

function assertSeed(seed: Uint8Array): void {
  if (!(seed instanceof Uint8Array) || seed.length !== 32) {
    throw new Error(`key seed must be exactly 32 bytes, got ${seed?.length ?? "nothing"}`);
  }
}
