import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { serviceHostnames } from "../infra/quorum/manifests";
import {
  tesseraCaPlan,
  tesseraCertificatePlan,
  tesseraMonitoringClientPlan,
} from "../infra/quorum/tesseraTls";

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

  it("gives Prometheus a client-only certificate named after the network, renewed like the members'", () => {
    const client = tesseraMonitoringClientPlan("prod");
    const memberPlan = tesseraCertificatePlan(member, "goquorum");
    assert.equal(client.commonName, "prod-monitoring");
    assert.ok(client.allowedUses.includes("clientAuth"));
    assert.ok(!client.allowedUses.includes("serverAuth"), "it can never serve as a Tessera server");
    assert.ok(!client.allowedUses.includes("certSigning"));
    assert.deepEqual([client.dnsNames, client.ipAddresses], [[], []]);
    assert.deepEqual(client.key, memberPlan.key, "a client key of the kind Tessera's servers already accept");
    assert.equal(client.earlyRenewalHours, memberPlan.earlyRenewalHours);
    assert.equal(client.validityPeriodHours, memberPlan.validityPeriodHours);
  });
});
