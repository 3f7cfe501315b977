/**
 * Monitoring in the real program under the mock runtime: every cluster with a target gets its release, the
 * credentials (Grafana's password, receivers' secrets) reach the render only masked, and nothing is public.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { readStackFile, stackFilePath } from "../infra/config/load";
import { throwawayBytes } from "../infra/offline/mocks";
import { type RenderResult, renderProgram, SECRET_PLACEHOLDER } from "../infra/offline/render";
import { program } from "../infra/program";

const raw = readStackFile(stackFilePath("local"));
const network = raw["goquorum:network"] as Record<string, unknown>;
const WEBHOOK = "https://hooks.example.org/services/T0KEN-THAT-MUST-NOT-LEAK";
const SMTP_PASSWORD = "smtp-password-that-must-not-leak";

const ofType = (r: RenderResult, type: string) => r.resources.filter((x) => x.type === type);
const metadataOf = (inputs: unknown) =>
  (inputs as { metadata: { name: string; namespace?: string; labels?: Record<string, string> } }).metadata;

describe("monitoring in the local stack", () => {
  let result: RenderResult;
  before(async () => {
    const withReceivers = {
      ...raw,
      "goquorum:network": {
        ...network,
        monitoring: {
          receivers: [
            { name: "ops-hook", type: "webhook" },
            {
              name: "ops-mail",
              type: "email",
              to: "ops@example.org",
              from: "q@example.org",
              smarthost: "smtp.example.org:587",
              username: "q",
            },
          ],
        },
      },
      "goquorum:alertingSecrets": { "ops-hook": WEBHOOK, "ops-mail": SMTP_PASSWORD },
    };
    result = await renderProgram("local", withReceivers, program);
  });

  it("installs kube-prometheus-stack at a pinned version in the monitoring namespace the policies admit", () => {
    const [release] = ofType(result, "kubernetes:helm.sh/v3:Release");
    const inputs = release.inputs as { chart: string; version: string; namespace: string; name: string };
    assert.deepEqual(
      [inputs.chart, inputs.version, inputs.namespace, inputs.name],
      ["kube-prometheus-stack", "88.5.3", "monitoring", "monitoring"],
    );
    assert.equal(release.provider, "kind-k8s");
    const policies = ofType(result, "kubernetes:networking.k8s.io/v1:NetworkPolicy").map((p) => p.inputs);
    assert.match(JSON.stringify(policies), /"kubernetes.io\/metadata.name":"monitoring"/);
  });

  it("keeps Grafana's generated password and the receivers' credentials out of the render", () => {
    const text = JSON.stringify(result);
    assert.ok(!text.includes(WEBHOOK));
    assert.ok(!text.includes(SMTP_PASSWORD));
    const password = throwawayBytes("local:kind-grafana-admin", 32).toString("hex");
    assert.ok(!text.includes(password));
    const secrets = ofType(result, "kubernetes:core/v1:Secret").filter(
      (s) => metadataOf(s.inputs).namespace === "monitoring",
    );
    assert.deepEqual(secrets.map((s) => metadataOf(s.inputs).name).sort(), [
      "alertmanager-goquorum",
      "grafana-admin",
    ]);
    for (const s of secrets)
      assert.equal((s.inputs as { stringData: unknown }).stringData, SECRET_PLACEHOLDER);
    const [release] = ofType(result, "kubernetes:helm.sh/v3:Release");
    const values = (
      release.inputs as {
        values: {
          grafana: { admin: { existingSecret: string } };
          alertmanager: { alertmanagerSpec: { configSecret: string } };
        };
      }
    ).values;
    assert.equal(values.grafana.admin.existingSecret, "grafana-admin");
    assert.equal(values.alertmanager.alertmanagerSpec.configSecret, "alertmanager-goquorum");
  });

  it("provisions the four dashboards through the Grafana sidecar", () => {
    const dashboards = ofType(result, "kubernetes:core/v1:ConfigMap")
      .map((c) => metadataOf(c.inputs))
      .filter((m) => m.labels?.grafana_dashboard === "1");
    assert.deepEqual(dashboards.map((m) => m.name).sort(), [
      "goquorum-dashboard-network-overview",
      "goquorum-dashboard-node-detail",
      "goquorum-dashboard-tessera",
      "goquorum-dashboard-volumes",
    ]);
    assert.ok(dashboards.every((m) => m.namespace === "monitoring"));
  });

  it("exposes nothing outside the cluster", () => {
    const services = ofType(result, "kubernetes:core/v1:Service").map(
      (s) => s.inputs as { spec: { type?: string } },
    );
    assert.ok(services.every((s) => s.spec.type !== "LoadBalancer" && s.spec.type !== "NodePort"));
    const [release] = ofType(result, "kubernetes:helm.sh/v3:Release");
    const text = JSON.stringify(release.inputs);
    assert.ok(!/"type":"(LoadBalancer|NodePort)"/.test(text));
    assert.ok(!/ingress":\{"enabled":true/.test(text));
  });
});

describe("monitoring switched off", () => {
  it("renders no monitoring resource", async () => {
    const off = { ...raw, "goquorum:network": { ...network, monitoring: { enabled: false } } };
    const result = await renderProgram("local", off, program);
    assert.equal(ofType(result, "kubernetes:helm.sh/v3:Release").length, 0);
    assert.equal(ofType(result, "random:index/randomPassword:RandomPassword").length, 0);
  });

  it("a receiver without its secret credential stops the program, naming the key", async () => {
    const missing = {
      ...raw,
      "goquorum:network": { ...network, monitoring: { receivers: [{ name: "ops-pd", type: "pagerduty" }] } },
    };
    await assert.rejects(renderProgram("local", missing, program), /alertingSecrets/);
  });
});
