/**
 * ClusterIngress on cloud clusters, under the mock runtime, with stand-in targets that implement the optional
 * members the AWS and Azure targets will provide: the gateway's load balancer annotations and cert-manager's
 * DNS identity reach the rendered objects; a cloud target without annotations is refused.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ClusterIngress } from "../components/ingress/ClusterIngress";
import type { ClusterTarget, DnsSolverIdentity, DnsSolverRequest } from "../components/targets/ClusterTarget";
import { awsGatewayServiceAnnotations } from "../infra/aws/ingress";
import { azureGatewayServiceAnnotations } from "../infra/azure/ingress";
import type { StackConfig } from "../infra/config/schema";
import { ENVOY_GATEWAY, kubePrometheusGrafana } from "../infra/ingress";
import { type RenderResult, renderProgram, SECRET_PLACEHOLDER } from "../infra/offline/render";
import type { ClusterPlan } from "../infra/plan/types";
import { awsIngressConfig, azureIngressConfig, planOf } from "./fixtures/ingress";
import type { Json } from "./helpers/json";

interface StandIn {
  readonly annotations?: (cluster: ClusterPlan) => ClusterTarget["gatewayServiceAnnotations"];
  readonly requests: DnsSolverRequest[];
}

/** Runs ClusterIngress alone for the config's only cluster, through a stand-in target. */
function render(config: StackConfig, standIn: StandIn): Promise<RenderResult> {
  const cluster = planOf(config).clusters[0];
  const secrets = { grafanaClientSecret: "g", apiKeys: { settlement: "k", indexer: "k", backoffice: "k" } };
  return renderProgram("test", {}, async () => {
    const kubernetes = new k8s.Provider("cloud-k8s", {});
    const crdKubernetes = new k8s.Provider("cloud-k8s-crds", {});
    const target: ClusterTarget = {
      kubernetes,
      crdKubernetes: () => crdKubernetes,
      enforcesNetworkPolicies: true,
      prerequisites: [],
      ...(standIn.annotations ? { gatewayServiceAnnotations: standIn.annotations(cluster) } : {}),
      createDnsSolverIdentity: (_name, request): DnsSolverIdentity => {
        standIn.requests.push(request);
        return cluster.provider === "azure"
          ? {
              serviceAccountAnnotations: {
                "azure.workload.identity/client-id": pulumi.output("client-id-1"),
              },
              podLabels: { "azure.workload.identity/use": "true" },
              azureClientId: pulumi.output("client-id-1"),
            }
          : {
              serviceAccountAnnotations: {
                "eks.amazonaws.com/role-arn": "arn:aws:iam::111122223333:role/cert-manager",
              },
            };
      },
      createVault: () => {
        throw new Error("not used by ClusterIngress");
      },
    };
    assert.ok(cluster.ingress);
    new ClusterIngress(cluster.name, {
      networkName: config.network.name,
      cluster,
      ingress: cluster.ingress,
      rpcWebsocket: false,
      target,
      secrets: pulumi.secret(secrets),
      grafana: kubePrometheusGrafana("monitoring"),
    });
    return {};
  });
}

const byType = (r: RenderResult, type: string) =>
  r.resources.filter((x) => x.type === type).map((x) => x.inputs as Json);

