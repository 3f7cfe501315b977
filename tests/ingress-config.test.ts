/**
 * Ingress config: nothing is published by default, and every senseless or unsafe route is refused with its
 * key named (schema shapes and planner checks alike), per provider.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { formatIssues } from "../infra/config/errors";
import type { ConfigIssue } from "../infra/config/issue";
import { parseStackConfig } from "../infra/config/load";
import { planNetwork } from "../infra/plan";
import { cidr, cidrsOverlap, formatCidr } from "../infra/plan/cidr";
import { missingIngressSecrets } from "../infra/plan/ingressSecrets";
import { awsIngressConfig, azureIngressConfig, JWT, localIngressConfig, planOf } from "./fixtures/ingress";
import { awsCluster, azureCluster, localCluster } from "./helpers/config";

type Cluster = Record<string, unknown>;

/** Every issue of a config, from the schema parse and then the planner, as `npm run plan` reports them. */
function issuesOf(cluster: Cluster, network: Record<string, unknown> = {}): ConfigIssue[] {
  const parsed = parseStackConfig({
    network: { name: "net", chainId: 1337, ...network },
    clusters: [cluster],
  });
  if (!parsed.config) return parsed.issues;
  return planNetwork(parsed.config).issues;
}

function errorAt(cluster: Cluster, path: string, message?: RegExp, network?: Record<string, unknown>) {
  const issues = issuesOf(cluster, network);
  const found = issues.find((i) => i.path === path && i.severity === "error");
  assert.ok(found, `expected an error at ${path}, got:\n${formatIssues(issues)}`);
  if (message) assert.match(found.message, message);
}

const rpcRoute = (extra: Record<string, unknown> = {}) => ({
  kind: "rpc",
  hostname: "rpc.example.com",
  auth: { apiKeys: ["app"] },
  ...extra,
});
const withRoutes = (
  routes: unknown[],
  base = awsCluster("a", { nodes: { validators: 4, rpc: 1, members: 1 } }),
) => ({
  ...base,
  ingress: { routes },
});
const R = "clusters[0].ingress.routes[0]";

describe("ingress: nothing is published unless configured", () => {
  for (const [provider, cluster] of [
    ["aws", awsCluster("a")],
    ["azure", azureCluster("a")],
    ["local", localCluster("a")],
  ] as const) {
    it(`${provider}: a cluster without routes plans no ingress`, () => {
      const parsed = parseStackConfig({ network: { name: "net", chainId: 1337 }, clusters: [cluster] });
      assert.ok(parsed.config);
      assert.deepEqual(parsed.config.clusters[0].ingress.routes, []);
      assert.equal(planOf(parsed.config).clusters[0].ingress, undefined);
    });
  }

  it("every configured route is planned with its exposure, ranges and backends, per provider", () => {
    const aws = planOf(awsIngressConfig()).clusters[0].ingress;
    assert.deepEqual(
      aws?.routes.map((r) => [r.name, r.exposure, r.allowedCidrs, r.backends]),
      [
        ["rpc", "public", ["203.0.113.0/24", "198.51.100.0/24"], ["euw1-rpc-0", "euw1-rpc-1"]],
        ["grafana", "internal", ["10.0.0.0/8"], []],
        ["tessera-euw1-member-1", "internal", [], ["euw1-member-1"]],
      ],
    );
    const azure = planOf(azureIngressConfig()).clusters[0].ingress;
    assert.deepEqual(azure?.routes[0].backends, ["weu-rpc-0", "weu-rpc-1", "weu-member-0", "weu-member-1"]);
    const local = planOf(localIngressConfig()).clusters[0].ingress;
    assert.deepEqual(
      local?.routes.map((r) => [r.name, r.exposure]),
      [["rpc", "internal"]],
    );
  });

  it("the plan warns for every public route, naming its URL and ranges", () => {
    const warnings = planOf(awsIngressConfig()).warnings.filter((w) => w.path.includes("ingress"));
    assert.deepEqual(
      warnings.map((w) => w.path),
      ["clusters[0].ingress.routes[0].exposure"],
    );
    assert.match(
      warnings[0].message,
      /https:\/\/rpc\.prod\.example\.com .*Internet-facing.*203\.0\.113\.0\/24, 198\.51\.100\.0\/24/,
    );
  });
});

