/**
 * One chain, two genesis files: the Besu genesis gives the same block 0 as the GoQuorum one, by an independent
 * computation of each client's genesis hash (tests/helpers/genesisHash.ts, checked against upstream vectors).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RLP } from "@ethereumjs/rlp";
import { bytesToHex, hexToBytes } from "@noble/hashes/utils";
import fc from "fast-check";
import { BESU_RELEASES } from "../infra/besu/behaviour";
import { besuGenesisFromGoQuorum, besuGenesisJson, buildBesuGenesis } from "../infra/besu/genesis";
import { Network } from "../infra/config/schema";
import { MIN_GENESIS_GAS_LIMIT } from "../infra/plan/genesisGasLimit";
import { buildGenesis, genesisJson } from "../infra/quorum/genesis";
import { besuGenesisHash, besuGenesisHeader, goQuorumGenesisHash } from "./helpers/genesisHash";

const VALIDATORS = [
  "0x44add0ec310f115a0e603b2d7db9f067778eaf8a",
  "0x294fc7e8f22b3bcdcf955dd7ff3ba2ed833f8212",
  "0x6beaaed781d2d2ab6350f5c4566a2c6eaac407a6",
  "0x8be76812f765c24641ec63dc2852b378aba2b440",
];
const ALLOC = {
  "0x1111111111111111111111111111111111111111": { balance: "1000000000000000000000000000" },
  "0xAbCdEf0000000000000000000000000000000001": { balance: "0xde0b6b3a7640000" },
  "0x2222222222222222222222222222222222222222": { balance: "0" },
};

const network = (overrides: Record<string, unknown> = {}) =>
  Network.parse({ name: "testnet", chainId: 1337, alloc: ALLOC, ...overrides });

/** Both files' text for one network, as the nodes would read them. */
function files(settings = network(), validators = VALIDATORS) {
  return {
    goQuorum: genesisJson(buildGenesis(settings, validators)),
    besu: besuGenesisJson(buildBesuGenesis(settings, validators).genesis),
  };
}

type JsonObject = Record<string, unknown>;
const parse = (text: string) => JSON.parse(text) as JsonObject & { config: JsonObject };
const withBalance = (text: string, balance: string) => {
  const genesis = parse(text);
  const alloc = genesis.alloc as Record<string, { balance: string }>;
  alloc[Object.keys(alloc)[0]].balance = balance;
  return JSON.stringify(genesis);
};

