/**
 * `workloads.tessera.tls: strict` end to end under the mock runtime: one network CA, a CA-signed
 * certificate per member naming every address peers dial, a kubernetes.io/tls Secret per member mounted
 * into its pod, private keys secret throughout; and nothing of it with TLS off.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import type { IStatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import { TesseraTls } from "../components/keys/TesseraTls";
import { readStackFile, stackFilePath } from "../infra/config/load";
import type { PodMonitorValues } from "../infra/monitoring/monitors";
import { TESSERA_CLIENT_TLS_SECRET } from "../infra/monitoring/names";
import { useOfflineRuntime } from "../infra/offline/mocks";
import { type RenderResult, renderProgram, renderStack, SECRET_PLACEHOLDER } from "../infra/offline/render";
import type { NetworkPlan } from "../infra/plan/types";
import { program } from "../infra/program";
import {
  serviceHostnames,
  TESSERA_TLS_CERTIFICATE_ANNOTATION,
  tesseraTlsSecretName,
} from "../infra/quorum/manifests";

const TYPES = {
  key: "tls:index/privateKey:PrivateKey",
  ca: "tls:index/selfSignedCert:SelfSignedCert",
  request: "tls:index/certRequest:CertRequest",
  certificate: "tls:index/locallySignedCert:LocallySignedCert",
  secret: "kubernetes:core/v1:Secret",
  statefulSet: "kubernetes:apps/v1:StatefulSet",
} as const;

/** The rendered inputs these tests read (plain JSON; secrets are the placeholder). */
interface TlsInputs {
  readonly algorithm?: string;
  readonly ecdsaCurve?: string;
  readonly isCaCertificate?: boolean;
  readonly allowedUses: string[];
  readonly privateKeyPem?: string;
  readonly caPrivateKeyPem?: string;
  readonly caCertPem?: string;
  readonly subject: { readonly commonName: string };
  readonly dnsNames?: string[];
  readonly ipAddresses?: string[];
  readonly earlyRenewalHours?: number;
}
interface SecretInputs {
  readonly type: string;
  readonly metadata: { readonly name: string; readonly namespace: string };
  readonly stringData: unknown;
}

const ofType = (r: RenderResult, type: string) => r.resources.filter((x) => x.type === type);
const inputsOf = <T = TlsInputs>(r: RenderResult, type: string) => ofType(r, type).map((x) => x.inputs as T);
const membersOf = (r: RenderResult) =>
  (r.outputs.plan as NetworkPlan).clusters.flatMap((c) =>
    c.nodes.filter((n) => n.role === "member").map((node) => ({ node, namespace: c.namespace })),
  );

function withTls(stack: string, mode: "off" | "strict") {
  const raw = readStackFile(stackFilePath(stack));
  const network = structuredClone(raw["goquorum:network"]) as { workloads?: Record<string, unknown> };
  network.workloads = { ...network.workloads, tessera: { tls: mode } };
  return { ...raw, "goquorum:network": network };
}

