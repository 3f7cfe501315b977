/**
 * The independent block-0 implementation (tests/helpers/genesisHash.ts) against upstream vectors, before any
 * test relies on it to compare the GoQuorum and Besu genesis files.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RLP } from "@ethereumjs/rlp";
import { bytesToHex } from "@noble/hashes/utils";
import { BESU_GENESIS_NONCE, ROPSTEN, TRIE_INSERT } from "./fixtures/genesisVectors";
import {
  besuGenesisHash,
  EMPTY_TRIE_ROOT,
  goQuorumGenesisHash,
  stringTrieRoot,
  trieRoot,
} from "./helpers/genesisHash";

/** Ropsten as a genesis file: the RLP alloc decoded as GoQuorum's decodePrealloc does (big-endian integers). */
function ropstenGenesis(): string {
  const bigint = (b: Uint8Array) => (b.length === 0 ? 0n : BigInt(`0x${bytesToHex(b)}`));
  const entries = RLP.decode(ROPSTEN.allocRlp) as Uint8Array[][];
  const alloc = Object.fromEntries(
    entries.map(([address, balance]) => [
      `0x${bigint(address).toString(16).padStart(40, "0")}`,
      { balance: bigint(balance).toString() },
    ]),
  );
  return JSON.stringify({
    config: { chainId: 3 },
    nonce: `0x${ROPSTEN.nonce.toString(16)}`,
    extraData: ROPSTEN.extraData,
    gasLimit: `0x${ROPSTEN.gasLimit.toString(16)}`,
    difficulty: `0x${ROPSTEN.difficulty.toString(16)}`,
    alloc,
  });
}

describe("the independent genesis hash", () => {
  it("gives the empty trie root 0x56e81f…b421 (GoQuorum core/types/block.go EmptyRootHash)", () => {
    assert.equal(
      `0x${bytesToHex(EMPTY_TRIE_ROOT)}`,
      "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421",
    );
    assert.deepEqual(trieRoot([]), EMPTY_TRIE_ROOT);
  });

  it("reproduces GoQuorum's trie_test.go TestInsert roots (leaf, extension, branch, inlined short nodes)", () => {
    for (const { pairs, root } of TRIE_INSERT) assert.equal(stringTrieRoot(pairs), root);
    // Insertion order does not matter.
    const [first] = TRIE_INSERT;
    assert.equal(stringTrieRoot([...first.pairs].reverse()), first.root);
  });

  it("reproduces Ropsten's genesis hash from GoQuorum's own alloc data (257 accounts, zero balances kept)", () => {
    const genesis = ropstenGenesis();
    assert.equal(Object.keys(JSON.parse(genesis).alloc).length, 257);
    assert.equal(goQuorumGenesisHash(genesis), ROPSTEN.hash);
  });

  it("reproduces Besu's GenesisStateTest genesisNonce.json hash (code, account nonce, mixed-case keys)", () => {
    const text = JSON.stringify(BESU_GENESIS_NONCE.genesis);
    assert.equal(besuGenesisHash(text), BESU_GENESIS_NONCE.hash);
    // The same file, read by GoQuorum's rules, is the same block (no fork at block 0 adds a field).
    assert.equal(goQuorumGenesisHash(text), BESU_GENESIS_NONCE.hash);
  });

  it("fails on a vector with one byte changed, so the vectors above are not met by accident", () => {
    const changed = JSON.parse(JSON.stringify(BESU_GENESIS_NONCE.genesis));
    changed.alloc["0xec0e71ad0a90ffe1909d27dac207f7680abba42d"].nonce = "0x04";
    assert.notEqual(besuGenesisHash(JSON.stringify(changed)), BESU_GENESIS_NONCE.hash);
  });
});
