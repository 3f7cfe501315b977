/**
 * Grafana behind a route, as pure values: refused where no Grafana runs, reached at the Service the chart
 * really creates, and logging in through OIDC from the monitoring release's own values.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { grafanaOidcValues, kubePrometheusGrafana } from "../infra/ingress";
import { chartValues, mergeValues } from "../infra/monitoring/chartValues";
import { GRAFANA_SERVICE, RELEASE_NAME } from "../infra/monitoring/names";
import { planNetwork } from "../infra/plan";
import { planRawConfig } from "../infra/stackPlan";
import { awsIngressConfig, GRAFANA_OIDC, planOf } from "./fixtures/ingress";
import { awsCluster, stackConfig } from "./helpers/config";

const grafanaRoute = { kind: "grafana" as const, hostname: "grafana.example.com" };
const withGrafanaOn = (index: number, monitoring: Record<string, unknown> = {}) =>
  stackConfig(
    ["euw1", "use1"].map((name, i) =>
      awsCluster(name, {
        region: i === 0 ? "eu-west-1" : "us-east-1",
        cidr: `10.${10 + i}.0.0/16`,
        nodes: { validators: 2 },
        ingress: i === index ? { routes: [grafanaRoute], grafana: { oidc: GRAFANA_OIDC } } : {},
      }),
    ),
    { monitoring },
  );
const errors = (config: ReturnType<typeof stackConfig>) =>
  planNetwork(config).issues.filter((i) => i.severity === "error");

describe("a grafana route", () => {
  it("is planned on the central cluster: the first by default, or the one network.monitoring.centralCluster names", () => {
    assert.deepEqual(errors(withGrafanaOn(0)), []);
    assert.deepEqual(errors(withGrafanaOn(1, { centralCluster: "use1" })), []);
  });

  it("is refused on any other cluster, naming the route's key and the central cluster", () => {
    const [issue, ...rest] = errors(withGrafanaOn(1));
    assert.deepEqual(rest, []);
    assert.equal(issue?.path, "clusters[1].ingress.routes[0].kind");
    assert.match(issue?.message ?? "", /central cluster euw1 \(network\.monitoring\.centralCluster\)/);
  });

  it("is refused unless logins are limited to groups or e-mail domains, naming the key", () => {
    const limitedTo = (limits: Record<string, unknown>) =>
      errors(
        stackConfig([
          awsCluster("euw1", {
            nodes: { validators: 2 },
            ingress: {
              routes: [grafanaRoute],
              grafana: { oidc: { ...GRAFANA_OIDC, allowedGroups: [], ...limits } },
            },
          }),
        ]),
      );
    const [issue, ...rest] = limitedTo({});
    assert.deepEqual(rest, []);
    assert.equal(issue?.path, "clusters[0].ingress.grafana.oidc.allowedGroups");
    assert.match(issue?.message ?? "", /every identity .*\(allowedGroups.*\(allowedDomains\)/);
    assert.deepEqual(limitedTo({ allowedGroups: ["grafana-viewers"] }), []);
    assert.deepEqual(limitedTo({ allowedDomains: ["example.com"] }), []);
  });

  it("takes a group name Grafana would not split, and refuses one with a space or comma", () => {
    const issuesFor = (group: string) =>
      planRawConfig({
        "goquorum:network": { name: "testnet", chainId: 1337 },
        "goquorum:clusters": [
          {
            name: "a",
            provider: "local",
            nodes: { validators: 1 },
            ingress: { grafana: { oidc: { ...GRAFANA_OIDC, allowedGroups: [group] } } },
          },
        ],
      }).issues.filter((i) => i.path === "clusters[0].ingress.grafana.oidc.allowedGroups[0]");
    assert.deepEqual(issuesFor("8bab1c86-8fba-33e5-2089-1d1c80ec267d"), []);
    assert.deepEqual(issuesFor("grafana_viewers"), []);
    assert.equal(issuesFor("grafana viewers").length, 1);
    assert.equal(issuesFor("a,b").length, 1);
  });

  it("is refused when monitoring is disabled", () => {
    const [issue] = errors(withGrafanaOn(0, { enabled: false }));
    assert.equal(issue?.path, "clusters[0].ingress.routes[0].kind");
    assert.match(issue?.message ?? "", /network\.monitoring\.enabled is false/);
  });
});

describe("Grafana's backend and login", () => {
  it("reaches the Service kube-prometheus-stack's Grafana subchart creates: `<release>-grafana`, port 80", () => {
    assert.equal(GRAFANA_SERVICE, `${RELEASE_NAME}-grafana`);
    assert.deepEqual(kubePrometheusGrafana("observability"), {
      namespace: "observability",
      service: "monitoring-grafana",
      port: 80,
    });
  });

  it("merges the OIDC login into the central cluster's values, keeping the admin secret for break-glass", () => {
    const config = awsIngressConfig();
    const plan = planOf(config);
    const cluster = plan.clusters[0];
    const values = chartValues({ network: config.network, plan, cluster });
    const login = grafanaOidcValues("grafana.prod.example.com", grafanaOidcOf(config)).grafana;
    assert.ok("admin" in values.grafana);
    const grafana = values.grafana as Record<string, unknown>;
    assert.equal(grafana.envFromSecret, login.envFromSecret);
    assert.deepEqual(grafana["grafana.ini"], login["grafana.ini"]);
    assert.equal(values.grafana.admin.existingSecret, "grafana-admin");
    assert.equal(values.grafana.enabled, true);
  });

  it("admits only the allowed groups, read at groupsAttributePath, and the allowed domains", () => {
    const oidc = { ...grafanaOidcOf(awsIngressConfig()) };
    const login = (limits: Partial<typeof oidc>) =>
      (grafanaOidcValues("g.example.com", { ...oidc, ...limits }).grafana["grafana.ini"] as Ini)[
        "auth.generic_oauth"
      ];
    const groups = login({ allowedGroups: ["ops", "8bab1c86-8fba"], groupsAttributePath: "roles" });
    assert.deepEqual(
      [groups.allow_sign_up, groups.allowed_groups, groups.groups_attribute_path, groups.allowed_domains],
      [true, "ops 8bab1c86-8fba", "roles", undefined],
    );
    const domains = login({ allowedGroups: [], allowedDomains: ["example.com", "example.org"] });
    assert.deepEqual(
      [domains.allowed_groups, domains.groups_attribute_path, domains.allowed_domains],
      [undefined, undefined, "example.com example.org"],
    );
    // The schema's default path: the `groups` claim.
    assert.equal(login({}).groups_attribute_path, "groups");
  });

  it("adds nothing to the values of a cluster without a grafana route", () => {
    const config = stackConfig([awsCluster("euw1", { nodes: { validators: 2 } })]);
    const plan = planOf(config);
    const grafana = chartValues({ network: config.network, plan, cluster: plan.clusters[0] })
      .grafana as Record<string, unknown>;
    assert.equal(grafana.envFromSecret, undefined);
    assert.equal(grafana["grafana.ini"], undefined);
  });
});

describe("mergeValues", () => {
  const values = fc.dictionary(
    fc.constantFrom("a", "b", "c"),
    fc.oneof(fc.integer(), fc.dictionary(fc.constantFrom("x", "y"), fc.integer())),
  );

  it("keeps every leaf of the base the extra does not set, and every leaf of the extra", () => {
    fc.assert(
      fc.property(values, values, (base, extra) => {
        const merged = mergeValues(base, extra) as Record<string, unknown>;
        for (const [k, v] of Object.entries(extra)) {
          const b = base[k];
          if (typeof v === "object" && typeof b === "object") assert.deepEqual(merged[k], { ...b, ...v });
          else assert.deepEqual(merged[k], v);
        }
        for (const [k, v] of Object.entries(base)) if (!(k in extra)) assert.deepEqual(merged[k], v);
      }),
    );
  });
});

type Ini = Record<string, Record<string, unknown>>;

function grafanaOidcOf(config: ReturnType<typeof awsIngressConfig>) {
  const oidc = config.clusters[0]?.ingress.grafana?.oidc;
  assert.ok(oidc);
  return oidc;
}
