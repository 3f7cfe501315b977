import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RLP } from "@ethereumjs/rlp";
import { bytesToHex, hexToBytes } from "@noble/hashes/utils";
import fc from "fast-check";
import { Network } from "../infra/config/schema";
import {
  buildGenesis,
  decodeIbftExtraData,
  decodeQbftExtraData,
  encodeIbftExtraData,
  encodeQbftExtraData,
  genesisJson,
  ISTANBUL_DIGEST,
} from "../infra/quorum/genesis";

// The validators of GoQuorum's core/types/istanbul_test.go, in the test's order.
const GO_VALIDATORS = [
  "0x44add0ec310f115a0e603b2d7db9f067778eaf8a",
  "0x294fc7e8f22b3bcdcf955dd7ff3ba2ed833f8212",
  "0x6beaaed781d2d2ab6350f5c4566a2c6eaac407a6",
  "0x8be76812f765c24641ec63dc2852b378aba2b440",
];
const SORTED = [...GO_VALIDATORS].sort();
const rlpAddresses = (addrs: string[]) => addrs.map((a) => `94${a.slice(2)}`).join("");
const VANITY_32 = `a0${"00".repeat(32)}`;

// TestExtractToQBFTExtra (empty vanity) and TestExtractToIstanbul (32 zero bytes of vanity, then RLP).
const QBFT_VECTOR = `0xf85a80f854${rlpAddresses(GO_VALIDATORS)}c080c0`;
const IBFT_VECTOR = `0x${"00".repeat(32)}f858f854${rlpAddresses(GO_VALIDATORS)}80c0`;

const address = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => `0x${bytesToHex(b)}`);
const validatorSets = fc.uniqueArray(address, { minLength: 1, maxLength: 64 });

const network = (overrides: Record<string, unknown> = {}) =>
  Network.parse({ name: "testnet", chainId: 1337, ...overrides });

describe("QBFT extraData", () => {
  it("reproduces GoQuorum's TestExtractToQBFTExtra vector with the spec's RLP structure", () => {
    const vector = RLP.encode([
      Uint8Array.of(),
      GO_VALIDATORS.map((a) => hexToBytes(a.slice(2))),
      [],
      Uint8Array.of(),
      [],
    ]);
    assert.equal(`0x${bytesToHex(vector)}`, QBFT_VECTOR);
    assert.deepEqual(decodeQbftExtraData(QBFT_VECTOR), GO_VALIDATORS);
  });

  it("encodes the genesis layout: f87a, 32 zero vanity, f854 + 4 sorted addresses, c0 80 c0", () => {
    const extra = encodeQbftExtraData(GO_VALIDATORS);
    assert.equal(extra, `0xf87a${VANITY_32}f854${rlpAddresses(SORTED)}c080c0`);
    assert.equal((extra.length - 2) / 2, 124);
    // Same fields as the GoQuorum vector, once vanity and order are aligned.
    assert.equal(extra.slice(6 + VANITY_32.length), `f854${rlpAddresses(SORTED)}c080c0`);
  });

  it("round-trips 1..64 validators to the sorted list, whatever the input order", () => {
    fc.assert(
      fc.property(validatorSets, (validators) => {
        const sorted = [...validators].sort();
        assert.deepEqual(decodeQbftExtraData(encodeQbftExtraData(validators)), sorted);
        assert.equal(encodeQbftExtraData([...validators].reverse()), encodeQbftExtraData(validators));
      }),
    );
  });

  it("uses long-list headers for 64 validators (21·64 = 0x540 bytes, 0x567 in all)", () => {
    const sixtyFour = Array.from({ length: 64 }, (_, i) => `0x${(i + 1).toString(16).padStart(40, "0")}`);
    assert.match(encodeQbftExtraData(sixtyFour), new RegExp(`^0xf90567${VANITY_32}f90540940{39}1`));
  });

  it("refuses empty, malformed or duplicate validator lists", () => {
    assert.throws(() => encodeQbftExtraData([]), /at least one validator/);
    assert.throws(() => encodeQbftExtraData(["0x1234"]), /0x \+ 40 hex/);
    assert.throws(
      () => encodeQbftExtraData([SORTED[0], SORTED[0].toUpperCase().replace("0X", "0x")]),
      /unique/,
    );
  });

  it("refuses a vote encoded as an empty string, like geth", () => {
    const badVote = `0xf87a${VANITY_32}f854${rlpAddresses(SORTED)}8080c0`;
    assert.throws(() => decodeQbftExtraData(badVote), /vote must be an RLP list/);
  });
});