describe("ClusterIngress on cloud targets", () => {
  it("aws: the NLB annotations per exposure and the IRSA role for Route 53 reach the rendered objects", async () => {
    const requests: DnsSolverRequest[] = [];
    const r = await render(awsIngressConfig(), {
      annotations: (c) => (e) => awsGatewayServiceAnnotations(c, e),
      requests,
    });
    assert.deepEqual(
      requests.map((q) => [q.serviceAccount, q.acme.route53?.hostedZoneId]),
      [[{ namespace: "cert-manager", name: "cert-manager" }, "Z0123456789ABC"]],
    );
    const certManager = byType(r, "kubernetes:helm.sh/v3:Release").find((x) => x.chart === "cert-manager");
    assert.deepEqual(certManager?.values.serviceAccount.annotations, {
      "eks.amazonaws.com/role-arn": "arn:aws:iam::111122223333:role/cert-manager",
    });
    const proxies = byType(r, "kubernetes:gateway.envoyproxy.io/v1alpha1:EnvoyProxy");
    assert.deepEqual(
      proxies.map((p) => [
        p.metadata.name,
        p.spec.provider.kubernetes.envoyService.annotations[
          "service.beta.kubernetes.io/aws-load-balancer-scheme"
        ],
      ]),
      [
        ["testnet-internal", "internal"],
        ["testnet-public", "internet-facing"],
      ],
    );
    for (const s of r.resources.filter((x) => x.type === "kubernetes:core/v1:Secret")) {
      assert.equal((s.inputs as Json).stringData, SECRET_PLACEHOLDER, s.name);
    }
    assert.deepEqual(
      r.resources
        .filter((x) => x.type === "kubernetes:core/v1:Secret")
        .map((x) => x.name)
        .sort(),
      // Grafana's OIDC client secret is the monitoring component's: it must exist before Grafana starts.
      ["euw1-secret-goquorum-ingress-tessera-euw1-member-1-api-keys"],
    );
  });

  it("azure: the internal/public LB annotations and the workload identity in cert-manager and the ClusterIssuer", async () => {
    const requests: DnsSolverRequest[] = [];
    const r = await render(azureIngressConfig(), {
      annotations: (c) => (e) => azureGatewayServiceAnnotations(c, e),
      requests,
    });
    assert.equal(requests[0].acme.azureDns?.zoneName, "dev.example.net");
    const certManager = byType(r, "kubernetes:helm.sh/v3:Release").find((x) => x.chart === "cert-manager");
    assert.deepEqual(certManager?.values.podLabels, { "azure.workload.identity/use": "true" });
    assert.deepEqual(certManager?.values.serviceAccount.annotations, {
      "azure.workload.identity/client-id": "client-id-1",
    });
    const issuer = byType(r, "kubernetes:cert-manager.io/v1:ClusterIssuer")[0];
    assert.equal(issuer.spec.acme.solvers[0].dns01.azureDNS.managedIdentity.clientID, "client-id-1");
  });

  it("applies the Envoy Gateway CRDs of the pinned release itself, through the adopting provider, before the controller", async () => {
    const r = await render(awsIngressConfig(), {
      annotations: (c) => (e) => awsGatewayServiceAnnotations(c, e),
      requests: [],
    });
    const chart = r.resources.find((x) => x.type === "kubernetes:helm.sh/v4:Chart");
    assert.ok(chart, "the CRDs chart is registered");
    assert.deepEqual(
      [chart.name, chart.provider, chart.options?.retainOnDelete],
      ["euw1-envoy-gateway-crds", "cloud-k8s-crds", true],
    );
    assert.deepEqual(chart.inputs, {
      chart: "oci://docker.io/envoyproxy/gateway-crds-helm",
      version: ENVOY_GATEWAY.version,
      values: {
        crds: { gatewayAPI: { enabled: true, channel: "experimental" }, envoyGateway: { enabled: true } },
      },
    });
    const controller = r.resources.find(
      (x) => x.type === "kubernetes:helm.sh/v3:Release" && (x.inputs as Json).name === "envoy-gateway",
    );
    assert.ok(controller);
    assert.equal(controller.provider, "cloud-k8s");
    assert.equal((controller.inputs as Json).skipCrds, true, "Helm installs no CRD of its own");
    assert.ok(controller.options?.dependsOn?.includes(`kubernetes:helm.sh/v4:Chart::${chart.name}`));
  });

  it("a cloud target without gateway annotations is refused rather than publishing nothing", async () => {
    await assert.rejects(
      render(awsIngressConfig(), { requests: [] }),
      /aws target must provide gatewayServiceAnnotations/,
    );
  });
});
