/**
 * Published routes on EKS and AKS under the mock runtime: the gateway's load balancer as the cloud target
 * decides, cert-manager's DNS-01 identity confined to cert-manager's ServiceAccount and the configured zone,
 * every custom object valid against its CRD, and Grafana published only where it runs, with its OIDC login
 * in the monitoring release and its client secret created before it.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { awsGatewayServiceAnnotations } from "../infra/aws/ingress";
import { azureGatewayServiceAnnotations, dnsZoneScope } from "../infra/azure/ingress";
import {
  type RenderedResource,
  type RenderResult,
  renderProgram,
  SECRET_PLACEHOLDER,
} from "../infra/offline/render";
import type { ClusterPlan } from "../infra/plan/types";
import { program } from "../infra/program";
import { planRawConfig } from "../infra/stackPlan";
import { crdErrors } from "./helpers/crds";
import type { Json } from "./helpers/json";

const secure = { secure: "v1:encrypted" };
const JWT = {
  issuer: "https://login.example.com/tenant/v2.0",
  jwksUri: "https://login.example.com/tenant/discovery/v2.0/keys",
  audiences: ["api://goquorum-rpc"],
};
const GRAFANA_OIDC = {
  clientId: "grafana",
  authUrl: "https://login.example.com/authorize",
  tokenUrl: "https://login.example.com/token",
  apiUrl: "https://login.example.com/userinfo",
  allowedDomains: ["example.com"],
};
const ZONE = {
  subscriptionId: "00000000-0000-4000-8000-000000000000",
  resourceGroup: "dns",
  zoneName: "example.net",
};
const PUBLIC_RPC = {
  kind: "rpc",
  hostname: "rpc.example.net",
  exposure: "public",
  allowedCidrs: ["203.0.113.0/24", "198.51.100.0/24"],
  auth: { jwt: JWT },
};
const GRAFANA_ROUTE = { kind: "grafana", hostname: "grafana.example.net", allowedCidrs: ["10.0.0.0/8"] };

const awsCluster = (name: string, region: string, routes: unknown[]) => ({
  name,
  provider: "aws",
  region,
  nodePools: [{ name: "default", instanceType: "m6i.xlarge", count: 3 }],
  nodes: { validators: 2, rpc: 1 },
  vault: "kubernetes",
  ingress: {
    routes,
    tls: { source: "acme", acme: { email: "ops@example.net", route53: { hostedZoneId: "Z0123456789ABC" } } },
    grafana: { oidc: GRAFANA_OIDC },
  },
});

const azureCluster = (routes: unknown[]) => ({
  name: "weu",
  provider: "azure",
  region: "westeurope",
  nodePools: [{ name: "system", vmSize: "Standard_D4s_v5", count: 3 }],
  deployerRanges: ["203.0.113.0/24"],
  nodes: { validators: 4, rpc: 1 },
  vault: "kubernetes",
  ingress: {
    routes,
    tls: { source: "acme", acme: { email: "ops@example.net", azureDns: ZONE } },
    grafana: { oidc: GRAFANA_OIDC },
  },
});

const stack = (clusters: unknown[], monitoring: Record<string, unknown> = {}) => ({
  "goquorum:network": { name: "pub", chainId: 4242, monitoring },
  "goquorum:clusters": clusters,
  "goquorum:ingressSecrets": Object.fromEntries(
    (clusters as { name: string }[]).map((c) => [c.name, { grafanaClientSecret: secure }]),
  ),
});

function planOf(raw: Record<string, unknown>, cluster: string): ClusterPlan {
  const { plan, issues } = planRawConfig(raw);
  const found = plan?.clusters.find((c) => c.name === cluster);
  assert.ok(found, JSON.stringify(issues));
  return found;
}

const ofType = (r: RenderResult, type: string) => r.resources.filter((x) => x.type === type);
const one = (r: RenderResult, type: string, name: string): RenderedResource => {
  const found = r.resources.find((x) => x.type === type && x.name === name);
  assert.ok(found, `${type}::${name}`);
  return found;
};
const inputs = (x: RenderedResource) => x.inputs as Json;
const release = (r: RenderResult, chart: string) => {
  const found = ofType(r, "kubernetes:helm.sh/v3:Release").filter((x) => inputs(x).chart === chart);
  assert.equal(found.length, 1, chart);
  return found[0];
};
const envoyProxy = (r: RenderResult, exposure: string) => {
  const found = ofType(r, "kubernetes:gateway.envoyproxy.io/v1alpha1:EnvoyProxy").find(
    (x) => inputs(x).metadata.name === `pub-${exposure}`,
  );
  assert.ok(found, `EnvoyProxy pub-${exposure}`);
  return inputs(found).spec.provider.kubernetes.envoyService;
};
const customObjects = (r: RenderResult) =>
  r.resources.filter((x) => /^kubernetes:(gateway|cert-manager)/.test(x.type));

describe("published routes on EKS", () => {
  const raw = stack([awsCluster("euw1", "eu-west-1", [PUBLIC_RPC, GRAFANA_ROUTE])]);
  // One render at a time: the mock runtime is process-wide.
  let rendered: RenderResult;
  before(async () => {
    rendered = await renderProgram("pub", raw, program);
  });

  it("the EnvoyProxy Services are the NLBs the AWS target annotates, the public one open to the route's ranges only", async () => {
    const r = rendered;
    const cluster = planOf(raw, "euw1");
    const pub = envoyProxy(r, "public");
    assert.deepEqual(pub.annotations, awsGatewayServiceAnnotations(cluster, "public"));
    assert.equal(pub.type, "LoadBalancer");
    assert.deepEqual(pub.loadBalancerSourceRanges, ["198.51.100.0/24", "203.0.113.0/24"]);
    assert.deepEqual(
      envoyProxy(r, "internal").annotations,
      awsGatewayServiceAnnotations(cluster, "internal"),
    );
  });

  it("cert-manager's ServiceAccount assumes a role only it can assume, allowed into the hosted zone only", async () => {
    const r = rendered;
    const role = one(r, "aws:iam/role:Role", "euw1-cert-manager-dns");
    assert.equal(role.provider, "aws-eu-west-1");
    const trust = JSON.parse(inputs(role).assumeRolePolicy);
    assert.equal(trust.Statement.length, 1);
    const [statement] = trust.Statement;
    const eks = one(r, "eks:index:Cluster", "euw1");
    assert.ok(eks);
    assert.match(statement.Principal.Federated, /^arn:aws:iam::\d{12}:oidc-provider\/oidc\.eks\.eu-west-1\./);
    const conditions = Object.entries(statement.Condition.StringEquals as Record<string, string>);
    assert.deepEqual(conditions.map(([k, v]) => [k.replace(/^.*:/, ""), v]).sort(), [
      ["aud", "sts.amazonaws.com"],
      ["sub", "system:serviceaccount:cert-manager:cert-manager"],
    ]);

    const policy = one(r, "aws:iam/rolePolicy:RolePolicy", "euw1-cert-manager-dns");
    const document = JSON.parse(inputs(policy).policy);
    const writes = document.Statement.filter((s: Json) =>
      [s.Action].flat().includes("route53:ChangeResourceRecordSets"),
    );
    assert.deepEqual(
      writes.map((s: Json) => s.Resource),
      ["arn:aws:route53:::hostedzone/Z0123456789ABC"],
    );
    assert.ok(!JSON.stringify(document).includes("hostedzone/*"));

    const certManager = release(r, "cert-manager");
    assert.deepEqual(Object.keys(inputs(certManager).values.serviceAccount.annotations), [
      "eks.amazonaws.com/role-arn",
    ]);
    assert.match(
      inputs(certManager).values.serviceAccount.annotations["eks.amazonaws.com/role-arn"],
      /^arn:aws:iam::\d{12}:role\/euw1-cert-manager-dns-[0-9a-f]{7}$/,
    );
    // cert-manager starts once its role may write the zone.
    assert.ok(
      certManager.options?.dependsOn?.includes("aws:iam/rolePolicy:RolePolicy::euw1-cert-manager-dns"),
    );
  });

  it("every rendered Gateway API, Envoy Gateway and cert-manager object validates against its CRD", async () => {
    const custom = customObjects(rendered);
    assert.ok(custom.length >= 10);
    for (const x of custom) assert.deepEqual(crdErrors(inputs(x)), [], x.name);
  });

  it("Grafana on the central cluster: OIDC login in the monitoring release, its client secret before the release", async () => {
    const r = rendered;
    const monitoring = release(r, "kube-prometheus-stack");
    const grafana = inputs(monitoring).values.grafana;
    assert.equal(grafana.envFromSecret, "grafana-oidc");
    assert.equal(grafana["grafana.ini"].server.root_url, "https://grafana.example.net/");
    assert.equal(grafana["grafana.ini"]["auth.generic_oauth"].client_id, "grafana");
    assert.equal(grafana["grafana.ini"]["auth.generic_oauth"].client_secret, undefined);
    assert.equal(grafana.admin.existingSecret, "grafana-admin", "the admin login stays for break-glass");
    const secret = one(r, "kubernetes:core/v1:Secret", "euw1-grafana-oidc");
    assert.equal(inputs(secret).metadata.namespace, "monitoring");
    assert.equal(inputs(secret).stringData, SECRET_PLACEHOLDER);
    assert.ok(monitoring.options?.dependsOn?.includes("kubernetes:core/v1:Secret::euw1-grafana-oidc"));
    assert.ok(secret.options?.dependsOn?.includes("kubernetes:core/v1:Namespace::euw1-monitoring-namespace"));
    const route = ofType(r, "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute").find(
      (x) => inputs(x).metadata.name === "ingress-grafana",
    );
    assert.ok(route);
    // The route sits next to Grafana's Service, the chart's `<release>-grafana` on port 80.
    assert.equal(inputs(route).metadata.namespace, "monitoring");
    assert.deepEqual(
      inputs(route).spec.rules[0].backendRefs.map((b: Json) => [b.name, b.port]),
      [["monitoring-grafana", 80]],
    );
  });
});

describe("published routes on AKS", () => {
  const raw = stack([azureCluster([PUBLIC_RPC])]);
  // One render at a time: the mock runtime is process-wide.
  let rendered: RenderResult;
  before(async () => {
    rendered = await renderProgram("pub", raw, program);
  });

  it("the EnvoyProxy Service is the public load balancer the Azure target annotates, open to the route's ranges only", async () => {
    const pub = envoyProxy(rendered, "public");
    assert.deepEqual(pub.annotations, azureGatewayServiceAnnotations(planOf(raw, "weu"), "public"));
    assert.deepEqual(pub.loadBalancerSourceRanges, ["198.51.100.0/24", "203.0.113.0/24"]);
  });

  it("cert-manager runs as a workload identity federated with its ServiceAccount only, DNS Zone Contributor on the zone only", async () => {
    const r = rendered;
    const identity = one(r, "azure-native:managedidentity:UserAssignedIdentity", "weu-cert-manager-dns");
    assert.equal(inputs(identity).resourceName, "weu-cert-manager-dns");
    const federation = inputs(
      one(r, "azure-native:managedidentity:FederatedIdentityCredential", "weu-cert-manager-dns"),
    );
    assert.equal(federation.subject, "system:serviceaccount:cert-manager:cert-manager");
    assert.deepEqual(federation.audiences, ["api://AzureADTokenExchange"]);
    assert.match(federation.issuer, /^https:\/\//);
    const assignment = inputs(one(r, "azure-native:authorization:RoleAssignment", "weu-cert-manager-dns"));
    assert.equal(assignment.scope, dnsZoneScope(ZONE));
    assert.match(assignment.roleDefinitionId, /\/roleDefinitions\/befefa01-2a29-4197-83a8-272ff33ce314$/);
    assert.equal(assignment.principalType, "ServicePrincipal");

    const certManager = release(r, "cert-manager");
    const clientId =
      inputs(certManager).values.serviceAccount.annotations["azure.workload.identity/client-id"];
    assert.match(clientId, /^[0-9a-f-]{36}$/);
    assert.deepEqual(inputs(certManager).values.podLabels, { "azure.workload.identity/use": "true" });
    assert.deepEqual(
      [...(certManager.options?.dependsOn ?? [])].filter((d) => d.includes("weu-cert-manager-dns")).sort(),
      [
        "azure-native:authorization:RoleAssignment::weu-cert-manager-dns",
        "azure-native:managedidentity:FederatedIdentityCredential::weu-cert-manager-dns",
      ],
    );
    const issuer = inputs(ofType(r, "kubernetes:cert-manager.io/v1:ClusterIssuer")[0]);
    assert.equal(issuer.spec.acme.solvers[0].dns01.azureDNS.managedIdentity.clientID, clientId);
  });

  it("every rendered custom object validates against its CRD", async () => {
    const custom = customObjects(rendered);
    assert.ok(custom.length >= 8);
    for (const x of custom) assert.deepEqual(crdErrors(inputs(x)), [], x.name);
  });
});

describe("a grafana route where no Grafana runs", () => {
  const two = (central: string) =>
    stack(
      [
        awsCluster("euw1", "eu-west-1", [PUBLIC_RPC]),
        awsCluster("use1", "us-east-1", [PUBLIC_RPC, GRAFANA_ROUTE]),
      ],
      { centralCluster: central },
    );

  it("is refused on a cluster other than the central one, naming the route's key", async () => {
    await assert.rejects(renderProgram("pub", two("euw1"), program), (e: Error) => {
      assert.match(
        e.message,
        /clusters\[1\]\.ingress\.routes\[1\]\.kind: Grafana runs only in the central cluster euw1/,
      );
      return true;
    });
  });

  it("is refused with monitoring disabled", async () => {
    const raw = stack([awsCluster("euw1", "eu-west-1", [PUBLIC_RPC, GRAFANA_ROUTE])], { enabled: false });
    await assert.rejects(
      renderProgram("pub", raw, program),
      /clusters\[0\]\.ingress\.routes\[1\]\.kind: network\.monitoring\.enabled is false/,
    );
  });

  it("renders on the central cluster", async () => {
    const r = await renderProgram("pub", two("use1"), program);
    const monitoring = ofType(r, "kubernetes:helm.sh/v3:Release").filter(
      (x) => inputs(x).chart === "kube-prometheus-stack",
    );
    const withLogin = monitoring.filter((x) => inputs(x).values.grafana.envFromSecret === "grafana-oidc");
    assert.deepEqual(
      withLogin.map((x) => x.name),
      ["use1-monitoring"],
    );
  });
});

describe("published Grafana on a local cluster", () => {
  const raw = {
    ...stack([
      {
        name: "kind",
        provider: "local",
        nodes: { validators: 4, rpc: 1 },
        ingress: {
          routes: [{ kind: "grafana", hostname: "grafana.kind.internal", allowedCidrs: ["127.0.0.1/32"] }],
          tls: { source: "ca" },
          grafana: { oidc: GRAFANA_OIDC },
        },
      },
    ]),
    "goquorum:ingressSecrets": {
      kind: { grafanaClientSecret: secure, ca: { certificate: secure, privateKey: secure } },
    },
  };
  let rendered: RenderResult;
  before(async () => {
    rendered = await renderProgram("pub", raw, program);
  });

  it("no load balancer: the gateway's Service stays ClusterIP, and no cloud identity exists", () => {
    assert.deepEqual(envoyProxy(rendered, "internal"), { type: "ClusterIP" });
    assert.deepEqual(inputs(release(rendered, "cert-manager")).values.serviceAccount.annotations, {});
  });

  it("Grafana logs in through OIDC, its client secret created before the monitoring release", () => {
    const monitoring = release(rendered, "kube-prometheus-stack");
    assert.equal(inputs(monitoring).values.grafana.envFromSecret, "grafana-oidc");
    assert.equal(
      inputs(monitoring).values.grafana["grafana.ini"].server.root_url,
      "https://grafana.kind.internal/",
    );
    assert.ok(monitoring.options?.dependsOn?.includes("kubernetes:core/v1:Secret::kind-grafana-oidc"));
  });
});
