/**
 * Genesis for GoQuorum v24.4.1 QBFT/IBFT networks (spec §1, §2, §7). Every node must init from a
 * byte-identical file, so validators are sorted and the JSON has a canonical key order.
 */
import { RLP } from "@ethereumjs/rlp";
import { bytesToHex, concatBytes, hexToBytes } from "@noble/hashes/utils";
import type { NetworkConfig, TransitionConfig } from "../config/schema";
import { roundTimerCap } from "../plan/consensus";

/** Required mixHash of every istanbul-family header ("tical byzantine fault tolerance"). */
export const ISTANBUL_DIGEST = "0x63746963616c2062797a616e74696e65206661756c7420746f6c6572616e6365";
const ZERO_ADDRESS = `0x${"0".repeat(40)}`;
const ZERO_HASH = `0x${"0".repeat(64)}`;
const GENESIS_VANITY = new Uint8Array(32);

/** The network settings the genesis depends on. */
export type GenesisSettings = Pick<
  NetworkConfig,
  | "chainId"
  | "consensus"
  | "blockPeriodSeconds"
  | "emptyBlockPeriodSeconds"
  | "epochLength"
  | "requestTimeoutSeconds"
  | "maxRequestTimeoutSeconds"
  | "transitions"
  | "gasLimit"
  | "txnSizeLimit"
  | "alloc"
>;

export interface BftConfig {
  readonly epochlength: number;
  readonly blockperiodseconds: number;
  /** QBFT only, always written: Besu reads the same key with another default (0, off), so a mixed chain states it. */
  readonly emptyblockperiodseconds?: number;
  /** Seconds (GoQuorum ≥ v23.4 multiplies by 1000). */
  readonly requesttimeoutseconds: number;
  /** 0 = round-robin proposer. */
  readonly policy: 0;
  /** 0 = use ceil(2N/3) quorum from genesis. */
  readonly ceil2Nby3Block: 0;
  /** QBFT only: cap on the doubling round timer (seconds; v23.4+ `params/config.go` QBFTConfig). */
  readonly maxRequestTimeoutSeconds?: number;
}

/** Every fork through Berlin at block 0: the newest EVM GoQuorum has, and where Besu's file stops. */
export interface ForksThroughBerlin {
  readonly homesteadBlock: 0;
  readonly eip150Block: 0;
  readonly eip155Block: 0;
  readonly eip158Block: 0;
  readonly byzantiumBlock: 0;
  readonly constantinopleBlock: 0;
  readonly petersburgBlock: 0;
  readonly istanbulBlock: 0;
  readonly muirGlacierBlock: 0;
  readonly berlinBlock: 0;
}

export interface QuorumGenesis {
  readonly config: ForksThroughBerlin & {
    readonly chainId: number;
    readonly isQuorum: true;
    readonly txnSizeLimit: number;
    readonly qbft?: BftConfig;
    readonly ibft?: BftConfig;
    /** Absent when there are none (geth: `json:"transitions,omitempty"`). */
    readonly transitions?: readonly TransitionConfig[];
  };
  readonly nonce: "0x0";
  readonly timestamp: "0x0";
  readonly extraData: string;
  readonly gasLimit: string;
  readonly difficulty: "0x1";
  readonly mixHash: string;
  readonly coinbase: string;
  readonly parentHash: string;
  readonly number: "0x0";
  readonly gasUsed: "0x0";
  readonly alloc: Readonly<Record<string, { readonly balance: string }>>;
}

/** QBFT extraData: RLP([vanity 32×00, [validators], vote nil → c0, round 0 → 80, seals → c0]). */
export function encodeQbftExtraData(validatorAddresses: readonly string[]): string {
  const validators = sortedValidatorBytes(validatorAddresses);
  // Vote must be the empty *list*: geth rejects 0x80 there ("wrong kind of empty value").
  return `0x${bytesToHex(RLP.encode([GENESIS_VANITY, validators, [], Uint8Array.of(), []]))}`;
}

/** Legacy IBFT extraData: 32 raw vanity bytes ‖ RLP([[validators], seal "" → 80, committed seals → c0]). */
export function encodeIbftExtraData(validatorAddresses: readonly string[]): string {
  const validators = sortedValidatorBytes(validatorAddresses);
  const body = RLP.encode([validators, Uint8Array.of(), []]);
  return `0x${bytesToHex(concatBytes(GENESIS_VANITY, body))}`;
}

/** Validator addresses (lowercase, encoded order) of a QBFT extraData, from any block header. */
export function decodeQbftExtraData(extraData: string): string[] {
  const fields = RLP.decode(extraBytes(extraData));
  if (!Array.isArray(fields) || fields.length !== 5) {
    throw new Error(
      "QBFT extraData must be an RLP list of 5 fields (vanity, validators, vote, round, seals)",
    );
  }
  if (!Array.isArray(fields[2])) throw new Error("QBFT extraData vote must be an RLP list (0xc0 when empty)");
  return addressList(fields[1]);
}

/** Validator addresses (lowercase, encoded order) of a legacy IBFT extraData. */
export function decodeIbftExtraData(extraData: string): string[] {
  const bytes = extraBytes(extraData);
  if (bytes.length <= GENESIS_VANITY.length)
    throw new Error("IBFT extraData is shorter than its 32-byte vanity");
  const fields = RLP.decode(bytes.subarray(GENESIS_VANITY.length));
  if (!Array.isArray(fields) || fields.length !== 3) {
    throw new Error(
      "IBFT extraData must be vanity ‖ RLP list of 3 fields (validators, seal, committed seals)",
    );
  }
  return addressList(fields[0]);
}