describe("the Besu genesis", () => {
  it("gives the block 0 of the GoQuorum genesis, by each client's rules", () => {
    const { goQuorum, besu } = files();
    const hash = goQuorumGenesisHash(goQuorum);
    assert.match(hash, /^0x[0-9a-f]{64}$/);
    assert.equal(besuGenesisHash(besu), hash);
  });

  it("copies every header field and the alloc from the GoQuorum genesis", () => {
    const { goQuorum, besu } = files();
    const [q, b] = [parse(goQuorum), parse(besu)];
    const header = ["nonce", "timestamp", "extraData", "gasLimit", "difficulty", "mixHash", "coinbase"];
    for (const field of [...header, "parentHash", "number", "gasUsed", "alloc"]) {
      assert.deepEqual(b[field], q[field], field);
    }
    assert.equal(Object.keys(b.alloc as JsonObject).length, 3);
  });

  it("stops at berlinBlock: no London or later fork, no base fee, so Besu's header has GoQuorum's fields", () => {
    const { besu } = files();
    const genesis = parse(besu);
    const forks = Object.keys(genesis.config).filter((k) => /Block$/.test(k));
    const goQuorumForks = Object.keys(parse(files().goQuorum).config).filter((k) => /Block$/.test(k));
    assert.deepEqual(forks, goQuorumForks);
    assert.ok(forks.includes("berlinBlock"));
    assert.ok(!/london|shanghai|cancun|prague|basefee/i.test(besu));
    assert.equal(besuGenesisHeader(besu).baseFee, undefined);
    // The trap the file avoids: London at block 0 adds Besu's default base fee and another block 0.
    const london = { ...genesis, config: { ...genesis.config, londonBlock: 0 } };
    assert.equal(besuGenesisHeader(JSON.stringify(london)).baseFee, 1_000_000_000n);
    assert.notEqual(besuGenesisHash(JSON.stringify(london)), besuGenesisHash(besu));
  });

  it("sets the contract size limit in bytes to the 24 KB GoQuorum applies (it sets none, so its default)", () => {
    const { goQuorum, besu } = files();
    assert.equal(parse(besu).config.contractSizeLimit, 24 * 1024);
    assert.ok(!/maxCodeSize|contractsizelimit/i.test(goQuorum));
  });

  it("writes the four QBFT timers on both sides, equal, with GoQuorum's policy 0 and ceil2Nby3Block 0", () => {
    for (const overrides of [
      {},
      { blockPeriodSeconds: 2, emptyBlockPeriodSeconds: 30, requestTimeoutSeconds: 4, epochLength: 100 },
    ]) {
      const { goQuorum, besu } = files(network(overrides));
      const q = parse(goQuorum).config.qbft as JsonObject;
      const b = parse(besu).config.qbft as JsonObject;
      const timers = [
        "blockperiodseconds",
        "emptyblockperiodseconds",
        "requesttimeoutseconds",
        "epochlength",
      ];
      assert.deepEqual(Object.keys(b).sort(), [...timers, "xemptyblockperiodseconds"].sort());
      for (const timer of timers) assert.equal(b[timer], q[timer], timer);
      assert.equal(b.xemptyblockperiodseconds, q.emptyblockperiodseconds);
      assert.deepEqual([q.policy, q.ceil2Nby3Block], [0, 0]);
    }
    const defaults = parse(files().besu).config.qbft as JsonObject;
    assert.deepEqual(
      [defaults.blockperiodseconds, defaults.emptyblockperiodseconds, defaults.requesttimeoutseconds],
      [5, 5, 10],
    );
  });

  it("gives every Besu release the program knows GoQuorum's empty-block period, whichever key it reads", () => {
    // 25.7.0 reads only xemptyblockperiodseconds; 26.5.0+ reads emptyblockperiodseconds first (BESU_RELEASES).
    const read = (qbft: JsonObject, keys: readonly string[]) => {
      const key = keys.find((k) => k in qbft);
      return key === undefined ? 0 : qbft[key];
    };
    for (const overrides of [{}, { blockPeriodSeconds: 2, emptyBlockPeriodSeconds: 60 }]) {
      const { goQuorum, besu } = files(network(overrides));
      const expected = (parse(goQuorum).config.qbft as JsonObject).emptyblockperiodseconds;
      assert.ok(typeof expected === "number" && expected > 0);
      const qbft = parse(besu).config.qbft as JsonObject;
      for (const release of BESU_RELEASES) {
        assert.equal(read(qbft, release.emptyBlockPeriodKeys), expected, `Besu ${release.since}`);
      }
    }
  });

  it("writes no GoQuorum-only key, and no two keys Besu would lower-case to one", () => {
    const { besu } = files();
    const genesis = parse(besu);
    for (const key of ["isQuorum", "txnSizeLimit", "transitions", "ibft"])
      assert.ok(!(key in genesis.config), key);
    const qbft = genesis.config.qbft as JsonObject;
    for (const key of ["policy", "ceil2Nby3Block", "maxRequestTimeoutSeconds"])
      assert.ok(!(key in qbft), key);
    const keys = (o: JsonObject): string[] => Object.keys(o);
    for (const object of [genesis, genesis.config, qbft]) {
      assert.equal(new Set(keys(object).map((k) => k.toLowerCase())).size, keys(object).length);
    }
  });

  it("leaves out the round-timer transitions Besu cannot read, names them, and keeps block 0", () => {
    const transitions = [
      { block: 120000, maxRequestTimeoutSeconds: 60 },
      { block: 500000, requesttimeoutseconds: 15 },
    ];
    const settings = network({ transitions });
    const { genesis, uncarried } = buildBesuGenesis(settings, VALIDATORS);
    assert.ok(!("transitions" in genesis.config));
    assert.deepEqual(
      uncarried.map((u) => u.path),
      ["network.transitions[0].maxRequestTimeoutSeconds", "network.transitions[1].requesttimeoutseconds"],
    );
    assert.match(uncarried[1].why, /config\.qbft only/);
    const { goQuorum, besu } = files(settings);
    assert.deepEqual(parse(goQuorum).config.transitions, transitions);
    assert.equal(besuGenesisHash(besu), goQuorumGenesisHash(goQuorum));
  });

  it("refuses legacy IBFT, naming network.consensus", () => {
    assert.throws(
      () => buildBesuGenesis(network({ consensus: "ibft" }), VALIDATORS),
      /^Error: network\.consensus:/,
    );
  });

  it("needs extraData at round 0 with no seals: GoQuorum hashes block 0 filtered, Besu as written", () => {
    // Why the genesis encoder's round 0 and empty seals matter: the same file with round 1 is two blocks.
    const { goQuorum } = files();
    const genesis = parse(goQuorum);
    const [vanity, validators, vote] = RLP.decode(hexToBytes((genesis.extraData as string).slice(2))) as [
      Uint8Array,
      Uint8Array[],
      Uint8Array[],
    ];
    genesis.extraData = `0x${bytesToHex(RLP.encode([vanity, validators, vote, Uint8Array.of(1), []]))}`;
    const text = JSON.stringify(genesis);
    assert.equal(goQuorumGenesisHash(text), goQuorumGenesisHash(goQuorum));
    assert.notEqual(besuGenesisHash(text), goQuorumGenesisHash(text));
  });
});

