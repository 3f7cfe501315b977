/**
 * The ingress objects of each provider's cluster, from the pure builders: TLS and authentication on every
 * route, public exposure only where configured with the client ranges applied, rate limits on RPC, and
 * every custom object valid against its CRD schema of the pinned releases.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { awsGatewayServiceAnnotations } from "../infra/aws/ingress";
import { azureGatewayServiceAnnotations } from "../infra/azure/ingress";
import type { Exposure } from "../infra/config/ingress";
import type { StackConfig } from "../infra/config/schema";
import {
  apiKeysSecret,
  type CustomObject,
  caSecret,
  certManagerValues,
  envoyGatewayValues,
  grafanaOidcSecret,
  grafanaOidcValues,
  type IngressInput,
  ingressManifests,
  kubePrometheusGrafana,
  routedSources,
} from "../infra/ingress";
import type { ClusterPlan } from "../infra/plan/types";
import { clusterManifests } from "../infra/quorum/manifests";
import { PORTS } from "../infra/quorum/ports";
import { awsIngressConfig, azureIngressConfig, localIngressConfig, planOf } from "./fixtures/ingress";
import { crdErrors } from "./helpers/crds";
import type { Json } from "./helpers/json";

type Spec = Json;

interface Case {
  readonly provider: string;
  readonly config: StackConfig;
  readonly annotations?: (cluster: ClusterPlan) => (exposure: Exposure) => Record<string, string>;
}

const CASES: Case[] = [
  {
    provider: "aws",
    config: awsIngressConfig(),
    annotations: (c) => (e) => awsGatewayServiceAnnotations(c, e),
  },
  {
    provider: "azure",
    config: azureIngressConfig(),
    annotations: (c) => (e) => azureGatewayServiceAnnotations(c, e),
  },
  { provider: "local", config: localIngressConfig() },
];

function inputOf(c: Case): IngressInput {
  const cluster = planOf(c.config).clusters[0];
  assert.ok(cluster.ingress);
  return {
    networkName: c.config.network.name,
    cluster,
    ingress: cluster.ingress,
    rpcWebsocket: c.config.network.workloads.rpc.websocket,
    grafana: kubePrometheusGrafana("monitoring"),
    ...(c.annotations ? { serviceAnnotations: c.annotations(cluster) } : {}),
  };
}

const all = (m: ReturnType<typeof ingressManifests>): CustomObject[] => [
  ...m.clusterScoped,
  ...m.gateways,
  ...m.routes,
  ...m.certificates,
];
const find = (objs: CustomObject[], kind: string, name: string) => {
  const found = objs.find((o) => o.kind === kind && o.metadata.name === name);
  assert.ok(found, `${kind} ${name}`);
  return found as CustomObject<Spec>;
};
const manifestsOf = (c: Case) =>
  ingressManifests(inputOf(c), { clientId: "11111111-2222-3333-4444-555555555555" });

describe("ingress objects validate against the CRDs of the pinned releases", () => {
  for (const c of CASES) {
    it(`${c.provider}: every Gateway API, Envoy Gateway and cert-manager object`, () => {
      const objects = all(manifestsOf(c));
      const kinds = new Set(objects.map((o) => o.kind));
      for (const kind of [
        "GatewayClass",
        "Gateway",
        "EnvoyProxy",
        "ClientTrafficPolicy",
        "HTTPRoute",
        "SecurityPolicy",
        "BackendTrafficPolicy",
        "Certificate",
        "ClusterIssuer",
      ]) {
        assert.ok(kinds.has(kind), `${c.provider} renders a ${kind}`);
      }
      for (const obj of objects) assert.deepEqual(crdErrors(obj), [], `${obj.kind} ${obj.metadata.name}`);
    });
  }

  it("the validator refuses what the CRD refuses", () => {
    const policy = find(manifestsOf(CASES[2]).routes, "SecurityPolicy", "ingress-rpc");
    const { extractFrom: _, ...apiKeyAuth } = policy.spec.apiKeyAuth;
    assert.notDeepEqual(crdErrors({ ...policy, spec: { ...policy.spec, apiKeyAuth } }), []);
    const limits = find(manifestsOf(CASES[2]).routes, "BackendTrafficPolicy", "ingress-rpc");
    const broken = structuredClone(limits) as Spec;
    broken.spec.rateLimit.local.rules[0].limit.unit = "Fortnight";
    assert.notDeepEqual(crdErrors(broken), []);
  });
});

describe("ingress: TLS on every route, HTTP only redirects", () => {
  for (const c of CASES) {
    it(`${c.provider}: an HTTPS listener with a certificate per route hostname; port 80 carries only the redirect`, () => {
      const input = inputOf(c);
      const m = manifestsOf(c);
      const gateways = m.gateways.filter((o) => o.kind === "Gateway") as CustomObject<Spec>[];
      const listeners = gateways.flatMap((g) => g.spec.listeners as Spec[]);
      for (const route of input.ingress.routes) {
        const https = listeners.find((l) => l.hostname === route.hostname);
        assert.ok(https, route.hostname);
        assert.equal(https.protocol, "HTTPS");
        assert.equal(https.port, 443);
        assert.equal(https.tls.mode, "Terminate");
        const secretName = https.tls.certificateRefs[0].name;
        const cert = find(m.certificates, "Certificate", secretName);
        assert.deepEqual(cert.spec.dnsNames, [route.hostname]);
        assert.equal(cert.spec.secretName, secretName);
        assert.equal(cert.metadata.namespace, input.ingress.namespace);
        const httpRoute = find(m.routes, "HTTPRoute", `ingress-${route.name}`);
        assert.deepEqual(
          httpRoute.spec.parentRefs.map((p: Spec) => p.sectionName),
          [https.name],
        );
      }
      for (const g of gateways) {
        const http = (g.spec.listeners as Spec[]).filter((l) => l.protocol === "HTTP");
        assert.deepEqual(
          http.map((l) => [l.port, l.allowedRoutes.namespaces.from]),
          [[80, "Same"]],
        );
        const redirect = find(m.gateways, "HTTPRoute", `${g.metadata.name}-https-redirect`);
        assert.deepEqual(redirect.spec.rules, [
          { filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }] },
        ]);
        const ctp = find(m.gateways, "ClientTrafficPolicy", g.metadata.name);
        assert.equal(ctp.spec.tls.minVersion, "1.2");
      }
    });
  }

  it("the issuer: ACME DNS-01 through Route 53 (aws) or Azure DNS with the target's identity (azure), the stack CA (local)", () => {
    const aws = find(manifestsOf(CASES[0]).clusterScoped, "ClusterIssuer", "testnet-ingress");
    assert.deepEqual(aws.spec.acme.solvers, [
      { dns01: { route53: { region: "us-east-1", hostedZoneID: "Z0123456789ABC" } } },
    ]);
    const azure = find(manifestsOf(CASES[1]).clusterScoped, "ClusterIssuer", "testnet-ingress");
    assert.equal(
      azure.spec.acme.solvers[0].dns01.azureDNS.managedIdentity.clientID,
      "11111111-2222-3333-4444-555555555555",
    );
    assert.equal(azure.spec.acme.solvers[0].dns01.azureDNS.hostedZoneName, "dev.example.net");
    const local = find(manifestsOf(CASES[2]).clusterScoped, "ClusterIssuer", "testnet-ingress");
    assert.deepEqual(local.spec, { ca: { secretName: "testnet-ingress-ca" } });
  });

  it("supplied certificates: no cert-manager objects, the listener reads the user's Secret", () => {
    const input = inputOf({ provider: "local", config: localIngressConfig("secret") });
    const m = ingressManifests(input);
    assert.deepEqual(m.certificates, []);
    assert.deepEqual(
      m.clusterScoped.map((o) => o.kind),
      ["GatewayClass"],
    );
    const gw = find(m.gateways, "Gateway", "testnet-internal");
    assert.equal(gw.spec.listeners[1].tls.certificateRefs[0].name, "ingress-rpc-tls");
  });
});

describe("ingress: authentication and rate limits", () => {
  it("aws: the public RPC route requires a JWT of the issuer and audience, and names the client for rate limits", () => {
    const m = manifestsOf(CASES[0]);
    const policy = find(m.routes, "SecurityPolicy", "ingress-rpc");
    assert.deepEqual(policy.spec.targetRefs, [
      { group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: "ingress-rpc" },
    ]);
    assert.deepEqual(policy.spec.jwt.providers, [
      {
        name: "oidc",
        issuer: "https://login.example.com/tenant/v2.0",
        audiences: ["api://goquorum-rpc"],
        remoteJWKS: { uri: "https://login.example.com/tenant/discovery/v2.0/keys" },
        claimToHeaders: [{ claim: "azp", header: "x-goquorum-client" }],
      },
    ]);
    const limits = find(m.routes, "BackendTrafficPolicy", "ingress-rpc");
    // The listed client at its own limit; every other client claim in a bucket of its own at the default
    // 20/s; tokens without the claim together at 20/s.
    assert.deepEqual(limits.spec.rateLimit, {
      local: {
        rules: [
          {
            clientSelectors: [
              { headers: [{ name: "x-goquorum-client", type: "Exact", value: "wallet-app" }] },
            ],
            limit: { requests: 100, unit: "Second" },
          },
          {
            clientSelectors: [
              {
                headers: [
                  {
                    name: "x-goquorum-client",
                    type: "RegularExpression",
                    value: "^(wallet-app)$",
                    invert: true,
                  },
                  { name: "x-goquorum-client", type: "Distinct" },
                ],
              },
            ],
            limit: { requests: 20, unit: "Second" },
          },
          {
            clientSelectors: [
              {
                headers: [
                  { name: "x-goquorum-client", type: "RegularExpression", value: ".*", invert: true },
                ],
              },
            ],
            limit: { requests: 20, unit: "Second" },
          },
        ],
      },
    });
  });

  it("azure: API keys from a Secret, the key stripped before the node, one bucket per client", () => {
    const m = manifestsOf(CASES[1]);
    const policy = find(m.routes, "SecurityPolicy", "ingress-rpc");
    assert.deepEqual(policy.spec.apiKeyAuth, {
      credentialRefs: [{ group: "", kind: "Secret", name: "ingress-rpc-api-keys" }],
      extractFrom: [{ headers: ["x-api-key"] }],
      forwardClientIDHeader: "x-goquorum-client",
      sanitize: true,
    });
    assert.equal(policy.spec.authorization, undefined, "internal route without ranges: its private networks");
    const limits = find(m.routes, "BackendTrafficPolicy", "ingress-rpc");
    // indexer at its own 40/s; every other key (backoffice) in a bucket of its own at 10/s. An API key
    // always names its client, so there is no bucket for calls without one.
    assert.deepEqual(
      limits.spec.rateLimit.local.rules.map((r: Spec) => [r.clientSelectors[0].headers, r.limit.requests]),
      [
        [[{ name: "x-goquorum-client", type: "Exact", value: "indexer" }], 40],
        [
          [
            { name: "x-goquorum-client", type: "RegularExpression", value: "^(indexer)$", invert: true },
            { name: "x-goquorum-client", type: "Distinct" },
          ],
          10,
        ],
      ],
    );
  });

  for (const c of CASES) {
    it(`${c.provider}: every RPC and Tessera route has a credential and rate limits; Grafana logs in through OIDC`, () => {
      const input = inputOf(c);
      const m = manifestsOf(c);
      for (const route of input.ingress.routes) {
        if (route.kind === "grafana") {
          assert.ok(input.ingress.grafanaOidc, "Grafana's OIDC login is configured");
          continue;
        }
        const policy = find(m.routes, "SecurityPolicy", `ingress-${route.name}`);
        assert.ok(policy.spec.jwt || policy.spec.apiKeyAuth, `${route.name} authenticates`);
        const limits = find(m.routes, "BackendTrafficPolicy", `ingress-${route.name}`);
        assert.ok(limits.spec.rateLimit.local.rules.length > 0);
        // The client header the limits key on cannot be sent by a client: it is removed before authentication.
        const ctp = find(m.gateways, "ClientTrafficPolicy", `testnet-${route.exposure}`);
        assert.deepEqual(ctp.spec.headers.earlyRequestHeaders.remove, ["x-goquorum-client"]);
      }
    });
  }

  it("the API key Secret holds one key per client, in the route's namespace", () => {
    const input = inputOf(CASES[1]);
    const secret = apiKeysSecret(input, input.ingress.routes[0], { indexer: "k1", backoffice: "k2" });
    assert.deepEqual(secret.metadata.name, "ingress-rpc-api-keys");
    assert.equal(secret.metadata.namespace, "goquorum");
    assert.deepEqual(secret.stringData, { indexer: "k1", backoffice: "k2" });
  });
});

describe("ingress: routes reach only what they publish", () => {
  it("RPC: POST / balanced over the RPC nodes' HTTP port, presented as localhost to geth's vhost check", () => {
    const m = manifestsOf(CASES[0]);
    const route = find(m.routes, "HTTPRoute", "ingress-rpc");
    assert.deepEqual(route.spec.hostnames, ["rpc.prod.example.com"]);
    assert.deepEqual(route.spec.rules, [
      {
        matches: [{ path: { type: "Exact", value: "/" }, method: "POST" }],
        filters: [{ type: "URLRewrite", urlRewrite: { hostname: "localhost" } }],
        backendRefs: [{ group: "", kind: "Service", name: "ingress-rpc", port: PORTS.rpcHttp }],
      },
    ]);
    // The route's own Service: the RPC nodes' ready pods only (the nodes' Services publish unready ones).
    const service = m.routeServices.find((s) => s.metadata.name === "ingress-rpc");
    assert.deepEqual(service?.spec, {
      type: "ClusterIP",
      selector: {
        "app.kubernetes.io/name": "goquorum",
        "app.kubernetes.io/part-of": "testnet",
        "app.kubernetes.io/component": "rpc",
      },
      ports: [{ name: "rpc-http", port: PORTS.rpcHttp, targetPort: PORTS.rpcHttp, protocol: "TCP" }],
    });
    assert.equal(service?.metadata.namespace, route.metadata.namespace);
  });

  it("RPC with members: one Service over every RPC-serving pod, by the label only their pods carry", () => {
    const m = manifestsOf(CASES[1]);
    const service = m.routeServices.find((s) => s.metadata.name === "ingress-rpc");
    assert.deepEqual(service?.spec?.selector, {
      "app.kubernetes.io/name": "goquorum",
      "app.kubernetes.io/part-of": "testnet",
      "goquorum.network/serves-rpc": "true",
    });
    assert.equal(service?.spec?.publishNotReadyAddresses, undefined);
    assert.deepEqual(
      m.routeServices.map((s) => s.metadata.name),
      ["ingress-rpc"],
      "no Service for Grafana",
    );
  });

  it("RPC over WebSocket goes to the WebSocket port when the nodes serve it", () => {
    const c = CASES[2];
    const input = { ...inputOf(c), rpcWebsocket: true };
    const route = find(ingressManifests(input).routes, "HTTPRoute", "ingress-rpc");
    assert.deepEqual(route.spec.rules[0].matches[0].headers, [
      { type: "RegularExpression", name: "Upgrade", value: "(?i)websocket" },
    ]);
    assert.equal(route.spec.rules[0].backendRefs[0].port, PORTS.rpcWs);
    assert.equal(route.spec.rules[1].backendRefs[0].port, PORTS.rpcHttp);
  });

  it("Tessera: the one named member's third-party port; Grafana: the monitoring release's Service", () => {
    const m = manifestsOf(CASES[0]);
    const tessera = find(m.routes, "HTTPRoute", "ingress-tessera-euw1-member-1");
    assert.deepEqual(tessera.spec.rules[0].backendRefs, [
      { group: "", kind: "Service", name: "ingress-tessera-euw1-member-1", port: PORTS.tesseraThirdParty },
    ]);
    const service = m.routeServices.find((s) => s.metadata.name === "ingress-tessera-euw1-member-1");
    assert.deepEqual(service?.spec?.selector, {
      "app.kubernetes.io/name": "goquorum",
      "app.kubernetes.io/part-of": "testnet",
      "app.kubernetes.io/instance": "euw1-member-1",
    });
    assert.equal(service?.spec?.publishNotReadyAddresses, undefined);
    const grafana = find(m.routes, "HTTPRoute", "ingress-grafana");
    assert.equal(grafana.metadata.namespace, "monitoring");
    assert.deepEqual(grafana.spec.rules[0].backendRefs, [
      { group: "", kind: "Service", name: "monitoring-grafana", port: 80 },
    ]);
  });
});

describe("ingress: exposure per provider, client ranges applied", () => {
  const proxy = (c: Case, exposure: Exposure) =>
    find(manifestsOf(c).gateways, "EnvoyProxy", `testnet-${exposure}`).spec.provider.kubernetes.envoyService;

  it("aws: the public RPC gets an internet-facing NLB in the public subnets, limited to its ranges; the rest an internal NLB", () => {
    const pub = proxy(CASES[0], "public");
    assert.equal(pub.annotations["service.beta.kubernetes.io/aws-load-balancer-scheme"], "internet-facing");
    assert.equal(
      pub.annotations["service.beta.kubernetes.io/aws-load-balancer-subnets"],
      "euw1-public-eu-west-1a,euw1-public-eu-west-1b,euw1-public-eu-west-1c",
    );
    assert.deepEqual(pub.loadBalancerSourceRanges, ["198.51.100.0/24", "203.0.113.0/24"]);
    assert.equal(pub.externalTrafficPolicy, "Local");
    const internal = proxy(CASES[0], "internal");
    assert.equal(internal.annotations["service.beta.kubernetes.io/aws-load-balancer-scheme"], "internal");
    assert.match(
      internal.annotations["service.beta.kubernetes.io/aws-load-balancer-subnets"],
      /^euw1-private-/,
    );
    assert.equal(internal.loadBalancerSourceRanges, undefined);
    const policy = find(manifestsOf(CASES[0]).routes, "SecurityPolicy", "ingress-rpc");
    assert.deepEqual(policy.spec.authorization, {
      defaultAction: "Deny",
      rules: [
        {
          name: "allowed-client-ranges",
          action: "Allow",
          principal: { clientCIDRs: ["203.0.113.0/24", "198.51.100.0/24"] },
        },
      ],
    });
    const grafana = find(manifestsOf(CASES[0]).routes, "SecurityPolicy", "ingress-grafana");
    assert.deepEqual(grafana.spec.authorization.rules[0].principal.clientCIDRs, ["10.0.0.0/8"]);
    assert.equal(grafana.spec.jwt, undefined);
  });

  it("azure: the internal RPC on the internal LB in the node subnet; Grafana public only because configured", () => {
    const internal = proxy(CASES[1], "internal");
    assert.deepEqual(internal.annotations, {
      "service.beta.kubernetes.io/azure-load-balancer-internal": "true",
      "service.beta.kubernetes.io/azure-load-balancer-internal-subnet": "nodes",
    });
    const pub = proxy(CASES[1], "public");
    assert.equal(pub.annotations["service.beta.kubernetes.io/azure-load-balancer-internal"], "false");
    assert.deepEqual(pub.loadBalancerSourceRanges, ["0.0.0.0/0"]);
    const gateways = manifestsOf(CASES[1]).gateways.filter(
      (o) => o.kind === "Gateway",
    ) as CustomObject<Spec>[];
    assert.deepEqual(
      gateways.map((g) => [g.metadata.name, g.spec.listeners.slice(1).map((l: Spec) => l.hostname)]),
      [
        ["testnet-internal", ["rpc.dev.example.net"]],
        ["testnet-public", ["grafana.dev.example.net"]],
      ],
    );
  });

  it("local: no load balancer, a ClusterIP Service reached with port-forward; no public gateway", () => {
    const m = manifestsOf(CASES[2]);
    assert.deepEqual(proxy(CASES[2], "internal"), { type: "ClusterIP" });
    assert.deepEqual(
      m.gateways.filter((o) => o.kind === "Gateway").map((o) => o.metadata.name),
      ["testnet-internal"],
    );
  });
});

describe("ingress: the GoQuorum NetworkPolicies admit the gateway exactly where a route exists", () => {
  const policies = (cluster: ClusterPlan, config: StackConfig) =>
    clusterManifests({
      network: config.network,
      cluster,
      genesisJson: "",
      staticNodes: [],
      permissionedNodes: [],
      peerCidrs: [],
      routedSources: routedSources(cluster.ingress),
    }).networkPolicies;
  const gatewaySources = (policy: { spec?: { ingress?: { from?: Spec[] }[] } }) =>
    (policy.spec?.ingress?.[0]?.from ?? []).filter(
      (f) => f.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"] === "envoy-gateway-system",
    );

  it("aws: RPC and Tessera third-party admit the Envoy proxies of the ingress namespace; p2p and metrics do not", () => {
    const config = awsIngressConfig();
    const nps = policies(planOf(config).clusters[0], config);
    const byName = (n: string) => nps.find((p) => p.metadata.name === n) ?? assert.fail(n);
    assert.deepEqual(gatewaySources(byName("allow-rpc")), [
      {
        namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "envoy-gateway-system" } },
        podSelector: {
          matchLabels: {
            "app.kubernetes.io/name": "envoy",
            "app.kubernetes.io/component": "proxy",
            "app.kubernetes.io/managed-by": "envoy-gateway",
            "gateway.envoyproxy.io/owning-gateway-namespace": "goquorum-ingress",
          },
        },
      },
    ]);
    assert.equal(gatewaySources(byName("allow-tessera-third-party")).length, 1);
    assert.equal(gatewaySources(byName("allow-p2p")).length, 0);
    assert.equal(gatewaySources(byName("allow-metrics")).length, 0);
  });

  it("no route, no gateway source; an RPC route alone does not open Tessera", () => {
    const config = localIngressConfig();
    const withRoute = policies(planOf(config).clusters[0], config);
    assert.equal(
      gatewaySources(withRoute.find((p) => p.metadata.name === "allow-tessera-third-party") ?? {}).length,
      0,
    );
    const { ingress: _, ...bare } = planOf(config).clusters[0];
    for (const p of policies(bare, config)) assert.equal(gatewaySources(p).length, 0, p.metadata.name);
  });
});

describe("ingress: Helm values and Grafana's login", () => {
  it("Grafana's values log in through OIDC, take the client secret from a Secret, keep the admin login form", () => {
    const input = inputOf(CASES[0]);
    assert.ok(input.ingress.grafanaOidc);
    const values = grafanaOidcValues("grafana.prod.example.com", input.ingress.grafanaOidc);
    const ini = values.grafana["grafana.ini"] as Spec;
    assert.equal(values.grafana.envFromSecret, "grafana-oidc");
    assert.equal(ini.server.root_url, "https://grafana.prod.example.com/");
    assert.equal(ini.auth.disable_login_form, false);
    assert.equal(ini["auth.generic_oauth"].enabled, true);
    assert.equal(ini["auth.generic_oauth"].client_id, "grafana");
    assert.equal(ini["auth.generic_oauth"].scopes, "openid profile email");
    assert.ok(!JSON.stringify(values).includes("client_secret"), "no client secret in values");
    const secret = grafanaOidcSecret("monitoring", "s3cret");
    assert.deepEqual(secret.stringData, { GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET: "s3cret" });
  });

  it("cert-manager carries the DNS identity on its ServiceAccount and pods; Envoy Gateway installs its CRDs", () => {
    const values = certManagerValues({
      serviceAccountAnnotations: { "azure.workload.identity/client-id": "abc" },
      podLabels: { "azure.workload.identity/use": "true" },
    }) as Spec;
    assert.equal(values.serviceAccount.name, "cert-manager");
    assert.deepEqual(values.serviceAccount.annotations, { "azure.workload.identity/client-id": "abc" });
    assert.deepEqual(values.podLabels, { "azure.workload.identity/use": "true" });
    assert.deepEqual(values.crds, { enabled: true, keep: true });
    assert.deepEqual((envoyGatewayValues() as Spec).crds, { enabled: true });
  });

  it("the CA Secret lives in cert-manager's namespace, as kubernetes.io/tls", () => {
    const secret = caSecret(inputOf(CASES[2]), { certificate: "crt", privateKey: "key" });
    assert.deepEqual(
      [secret.metadata.name, secret.metadata.namespace, secret.type],
      ["testnet-ingress-ca", "cert-manager", "kubernetes.io/tls"],
    );
  });
});
