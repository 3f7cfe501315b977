/**
 * The Besu releases the program knows (infra/besu/behaviour.ts, read at each tag of besu-eth/besu) and what
 * they can do next to GoQuorum (infra/besu/interop.ts), tested at the boundaries of each window.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  BESU_RELEASES,
  besuImageDigestCommand,
  besuRelease,
  besuRollingUpgradeProblem,
  compareBesuVersions,
  eth66NeedsFastSync,
  isKnownBesuVersion,
  LEGACY_BFT_ENCODING_FLAG,
  needsLegacyBftEncoding,
  parseBesuImage,
  parseBesuVersion,
} from "../infra/besu/behaviour";
import { besuEthVersionsSharedWithGoQuorum, besuSpeaksWithGoQuorum } from "../infra/besu/interop";
import { Network } from "../infra/config/schema";
import { GOQUORUM_ETH_PROTOCOLS } from "../infra/quorum/behaviour";

const DIGEST = `sha256:${"0123456789abcdef".repeat(4)}`;

describe("parseBesuImage", () => {
  it("splits repository, tag and digest, each optional but the repository", () => {
    const cases: [string, ReturnType<typeof parseBesuImage>][] = [
      ["hyperledger/besu:26.8.0", { repository: "hyperledger/besu", version: "26.8.0" }],
      [
        `hyperledger/besu:25.7.0@${DIGEST}`,
        { repository: "hyperledger/besu", version: "25.7.0", digest: DIGEST },
      ],
      [`hyperledger/besu@${DIGEST}`, { repository: "hyperledger/besu", digest: DIGEST }],
      ["hyperledger/besu", { repository: "hyperledger/besu" }],
      [
        "registry.example.com:5000/mirror/besu:26.8.0",
        { repository: "registry.example.com:5000/mirror/besu", version: "26.8.0" },
      ],
      ["localhost/besu_fork:latest", { repository: "localhost/besu_fork", version: "latest" }],
      ["registry.example.com:5000/besu", { repository: "registry.example.com:5000/besu" }],
    ];
    for (const [image, expected] of cases) assert.deepEqual(parseBesuImage(image), expected, image);
  });

  it("refuses a digest that is not sha256 with 64 lowercase hex digits, and malformed names", () => {
    for (const image of [
      `hyperledger/besu@sha256:${"a".repeat(63)}`,
      `hyperledger/besu@sha256:${"a".repeat(65)}`,
      `hyperledger/besu@sha256:${"A".repeat(64)}`,
      `hyperledger/besu@sha512:${"a".repeat(64)}`,
      "hyperledger/besu@",
      "hyperledger/besu:",
      "hyperledger/besu:-bad",
      "Hyperledger/besu:26.8.0",
      ":26.8.0",
      "",
    ]) {
      assert.throws(() => parseBesuImage(image), /^Error: Besu image/, image);
    }
    // The last accepted digest length, for the refusals above to mean something.
    assert.equal(parseBesuImage(`hyperledger/besu@sha256:${"a".repeat(64)}`).digest?.length, 71);
  });

  it("reads back any image it is given as parts", () => {
    const part = fc.stringMatching(/^[a-z0-9]{1,8}$/);
    fc.assert(
      fc.property(
        fc.array(part, { minLength: 1, maxLength: 3 }),
        fc.option(fc.stringMatching(/^[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{1,2}$/), { nil: undefined }),
        fc.option(fc.stringMatching(/^[0-9a-f]{64}$/), { nil: undefined }),
        (path, version, hex) => {
          const repository = path.join("/");
          const digest = hex === undefined ? undefined : `sha256:${hex}`;
          const image = `${repository}${version ? `:${version}` : ""}${digest ? `@${digest}` : ""}`;
          assert.deepEqual(parseBesuImage(image), {
            repository,
            ...(version !== undefined && { version }),
            ...(digest !== undefined && { digest }),
          });
        },
      ),
      { numRuns: 100 },
    );
  });

  it("names the command that prints the digest of a tag-only pin", () => {
    assert.equal(
      besuImageDigestCommand("hyperledger/besu:26.8.0"),
      "docker buildx imagetools inspect hyperledger/besu:26.8.0",
    );
  });
});

describe("Besu versions", () => {
  it("parses releases only, and orders them as numbers, not text", () => {
    assert.deepEqual(parseBesuVersion("26.10.2"), { major: 26, minor: 10, patch: 2 });
    for (const tag of ["26.8.0-RC1", "latest", "26.8", "v26.8.0", "26.08.0", ""]) {
      assert.throws(() => parseBesuVersion(tag), /is not a release/, tag);
    }
    assert.ok(compareBesuVersions("26.10.0", "26.9.0") > 0);
    assert.ok(compareBesuVersions("25.7.0", "25.7.1") < 0);
    assert.equal(compareBesuVersions("26.8.0", "26.8.0"), 0);
  });

  it("knows 25.4.0 through 26.8.x and refuses others with the range and the fix", () => {
    for (const version of ["25.4.0", "25.7.0", "26.8.0", "26.8.1", "26.8.12"])
      assert.ok(isKnownBesuVersion(version), version);
    for (const version of ["25.3.9", "26.9.0", "27.0.0", "26.8.0-RC1", "latest"]) {
      assert.ok(!isKnownBesuVersion(version), version);
    }
    assert.throws(
      () => besuRelease("26.9.0"),
      /knows Besu 25\.4\.0 through 26\.8\.x .*BESU_RELEASES.*add a row/,
    );
    assert.throws(() => besuRelease("25.3.0"), /knows Besu 25\.4\.0 through 26\.8\.x/);
    assert.throws(() => besuRelease("latest"), /is not a release/);
  });

  it("keeps the table in release order, each row a change from the one before", () => {
    for (let i = 1; i < BESU_RELEASES.length; i++) {
      const [before, row] = [BESU_RELEASES[i - 1], BESU_RELEASES[i]];
      assert.ok(compareBesuVersions(before.since, row.since) < 0, row.since);
      const { since: _a, ...was } = before;
      const { since: _b, ...now } = row;
      assert.notDeepEqual(now, was, `${row.since} repeats ${before.since}`);
    }
  });
});

describe("the eth protocol windows (EthProtocolManager.calculateCapabilities at each tag)", () => {
  const advertised = (version: string) => besuRelease(version).ethProtocols;

  it("advertise eth/66 through 25.7.x, then eth/68+ only, eth/66 left to FAST sync until 26.2.0", () => {
    assert.deepEqual(advertised("25.6.0"), [66, 67, 68]);
    assert.deepEqual(advertised("25.7.0"), [66, 67, 68, 69]);
    assert.deepEqual(advertised("25.7.9"), [66, 67, 68, 69]);
    assert.deepEqual(advertised("25.8.0"), [68, 69]);
    assert.deepEqual(advertised("26.1.9"), [68, 69]);
    assert.deepEqual(advertised("26.3.0"), [68, 69]);
    assert.deepEqual(advertised("26.4.0"), [68, 69, 70, 71]);
    assert.deepEqual(advertised("26.8.0"), [68, 69, 70, 71]);
    assert.deepEqual(["25.7.0", "25.8.0", "26.1.0", "26.2.0", "26.8.0"].map(eth66NeedsFastSync), [
      false,
      true,
      true,
      false,
      false,
    ]);
    assert.equal(besuRelease("26.2.0").ethProtocolsFastSync, undefined);
  });

  it("let Besu sync with GoQuorum 24.4.1 (eth/65–66) through 25.7.x only: 25.7.x last accepted, 25.8.0 first refused", () => {
    assert.deepEqual([...GOQUORUM_ETH_PROTOCOLS].sort(), [65, 66]);
    assert.deepEqual(besuEthVersionsSharedWithGoQuorum("25.7.0"), [66]);
    const verdicts = [
      "25.4.0",
      "25.6.0",
      "25.7.0",
      "25.7.3",
      "25.8.0",
      "25.12.0",
      "26.1.0",
      "26.2.0",
      "26.8.0",
      "26.8.1",
    ];
    assert.deepEqual(
      verdicts.map((v) => [v, besuSpeaksWithGoQuorum(v)]),
      verdicts.map((v) => [v, compareBesuVersions(v, "25.8.0") < 0]),
    );
  });

  it("lets the two pinned releases sync with each other during the upgrade (eth/68–69)", () => {
    const shared = advertised("25.7.0").filter((v) => advertised("26.8.0").includes(v));
    assert.deepEqual(shared, [68, 69]);
  });
});

describe("the QBFT wire format across a rolling upgrade", () => {
  it("needs the legacy-encoding flag only from a pre-26.1 release to a 26.1+ one", () => {
    const cases: [string, string, boolean][] = [
      ["25.7.0", "26.8.0", true],
      ["25.7.0", "26.6.0", true],
      ["25.12.0", "26.1.0", true],
      ["25.7.0", "25.12.0", false],
      ["26.1.0", "26.8.0", false],
      ["26.6.0", "26.8.0", false],
      ["25.7.0", "25.7.0", false],
    ];
    for (const [from, to, needed] of cases)
      assert.equal(needsLegacyBftEncoding(from, to), needed, `${from} → ${to}`);
  });

  it("has the flag from 26.6.0 (last refused 26.5.x), still in 26.8.x", () => {
    assert.equal(LEGACY_BFT_ENCODING_FLAG, "--Xbft-legacy-protocol-encoding");
    assert.deepEqual(
      ["25.7.0", "26.5.9", "26.6.0", "26.8.0", "26.8.1"].map((v) => besuRelease(v).legacyBftEncodingFlag),
      [false, false, true, true, true],
    );
  });

  it("refuses a roll from 25.x onto 26.1.0–26.5.x (no flag, no legacy reading) and any downgrade", () => {
    assert.equal(besuRollingUpgradeProblem("25.7.0", "26.8.0"), undefined);
    assert.equal(besuRollingUpgradeProblem("25.7.0", "26.6.0"), undefined);
    assert.equal(besuRollingUpgradeProblem("25.7.0", "25.12.0"), undefined);
    assert.equal(besuRollingUpgradeProblem("26.1.0", "26.5.0"), undefined);
    for (const to of ["26.1.0", "26.4.0", "26.5.9"]) {
      assert.match(
        besuRollingUpgradeProblem("25.7.0", to) ?? "",
        /--Xbft-legacy-protocol-encoding.*26\.6\.0/,
        to,
      );
    }
    assert.match(besuRollingUpgradeProblem("26.8.0", "25.7.0") ?? "", /older than 26\.8\.0.*fresh volume/);
  });
});

describe("other facts of each release", () => {
  it("reads the empty-block period from xemptyblockperiodseconds until 26.5.0, then the new key first", () => {
    assert.deepEqual(besuRelease("25.7.0").emptyBlockPeriodKeys, ["xemptyblockperiodseconds"]);
    assert.deepEqual(besuRelease("26.4.9").emptyBlockPeriodKeys, ["xemptyblockperiodseconds"]);
    assert.deepEqual(besuRelease("26.5.0").emptyBlockPeriodKeys, [
      "emptyblockperiodseconds",
      "xemptyblockperiodseconds",
    ]);
    assert.deepEqual(besuRelease("26.8.0").emptyBlockPeriodKeys, [
      "emptyblockperiodseconds",
      "xemptyblockperiodseconds",
    ]);
  });

  it("has no Tessera privacy from 25.6.0, and needs Java 25 from 26.6.0", () => {
    assert.deepEqual(
      ["25.5.9", "25.6.0", "25.7.0"].map((v) => besuRelease(v).tesseraPrivacy),
      [true, false, false],
    );
    assert.deepEqual(
      ["25.7.0", "26.5.9", "26.6.0", "26.8.0"].map((v) => besuRelease(v).java),
      [21, 21, 25, 25],
    );
  });

  it("leaves zero-balance senders' free transactions out of blocks from 26.4.0 through 26.7.0 only", () => {
    const versions = ["25.7.0", "26.3.9", "26.4.0", "26.7.0", "26.7.1", "26.8.0"];
    assert.deepEqual(
      versions.map((v) => besuRelease(v).skipsFreeTransactionsOfEmptyAccounts),
      [false, false, true, true, false, false],
    );
  });

  it("knows both releases the schema pins by default, the interop one speaking with GoQuorum", () => {
    const { images } = Network.parse({ name: "n", chainId: 1337 }).workloads;
    const current = parseBesuImage(images.besu).version as string;
    const interop = parseBesuImage(images.besuInterop).version as string;
    assert.ok(besuSpeaksWithGoQuorum(interop));
    assert.ok(!besuSpeaksWithGoQuorum(current));
    assert.equal(besuRollingUpgradeProblem(interop, current), undefined);
    assert.ok(needsLegacyBftEncoding(interop, current));
  });
});
