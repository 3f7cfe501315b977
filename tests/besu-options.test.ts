/**
 * The option lists of the pinned Besu releases (infra/besu/data/, derived from each tag's picocli
 * declarations): the derivation agrees with what Besu's CHANGELOG says was removed and added between them.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { parseBesuImage } from "../infra/besu/behaviour";
import { BESU_OPTION_LIST_VERSIONS, besuOptions, unknownBesuOptions } from "../infra/besu/options";
import { Network } from "../infra/config/schema";

const header = (version: string) =>
  readFileSync(path.join("infra", "besu", "data", `besu-${version}-options.txt`), "utf8").split("\n")[1];

describe("besuOptions", () => {
  it("reads the main command's names only, as many as each file's header counts", () => {
    for (const version of BESU_OPTION_LIST_VERSIONS) {
      const options = besuOptions(version);
      assert.match(
        header(version),
        new RegExp(`^# ${options.size} option names accepted by the main`),
        version,
      );
      for (const name of options) assert.match(name, /^--?[A-Za-z]/, `${version} ${name}`);
      // Help options and subcommand-only names sit after the first "# ---" line.
      for (const other of ["--help", "--version", "-h", "--to", "--from", "--type"]) {
        assert.ok(!options.has(other), `${version} ${other}`);
      }
    }
    assert.deepEqual(
      BESU_OPTION_LIST_VERSIONS.map((v) => besuOptions(v).size),
      [277, 319],
    );
  });

  it("has a list for each release the schema pins by default", () => {
    const { images } = Network.parse({ name: "n", chainId: 1337 }).workloads;
    for (const image of [images.besu, images.besuInterop]) {
      const { version } = parseBesuImage(image);
      assert.ok(version !== undefined && besuOptions(version).has("--genesis-file"), image);
    }
  });

  it("refuses a release without a list, naming the ones it has", () => {
    assert.throws(
      () => besuOptions("26.8.1"),
      /No option list for Besu 26\.8\.1: the program has 25\.7\.0, 26\.8\.0/,
    );
    assert.throws(() => besuOptions("25.6.0"), /25\.7\.0, 26\.8\.0/);
  });

  it("names the arguments a release does not accept, by option name", () => {
    assert.deepEqual(
      unknownBesuOptions("26.8.0", [
        "--data-path=/data/besu",
        "--Xbft-legacy-protocol-encoding",
        "--miner-enabled",
        "--privacy-enabled=true",
        "/etc/besu/config.toml",
        "-l",
        "INFO",
      ]),
      ["--miner-enabled", "--privacy-enabled=true"],
    );
    assert.deepEqual(unknownBesuOptions("25.7.0", ["--Xbft-legacy-protocol-encoding", "--miner-enabled"]), [
      "--Xbft-legacy-protocol-encoding",
    ]);
  });
});

describe("the derived lists agree with Besu's CHANGELOG", () => {
  const [interop, current] = [besuOptions("25.7.0"), besuOptions("26.8.0")];

  it("have neither Tessera privacy nor onchain permissioning (removed 25.6.0) nor --Xsnapsync-bft-enabled (25.7.0)", () => {
    for (const options of [interop, current]) {
      assert.deepEqual(
        [...options].filter((o) => /privacy|permissions-.*contract/.test(o)),
        [],
      );
      for (const gone of ["--Xsnapsync-bft-enabled", "--tx-pool-disable-locals"])
        assert.ok(!options.has(gone), gone);
    }
  });

  it("have in 25.7.0 only what later releases removed", () => {
    for (const removed of [
      "--miner-enabled", // 25.12.0, PoW CLI options (#9486)
      "--miner-coinbase",
      "--Xhistory-expiry-prune", // 25.12.0, deprecated since 25.7.0
      "--Xsnapsync-server-enabled",
      "--Xsnapsync-synchronizer-pre-merge-headers-only-enabled",
      "--bonsai-maximum-back-layers-to-load", // 25.9.0
      "--Xv5-discovery-enabled", // 26.8.0
    ]) {
      assert.ok(interop.has(removed) && !current.has(removed), removed);
    }
  });

  it("have in 26.8.0 what later releases added, and the replacements in both", () => {
    for (const added of [
      "--Xbft-legacy-protocol-encoding",
      "--discovery-mode",
      "--tx-pool-enable-balance-check",
    ]) {
      assert.ok(current.has(added) && !interop.has(added), added);
    }
    for (const both of [
      "--history-expiry-prune",
      "--snapsync-server-enabled",
      "--snapsync-synchronizer-pre-checkpoint-headers-only-enabled",
    ]) {
      assert.ok(interop.has(both) && current.has(both), both);
    }
  });

  it("share the options a QBFT node of the program needs", () => {
    for (const option of [
      "--data-path",
      "--genesis-file",
      "--node-private-key-file",
      "--min-gas-price",
      "--host-allowlist",
      "--rpc-http-enabled",
      "--rpc-http-api",
      "--metrics-enabled",
      "--metrics-host",
      "--static-nodes-file",
      "--permissions-nodes-config-file-enabled",
      "--permissions-nodes-config-file",
      "--Xdns-enabled",
      "--Xdns-update-enabled",
      "--sync-mode",
      "--p2p-port",
      "--config-file",
    ]) {
      assert.ok(interop.has(option) && current.has(option), option);
    }
  });
});
