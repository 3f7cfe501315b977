import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { serviceHostnames } from "../infra/quorum/manifests";
import { tesseraCaPlan, tesseraCertificatePlan } from "../infra/quorum/tesseraTls";

describe("Tessera TLS certificate plan", () => {
  const member = { name: "aws1-member-0", endpointIp: "10.64.1.20" };

  it("names every address peers dial: the Service names and the endpoint IP", () => {
    const plan = tesseraCertificatePlan(member, "goquorum");
    assert.ok(plan.dnsNames.includes("aws1-member-0.goquorum.svc.cluster.local"));
    assert.deepEqual(plan.dnsNames, serviceHostnames(member.name, "goquorum"));
    assert.deepEqual(plan.ipAddresses, ["10.64.1.20"]);
    assert.equal(plan.commonName, member.name);
  });

  it("has no IP address without an endpoint IP (local clusters)", () => {
    assert.deepEqual(tesseraCertificatePlan({ name: "kind-member-0" }, "goquorum").ipAddresses, []);
  });

  it("serves both ends of mutual TLS and renews well before expiry", () => {
    const plan = tesseraCertificatePlan(member, "goquorum");
    assert.ok(plan.allowedUses.includes("serverAuth"));
    assert.ok(plan.allowedUses.includes("clientAuth"));
    assert.ok(!plan.allowedUses.includes("certSigning"));
    assert.ok(plan.earlyRenewalHours > 0 && plan.earlyRenewalHours < plan.validityPeriodHours);
  });

  it("uses an RSA key for members, the only kind Tessera loads from PEM", () => {
    assert.equal(tesseraCertificatePlan(member, "goquorum").key.algorithm, "RSA");
  });

  it("makes the CA an ECDSA P-256 certificate signer outliving many member certificates", () => {
    const ca = tesseraCaPlan("prod");
    assert.deepEqual(ca.key, { algorithm: "ECDSA", ecdsaCurve: "P256" });
    assert.deepEqual(ca.allowedUses, ["certSigning"]);
    assert.ok(ca.validityPeriodHours >= 5 * tesseraCertificatePlan(member, "x").validityPeriodHours);
    assert.match(ca.commonName, /^prod /);
  });
});
