/**
 * Monitoring in the real program under the mock runtime: every cluster with a target gets its release, the
 * credentials (Grafana's password, receivers' secrets) reach the render only masked, and nothing is public.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as k8s from "@pulumi/kubernetes";
import { ClusterMonitoring } from "../components/monitoring/ClusterMonitoring";
import type { ClusterTarget } from "../components/targets/ClusterTarget";
import { awsLoadBalancerAnnotations } from "../infra/aws/loadBalancer";
import { readStackFile, stackFilePath } from "../infra/config/load";
import type { ChartValues } from "../infra/monitoring/chartValues";
import { throwawayBytes } from "../infra/offline/mocks";
import { type RenderResult, renderProgram, SECRET_PLACEHOLDER } from "../infra/offline/render";
import { planNetwork } from "../infra/plan";
import { program } from "../infra/program";
import { awsCluster, stackConfig } from "./helpers/config";

const raw = readStackFile(stackFilePath("local"));
const network = raw["goquorum:network"] as Record<string, unknown>;
const WEBHOOK = "https://hooks.example.org/services/T0KEN-THAT-MUST-NOT-LEAK";
const SMTP_PASSWORD = "smtp-password-that-must-not-leak";
const HEARTBEAT = "https://hc-ping.example.org/heartbeat-uuid-that-must-not-leak";

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
          heartbeat: { repeatInterval: "5m" },
        },
      },
      "goquorum:alertingSecrets": {
        "ops-hook": WEBHOOK,
        "ops-mail": SMTP_PASSWORD,
        "heartbeat-kind": HEARTBEAT,
      },
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

  it("keeps Grafana's generated password and the receivers' and heartbeat's credentials out of the render", () => {
    const text = JSON.stringify(result);
    assert.ok(!text.includes(WEBHOOK));
    assert.ok(!text.includes(SMTP_PASSWORD));
    assert.ok(!text.includes(HEARTBEAT));
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

  it("renders a stack whose receiver credentials are encrypted, with stand-ins", async () => {
    const encrypted = {
      ...raw,
      "goquorum:network": { ...network, monitoring: { receivers: [{ name: "ops-hook", type: "webhook" }] } },
      "goquorum:alertingSecrets": { "ops-hook": { secure: "v1:AAAAAAAAAAAAAAAA:BBBBBBBB" } },
    };
    const result = await renderProgram("local", encrypted, program);
    assert.equal(ofType(result, "kubernetes:helm.sh/v3:Release").length, 1);
  });

  it("a receiver without its secret credential stops the program, naming the key", async () => {
    const missing = {
      ...raw,
      "goquorum:network": { ...network, monitoring: { receivers: [{ name: "ops-pd", type: "pagerduty" }] } },
    };
    await assert.rejects(renderProgram("local", missing, program), /alertingSecrets/);
  });

  it("a heartbeat without any alerting secret stops the program, naming the cluster's key", async () => {
    const missing = { ...raw, "goquorum:network": { ...network, monitoring: { heartbeat: {} } } };
    await assert.rejects(renderProgram("local", missing, program), /alertingSecrets\.heartbeat-kind/);
  });
});

describe("monitoring of cloud clusters, through any cluster target", () => {
  const config = stackConfig(
    [
      awsCluster("east", { nodes: { validators: 2, members: 1 } }),
      awsCluster("west", { nodes: { validators: 2, members: 1 } }),
    ],
    // Tessera TLS off: these tests are about where monitoring runs; strict TLS has its own (tessera-tls).
    { monitoring: { centralCluster: "west" }, workloads: { tessera: { tls: "off" } } },
  );
  const { plan } = planNetwork(config);
  let result: RenderResult;
  before(async () => {
    assert.ok(plan);
    result = await renderProgram("cloud", {}, async () => {
      for (const cluster of plan.clusters) {
        // A stand-in target with the AWS load balancer annotations: the component sees only the contract.
        const target: ClusterTarget = {
          kubernetes: new k8s.Provider(`${cluster.name}-k8s`, {}),
          crdKubernetes: () => new k8s.Provider(`${cluster.name}-k8s-crds`, {}),
          enforcesNetworkPolicies: true,
          prerequisites: [],
          storageClass: "gp3",
          loadBalancerAnnotations: (node) => awsLoadBalancerAnnotations(cluster, node),
          createVault: () => {
            throw new Error("not used by monitoring");
          },
        };
        new ClusterMonitoring(cluster.name, { network: config.network, plan, cluster, target });
      }
      return {};
    });
  });

  it("puts the other cluster's Prometheus behind an internal load balancer on its planned address", () => {
    const east = plan?.clusters.find((c) => c.name === "east");
    const west = plan?.clusters.find((c) => c.name === "west");
    assert.ok(east?.monitoringEndpointIp && west);
    const services = ofType(result, "kubernetes:core/v1:Service");
    assert.deepEqual(
      services.map((s) => s.name),
      ["east-prometheus-federation"],
    );
    const { metadata, spec } = services[0].inputs as {
      metadata: { annotations: Record<string, string> };
      spec: { type: string; loadBalancerSourceRanges: string[] };
    };
    assert.equal(metadata.annotations["service.beta.kubernetes.io/aws-load-balancer-scheme"], "internal");
    assert.equal(
      metadata.annotations["service.beta.kubernetes.io/aws-load-balancer-private-ipv4-addresses"],
      east.monitoringEndpointIp,
    );
    assert.deepEqual(spec.loadBalancerSourceRanges, [west.cidr, west.podCidr].filter(Boolean));
    assert.equal(services[0].provider, "east-k8s");
  });

  it("runs Grafana only in the central cluster, which federates the other one", () => {
    const releases = ofType(result, "kubernetes:helm.sh/v3:Release");
    const values = (name: string): ChartValues => {
      const release = releases.find((r) => r.name === `${name}-monitoring`);
      assert.ok(release, name);
      return (release.inputs as { values: ChartValues }).values;
    };
    assert.equal(values("west").grafana.enabled, true);
    assert.equal(values("east").grafana.enabled, false);
    assert.equal(values("west").prometheus.prometheusSpec.additionalScrapeConfigs.length, 1);
    assert.equal(ofType(result, "random:index/randomPassword:RandomPassword").length, 1);
    assert.equal(
      values("east").prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec.storageClassName,
      "gp3",
    );
  });
});
