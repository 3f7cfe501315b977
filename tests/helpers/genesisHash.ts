/**
 * Block 0 of a genesis file as each client computes it, written independently of `infra/`: the program's
 * builders are what the tests check, so nothing here imports them. keccak256 and RLP come from the project's
 * libraries (@noble/hashes, @ethereumjs/rlp); the Merkle-Patricia trie is implemented here and checked against
 * upstream vectors (tests/besu-genesis-hash.test.ts).
 *
 * GoQuorum v24.4.1 (SIMBAChainDev/quorum tag v24.4.1): `core/genesis.go` (Genesis JSON via `gen_genesis.go`,
 * ToBlock: every alloc account written, empty ones kept by `IntermediateRoot(false)`), `core/types/block.go`
 * (Header fields and Hash: an Istanbul mixHash hashes the filtered header, `core/types/istanbul.go`
 * FilteredHeader). Besu: `GenesisReader` (keys lower-cased outside alloc addresses; account nonce parsed as
 * hex; balance hex with `0x`, else decimal), `GenesisState.buildHeader` (number and gasUsed always 0; baseFee
 * when London is at block 0 or a base fee is given, withdrawalsRoot from Shanghai), `BftBlockHashing` (block 0
 * hashed with its extraData as written, after decoding it).
 */
import { RLP } from "@ethereumjs/rlp";
import { keccak_256 } from "@noble/hashes/sha3";
import { bytesToHex, hexToBytes, utf8ToBytes } from "@noble/hashes/utils";

type Rlp = Uint8Array | Rlp[];

const EMPTY_BYTES = new Uint8Array(0);
const ISTANBUL_DIGEST = "0x63746963616c2062797a616e74696e65206661756c7420746f6c6572616e6365";
/** Besu's default genesis base fee when London is at block 0 (1 gwei, `GenesisConfig`). */
const BESU_DEFAULT_BASE_FEE = 1_000_000_000n;
/** GoQuorum's `params.GenesisGasLimit`, used when a genesis gives 0. */
const GOQUORUM_GENESIS_GAS_LIMIT = 800_000_000n;

export const keccak = (data: Uint8Array): Uint8Array => keccak_256(data);
export const EMPTY_TRIE_ROOT = keccak(RLP.encode(EMPTY_BYTES));

// ---------------------------------------------------------------------------------------------------------
// Merkle-Patricia trie (Ethereum yellow paper, appendix D)

const nibblesOf = (key: Uint8Array): number[] => [...key].flatMap((b) => [b >> 4, b & 15]);

