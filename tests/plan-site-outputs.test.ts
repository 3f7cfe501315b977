/**
 * What each site's operator is handed (`site-<name>`), as planned: every tunnel of that site to every gateway,
 * and the keys of no other site. The values the clouds assign are left to the program (vpn-program.test.ts).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readStackFile, stackFilePath } from "../infra/config/load";
import { IPSEC } from "../infra/plan/ipsec";
import { plannedSiteOutputs, siteOutputName } from "../infra/plan/siteOutputs";
import type { NetworkPlan } from "../infra/plan/types";
import { planRawConfig } from "../infra/stackPlan";
import { DC1, DC2, DC3, withConnectivity } from "./fixtures/sites";

const SITES = [DC1, DC2, DC3];

function prodPlan(): NetworkPlan {
  const raw = readStackFile(stackFilePath("prod"));
  const network = withConnectivity(raw, { sites: SITES });
  const { plan, issues } = planRawConfig({ ...raw, "goquorum:network": network });
  assert.ok(plan, JSON.stringify(issues));
  return plan;
}

describe("per-site outputs, as planned", () => {
  const plan = prodPlan();
  const vpn = plan.connectivity.vpn;
  assert.ok(vpn);
  const outputs = plannedSiteOutputs(vpn);

  it("names each site's output after the site", () => {
    assert.equal(siteOutputName("dc1"), "site-dc1");
    assert.deepEqual(
      outputs.map((o) => o.site),
      ["dc1", "dc3", "dc2"],
    );
  });

  it("gives an AWS site both tunnels of its connection to every AWS VPC, each with its own key", () => {
    const dc1 = outputs.find((o) => o.site === "dc1");
    assert.ok(dc1);
    assert.deepEqual(
      [dc1.terminatesIn, dc1.siteAsn, dc1.sitePublicIp, dc1.ipsec],
      ["aws", 65300, "192.0.2.10", IPSEC],
    );
    const connections = vpn.awsConnections.filter(
      (c) => "site" in c.customerGateway && c.customerGateway.site === "dc1",
    );
    assert.equal(connections.length, vpn.awsGateways.length);
    assert.deepEqual(
      dc1.tunnels,
      connections.flatMap((c) =>
        c.tunnels.map((t, k) => ({
          cluster: c.awsCluster,
          cloud: "aws",
          name: t.name,
          insideCidr: t.insideCidr,
          gatewayAsn: vpn.awsAsn,
          source: { awsConnection: c.name, tunnel: k + 1 },
          keyName: t.name,
        })),
      ),
    );
  });

  it("gives an Azure site both instances of every Azure gateway, one key per connection, its own BGP address", () => {
    const dc2 = outputs.find((o) => o.site === "dc2");
    assert.ok(dc2);
    assert.deepEqual([dc2.terminatesIn, dc2.siteAsn, dc2.sitePublicIp], ["azure", 65400, "192.0.2.20"]);
    assert.deepEqual(
      dc2.tunnels,
      vpn.azureGateways.flatMap((g) => {
        const local = g.localGateways.find((l) => "site" in l.peer && l.peer.site === "dc2");
        assert.ok(local);
        return [0, 1].map((instance) => ({
          cluster: g.cluster,
          cloud: "azure",
          name: `${local.name}-${instance}`,
          gatewayAsn: vpn.azureAsn,
          siteBgpAddress: "192.168.16.1",
          source: { azureGateway: g.cluster, instance },
          keyName: local.name,
        }));
      }),
    );
  });

  it("shares no key between two sites, and leaves out the tunnels between the clouds", () => {
    const owners = new Map<string, string>();
    for (const o of outputs)
      for (const t of o.tunnels) {
        const owner = owners.get(t.keyName);
        assert.ok(owner === undefined || owner === o.site, `${t.keyName}: ${owner} and ${o.site}`);
        owners.set(t.keyName, o.site);
      }
    const cloudTunnels = [
      ...vpn.awsConnections
        .filter((c) => !("site" in c.customerGateway))
        .flatMap((c) => c.tunnels.map((t) => t.name)),
      ...vpn.azureGateways.flatMap((g) =>
        g.localGateways.filter((l) => !("site" in l.peer)).map((l) => l.name),
      ),
    ];
    assert.ok(cloudTunnels.length > 0);
    for (const name of cloudTunnels) assert.equal(owners.get(name), undefined, name);
  });
});