describe("strict Tessera TLS on the local stack", () => {
  let result: RenderResult;
  before(async () => {
    result = await renderProgram("local", withTls("local", "strict"), program);
  });

  it("issues one network CA, a certificate signer, from a secret key", () => {
    const [ca, ...others] = inputsOf(result, TYPES.ca);
    assert.equal(others.length, 0);
    assert.equal(ca.isCaCertificate, true);
    assert.deepEqual(ca.allowedUses, ["certSigning"]);
    assert.equal(ca.privateKeyPem, SECRET_PLACEHOLDER);
    const caKeys = inputsOf<object>(result, TYPES.key).filter((k) => !("rsaBits" in k));
    assert.deepEqual(caKeys, [{ algorithm: "ECDSA", ecdsaCurve: "P256" }]);
  });

  it("issues each member a CA-signed certificate for mutual TLS under its Service names", () => {
    const members = membersOf(result);
    assert.equal(members.length, 2);
    const requests = inputsOf(result, TYPES.request);
    const certificates = inputsOf(result, TYPES.certificate);
    // One more of each: Prometheus' client certificate.
    assert.equal(requests.length, members.length + 1);
    assert.equal(certificates.length, members.length + 1);
    for (const { node, namespace } of members) {
      const request = requests.find((r) => r.subject.commonName === node.name);
      assert.ok(request, node.name);
      assert.deepEqual(request.dnsNames, serviceHostnames(node.name, namespace));
      assert.equal(request.ipAddresses, undefined);
      assert.equal(request.privateKeyPem, SECRET_PLACEHOLDER);
    }
    const memberCertificates = ofType(result, TYPES.certificate)
      .filter((r) => !r.name.endsWith("-monitoring-client"))
      .map((r) => r.inputs as TlsInputs);
    assert.equal(memberCertificates.length, members.length);
    for (const certificate of memberCertificates) {
      assert.ok(
        certificate.allowedUses.includes("serverAuth") && certificate.allowedUses.includes("clientAuth"),
      );
      assert.equal(certificate.caPrivateKeyPem, SECRET_PLACEHOLDER);
      assert.ok((certificate.earlyRenewalHours ?? 0) > 0);
    }
  });

  it("keeps a kubernetes.io/tls Secret per member, its data secret", () => {
    const secrets = inputsOf<SecretInputs>(result, TYPES.secret).filter(
      (s) => s.type === "kubernetes.io/tls" && s.metadata.namespace !== "monitoring",
    );
    assert.deepEqual(
      secrets.map((s) => s.metadata.name).sort(),
      membersOf(result)
        .map(({ node }) => tesseraTlsSecretName(node))
        .sort(),
    );
    for (const s of secrets) assert.equal(s.stringData, SECRET_PLACEHOLDER);
  });

  it("mounts each member's Secret and restarts its pod when the certificate changes", () => {
    for (const { node } of membersOf(result)) {
      const set = inputsOf<IStatefulSet>(result, TYPES.statefulSet).find(
        (s) => s.metadata?.name === node.name,
      );
      const template = set?.spec?.template;
      const sources = template?.spec?.volumes?.flatMap((v) => v.projected?.sources ?? []) ?? [];
      const tlsSource = sources.find((s) => s.secret?.name === tesseraTlsSecretName(node));
      assert.deepEqual(
        tlsSource?.secret?.items?.map((i) => i.key),
        ["tls.key", "tls.crt", "ca.crt"],
        node.name,
      );
      assert.match(
        template?.metadata?.annotations?.[TESSERA_TLS_CERTIFICATE_ANNOTATION] ?? "",
        /^[0-9a-f]{64}$/,
      );
    }
  });
});

describe("Prometheus' client certificate for Tessera P2P metrics (strict TLS, local stack)", () => {
  let result: RenderResult;
  before(async () => {
    result = await renderProgram("local", withTls("local", "strict"), program);
  });
  const client = (type: string) => {
    const found = ofType(result, type).filter((r) => r.name.endsWith("-monitoring-client"));
    assert.equal(found.length, 1, type);
    return found[0]?.inputs as TlsInputs;
  };

  it("is signed by the network CA, for client authentication only, from a secret RSA key", () => {
    const certificate = client(TYPES.certificate);
    assert.deepEqual(certificate.allowedUses, ["digitalSignature", "keyEncipherment", "clientAuth"]);
    assert.equal(certificate.caPrivateKeyPem, SECRET_PLACEHOLDER);
    const memberCas = inputsOf(result, TYPES.certificate).map((c) => c.caCertPem);
    assert.equal(new Set(memberCas).size, 1, "the one CA every member trusts");
    assert.match(certificate.caCertPem ?? "", /BEGIN CERTIFICATE/);
    assert.ok((certificate.earlyRenewalHours ?? 0) > 0);
    const request = client(TYPES.request);
    assert.equal(request.subject.commonName, "local-monitoring");
    assert.deepEqual([request.dnsNames, request.ipAddresses], [undefined, undefined]);
    assert.equal(request.privateKeyPem, SECRET_PLACEHOLDER);
    assert.deepEqual(client(TYPES.key), { algorithm: "RSA", rsaBits: 3072 });
  });

  it("reaches Prometheus as a kubernetes.io/tls Secret in the monitoring namespace, its data secret", () => {
    const secrets = inputsOf<SecretInputs>(result, TYPES.secret).filter(
      (s) => s.metadata.name === TESSERA_CLIENT_TLS_SECRET,
    );
    assert.equal(secrets.length, 1);
    assert.equal(secrets[0]?.type, "kubernetes.io/tls");
    assert.equal(secrets[0]?.metadata.namespace, "monitoring");
    assert.equal(secrets[0]?.stringData, SECRET_PLACEHOLDER);
    assert.ok(!JSON.stringify(result).includes("PRIVATE KEY"), "no private key in the render");
  });

  it("is what the Tessera P2P endpoints of the chart's PodMonitors refer to, in the same namespace", () => {
    const [release] = ofType(result, "kubernetes:helm.sh/v3:Release");
    const inputs = release?.inputs as {
      namespace: string;
      values: { prometheus: { additionalPodMonitors: PodMonitorValues[] } };
    };
    assert.equal(inputs.namespace, "monitoring");
    const p2p = inputs.values.prometheus.additionalPodMonitors
      .flatMap((m) => m.podMetricsEndpoints)
      .filter((e) => e.port === "tessera-p2p");
    assert.equal(p2p.length, membersOf(result).length);
    for (const e of p2p) {
      assert.equal(e.scheme, "https");
      assert.equal(e.tlsConfig?.keySecret.name, TESSERA_CLIENT_TLS_SECRET);
    }
  });
});