/** Hex-prefix encoding of a nibble path, flagged as leaf or extension. */
function hexPrefix(path: readonly number[], leaf: boolean): Uint8Array {
  const odd = path.length % 2 === 1;
  const flag = (leaf ? 2 : 0) + (odd ? 1 : 0);
  const nibbles = odd ? [flag, ...path] : [flag, 0, ...path];
  const out = new Uint8Array(nibbles.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = (nibbles[2 * i] << 4) | nibbles[2 * i + 1];
  return out;
}

interface TrieItem {
  readonly path: readonly number[];
  readonly value: Uint8Array;
}

/** A child as its parent holds it: the node itself when its RLP is shorter than 32 bytes, else its hash. */
function reference(node: Rlp): Rlp {
  const encoded = RLP.encode(node);
  return encoded.length < 32 ? node : keccak(encoded);
}

function commonPrefixLength(items: readonly TrieItem[], depth: number): number {
  let length = 0;
  for (;;) {
    const nibble = items[0].path[depth + length];
    if (nibble === undefined || items.some((i) => i.path[depth + length] !== nibble)) return length;
    length++;
  }
}

/** The node holding `items` (at least one, unique paths) below `depth` nibbles. */
function trieNode(items: readonly TrieItem[], depth: number): Rlp {
  if (items.length === 1) return [hexPrefix(items[0].path.slice(depth), true), items[0].value];
  const shared = commonPrefixLength(items, depth);
  if (shared > 0) {
    const path = items[0].path.slice(depth, depth + shared);
    return [hexPrefix(path, false), reference(trieNode(items, depth + shared))];
  }
  const branch: Rlp[] = [];
  for (let nibble = 0; nibble < 16; nibble++) {
    const below = items.filter((i) => i.path[depth] === nibble);
    branch.push(below.length === 0 ? EMPTY_BYTES : reference(trieNode(below, depth + 1)));
  }
  const ending = items.find((i) => i.path.length === depth);
  branch.push(ending ? ending.value : EMPTY_BYTES);
  return branch;
}

/** Root hash of a trie holding each key → value (keys as stored: callers hash them for a secure trie). */
export function trieRoot(entries: Iterable<readonly [Uint8Array, Uint8Array]>): Uint8Array {
  const byPath = new Map<string, TrieItem>();
  for (const [key, value] of entries) {
    if (value.length === 0) continue; // an empty value is no entry
    byPath.set(bytesToHex(key), { path: nibblesOf(key), value });
  }
  const items = [...byPath.values()];
  return items.length === 0 ? EMPTY_TRIE_ROOT : keccak(RLP.encode(trieNode(items, 0)));
}

/** Convenience for string-keyed vectors. */
export const stringTrieRoot = (pairs: readonly (readonly [string, string])[]): string =>
  `0x${bytesToHex(trieRoot(pairs.map(([k, v]) => [utf8ToBytes(k), utf8ToBytes(v)] as const)))}`;

// ---------------------------------------------------------------------------------------------------------
// Accounts and state root

export interface GenesisAccount {
  readonly nonce: bigint;
  readonly balance: bigint;
  readonly code: Uint8Array;
}

const quantity = (value: bigint): Uint8Array => {
  if (value < 0n) throw new Error("negative quantity");
  if (value === 0n) return EMPTY_BYTES;
  const hex = value.toString(16);
  return hexToBytes(hex.length % 2 ? `0${hex}` : hex);
};

/** State root of accounts without storage: secure trie of keccak(address) → RLP([nonce, balance, root, codeHash]). */
export function stateRoot(accounts: ReadonlyMap<string, GenesisAccount>): Uint8Array {
  return trieRoot(
    [...accounts].map(([address, account]) => [
      keccak(hexToBytes(address)),
      RLP.encode([quantity(account.nonce), quantity(account.balance), EMPTY_TRIE_ROOT, keccak(account.code)]),
    ]),
  );
}

// ---------------------------------------------------------------------------------------------------------
// Headers

export interface GenesisHeader {
  readonly parentHash: Uint8Array;
  readonly coinbase: Uint8Array;
  readonly stateRoot: Uint8Array;
  readonly difficulty: bigint;
  readonly number: bigint;
  readonly gasLimit: bigint;
  readonly gasUsed: bigint;
  readonly timestamp: bigint;
  readonly extraData: Uint8Array;
  readonly mixHash: Uint8Array;
  readonly nonce: bigint;
  /** Besu only, London at block 0. */
  readonly baseFee?: bigint;
  /** Besu only, Shanghai at block 0. */
  readonly withdrawalsRoot?: Uint8Array;
}

function headerRlp(h: GenesisHeader, extraData: Uint8Array): Uint8Array {
  const nonce = new Uint8Array(8);
  new DataView(nonce.buffer).setBigUint64(0, h.nonce);
  return RLP.encode([
    h.parentHash,
    keccak(RLP.encode([])), // no ommers
    h.coinbase,
    h.stateRoot,
    EMPTY_TRIE_ROOT, // no transactions
    EMPTY_TRIE_ROOT, // no receipts
    new Uint8Array(256), // empty logs bloom
    quantity(h.difficulty),
    quantity(h.number),
    quantity(h.gasLimit),
    quantity(h.gasUsed),
    quantity(h.timestamp),
    extraData,
    h.mixHash,
    nonce,
    ...(h.baseFee !== undefined ? [quantity(h.baseFee)] : []),
    ...(h.withdrawalsRoot !== undefined ? [h.withdrawalsRoot] : []),
  ]);
}

/** QBFT extraData fields, or undefined when the bytes are not RLP([vanity, [validators], vote, round, seals]). */
function qbftFields(extraData: Uint8Array): Rlp[] | undefined {
  try {
    const fields = RLP.decode(extraData) as Rlp;
    return Array.isArray(fields) && fields.length === 5 && Array.isArray(fields[1]) ? fields : undefined;
  } catch {
    return undefined;
  }
}

/** Legacy IBFT: 32 vanity bytes, then RLP([[validators], seal, committed seals]). */
function ibftFields(extraData: Uint8Array): Rlp[] | undefined {
  if (extraData.length < 32) return undefined;
  try {
    const fields = RLP.decode(extraData.subarray(32)) as Rlp;
    return Array.isArray(fields) && fields.length === 3 ? fields : undefined;
  } catch {
    return undefined;
  }
}

/**
 * GoQuorum `types.Header.Hash`: with the Istanbul mixHash, the header is hashed with its extraData filtered:
 * IBFT keeps the seal and empties the committed seals; QBFT empties the committed seals and sets the round to 0.
 */
export function goQuorumHeaderHash(h: GenesisHeader): Uint8Array {
  let extra = h.extraData;
  if (`0x${bytesToHex(h.mixHash)}` === ISTANBUL_DIGEST) {
    const ibft = ibftFields(extra);
    const qbft = ibft ? undefined : qbftFields(extra);
    if (ibft) {
      extra = new Uint8Array([...extra.subarray(0, 32), ...RLP.encode([ibft[0], ibft[1], []])]);
    } else if (qbft) {
      extra = RLP.encode([qbft[0], qbft[1], qbft[2], EMPTY_BYTES, []]);
    }
  }
  return keccak(headerRlp(h, extra));
}

/** Besu's hash of block 0: the extraData as written (QBFT decodes it first, so it must be a QBFT extraData). */
export function besuHeaderHash(h: GenesisHeader, qbft: boolean): Uint8Array {
  if (qbft && !qbftFields(h.extraData)) throw new Error("Besu QBFT: genesis extraData does not decode");
  return keccak(headerRlp(h, h.extraData));
}

// ---------------------------------------------------------------------------------------------------------
// Reading a genesis file as each client does

type JsonObject = Record<string, unknown>;

const hex = (value: string): Uint8Array => {
  const body = value.replace(/^0x/i, "");
  return hexToBytes(body.length % 2 ? `0${body}` : body);
};
const fixed = (value: string | undefined, size: number): Uint8Array => {
  const bytes = value === undefined ? new Uint8Array(size) : hex(value);
  if (bytes.length > size) throw new Error(`${value} is longer than ${size} bytes`);
  return new Uint8Array([...new Uint8Array(size - bytes.length), ...bytes]);
};

/** geth's `math.HexOrDecimal64/256`: a string, 0x-hex or decimal (a bare JSON number is refused). */
function hexOrDecimal(value: unknown, what: string): bigint {
  if (typeof value !== "string") throw new Error(`GoQuorum: ${what} must be a string`);
  if (/^0x[0-9a-f]+$/i.test(value)) return BigInt(`0x${value.slice(2)}`);
  if (/^[0-9]+$/.test(value)) return BigInt(value);
  throw new Error(`GoQuorum: ${what} ${value} is neither 0x-hex nor decimal`);
}

/** Besu `ParserUtils.parseBalance`: "0x" (lower case) means hex, anything else must be decimal. */
function besuBalance(value: string): bigint {
  if (value.startsWith("0x")) return value === "0x" ? 0n : BigInt(`0x${value.slice(2)}`);
  if (/^[0-9]+$/.test(value)) return BigInt(value);
  throw new Error(`Besu: balance ${value} is not a number`);
}

/** Go's encoding/json: an exact field name, else the first case-insensitive match. */
function goField(object: JsonObject, name: string): unknown {
  if (name in object) return object[name];
  const key = Object.keys(object).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : object[key];
}

function goQuorumAccounts(alloc: JsonObject): Map<string, GenesisAccount> {
  const accounts = new Map<string, GenesisAccount>();
  for (const [address, raw] of Object.entries(alloc)) {
    const account = raw as JsonObject;
    const storage = goField(account, "storage") as JsonObject | undefined;
    if (storage && Object.keys(storage).length > 0) throw new Error("alloc storage is not modelled");
    const balance = goField(account, "balance");
    if (balance === undefined) throw new Error(`GoQuorum: alloc ${address} has no balance`);
    const nonce = goField(account, "nonce");
    const code = goField(account, "code") as string | undefined;
    accounts.set(bytesToHex(fixed(address, 20)), {
      balance: hexOrDecimal(balance, "balance"),
      nonce: nonce === undefined ? 0n : hexOrDecimal(nonce, "nonce"),
      code: code === undefined ? EMPTY_BYTES : hex(code),
    });
  }
  return accounts;
}

/** Block 0 header as GoQuorum's `geth init` builds it from the file. */
export function goQuorumGenesisHeader(text: string): GenesisHeader {
  const genesis = JSON.parse(text) as JsonObject;
  const field = (name: string) => goField(genesis, name);
  const quantityField = (name: string) => {
    const value = field(name);
    return value === undefined ? 0n : hexOrDecimal(value, name);
  };
  const gasLimit = quantityField("gasLimit");
  if (field("difficulty") === undefined) throw new Error("GoQuorum: difficulty is required");
  const alloc = field("alloc");
  if (alloc === undefined) throw new Error("GoQuorum: alloc is required");
  return {
    parentHash: fixed(field("parentHash") as string | undefined, 32),
    coinbase: fixed(field("coinbase") as string | undefined, 20),
    stateRoot: stateRoot(goQuorumAccounts(alloc as JsonObject)),
    difficulty: quantityField("difficulty"),
    number: quantityField("number"),
    gasLimit: gasLimit === 0n ? GOQUORUM_GENESIS_GAS_LIMIT : gasLimit,
    gasUsed: quantityField("gasUsed"),
    timestamp: quantityField("timestamp"),
    extraData: hex((field("extraData") as string | undefined) ?? "0x"),
    mixHash: fixed(field("mixHash") as string | undefined, 32),
    nonce: quantityField("nonce"),
  };
}

/** Besu `JsonUtil.normalizeKeys`: every key lower-cased, recursively. */
function lowerKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(lowerKeys);
  if (value === null || typeof value !== "object") return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) {
    const key = k.toLowerCase();
    if (key in out) throw new Error(`Besu: keys collide once lower-cased: ${key}`);
    out[key] = lowerKeys(v);
  }
  return out;
}

