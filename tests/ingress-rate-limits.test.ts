/**
 * Per-client rate limits as Envoy Gateway v1.8.3 applies them: every request in exactly one bucket, every
 * client in a bucket of its own, at its limit. `bucketOf` models how the gateway turns a rule into Envoy's
 * route rate-limit actions and descriptors (the sources are cited in infra/ingress/policies.ts).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { StackConfig } from "../infra/config/schema";
import { type CustomObject, kubePrometheusGrafana } from "../infra/ingress";
import { backendTrafficPolicy } from "../infra/ingress/policies";
import { planNetwork } from "../infra/plan";
import { awsIngressConfig, azureIngressConfig } from "./fixtures/ingress";
import { crdErrors } from "./helpers/crds";

interface HeaderMatch {
  readonly name: string;
  readonly type: "Exact" | "RegularExpression" | "Distinct";
  readonly value?: string;
  readonly invert?: boolean;
}
interface Rule {
  readonly clientSelectors: readonly { readonly headers: readonly HeaderMatch[] }[];
  readonly limit: { readonly requests: number; readonly unit: string };
}

const CLIENT_HEADER = "x-goquorum-client";

/**
 * The bucket rule `index` puts a request in, its client header being `client` (undefined: absent), or
 * undefined when the rule does not apply. Distinct: `request_headers`, no descriptor without the header, one
 * bucket per value; Exact/RegularExpression (RE2 full match): `header_value_match` with
 * `expect_match: !invert`, which matches only a present header.
 */
function bucketOf(rule: Rule, index: number, client: string | undefined): string | undefined {
  const values: string[] = [];
  for (const h of rule.clientSelectors.flatMap((s) => s.headers)) {
    assert.equal(h.name, CLIENT_HEADER);
    if (h.type === "Distinct") {
      if (client === undefined) return undefined;
      values.push(client);
      continue;
    }
    const matches =
      client !== undefined &&
      (h.type === "Exact" ? client === h.value : new RegExp(`^(?:${h.value})$`).test(client));
    if (matches === Boolean(h.invert)) return undefined;
  }
  return `${index}:${values.join(",")}`;
}

/** The buckets a request takes, with their limits. */
const bucketsOf = (rules: readonly Rule[], client: string | undefined) =>
  rules.flatMap((rule, i) => {
    const bucket = bucketOf(rule, i, client);
    return bucket === undefined ? [] : [{ bucket, requests: rule.limit.requests }];
  });

/** The stack's config with the first route's rate limits replaced. */
function withLimits(base: StackConfig, rateLimit: { requestsPerSecond: number; clients: object }) {
  const config = structuredClone(base);
  const route = config.clusters[0].ingress.routes[0];
  Object.assign(route.rateLimit, rateLimit);
  return config;
}

function rpcPolicy(
  config: StackConfig,
): CustomObject & { spec: { rateLimit: { local: { rules: Rule[] } } } } {
  const { plan, issues } = planNetwork(config);
  assert.deepEqual(
    issues.filter((i) => i.severity === "error"),
    [],
  );
  const cluster = plan?.clusters[0];
  assert.ok(cluster?.ingress);
  const route = cluster.ingress.routes.find((r) => r.kind === "rpc");
  assert.ok(route);
  const input = {
    networkName: config.network.name,
    cluster,
    ingress: cluster.ingress,
    rpcWebsocket: false,
    grafana: kubePrometheusGrafana("monitoring"),
  };
  const policy = backendTrafficPolicy(input, route);
  assert.ok(policy);
  return policy as ReturnType<typeof rpcPolicy>;
}

const name = fc.stringMatching(/^[a-z0-9]([a-z0-9._-]{0,8}[a-z0-9])?$/);
const limit = fc.integer({ min: 1, max: 1000 });
const overrides = (max: number) => fc.dictionary(name, limit, { maxKeys: max });

describe("rate limits of a JWT route", () => {
  it("put every request in exactly one bucket: a listed client's own, an unlisted client's own, or the claimless one", () => {
    fc.assert(
      fc.property(overrides(14), limit, name, (clients, requestsPerSecond, stranger) => {
        const rules = rpcPolicy(withLimits(awsIngressConfig(), { requestsPerSecond, clients })).spec.rateLimit
          .local.rules;
        for (const [client, own] of Object.entries(clients)) {
          assert.deepEqual(
            bucketsOf(rules, client).map((b) => b.requests),
            [own],
            client,
          );
        }
        if (!(stranger in clients)) {
          const [bucket, ...more] = bucketsOf(rules, stranger);
          assert.deepEqual(more, [], stranger);
          assert.equal(bucket?.requests, requestsPerSecond);
          // Its own bucket: no other client, listed or not, lands in it.
          for (const other of [...Object.keys(clients), `${stranger}x`, undefined])
            assert.ok(!bucketsOf(rules, other).some((b) => b.bucket === bucket.bucket), String(other));
        }
        const claimless = bucketsOf(rules, undefined);
        assert.deepEqual(
          claimless.map((b) => b.requests),
          [requestsPerSecond],
        );
      }),
      { numRuns: 60 },
    );
  });

  it("a listed name's regex characters are literal: `a.b` listed does not cover `axb`", () => {
    const rules = rpcPolicy(withLimits(awsIngressConfig(), { requestsPerSecond: 5, clients: { "a.b": 50 } }))
      .spec.rateLimit.local.rules;
    assert.deepEqual(
      bucketsOf(rules, "axb").map((b) => b.requests),
      [5],
    );
    assert.deepEqual(
      bucketsOf(rules, "a.b").map((b) => b.requests),
      [50],
    );
  });
});

