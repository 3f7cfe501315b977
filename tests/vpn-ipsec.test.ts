import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  awsTunnelOptions,
  isValidPresharedKey,
  PRESHARED_KEY_PASSWORD,
  presharedKey,
} from "../infra/aws/vpn";
import { AZURE_CONNECTION_PROTOCOL, azureIpsecPolicy } from "../infra/azure/vpn";
import { IPSEC } from "../infra/plan/ipsec";

/** Each cloud's names back to the shared set: what a reviewer would check by hand. */
const FROM_AWS = { AES256: "aes256", "SHA2-256": "sha256" } as const;
const FROM_AZURE = { AES256: "aes256", SHA256: "sha256", DHGroup14: 14, PFS2048: 14 } as const;

function fromAws(n: 1 | 2) {
  const o = awsTunnelOptions(n, { insideCidr: "169.254.21.0/30" }) as Record<string, unknown>;
  const one = (key: string) => {
    const values = o[`tunnel${n}${key}`] as readonly (string | number)[];
    assert.equal(values.length, 1, `${key} offers exactly one choice`);
    return values[0];
  };
  return {
    ikeVersion: Number(String(one("IkeVersions")).replace("ikev", "")),
    phase1: {
      encryption: FROM_AWS[one("Phase1EncryptionAlgorithms") as keyof typeof FROM_AWS],
      integrity: FROM_AWS[one("Phase1IntegrityAlgorithms") as keyof typeof FROM_AWS],
      dhGroup: one("Phase1DhGroupNumbers"),
      lifetimeSeconds: o[`tunnel${n}Phase1LifetimeSeconds`],
    },
    phase2: {
      encryption: FROM_AWS[one("Phase2EncryptionAlgorithms") as keyof typeof FROM_AWS],
      integrity: FROM_AWS[one("Phase2IntegrityAlgorithms") as keyof typeof FROM_AWS],
      pfsGroup: one("Phase2DhGroupNumbers"),
      lifetimeSeconds: o[`tunnel${n}Phase2LifetimeSeconds`],
    },
  };
}

function fromAzure() {
  const p = azureIpsecPolicy();
  const map = (v: string) => FROM_AZURE[v as keyof typeof FROM_AZURE];
  return {
    ikeVersion: Number(AZURE_CONNECTION_PROTOCOL.replace("IKEv", "")),
    phase1: {
      encryption: map(p.ikeEncryption),
      integrity: map(p.ikeIntegrity),
      dhGroup: map(p.dhGroup),
      // Azure's IKE (main mode) SA lifetime is fixed at 28,800 s.
      lifetimeSeconds: 28_800,
    },
    phase2: {
      encryption: map(p.ipsecEncryption),
      integrity: map(p.ipsecIntegrity),
      pfsGroup: map(p.pfsGroup),
      lifetimeSeconds: p.saLifeTimeSeconds,
    },
  };
}

describe("IKE/IPsec parameters", () => {
  it("are the same set on both ends of every tunnel", () => {
    assert.deepEqual(fromAws(1), IPSEC);
    assert.deepEqual(fromAws(2), IPSEC);
    assert.deepEqual(fromAzure(), IPSEC);
  });

  it("are values AWS accepts and the strong ones", () => {
    assert.equal(IPSEC.ikeVersion, 2);
    const o = awsTunnelOptions(2, { insideCidr: "169.254.22.4/30" });
    assert.equal(o.tunnel2InsideCidr, "169.254.22.4/30");
    assert.deepEqual(o.tunnel2IkeVersions, ["ikev2"]);
    assert.ok(o.tunnel2Phase1LifetimeSeconds >= 900 && o.tunnel2Phase1LifetimeSeconds <= 28_800);
    assert.ok(o.tunnel2Phase2LifetimeSeconds >= 900 && o.tunnel2Phase2LifetimeSeconds <= 3_600);
    assert.ok(o.tunnel2Phase2LifetimeSeconds < o.tunnel2Phase1LifetimeSeconds);
    assert.equal(o.tunnel2DpdTimeoutAction, "restart");
    assert.deepEqual(azureIpsecPolicy().saDataSizeKilobytes, 102_400_000);
  });
});

describe("pre-shared keys", () => {
  it("are 48 letters and digits that never start with 0, whatever the generated password", () => {
    assert.equal(PRESHARED_KEY_PASSWORD.special, false);
    fc.assert(
      fc.property(
        fc.stringMatching(new RegExp(`^[A-Za-z0-9]{${PRESHARED_KEY_PASSWORD.length}}$`)),
        (password) => {
          const key = presharedKey(password);
          assert.equal(key.length, 48);
          assert.ok(isValidPresharedKey(key));
        },
      ),
    );
  });

  it("are checked against AWS's rules", () => {
    assert.ok(isValidPresharedKey("abc_def.12"));
    assert.ok(!isValidPresharedKey("0abcdefgh"));
    assert.ok(!isValidPresharedKey("short"));
    assert.ok(!isValidPresharedKey("a".repeat(65)));
    assert.ok(!isValidPresharedKey("abcdefgh-1"));
  });
});