describe("the two genesis files, for any network", () => {
  const address = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => `0x${bytesToHex(b)}`);
  const balance = fc
    .bigInt({ min: 0n, max: 2n ** 256n - 1n })
    .chain((wei) => fc.constantFrom(wei.toString(), `0x${wei.toString(16)}`));
  const settings = fc.record({
    validators: fc.uniqueArray(address, { minLength: 1, maxLength: 20 }),
    alloc: fc.uniqueArray(fc.tuple(address, balance), { maxLength: 8, selector: ([a]) => a }),
    blockPeriodSeconds: fc.integer({ min: 1, max: 600 }),
    emptyBlockPeriodSeconds: fc.option(fc.integer({ min: 1, max: 86400 }), { nil: undefined }),
    requestTimeoutSeconds: fc.integer({ min: 1, max: 600 }),
    epochLength: fc.integer({ min: 1, max: 10_000_000 }),
    chainId: fc.integer({ min: 2, max: 2 ** 40 }),
    gasLimit: fc
      .bigInt({ min: MIN_GENESIS_GAS_LIMIT, max: 2n ** 63n - 1n })
      .map((g) => `0x${g.toString(16)}`),
  });
  type Settings = typeof settings extends fc.Arbitrary<infer T> ? T : never;
  const networkOf = ({ validators: _, alloc, ...rest }: Settings) =>
    network({ ...rest, alloc: Object.fromEntries(alloc.map(([a, b]) => [a, { balance: b }])) });

  it("give the same block 0 (1–20 validators, any alloc, periods and gas limit)", () => {
    fc.assert(
      fc.property(settings, (s) => {
        const { goQuorum, besu } = files(networkOf(s), s.validators);
        assert.equal(besuGenesisHash(besu), goQuorumGenesisHash(goQuorum));
      }),
      { numRuns: 60 },
    );
  });

  it("give another block 0 when one side's alloc differs by one balance", () => {
    fc.assert(
      fc.property(
        settings.filter((s) => s.alloc.length > 0),
        fc.boolean(),
        (s, onBesu) => {
          const { goQuorum, besu } = files(networkOf(s), s.validators);
          const first = s.alloc[0][1];
          const changed = `0x${(BigInt(first) ^ 1n).toString(16)}`;
          const [q, b] = onBesu
            ? [goQuorum, withBalance(besu, changed)]
            : [withBalance(goQuorum, changed), besu];
          assert.notEqual(besuGenesisHash(b), goQuorumGenesisHash(q));
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe("the Besu genesis of a deployed GoQuorum genesis file", () => {
  it("is the one the settings give, and gives the deployed file's block 0", () => {
    const settings = network({ transitions: [{ block: 100, requesttimeoutseconds: 20 }] });
    const goQuorum = genesisJson(buildGenesis(settings, VALIDATORS));
    const fromFile = besuGenesisFromGoQuorum(goQuorum);
    assert.deepEqual(fromFile, buildBesuGenesis(settings, VALIDATORS));
    assert.equal(besuGenesisHash(besuGenesisJson(fromFile.genesis)), goQuorumGenesisHash(goQuorum));
    assert.deepEqual(
      fromFile.uncarried.map((u) => u.path),
      ["network.transitions[0].requesttimeoutseconds"],
    );
  });
  it("reads a file deployed before the empty-block period was written as the block period", () => {
    const file = parse(genesisJson(buildGenesis(network({ blockPeriodSeconds: 7 }), VALIDATORS)));
    delete (file.config.qbft as JsonObject).emptyblockperiodseconds;
    const besu = besuGenesisFromGoQuorum(JSON.stringify(file)).genesis;
    assert.equal(besu.config.qbft.emptyblockperiodseconds, 7);
  });
  it("refuses an IBFT file and a code size limit the program never writes", () => {
    assert.throws(
      () => besuGenesisFromGoQuorum(genesisJson(buildGenesis(network({ consensus: "ibft" }), VALIDATORS))),
      /no config\.qbft/,
    );
    const file = parse(genesisJson(buildGenesis(network(), VALIDATORS)));
    file.config.maxCodeSizeConfig = [{ block: 0, size: 64 }];
    assert.throws(() => besuGenesisFromGoQuorum(JSON.stringify(file)), /config\.maxCodeSizeConfig/);
  });
});