describe("ingress: bad input is refused with the key named", () => {
  it("an unknown route kind", () => {
    errorAt(withRoutes([rpcRoute({ kind: "metrics" })]), `${R}.kind`, /rpc.*grafana.*tessera-third-party/);
  });

  for (const hostname of [
    "localhost",
    "RPC.example.com",
    "rpc_node.example.com",
    "https://rpc.example.com",
    "-a.example.com",
    "10.0.0.1",
  ]) {
    it(`a hostname that is not a DNS name: ${hostname}`, () => {
      errorAt(withRoutes([rpcRoute({ hostname })]), `${R}.hostname`, /DNS name/);
    });
  }

  it("an RPC route without a credential, internal or public", () => {
    errorAt(withRoutes([rpcRoute({ auth: undefined })]), `${R}.auth`, /JSON-RPC routes require a credential/);
    errorAt(withRoutes([rpcRoute({ auth: {} })]), `${R}.auth`, /require a credential/);
  });

  it("a public Tessera route without a credential", () => {
    const route = {
      kind: "tessera-third-party",
      hostname: "t.example.com",
      member: "a-member-0",
      exposure: "public",
      allowedCidrs: ["203.0.113.0/24"],
    };
    errorAt(withRoutes([route]), `${R}.auth`, /public route requires a credential/);
  });

  it("both JWT and API keys on one route", () => {
    errorAt(withRoutes([rpcRoute({ auth: { jwt: JWT, apiKeys: ["app"] } })]), `${R}.auth`, /exactly one/);
  });

  it("a gateway credential on the Grafana route (Grafana logs users in itself)", () => {
    const cluster = {
      ...withRoutes([{ kind: "grafana", hostname: "g.example.com", auth: { apiKeys: ["x"] } }]),
    };
    errorAt(cluster, `${R}.auth`, /Grafana authenticates/);
  });

  it("a Grafana route without Grafana's OIDC settings", () => {
    errorAt(withRoutes([{ kind: "grafana", hostname: "g.example.com" }]), "clusters[0].ingress.grafana.oidc");
  });

  it("0.0.0.0/0 on an internal route", () => {
    errorAt(
      withRoutes([rpcRoute({ allowedCidrs: ["0.0.0.0/0"] })]),
      `${R}.allowedCidrs[0]`,
      /internal route means nothing/,
    );
  });

  it("a public route without client ranges", () => {
    errorAt(
      withRoutes([rpcRoute({ exposure: "public" })]),
      `${R}.allowedCidrs`,
      /0\.0\.0\.0\/0 to allow the whole Internet/,
    );
  });

  it("duplicate and overlapping client ranges", () => {
    errorAt(
      withRoutes([rpcRoute({ allowedCidrs: ["10.1.0.0/16", "10.1.0.0/16"] })]),
      `${R}.allowedCidrs[1]`,
      /list each client range once/,
    );
    errorAt(
      withRoutes([rpcRoute({ allowedCidrs: ["10.0.0.0/8", "10.1.0.0/16"] })]),
      `${R}.allowedCidrs[1]`,
      /is inside allowedCidrs\[0\] 10\.0\.0\.0\/8/,
    );
    errorAt(withRoutes([rpcRoute({ allowedCidrs: ["10.1.2.3/16"] })]), `${R}.allowedCidrs[0]`, /host bits/);
  });

  it("property: a pair of client ranges is refused exactly when the ranges overlap", () => {
    // Aligned blocks inside 10.0.0.0/8, of sizes /8 to /24.
    const block = fc
      .tuple(fc.integer({ min: 0, max: 2 ** 24 - 1 }), fc.integer({ min: 8, max: 24 }))
      .map(([offset, prefix]) => {
        const size = 2 ** (32 - prefix);
        return formatCidr({ base: 10 * 2 ** 24 + offset - (offset % size), prefix });
      });
    fc.assert(
      fc.property(block, block, (p, q) => {
        const issues = issuesOf(withRoutes([rpcRoute({ allowedCidrs: [p, q] })]));
        const refused = issues.some((i) => i.path === `${R}.allowedCidrs[1]`);
        assert.equal(refused, cidrsOverlap(cidr(p), cidr(q)), `${p} ${q}`);
      }),
      { numRuns: 200 },
    );
  });

  it("a public route on a local cluster (no load balancer)", () => {
    const cluster = withRoutes(
      [rpcRoute({ exposure: "public", allowedCidrs: ["203.0.113.0/24"] })],
      localCluster("k", { nodes: { validators: 4, rpc: 1 } }),
    );
    errorAt(cluster, `${R}.exposure`, /port-forward/);
  });

  it("client ranges on a local cluster warn unless they admit port-forward's 127.0.0.1", () => {
    const local = (allowedCidrs: string[]) =>
      issuesOf(
        withRoutes([rpcRoute({ allowedCidrs })], localCluster("k", { nodes: { validators: 4, rpc: 1 } })),
      );
    const warned = (issues: ConfigIssue[]) =>
      issues.filter((i) => i.severity === "warning" && i.path === `${R}.allowedCidrs`).length;
    assert.equal(warned(local(["10.0.0.0/8"])), 1);
    assert.equal(warned(local(["10.0.0.0/8", "127.0.0.1/32"])), 0);
    assert.equal(warned(local([])), 0);
  });

  it("an RPC route on a cluster without RPC nodes, and members only when asked", () => {
    errorAt(
      withRoutes([rpcRoute()], awsCluster("a", { nodes: { validators: 4, members: 1 } })),
      `${R}.kind`,
      /no RPC nodes/,
    );
    const issues = issuesOf(
      withRoutes(
        [rpcRoute({ includeMembers: true })],
        awsCluster("a", { nodes: { validators: 4, members: 1 } }),
      ),
    );
    assert.deepEqual(
      issues.filter((i) => i.severity === "error"),
      [],
    );
  });

  it("a Tessera route naming no member or a node that is not a member", () => {
    errorAt(
      withRoutes([{ kind: "tessera-third-party", hostname: "t.example.com", auth: { apiKeys: ["x"] } }]),
      `${R}.member`,
      /a-member-0/,
    );
    errorAt(
      withRoutes([
        {
          kind: "tessera-third-party",
          hostname: "t.example.com",
          member: "a-rpc-0",
          auth: { apiKeys: ["x"] },
        },
      ]),
      `${R}.member`,
      /not a member node/,
    );
    errorAt(withRoutes([rpcRoute({ member: "a-member-0" })]), `${R}.member`, /only tessera-third-party/);
  });

  it("two RPC routes, or two routes with one hostname", () => {
    errorAt(
      withRoutes([rpcRoute(), rpcRoute({ hostname: "rpc2.example.com" })]),
      "clusters[0].ingress.routes[1].kind",
      /one route each/,
    );
    const tessera = {
      kind: "tessera-third-party",
      hostname: "rpc.example.com",
      member: "a-member-0",
      auth: { apiKeys: ["x"] },
    };
    errorAt(
      withRoutes([rpcRoute(), tessera]),
      "clusters[0].ingress.routes[1].hostname",
      /already used by routes\[0\]/,
    );
  });

  it("rate limits for a client that has no API key", () => {
    errorAt(
      withRoutes([rpcRoute({ rateLimit: { clients: { other: 5 } } })]),
      `${R}.rateLimit.clients.other`,
      /not one of auth.apiKeys/,
    );
  });

  it("an RPC route while the nodes serve admin/debug/personal/miner", () => {
    errorAt(withRoutes([rpcRoute()]), R, /admin, debug.*remove them/, {
      workloads: { rpc: { apis: ["eth", "admin", "debug"], allowUnsafeApis: true } },
    });
  });

  it("ACME: the DNS provider must match the cloud, and local clusters cannot use it", () => {
    const acme = (dns: Record<string, unknown>) => ({
      source: "acme",
      acme: { email: "ops@example.com", ...dns },
    });
    const route53 = { route53: { hostedZoneId: "Z0123456789ABC" } };
    const azureDns = {
      azureDns: {
        subscriptionId: "00000000-0000-4000-8000-000000000000",
        resourceGroup: "dns",
        zoneName: "example.com",
      },
    };
    const tlsOf = (cluster: Cluster, tls: unknown) => ({
      ...cluster,
      ingress: { ...(cluster.ingress as object), tls },
    });
    errorAt(
      tlsOf(withRoutes([rpcRoute()]), acme(azureDns)),
      "clusters[0].ingress.tls.acme.route53",
      /aws cluster/,
    );
    errorAt(tlsOf(withRoutes([rpcRoute()]), acme(azureDns)), "clusters[0].ingress.tls.acme.azureDns");
    const azure = withRoutes([rpcRoute()], azureCluster("z", { nodes: { validators: 4, rpc: 1 } }));
    errorAt(tlsOf(azure, acme(route53)), "clusters[0].ingress.tls.acme.azureDns");
    const local = withRoutes([rpcRoute()], localCluster("k", { nodes: { validators: 4, rpc: 1 } }));
    errorAt(
      tlsOf(local, acme(route53)),
      "clusters[0].ingress.tls.source",
      /local cluster uses source ca or secret/,
    );
    errorAt(tlsOf(withRoutes([rpcRoute()]), { source: "acme" }), "clusters[0].ingress.tls.acme");
    errorAt(
      tlsOf(withRoutes([rpcRoute()]), { source: "acme", acme: { email: "not-an-email", ...route53 } }),
      "clusters[0].ingress.tls.acme.email",
    );
  });

  it("ACME for a name no public CA can issue: refused at the route's hostname, at the boundary of the list", () => {
    const acme = {
      source: "acme",
      acme: { email: "ops@example.com", route53: { hostedZoneId: "Z0123456789ABC" } },
    };
    const withHost = (hostname: string, tls: unknown = acme) => ({
      ...withRoutes([rpcRoute({ hostname })]),
      ingress: { routes: [rpcRoute({ hostname })], tls },
    });
    const refused = (hostname: string) =>
      issuesOf(withHost(hostname)).find((i) => i.path === `${R}.hostname` && i.severity === "error");
    // Outside every public suffix (special-use and private TLDs), or a public suffix itself: refused.
    for (const hostname of [
      "rpc.kind.internal",
      "rpc.local",
      "rpc.corp",
      "x.lan",
      "rpc.test",
      "rpc.example",
      "co.uk",
      "a.ck",
    ]) {
      const issue = refused(hostname);
      assert.ok(issue, `${hostname} is accepted with acme`);
      assert.match(issue.message, /tls\.source is acme.*tls\.source ca \(the default/);
      assert.match(issue.message, new RegExp(hostname.replaceAll(".", "\\.")));
    }
    // One label under a public suffix, or more: accepted (also under a wildcard rule and a private-section name).
    for (const hostname of ["rpc.example.com", "example.com", "a.co.uk", "b.a.ck", "node.foo.github.io"]) {
      assert.equal(refused(hostname), undefined, hostname);
    }
    // The same internal names are fine with the default source (ca) and with supplied certificates.
    const ca = { routes: [rpcRoute({ hostname: "rpc.kind.internal" })] };
    const parsed = parseStackConfig({
      network: { name: "net", chainId: 1337 },
      clusters: [{ ...withRoutes([]), ingress: ca }],
    });
    assert.equal(parsed.config?.clusters[0].ingress.tls.source, "ca");
    assert.equal(parsed.config?.clusters[0].ingress.routes[0].exposure, "internal");
    for (const tls of [{}, { source: "secret" }]) {
      assert.equal(
        issuesOf(withHost("rpc.kind.internal", tls)).find((i) => i.path === `${R}.hostname`),
        undefined,
      );
    }
  });

  it("a JWT issuer that is not an https URL", () => {
    errorAt(
      withRoutes([rpcRoute({ auth: { jwt: { ...JWT, issuer: "http://login.example.com" } } })]),
      `${R}.auth.jwt.issuer`,
    );
  });
});

describe("ingress: the secret config the routes need is checked by key", () => {
  it("API keys, Grafana's client secret, the CA or supplied certificates, each named with its --path", () => {
    const aws = planOf(awsIngressConfig());
    assert.deepEqual(
      missingIngressSecrets(aws, {}).map((i) => i.path),
      ["ingressSecrets.euw1.grafanaClientSecret", "ingressSecrets.euw1.apiKeys.settlement"],
    );
    const supplied = planOf(localIngressConfig("secret"));
    assert.deepEqual(
      missingIngressSecrets(supplied, { kind: { apiKeys: { dev: "k" } } }).map((i) => i.path),
      [
        'ingressSecrets.kind.certificates["rpc.kind.internal"].certificate',
        'ingressSecrets.kind.certificates["rpc.kind.internal"].privateKey',
      ],
    );
    const ca = planOf(localIngressConfig("ca"));
    const complete = { kind: { apiKeys: { dev: "k" }, ca: { certificate: "c", privateKey: "k" } } };
    assert.deepEqual(missingIngressSecrets(ca, complete), []);
    assert.deepEqual(
      missingIngressSecrets(ca, { kind: { ...complete.kind, apiKeys: { dev: "" } } }).map((i) => i.path),
      ["ingressSecrets.kind.apiKeys.dev"],
    );
  });
});
