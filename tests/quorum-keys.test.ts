import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { x25519 } from "@noble/curves/ed25519";
import { secp256k1 } from "@noble/curves/secp256k1";
import { keccak_256 } from "@noble/hashes/sha3";
import { bytesToHex, hexToBytes } from "@noble/hashes/utils";
import fc from "fast-check";
import {
  nodeIdentityFromPrivateKey,
  nodeKeyFromSeed,
  tesseraIdentityFromPrivateKey,
  tesseraKeyPairFromSeed,
  toChecksumAddress,
} from "../infra/quorum/keys";

const N = secp256k1.Point.CURVE().n;
const hex32 = (n: bigint) => n.toString(16).padStart(64, "0");
const b64 = (hex: string) => Buffer.from(hex, "hex").toString("base64");

// The secp256k1 generator point (SEC 2): the public key of private key 1.
const G_X = "79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798";
const G_Y = "483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8";

describe("nodeIdentityFromPrivateKey", () => {
  it("key 1 gives the generator point and the well-known address", () => {
    const id = nodeIdentityFromPrivateKey(`0x${hex32(1n)}`);
    assert.equal(id.nodeKey, hex32(1n));
    assert.equal(
      id.publicKey,
      "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8",
    );
    assert.equal(id.publicKey, (G_X + G_Y).toLowerCase());
    assert.equal(id.address, "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf");
  });

  it("reproduces GoQuorum crypto_test.go", () => {
    const id = nodeIdentityFromPrivateKey("289c2857d4598e37fb9647507e47a309d6133539bf21a8b9cb6df88fd5232032");
    assert.equal(id.address, "0x970E8128AB834E8EAC17Ab8E3812F010678CF791");
  });

  it("reproduces the EIP-778 example node (p2p/enode/idscheme_test.go)", () => {
    const id = nodeIdentityFromPrivateKey("b71c71a67e1177ad4e901695e1b4b9ee17ae16c6668d313eac2f96dbcda3f291");
    assert.equal(
      id.publicKey,
      "ca634cae0d49acb401d8a4c6b6fe8c55b70d115bf400769cc1400f3258cd31387574077f301b421bc84df7266c44e9e6d569fc56be00812904767bf5ccd1fc7f",
    );
    // The discv4 node id is the full keccak256; the validator address is its last 20 bytes.
    const nodeId = bytesToHex(keccak_256(hexToBytes(id.publicKey)));
    assert.equal(nodeId, "a448f24c6d18e575453db13171562b71999873db5b286df957af199ec94617f7");
    assert.equal(id.address.toLowerCase(), `0x${nodeId.slice(24)}`);
  });

  it("normalises the nodekey file content: lowercase, no 0x, no newline", () => {
    const id = nodeIdentityFromPrivateKey(
      "0X289C2857D4598E37FB9647507E47A309D6133539BF21A8B9CB6DF88FD5232032\n",
    );
    assert.equal(id.nodeKey, "289c2857d4598e37fb9647507e47a309d6133539bf21a8b9cb6df88fd5232032");
    assert.match(id.nodeKey, /^[0-9a-f]{64}$/);
  });

  it("refuses malformed and out-of-range keys with clear errors", () => {
    assert.throws(() => nodeIdentityFromPrivateKey("abc"), /64 hex characters/);
    assert.throws(() => nodeIdentityFromPrivateKey("zz".repeat(32)), /64 hex characters/);
    assert.throws(() => nodeIdentityFromPrivateKey(`${hex32(1n)}00`), /64 hex characters/);
    assert.throws(() => nodeIdentityFromPrivateKey(hex32(0n)), /out of range/);
    assert.throws(() => nodeIdentityFromPrivateKey(hex32(N)), /out of range/);
    assert.throws(() => nodeIdentityFromPrivateKey("f".repeat(64)), /out of range/);
    assert.doesNotThrow(() => nodeIdentityFromPrivateKey(hex32(N - 1n)));
  });
});

describe("toChecksumAddress", () => {
  it("matches the EIP-55 examples", () => {
    for (const address of [
      "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
      "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
      "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
      "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
    ]) {
      assert.equal(toChecksumAddress(address.toLowerCase()), address);
    }
  });
});