describe("no client certificate without monitoring", () => {
  it("issues none and keeps no Secret for it with network.monitoring.enabled false", async () => {
    const raw = withTls("local", "strict");
    const network = raw["goquorum:network"] as { monitoring?: Record<string, unknown> };
    network.monitoring = { ...network.monitoring, enabled: false };
    const result = await renderProgram("local", raw, program);
    assert.ok(!result.resources.some((r) => r.name.endsWith("-monitoring-client")));
    assert.ok(!JSON.stringify(result).includes(TESSERA_CLIENT_TLS_SECRET));
    assert.equal(inputsOf(result, TYPES.certificate).length, membersOf(result).length);
  });
});

describe("strict Tessera TLS across clusters", () => {
  it("renders prod with one CA and endpoint IPs in the members' certificates", async () => {
    const result = await renderProgram("prod", withTls("prod", "strict"), program);
    assert.equal(ofType(result, TYPES.ca).length, 1);
    const requests = inputsOf(result, TYPES.request);
    const members = membersOf(result);
    assert.equal(requests.length, members.length + 1);
    for (const { node, namespace } of members) {
      const request = requests.find((r) => r.subject.commonName === node.name);
      assert.ok(node.endpointIp, node.name);
      assert.deepEqual(request?.ipAddresses, [node.endpointIp]);
      assert.deepEqual(request?.dnsNames, serviceHostnames(node.name, namespace));
    }
  });
});

describe("Tessera TLS off", () => {
  it("creates nothing TLS-related", async () => {
    const result = await renderStack("local", program);
    const text = JSON.stringify(result);
    assert.ok(
      !result.resources.some((r) => r.type.startsWith("tls:") || r.type === "goquorum:keys:TesseraTls"),
    );
    assert.ok(!inputsOf<SecretInputs>(result, TYPES.secret).some((s) => s.type === "kubernetes.io/tls"));
    assert.ok(!text.includes("tessera-tls"));
  });
});

describe("TesseraTls keeps private keys secret", () => {
  it("as tls.PrivateKey outputs, as the member's tls.key and as Prometheus' client key", async () => {
    await useOfflineRuntime("tls-test", {}, []);
    const checks: Promise<boolean>[] = [];
    await pulumi.runtime.runInPulumiStack(async () => {
      const key = new tls.PrivateKey("probe", { algorithm: "RSA", rsaBits: 3072 });
      const network = new TesseraTls("net", {
        networkName: "net",
        members: [
          {
            node: { name: "a-member-0", cluster: "a", role: "member", index: 0, client: "goquorum" },
            namespace: "q",
          },
        ],
        protect: false,
        monitoringClient: true,
      });
      const member = network.certificates.get("a-member-0");
      const client = network.monitoringClient;
      assert.ok(member && client);
      checks.push(
        pulumi.isSecret(key.privateKeyPem),
        pulumi.isSecret(key.privateKeyPemPkcs8),
        pulumi.isSecret(member.privateKeyPem),
        pulumi.isSecret(client.privateKeyPem),
      );
      checks.push(pulumi.isSecret(network.caCertificatePem).then((secret) => !secret));
      return {};
    });
    assert.deepEqual(await Promise.all(checks), [true, true, true, true, true]);
    await pulumi.runtime.disconnect();
  });
});