describe("IBFT extraData", () => {
  it("reproduces GoQuorum's TestExtractToIstanbul vector (after sorting)", () => {
    assert.deepEqual(decodeIbftExtraData(IBFT_VECTOR), GO_VALIDATORS);
    assert.equal(
      encodeIbftExtraData(GO_VALIDATORS),
      `0x${"00".repeat(32)}f858f854${rlpAddresses(SORTED)}80c0`,
    );
  });

  it("round-trips 1..64 validators to the sorted list", () => {
    fc.assert(
      fc.property(validatorSets, (validators) => {
        assert.deepEqual(decodeIbftExtraData(encodeIbftExtraData(validators)), [...validators].sort());
      }),
    );
  });
});

describe("buildGenesis", () => {
  const forks = [
    "homesteadBlock",
    "eip150Block",
    "eip155Block",
    "eip158Block",
    "byzantiumBlock",
    "constantinopleBlock",
    "petersburgBlock",
    "istanbulBlock",
    "muirGlacierBlock",
    "berlinBlock",
  ];

  it("follows every GoQuorum genesis rule", () => {
    const genesis = buildGenesis(network({ gasLimit: "0xE0000000", txnSizeLimit: 128 }), GO_VALIDATORS);
    const config = genesis.config as unknown as Record<string, unknown>;
    for (const fork of forks) assert.equal(config[fork], 0, fork);
    assert.equal(config.chainId, 1337);
    assert.notEqual(config.chainId, 1);
    assert.equal(config.isQuorum, true);
    assert.equal(config.txnSizeLimit, 128);
    assert.ok(!("maxCodeSize" in config));
    assert.ok(!("istanbul" in config) && !("ibft" in config));
    assert.deepEqual(genesis.config.qbft, {
      epochlength: 30000,
      blockperiodseconds: 5,
      emptyblockperiodseconds: 5,
      requesttimeoutseconds: 10,
      maxRequestTimeoutSeconds: 80,
      policy: 0,
      ceil2Nby3Block: 0,
    });
    assert.ok(!("transitions" in config), "geth writes no empty transitions list (omitempty)");
    // HexOrDecimal64/256 fields only decode from JSON strings in this geth base.
    for (const key of ["nonce", "timestamp", "gasLimit", "difficulty", "number", "gasUsed"] as const) {
      assert.equal(typeof genesis[key], "string", key);
    }
    assert.equal(genesis.nonce, "0x0");
    assert.equal(genesis.timestamp, "0x0");
    assert.equal(genesis.gasLimit, "0xE0000000");
    assert.equal(genesis.difficulty, "0x1");
    assert.equal(genesis.mixHash, ISTANBUL_DIGEST);
    assert.equal(genesis.mixHash, "0x63746963616c2062797a616e74696e65206661756c7420746f6c6572616e6365");
    assert.equal(genesis.coinbase, `0x${"0".repeat(40)}`);
    assert.equal(genesis.parentHash, `0x${"0".repeat(64)}`);
    assert.deepEqual(decodeQbftExtraData(genesis.extraData), SORTED);
  });

  it("writes the four QBFT timers explicitly (Besu's defaults differ): an unset empty-block period is the block period", () => {
    const genesis = buildGenesis(network({ emptyBlockPeriodSeconds: 60, requestTimeoutSeconds: 4 }), SORTED);
    assert.equal(genesis.config.qbft?.emptyblockperiodseconds, 60);
    assert.equal(genesis.config.qbft?.requesttimeoutseconds, 4);
    const defaults = buildGenesis(network({ blockPeriodSeconds: 2 }), SORTED).config.qbft;
    assert.deepEqual(
      [
        defaults?.blockperiodseconds,
        defaults?.emptyblockperiodseconds,
        defaults?.requesttimeoutseconds,
        defaults?.epochlength,
      ],
      [2, 2, 10, 30000],
    );
    assert.deepEqual([defaults?.policy, defaults?.ceil2Nby3Block], [0, 0]);
  });

  it("caps the QBFT round timer under the key GoQuorum decodes, 8 × requestTimeoutSeconds unless configured", () => {
    // What geth's JSON decoder reads (params/config.go QBFTConfig: `json:"maxRequestTimeoutSeconds"`; Go matches
    // names case-insensitively, so only this spelling's value counts).
    const cap = (overrides: Record<string, unknown>) =>
      (JSON.parse(genesisJson(buildGenesis(network(overrides), SORTED))) as { config: { qbft: object } })
        .config.qbft;
    assert.deepEqual(
      Object.entries(cap({})).filter(([k]) => k.toLowerCase() === "maxrequesttimeoutseconds"),
      [["maxRequestTimeoutSeconds", 80]],
    );
    assert.equal((cap({ requestTimeoutSeconds: 4 }) as Record<string, unknown>).maxRequestTimeoutSeconds, 32);
    assert.equal(
      (cap({ maxRequestTimeoutSeconds: 45 }) as Record<string, unknown>).maxRequestTimeoutSeconds,
      45,
    );
  });

  it("writes the configured transitions in geth's shape: a list under config, numeric blocks, ascending", () => {
    const transitions = [
      { block: 120000, maxRequestTimeoutSeconds: 60 },
      { block: 500000, requesttimeoutseconds: 15, maxRequestTimeoutSeconds: 120 },
    ];
    const text = genesisJson(buildGenesis(network({ transitions }), SORTED));
    const { config } = JSON.parse(text) as { config: { transitions: Record<string, unknown>[] } };
    assert.deepEqual(config.transitions, transitions);
    assert.match(text, /"block": 120000,/);
  });

  it("writes an ibft block and IBFT extraData for consensus ibft", () => {
    const genesis = buildGenesis(network({ consensus: "ibft", emptyBlockPeriodSeconds: 60 }), GO_VALIDATORS);
    assert.ok(!("qbft" in genesis.config));
    assert.deepEqual(genesis.config.ibft, {
      epochlength: 30000,
      blockperiodseconds: 5,
      requesttimeoutseconds: 10,
      policy: 0,
      ceil2Nby3Block: 0,
    });
    assert.deepEqual(decodeIbftExtraData(genesis.extraData), SORTED);
  });

  it("lowercases alloc keys and keeps balances as strings", () => {
    const alloc = {
      "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf": { balance: "1000000000000000000000" },
      "0x970E8128AB834E8EAC17Ab8E3812F010678CF791": { balance: "0xde0b6b3a7640000" },
    };
    assert.deepEqual(buildGenesis(network({ alloc }), SORTED).alloc, {
      "0x7e5f4552091a69125d5dfcb7b8c2659029395bdf": { balance: "1000000000000000000000" },
      "0x970e8128ab834e8eac17ab8e3812f010678cf791": { balance: "0xde0b6b3a7640000" },
    });
    const clash = { ...alloc, "0x7e5f4552091a69125d5dfcb7b8c2659029395bdf": { balance: "1" } };
    assert.throws(() => buildGenesis(network({ alloc: clash }), SORTED), /twice/);
  });

  it("refuses chain id 1", () => {
    assert.throws(() => buildGenesis({ ...network(), chainId: 1 }, SORTED), /chainId 1/);
  });
});

describe("genesisJson", () => {
  it("is byte-identical across calls and validator orders", () => {
    fc.assert(
      fc.property(validatorSets, (validators) => {
        const a = genesisJson(buildGenesis(network(), validators));
        const b = genesisJson(buildGenesis(network(), [...validators].reverse()));
        assert.equal(a, b);
      }),
      { numRuns: 50 },
    );
  });

  it("has sorted keys, 2-space indent and a trailing newline", () => {
    const text = genesisJson(buildGenesis(network(), SORTED));
    assert.ok(text.endsWith("}\n") && !text.endsWith("\n\n"));
    assert.match(text, /^\{\n {2}"alloc": \{\},\n {2}"coinbase"/);
    const topKeys = Object.keys(JSON.parse(text));
    assert.deepEqual(topKeys, [...topKeys].sort());
    assert.ok(!/"(nonce|timestamp|gasLimit|difficulty|number|gasUsed)": \d/.test(text));
  });
});