describe("nodeKeyFromSeed", () => {
  it("keeps a seed that is already a valid key", () => {
    const seed = hexToBytes("289c2857d4598e37fb9647507e47a309d6133539bf21a8b9cb6df88fd5232032");
    assert.equal(nodeKeyFromSeed(seed), bytesToHex(seed));
  });

  it("re-hashes 0 and seeds >= n with keccak256, deterministically", () => {
    for (const scalar of [0n, N, N + 1n, 2n ** 256n - 1n]) {
      const seed = hexToBytes(hex32(scalar));
      const key = nodeKeyFromSeed(seed);
      assert.equal(key, bytesToHex(keccak_256(seed)));
      assert.equal(nodeKeyFromSeed(hexToBytes(hex32(scalar))), key);
      assert.doesNotThrow(() => nodeIdentityFromPrivateKey(key));
    }
  });

  it("maps every 32-byte seed to a valid key, the same one each time", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (seed) => {
        const key = nodeKeyFromSeed(seed);
        const scalar = BigInt(`0x${key}`);
        return scalar > 0n && scalar < N && nodeKeyFromSeed(Uint8Array.from(seed)) === key;
      }),
    );
  });

  it("refuses seeds that are not 32 bytes", () => {
    assert.throws(() => nodeKeyFromSeed(new Uint8Array(31)), /exactly 32 bytes/);
  });
});

describe("Tessera keys", () => {
  // RFC 7748 §6.1 (X25519 Diffie-Hellman test vectors).
  const rfc7748 = [
    {
      priv: "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a",
      pub: "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
    },
    {
      priv: "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb",
      pub: "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f",
    },
  ];

  it("derives the RFC 7748 public keys from the raw secret", () => {
    for (const { priv, pub } of rfc7748) {
      const pair = tesseraKeyPairFromSeed(hexToBytes(priv));
      assert.equal(pair.publicKey, b64(pub));
      assert.equal(pair.publicKey.length, 44);
      assert.equal(pair.privateKeyJson, `{"type":"unlocked","data":{"bytes":"${b64(priv)}"}}`);
    }
  });

  it("stores the unclamped secret; clamping happens inside X25519, as in tweetnacl", () => {
    // The RFC 7748 secrets are unclamped (Alice's first byte 0x77 has its low 3 bits set). X25519
    // clamps internally (RFC 7748 §5), as tweetnacl's crypto_scalarmult does for box.keyPair.fromSecretKey,
    // so both give the RFC public key from the same stored secret.
    const alice = hexToBytes(rfc7748[0].priv);
    assert.notEqual(alice[0] & 7, 0);
    const clamped = Uint8Array.from(alice);
    clamped[0] &= 248;
    clamped[31] = (clamped[31] & 127) | 64;
    assert.equal(bytesToHex(x25519.getPublicKey(clamped)), rfc7748[0].pub);
    const stored = JSON.parse(tesseraKeyPairFromSeed(alice).privateKeyJson).data.bytes;
    assert.equal(Buffer.from(stored, "base64").toString("hex"), rfc7748[0].priv);
  });

  it("accepts a user's key as base64 or unlocked tm.key content", () => {
    const { priv, pub } = rfc7748[1];
    const fromBase64 = tesseraIdentityFromPrivateKey(b64(priv));
    assert.equal(fromBase64.publicKey, b64(pub));
    assert.deepEqual(tesseraIdentityFromPrivateKey(`${fromBase64.privateKeyJson}\n`), fromBase64);
  });

  it("refuses locked keys and malformed base64", () => {
    const locked = JSON.stringify({ type: "argon2sbox", data: { snonce: "", asalt: "", sbox: "" } });
    assert.throws(() => tesseraIdentityFromPrivateKey(locked), /argon2sbox.*unlocked/);
    assert.throws(() => tesseraIdentityFromPrivateKey("{not json"), /does not parse/);
    assert.throws(() => tesseraIdentityFromPrivateKey(b64("00".repeat(31))), /base64 of 32 bytes/);
    assert.throws(() => tesseraIdentityFromPrivateKey(`${"!".repeat(43)}=`), /base64 of 32 bytes/);
  });
});