/** Besu header quantities: 0x-hex (decimal is not modelled here). */
function besuQuantity(value: unknown, what: string, fallback: bigint): bigint {
  if (value === undefined) return fallback;
  if (typeof value !== "string" || !/^0x[0-9a-fA-F]*$/.test(value)) {
    throw new Error(`Besu: ${what} must be a 0x-hex string here`);
  }
  return value === "0x" ? 0n : BigInt(value);
}

function besuAccounts(alloc: JsonObject): Map<string, GenesisAccount> {
  const accounts = new Map<string, GenesisAccount>();
  for (const [address, raw] of Object.entries(alloc)) {
    const account = lowerKeys(raw) as JsonObject;
    if (account.storage && Object.keys(account.storage as JsonObject).length > 0) {
      throw new Error("alloc storage is not modelled");
    }
    const key = bytesToHex(fixed(address, 20));
    // Two spellings of one address are one account in the state; which value wins is not modelled.
    if (accounts.has(key)) throw new Error(`Besu: alloc lists ${key} twice`);
    const balance = account.balance as string | undefined;
    const nonce = account.nonce as string | undefined;
    accounts.set(key, {
      balance: balance === undefined ? 0n : besuBalance(balance),
      // ParserUtils.parseUnsignedLong: hex, with or without 0x.
      nonce: nonce === undefined ? 0n : BigInt(`0x${nonce.replace(/^0x/i, "") || "0"}`),
      code: account.code === undefined ? EMPTY_BYTES : hex(account.code as string),
    });
  }
  return accounts;
}

