/** The key and genesis work of a deployment, for `npm run bench` to time (the CLI does the timing). */
import { sha256 } from "@noble/hashes/sha2";
import { utf8ToBytes } from "@noble/hashes/utils";
import { buildGenesis, type GenesisSettings, genesisJson } from "./genesis";
import { nodeIdentityFromPrivateKey, nodeKeyFromSeed, tesseraKeyPairFromSeed } from "./keys";

const BENCH_NETWORK: GenesisSettings = {
  chainId: 1337,
  consensus: "qbft",
  blockPeriodSeconds: 5,
  epochLength: 30000,
  requestTimeoutSeconds: 10,
  gasLimit: "0xE0000000",
  txnSizeLimit: 64,
  transitions: [],
  alloc: {},
};

/** Derives `validators` node identities and Tessera key pairs, then returns the genesis JSON. */
export function benchKeysAndGenesis(validators: number): string {
  if (!Number.isInteger(validators) || validators < 1)
    throw new Error("validators must be a positive integer");
  const addresses: string[] = [];
  for (let i = 0; i < validators; i++) {
    const seed = sha256(utf8ToBytes(`bench/${i}`));
    addresses.push(nodeIdentityFromPrivateKey(nodeKeyFromSeed(seed)).address);
    tesseraKeyPairFromSeed(sha256(seed));
  }
  return genesisJson(buildGenesis(BENCH_NETWORK, addresses));
}