/**
 * The empty-block period both clients are given: the configured one, else the block period. Written explicitly
 * because the clients' defaults differ; the block period is what "unset" means to each of them: GoQuorum
 * delays an empty block only when the period exceeds the block period (v24.4.1
 * `consensus/istanbul/qbft/core/request.go` handleRequest), and Besu's empty-block timer, expiring with the
 * block timer, lets the empty block through at once (besu `consensus/common/.../bft/BlockTimer.java`
 * checkEmptyBlockExpired).
 */
export function emptyBlockPeriod(
  network: Pick<GenesisSettings, "blockPeriodSeconds" | "emptyBlockPeriodSeconds">,
): number {
  return network.emptyBlockPeriodSeconds ?? network.blockPeriodSeconds;
}

export function buildGenesis(network: GenesisSettings, validatorAddresses: readonly string[]): QuorumGenesis {
  // Schema already refuses 1; checked again because geth init refuses it with isQuorum.
  if (network.chainId === 1) throw new Error("chainId 1 is Ethereum mainnet and is refused by GoQuorum");
  const bft: BftConfig = {
    epochlength: network.epochLength,
    blockperiodseconds: network.blockPeriodSeconds,
    // Only the QBFT engine implements empty-block periods; IBFT would silently ignore the key.
    ...(network.consensus === "qbft" ? { emptyblockperiodseconds: emptyBlockPeriod(network) } : {}),
    requesttimeoutseconds: network.requestTimeoutSeconds,
    policy: 0,
    ceil2Nby3Block: 0,
  };
  const qbft = network.consensus === "qbft";
  // Only the QBFT engine reads the cap (eth/ethconfig/config.go copies it from config.qbft alone).
  const engine: BftConfig = qbft ? { ...bft, maxRequestTimeoutSeconds: roundTimerCap(network) } : bft;
  return {
    // Every fork from homestead to berlin at 0: geth checks fork order and Berlin is the newest it knows.
    config: {
      chainId: network.chainId,
      homesteadBlock: 0,
      eip150Block: 0,
      eip155Block: 0,
      eip158Block: 0,
      byzantiumBlock: 0,
      constantinopleBlock: 0,
      petersburgBlock: 0,
      istanbulBlock: 0,
      muirGlacierBlock: 0,
      berlinBlock: 0,
      isQuorum: true,
      txnSizeLimit: network.txnSizeLimit,
      ...(qbft ? { qbft: engine } : { ibft: engine }),
      ...(network.transitions.length > 0 ? { transitions: network.transitions } : {}),
    },
    nonce: "0x0",
    timestamp: "0x0",
    extraData: qbft ? encodeQbftExtraData(validatorAddresses) : encodeIbftExtraData(validatorAddresses),
    gasLimit: network.gasLimit,
    difficulty: "0x1",
    mixHash: ISTANBUL_DIGEST,
    coinbase: ZERO_ADDRESS,
    parentHash: ZERO_HASH,
    number: "0x0",
    gasUsed: "0x0",
    alloc: normalisedAlloc(network.alloc),
  };
}

/** Canonical text: keys sorted at every level, 2-space indent, trailing newline. */
export function genesisJson(genesis: QuorumGenesis): string {
  return canonicalJson(genesis);
}

/** The canonical text of any JSON value, as `genesisJson` writes a genesis. */
export function canonicalJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

function sortedValidatorBytes(addresses: readonly string[]): Uint8Array[] {
  if (addresses.length === 0) throw new Error("a QBFT/IBFT genesis needs at least one validator");
  const lower = addresses.map((a) => {
    if (!/^0x[0-9a-fA-F]{40}$/.test(a)) throw new Error(`validator address must be 0x + 40 hex: ${a}`);
    return a.toLowerCase();
  });
  const sorted = [...new Set(lower)].sort();
  if (sorted.length !== lower.length) throw new Error("validator addresses must be unique");
  return sorted.map((a) => hexToBytes(a.slice(2)));
}

function extraBytes(extraData: string): Uint8Array {
  if (!/^0x([0-9a-fA-F]{2})*$/.test(extraData))
    throw new Error("extraData must be 0x-prefixed even-length hex");
  return hexToBytes(extraData.slice(2));
}

function addressList(field: unknown): string[] {
  if (!Array.isArray(field)) throw new Error("extraData validators field must be an RLP list");
  return field.map((item) => {
    if (!(item instanceof Uint8Array) || item.length !== 20) {
      throw new Error("extraData validators must be 20-byte addresses");
    }
    return `0x${bytesToHex(item)}`;
  });
}

function normalisedAlloc(alloc: GenesisSettings["alloc"]): Record<string, { balance: string }> {
  const out: Record<string, { balance: string }> = {};
  for (const [address, account] of Object.entries(alloc)) {
    const key = address.toLowerCase();
    // Two spellings of one address would silently merge: geth keeps only one of them.
    if (key in out) throw new Error(`alloc lists address ${key} twice (keys differ only in case)`);
    out[key] = { balance: account.balance };
  }
  return out;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}