const atGenesis = (value: unknown): boolean => value !== undefined && BigInt(value as number) === 0n;

/** Block 0 header as Besu builds it from the file (`GenesisState.buildHeader`). */
export function besuGenesisHeader(text: string): GenesisHeader {
  const parsed = JSON.parse(text) as JsonObject;
  const { alloc, ...rest } = parsed;
  const genesis = lowerKeys(rest) as JsonObject;
  const config = (genesis.config ?? {}) as JsonObject;
  const timestamp = besuQuantity(genesis.timestamp, "timestamp", 0n);
  const forkTimes = ["cancuntime", "praguetime", "osakatime"].filter((k) => config[k] !== undefined);
  if (forkTimes.some((k) => BigInt(config[k] as number) <= timestamp)) {
    throw new Error(`Besu: forks after Shanghai at block 0 (${forkTimes.join(", ")}) are not modelled`);
  }
  // GenesisConfig.getGenesisBaseFeePerGas: the file's baseFeePerGas, else with London at block 0 the default
  // (0 with zeroBaseFee); no London and no base fee: no baseFee field.
  const london = atGenesis(config.londonblock) || genesis.basefeepergas !== undefined;
  const londonDefault = config.zerobasefee === true ? 0n : BESU_DEFAULT_BASE_FEE;
  const baseFee = besuQuantity(genesis.basefeepergas, "baseFeePerGas", londonDefault);
  const shanghai = config.shanghaitime !== undefined && BigInt(config.shanghaitime as number) <= timestamp;
  if (genesis.gaslimit === undefined) throw new Error("Besu: gasLimit is required");
  return {
    parentHash: fixed(genesis.parenthash as string | undefined, 32),
    coinbase: fixed(genesis.coinbase as string | undefined, 20),
    stateRoot: stateRoot(besuAccounts((alloc ?? {}) as JsonObject)),
    difficulty: besuQuantity(genesis.difficulty, "difficulty", 0n),
    number: 0n,
    gasLimit: besuQuantity(genesis.gaslimit, "gasLimit", 0n),
    gasUsed: 0n,
    timestamp,
    extraData: hex((genesis.extradata as string | undefined) ?? "0x"),
    mixHash: fixed(genesis.mixhash as string | undefined, 32),
    nonce: besuQuantity(genesis.nonce, "nonce", 0n),
    ...(london ? { baseFee } : {}),
    ...(shanghai ? { withdrawalsRoot: EMPTY_TRIE_ROOT } : {}),
  };
}

const toHex = (bytes: Uint8Array) => `0x${bytesToHex(bytes)}`;

/** The block hash `geth init` stores for this genesis file. */
export const goQuorumGenesisHash = (text: string): string =>
  toHex(goQuorumHeaderHash(goQuorumGenesisHeader(text)));

/** The block hash Besu starts from for this genesis file (`qbft`: the file's engine is QBFT). */
export function besuGenesisHash(text: string): string {
  const { alloc: _, ...rest } = JSON.parse(text) as JsonObject;
  const qbft = (lowerKeys(rest) as { config?: JsonObject }).config?.qbft !== undefined;
  return toHex(besuHeaderHash(besuGenesisHeader(text), qbft));
}