describe("rate limits of an API key route", () => {
  it("give every key a bucket of its own, at its own limit or requestsPerSecond; no claimless bucket", () => {
    const config = azureIngressConfig();
    const keys = config.clusters[0].ingress.routes[0].auth?.apiKeys ?? [];
    assert.deepEqual(keys, ["indexer", "backoffice"]);
    const rules = rpcPolicy(config).spec.rateLimit.local.rules;
    const [indexer] = bucketsOf(rules, "indexer");
    const [backoffice] = bucketsOf(rules, "backoffice");
    assert.deepEqual([indexer?.requests, backoffice?.requests], [40, 10]);
    assert.notEqual(indexer?.bucket, backoffice?.bucket);
    assert.deepEqual(bucketsOf(rules, undefined), []);
  });

  it("have no rule for other keys when every key has its own limit", () => {
    const config = withLimits(azureIngressConfig(), {
      requestsPerSecond: 10,
      clients: { indexer: 40, backoffice: 30 },
    });
    const rules = rpcPolicy(config).spec.rateLimit.local.rules;
    assert.equal(rules.length, 2);
    assert.deepEqual(
      ["indexer", "backoffice"].map((c) => bucketsOf(rules, c).map((b) => b.requests)),
      [[40], [30]],
    );
  });
});

describe("rate-limit policies Envoy Gateway v1.8.3 accepts", () => {
  const policies = () => [rpcPolicy(awsIngressConfig()), rpcPolicy(azureIngressConfig())];

  it("set no deprecated rateLimit.type, and no Distinct match with a value or invert (the translator refuses those)", () => {
    for (const policy of policies()) {
      assert.deepEqual(Object.keys(policy.spec.rateLimit), ["local"]);
      for (const rule of policy.spec.rateLimit.local.rules) {
        // A rule without selectors would become the route's default limit for every request.
        assert.ok(rule.clientSelectors.length > 0);
        for (const h of rule.clientSelectors.flatMap((s) => s.headers))
          if (h.type === "Distinct") assert.deepEqual([h.value, h.invert], [undefined, undefined]);
      }
      assert.deepEqual(crdErrors(policy), []);
    }
  });

  const names = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`client-${i}`, 10]));

  it("JWT: 14 clients of their own fill the CRD's 16 rules; 15 are refused, naming the key", () => {
    const full = rpcPolicy(withLimits(awsIngressConfig(), { requestsPerSecond: 5, clients: names(14) }));
    assert.equal(full.spec.rateLimit.local.rules.length, 16);
    assert.deepEqual(crdErrors(full), []);
    const over = withLimits(awsIngressConfig(), { requestsPerSecond: 5, clients: names(15) });
    const over16 = structuredClone(full);
    over16.spec.rateLimit.local.rules.push(full.spec.rateLimit.local.rules[0]);
    assert.notDeepEqual(crdErrors(over16), [], "the CRD takes 16 rules at most");
    const [issue, ...rest] = planNetwork(over).issues.filter((i) => i.severity === "error");
    assert.deepEqual(rest, []);
    assert.equal(issue?.path, "clusters[0].ingress.routes[0].rateLimit.clients");
    assert.match(issue?.message ?? "", /15 clients .* at most 14/);
  });

  it("API keys: 15 keys of their own limit pass, 16 are refused", () => {
    const withKeys = (n: number) => {
      const config = withLimits(azureIngressConfig(), { requestsPerSecond: 5, clients: names(n) });
      const route = config.clusters[0].ingress.routes[0];
      Object.assign(route, { auth: { apiKeys: [...Object.keys(names(n)), "spare"] } });
      return config;
    };
    const full = rpcPolicy(withKeys(15));
    assert.equal(full.spec.rateLimit.local.rules.length, 16);
    assert.deepEqual(crdErrors(full), []);
    const errors = planNetwork(withKeys(16)).issues.filter((i) => i.severity === "error");
    assert.deepEqual(
      errors.map((i) => i.path),
      ["clusters[0].ingress.routes[0].rateLimit.clients"],
    );
  });
});
