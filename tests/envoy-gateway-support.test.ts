/**
 * The pinned Envoy Gateway and its support calendar: the pin is a supported release on the day the calendar
 * was read, its CRD fixtures are of the same release, and a plan made on or after its end of life warns every
 * cluster that publishes routes, naming what to do.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import {
  ENVOY_GATEWAY_CALENDAR_READ,
  ENVOY_GATEWAY_LINES,
  ENVOY_GATEWAY_VERSION,
  lineOf,
} from "../infra/ingress/behaviour";
import { ENVOY_GATEWAY, ENVOY_GATEWAY_CRDS } from "../infra/ingress/names";
import { envoyGatewayEnded, envoyGatewaySupportIssues } from "../infra/plan/envoyGatewaySupport";
import { planRawConfig } from "../infra/stackPlan";
import { awsIngressConfig } from "./fixtures/ingress";
import { awsCluster, stackConfig } from "./helpers/config";

const daysBetween = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 86_400_000;

describe("the pinned Envoy Gateway", () => {
  it("is supported on the day its calendar was read, for two months more", () => {
    assert.equal(ENVOY_GATEWAY.version, ENVOY_GATEWAY_VERSION);
    assert.ok(daysBetween(ENVOY_GATEWAY_CALENDAR_READ, lineOf(ENVOY_GATEWAY_VERSION).endOfLife) >= 60);
  });

  it("installs the CRDs of its own release, and those of the Gateway API its line is built with", () => {
    assert.equal(ENVOY_GATEWAY_CRDS.version, ENVOY_GATEWAY.version);
    assert.equal(ENVOY_GATEWAY_LINES["v1.9"].gatewayApi, "v1.6.1");
    const readme = readFileSync(path.join(__dirname, "fixtures", "crds", "README.md"), "utf8");
    assert.ok(
      readme.includes(
        `Envoy Gateway ${ENVOY_GATEWAY.version} (Gateway API bundle ${lineOf(ENVOY_GATEWAY.version).gatewayApi}`,
      ),
      "the CRD fixtures are refreshed with the pin (tests/fixtures/crds/README.md)",
    );
  });

  it("a release whose line the calendar lacks is refused, not taken as supported", () => {
    assert.throws(() => lineOf("v1.7.5"), /v1\.7\.5: its line is not in ENVOY_GATEWAY_LINES/);
  });
});

describe("plan warning on an Envoy Gateway past its end of life", () => {
  const config = stackConfig([...awsIngressConfig().clusters, awsCluster("use1", { region: "us-east-1" })]);

  it("v1.8: supported on 2026-11-07, ended on 2026-11-08 (its calendar's date)", () => {
    assert.equal(envoyGatewayEnded("v1.8.3", "2026-11-07"), false);
    assert.equal(envoyGatewayEnded("v1.8.3", "2026-11-08"), true);
    assert.deepEqual(envoyGatewaySupportIssues(config, "2026-11-07", "v1.8.3"), []);
  });

  it("names the cluster that publishes routes, the end of life, and the supported line to move to", () => {
    const issues = envoyGatewaySupportIssues(config, "2026-11-08", "v1.8.3");
    assert.deepEqual(
      issues.map((i) => [i.severity, i.path]),
      [["warning", "clusters[0].ingress.routes"]],
    );
    assert.match(
      issues[0].message,
      /Envoy Gateway v1\.8\.3, whose line v1\.8 reached end of life on 2026-11-08/,
    );
    assert.match(issues[0].message, /pins Envoy Gateway v1\.9 \(supported until 2027-02-14\)/);
    assert.match(issues[0].message, /docs\/operations\/upgrade\.md, "Envoy Gateway"/);
  });

  it("the pin: no warning on 2027-02-13; on 2027-02-14 one that says no known line is left", () => {
    assert.deepEqual(envoyGatewaySupportIssues(config, "2027-02-13"), []);
    const [issue] = envoyGatewaySupportIssues(config, "2027-02-14");
    assert.match(issue?.message ?? "", /v1\.9\.1, whose line v1\.9 reached end of life on 2027-02-14/);
    assert.match(issue?.message ?? "", /no Envoy Gateway line the program knows is supported on 2027-02-14/);
  });

  it("reaches the stack plan on the day it is made for; by default, on the calendar's day", () => {
    const raw = {
      "goquorum:network": { name: "dev", chainId: 1337, monitoring: { enabled: false } },
      "goquorum:clusters": [
        {
          name: "kind",
          provider: "local",
          nodes: { validators: 4, rpc: 1 },
          ingress: { routes: [{ kind: "rpc", hostname: "rpc.kind.internal", auth: { apiKeys: ["dev"] } }] },
        },
      ],
    };
    const warned = (day?: string) =>
      planRawConfig(raw, day)
        .issues.filter((i) => /reached end of life/.test(i.message))
        .map((i) => i.path);
    assert.deepEqual(warned(), []);
    assert.deepEqual(warned("2027-02-13"), []);
    assert.deepEqual(warned("2027-02-14"), ["clusters[0].ingress.routes"]);
  });
});
