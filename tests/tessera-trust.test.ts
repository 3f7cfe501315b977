/**
 * Who Tessera P2P trusts: strict TLS by default wherever member traffic leaves one cluster, the plan's
 * warning when it is turned off there, external parties whose TLS mode must match ours, and the
 * certificate requests of external parties that the network CA signs.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { parseCertificateRequest } from "../infra/config/csr";
import type { ConfigIssue } from "../infra/config/issue";
import { keyMocks } from "../infra/offline/state/keys";
import { throwawayDetail, throwawayPem } from "../infra/offline/state/throwaway";
import { planNetwork } from "../infra/plan";
import { requestProblems } from "../infra/plan/tessera";
import { awsCluster, azureCluster, localCluster, stackConfig } from "./helpers/config";

const PARTY_ID = "5e".repeat(64);
const party = (tesseraUrl?: string) => ({
  name: "bank-b",
  enode: `enode://${PARTY_ID}@192.168.50.10:30303`,
  range: "192.168.50.0/24",
  ...(tesseraUrl ? { tesseraUrl } : {}),
});
const TLS_KEY = "network.workloads.tessera.tls";
const at = (issues: readonly ConfigIssue[], path: string) => issues.filter((i) => i.path === path);

describe("Tessera P2P TLS default", () => {
  const oneCloud = () => [awsCluster("aws1", { cidr: "10.64.0.0/16" })];
  const twoClouds = () => [
    awsCluster("aws1", { cidr: "10.64.0.0/16" }),
    azureCluster("az1", { cidr: "10.65.0.0/16" }),
  ];
  const cases: [string, ReturnType<typeof stackConfig>, "off" | "strict"][] = [
    ["one local cluster, no outside party: off", stackConfig([localCluster("kind")]), "off"],
    ["one cloud cluster, no outside party: off", stackConfig(oneCloud()), "off"],
    ["two clusters: strict", stackConfig(twoClouds()), "strict"],
    [
      "one cluster and one external peer: strict",
      stackConfig([localCluster("kind")], { connectivity: { externalPeers: [party()] } }),
      "strict",
    ],
    [
      "set explicitly off in two clusters: off",
      stackConfig(twoClouds(), { workloads: { tessera: { tls: "off" } } }),
      "off",
    ],
    [
      "set explicitly strict in one cluster: strict",
      stackConfig([localCluster("kind")], { workloads: { tessera: { tls: "strict" } } }),
      "strict",
    ],
  ];
  for (const [name, config, tls] of cases) {
    it(name, () => assert.equal(config.network.workloads.tessera.tls, tls));
  }

  it("warns when TLS is off where P2P crosses networks, and only there", () => {
    const warned = (config: ReturnType<typeof stackConfig>) =>
      at(planNetwork(config).issues, TLS_KEY).map((i) => i.severity);
    assert.deepEqual(warned(stackConfig(twoClouds(), { workloads: { tessera: { tls: "off" } } })), [
      "warning",
    ]);
    assert.deepEqual(warned(stackConfig(twoClouds())), []);
    assert.deepEqual(warned(stackConfig(oneCloud(), { workloads: { tessera: { tls: "off" } } })), []);
  });
});

describe("an external party's Tessera URL", () => {
  const issuesFor = (tesseraUrl: string, tls?: "off" | "strict") =>
    at(
      planNetwork(
        stackConfig([localCluster("kind")], {
          connectivity: { externalPeers: [party(tesseraUrl)] },
          ...(tls ? { workloads: { tessera: { tls } } } : {}),
        }),
      ).issues,
      "network.connectivity.externalPeers[0].tesseraUrl",
    );

  it("uses https under strict TLS and http with TLS off", () => {
    assert.deepEqual(issuesFor("https://192.168.50.11:9000"), []);
    assert.deepEqual(issuesFor("http://192.168.50.11:9000", "off"), []);
    const [plain] = issuesFor("http://192.168.50.11:9000");
    assert.equal(plain?.severity, "error");
    assert.match(
      plain?.message ?? "",
      /must start with https:\/\/ while network\.workloads\.tessera\.tls is strict/,
    );
    assert.equal(issuesFor("https://192.168.50.11:9000", "off")[0]?.severity, "error");
  });
});

// Certificate requests made with openssl 3.0 (`openssl req -new -key <key> -subj … -addext subjectAltName=…`),
// keys thrown away: rsa2048-ip is the good one (O=Bank B, CN and SAN IP:192.168.50.11); the others differ from it
// as their names say.
const csr = (name: string) => readFileSync(path.join(__dirname, "fixtures", "csr", `${name}.csr`), "utf8");
const PARTY_TESSERA = "https://192.168.50.11:9000";

describe("reading a certificate signing request", () => {
  it("reads subject, alternative names, key and signature", () => {
    const parsed = parseCertificateRequest(csr("rsa2048-ip"));
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.request, {
      subject: [
        { type: "O", value: "Bank B" },
        { type: "CN", value: "192.168.50.11" },
      ],
      commonName: "192.168.50.11",
      dnsNames: [],
      ipAddresses: ["192.168.50.11"],
      otherNames: [],
      key: { type: "rsa", bits: 2048 },
      signatureAlgorithm: "sha256WithRSAEncryption",
      signatureVerifies: true,
    });
    const extra = parseCertificateRequest(csr("rsa2048-extra-san"));
    assert.ok(extra.ok);
    assert.deepEqual(
      [extra.request.dnsNames, extra.request.ipAddresses, extra.request.otherNames],
      [
        ["aws1-member-0.goquorum.svc.cluster.local"],
        ["192.168.50.11", "10.64.1.20"],
        ["URI:spiffe://bank-b/tessera"],
      ],
    );
    const ec = parseCertificateRequest(csr("ec256-ip"));
    assert.ok(ec.ok);
    assert.deepEqual(
      [ec.request.key, ec.request.signatureVerifies],
      [{ type: "ec", curve: "prime256v1" }, true],
    );
  });

  it("tells a request whose signature does not verify, wherever it was altered", () => {
    const pem = csr("rsa2048-ip");
    const der = Buffer.from(pem.replace(/-----[A-Z ]+-----/g, "").replace(/\s/g, ""), "base64");
    const altered = (offset: number) => {
      const copy = Buffer.from(der);
      copy[offset] = (copy[offset] ?? 0) ^ 0x01;
      return `-----BEGIN CERTIFICATE REQUEST-----\n${copy.toString("base64")}\n-----END CERTIFICATE REQUEST-----\n`;
    };
    // The last byte is the signature's; the common name's last character is inside the signed part.
    for (const offset of [der.length - 1, der.indexOf(Buffer.from("192.168.50.11")) + 12]) {
      const parsed = parseCertificateRequest(altered(offset));
      assert.ok(parsed.ok, String(offset));
      assert.equal(parsed.request.signatureVerifies, false, String(offset));
    }
  });

  it("refuses what is not a PKCS#10 request", () => {
    const refused: [string, RegExp][] = [
      ["not pem at all", /is not a PEM block/],
      [
        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
        /is a PEM CERTIFICATE, not a CERTIFICATE REQUEST/,
      ],
      [
        `-----BEGIN CERTIFICATE REQUEST-----\n${Buffer.from("not der").toString("base64")}\n-----END CERTIFICATE REQUEST-----`,
        /does not parse as a PKCS#10 request/,
      ],
      [
        csr("rsa2048-ip").replace(/\n[A-Za-z0-9+/=]+\n-----END/, "\n-----END"),
        /does not parse as a PKCS#10 request/,
      ],
    ];
    for (const [pem, reason] of refused) {
      const parsed = parseCertificateRequest(pem);
      assert.equal(parsed.ok, false, pem);
      if (!parsed.ok) assert.match(parsed.reason, reason);
    }
  });
});

describe("an external party's certificate request, as the plan checks it", () => {
  const CSR_KEY = "network.connectivity.externalPeers[0].tesseraCsr";
  const issuesFor = (peer: Record<string, unknown>, tls?: "off" | "strict") =>
    at(
      planNetwork(
        stackConfig([localCluster("kind")], {
          connectivity: { externalPeers: [{ ...party(PARTY_TESSERA), ...peer }] },
          ...(tls ? { workloads: { tessera: { tls } } } : {}),
        }),
      ).issues,
      CSR_KEY,
    );
  const refusedFor = (fixture: string, tesseraUrl = PARTY_TESSERA) =>
    issuesFor({ tesseraCsr: csr(fixture), tesseraUrl }).map((i) => `${i.severity}: ${i.message}`);

  const cases: [string, string, string, RegExp[]][] = [
    ["an RSA 2048 request for the party's IP: signed", "rsa2048-ip", PARTY_TESSERA, []],
    [
      "an RSA 3072 request for its DNS name: signed",
      "rsa3072-dns",
      "https://tessera.bank-b.example:9000",
      [],
    ],
    ["an ECDSA P-256 request: signed", "ec256-ip", PARTY_TESSERA, []],
    [
      "RSA 2047 bits: refused",
      "rsa2047-ip",
      PARTY_TESSERA,
      [/^error: has an RSA key of 2047 bits: use 2048 to 8192 bits/],
    ],
    ["ECDSA P-521: refused", "ec521-ip", PARTY_TESSERA, [/^error: has an ECDSA key on secp521r1/]],
    ["Ed25519: refused", "ed25519-ip", PARTY_TESSERA, [/^error: has a ed25519 key/]],
    [
      "signed with SHA-1: refused",
      "rsa2048-sha1",
      PARTY_TESSERA,
      [/^error: is signed with sha1WithRSAEncryption/],
    ],
    [
      "names our member's address and Service name too: refused",
      "rsa2048-extra-san",
      PARTY_TESSERA,
      [/^error: also names DNS:aws1-member-0\.goquorum\.svc\.cluster\.local, IP:10\.64\.1\.20, URI:spiffe/],
    ],
    [
      "no alternative name: refused",
      "rsa2048-no-san",
      PARTY_TESSERA,
      [/^error: does not name 192\.168\.50\.11/],
    ],
    [
      "another host than tesseraUrl's: refused",
      "rsa2048-ip",
      "https://192.168.50.12:9000",
      [
        /does not name 192\.168\.50\.12/,
        /also names IP:192\.168\.50\.11/,
        /has common name 192\.168\.50\.11/,
      ],
    ],
    [
      "a common name of someone else: refused",
      "rsa2048-other-cn",
      PARTY_TESSERA,
      [/^error: has common name someone-else/],
    ],
  ];
  for (const [name, fixture, url, expected] of cases) {
    it(name, () => {
      const found = refusedFor(fixture, url);
      assert.equal(found.length, expected.length, found.join("\n"));
      for (const [i, pattern] of expected.entries()) assert.match(found[i] ?? "", pattern);
    });
  }

  it("accepts RSA up to 8192 bits and a common name that is the peer's name", () => {
    const parsed = parseCertificateRequest(csr("rsa2048-ip"));
    assert.ok(parsed.ok);
    const withKey = (bits: number) =>
      requestProblems({ ...parsed.request, key: { type: "rsa", bits } }, "192.168.50.11", "bank-b");
    assert.deepEqual(withKey(8192), []);
    assert.match(withKey(8193).join(), /RSA key of 8193 bits/);
    assert.deepEqual(
      requestProblems({ ...parsed.request, commonName: "bank-b" }, "192.168.50.11", "bank-b"),
      [],
    );
    assert.match(
      requestProblems({ ...parsed.request, signatureVerifies: false }, "192.168.50.11", "bank-b").join(),
      /signature that does not verify with its own key/,
    );
  });

  it("needs the party's Tessera URL, strict TLS, and asks for a request where one is missing", () => {
    assert.match(
      issuesFor({ tesseraCsr: csr("rsa2048-ip"), tesseraUrl: undefined })[0]?.message ?? "",
      /needs tesseraUrl/,
    );
    const ignored = issuesFor(
      { tesseraCsr: csr("rsa2048-ip"), tesseraUrl: "http://192.168.50.11:9000" },
      "off",
    );
    assert.deepEqual(
      ignored.map((i) => i.severity),
      ["warning"],
    );
    assert.match(ignored[0]?.message ?? "", /ignored while network\.workloads\.tessera\.tls is off/);
    const missing = issuesFor({});
    assert.deepEqual(
      missing.map((i) => i.severity),
      ["warning"],
    );
    assert.match(missing[0]?.message ?? "", /P2P with this party's Tessera fails/);
  });
});

describe("the LocallySignedCert stand-in", () => {
  const sign = keyMocks.resources["tls:index/locallySignedCert:LocallySignedCert"];
  const CA = throwawayPem(
    "CERTIFICATE",
    "t",
    "ca",
    "subject CN=t Tessera P2P CA; names (none); issuer itself",
  );
  const run = (certRequestPem: string, caCertPem = CA) =>
    sign?.({ stack: "t", name: "leaf", inputs: { certRequestPem, caCertPem } });

  it("issues what a real request asks for, from the network CA", () => {
    const certificate = String(run(csr("rsa2048-ip"))?.certPem);
    assert.equal(
      throwawayDetail(certificate),
      "subject O=Bank B, CN=192.168.50.11; names IP:192.168.50.11; issuer CN=t Tessera P2P CA",
    );
  });

  it("fails like the provider on what is no certificate request, or no CA certificate", () => {
    assert.throws(
      () => run(CA),
      /Failed to parse certificate request PEM: expected "CERTIFICATE REQUEST", got "CERTIFICATE"/,
    );
    assert.throws(
      () =>
        run(
          `-----BEGIN CERTIFICATE REQUEST-----\n${Buffer.from("junk").toString("base64")}\n-----END CERTIFICATE REQUEST-----\n`,
        ),
      /Failed to parse certificate request PEM: does not parse/,
    );
    assert.throws(() => run(csr("rsa2048-ip"), csr("rsa2048-ip")), /Failed to parse CA certificate PEM/);
  });
});
