/**
 * Sites are fenced: BGP carries a site's routes through both clouds' gateways (AWS's VPN CloudHub
 * re-advertisement, Azure's transit routing), so Azure's `AllowVnetInBound` covered a site terminated on AWS;
 * the NSGs now deny everything the VirtualNetwork tag brings in but the VNet's own, after the admitted
 * flows. Checked three ways: the BGP model itself, the flow verifier's closed flows (every site to every port
 * class of every cluster), and a sweep over addresses and ports of the site ranges against the NSG and
 * security group values the program registers.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { nsgRules, vnetAddressSpace } from "../infra/azure/network";
import { readStackFile, stackFilePath } from "../infra/config/load";
import { addressAt, cidr, cidrSize } from "../infra/plan/cidr";
import { gatewayClientRanges } from "../infra/plan/ingress";
import type { ClusterPlan } from "../infra/plan/types";
import { planRawConfig } from "../infra/stackPlan";
import { type Flow, networkModel, verifyModel } from "../infra/verify/flows";
import { inAnyPrefix } from "../infra/verify/flows/addresses";
import { bgpRoutes } from "../infra/verify/flows/bgp";
import type { ClusterModel, NetworkModel } from "../infra/verify/flows/model";
import { evaluateNsg } from "../infra/verify/flows/nsg";
import { evaluateSecurityGroup } from "../infra/verify/flows/securityGroups";
import { DC1, DC2, withConnectivity } from "./fixtures/sites";

/** An external party living in dc1: admitted on p2p by every cluster, however it is routed. */
const BANK_C = {
  name: "bank-c",
  enode: `enode://${"c3".repeat(64)}@192.168.1.10:30303`,
  range: "192.168.1.0/24",
};

/** prod with both sites, the party in dc1, and an internal route on az-weu open to its private networks. */
function prodWithSites(
  routes: unknown[] = [{ kind: "rpc", hostname: "rpc.weu.example.internal", auth: { apiKeys: ["app"] } }],
) {
  const raw = readStackFile(stackFilePath("prod"));
  const clusters = (raw["goquorum:clusters"] as { name: string }[]).map((c) =>
    c.name === "az-weu" ? { ...c, ingress: { routes } } : c,
  );
  const network = withConnectivity(raw, { sites: [DC1, DC2], externalPeers: [BANK_C] });
  return planRawConfig({ ...raw, "goquorum:network": network, "goquorum:clusters": clusters });
}

const wrong = (flows: readonly Flow[]) => flows.filter((f) => f.required !== (f.verdict === "admitted"));
const find = (flows: readonly Flow[], from: string, to: string, port: number) => {
  const flow = flows.find((f) => f.from === from && f.to === to && f.port === port);
  assert.ok(flow, `${from} -> ${to} ${port}`);
  return flow;
};

describe("what BGP carries between the gateways and the sites", () => {
  const { plan } = prodWithSites();
  assert.ok(plan);
  const routes = bgpRoutes(plan, [DC1, DC2]);
  const table = (speaker: string) =>
    Object.fromEntries((routes.get(speaker) ?? []).map((r) => [r.prefix, `${r.from} ${r.path.join(" ")}`]));

  it("an AWS gateway learns Azure and its site directly, the Azure site through Azure, never the other AWS VPC", () => {
    assert.deepEqual(table("aws-euw1"), {
      "10.66.0.0/16": "az-weu 65010",
      "100.104.0.0/16": "az-weu 65010",
      "192.168.0.0/20": "dc1 65300",
      "192.168.16.0/20": "az-weu 65010 65400",
    });
  });

  it("the Azure gateway learns the AWS-terminated site through an AWS gateway: transit a NSG must fence", () => {
    const weu = table("az-weu");
    assert.match(String(weu["192.168.0.0/20"]), /^aws-(euw1|use1) 64512 65300$/);
    assert.equal(weu["192.168.16.0/20"], "dc2 65400");
    assert.equal(weu["10.64.0.0/16"], "aws-euw1 64512");
  });

  it("a site learns the other cloud's clusters and the other site through its own cloud's gateways", () => {
    const dc1 = table("dc1");
    assert.match(String(dc1["10.66.0.0/16"]), /^aws-(euw1|use1) 64512 65010$/);
    assert.match(String(dc1["192.168.16.0/20"]), /^aws-(euw1|use1) 64512 65010 65400$/);
    assert.equal(dc1["10.64.0.0/16"], "aws-euw1 64512");
  });
});

describe("sites on prod, through every layer", () => {
  const { config, plan, issues } = prodWithSites();
  assert.ok(config && plan, JSON.stringify(issues, null, 2));
  const model = networkModel(config, plan);
  const report = verifyModel(model);
  const fromSites = report.flows.filter((f) => f.from.startsWith("site:"));

  it("every site to every cluster, linked or not, on every port class: closed, and denied", () => {
    assert.deepEqual(wrong(report.flows), []);
    assert.deepEqual(report.issues, []);
    for (const site of ["site:dc1", "site:dc2"]) {
      for (const cluster of ["aws-euw1", "aws-use1", "az-weu"]) {
        const ports = new Set(
          fromSites.filter((f) => f.from === site && f.to.startsWith(cluster)).map((f) => f.port),
        );
        for (const port of [30303, 9545, 8545, 10250, 30000])
          assert.ok(ports.has(port), `${site} ${cluster} ${port}`);
      }
      // Tessera (members), the monitoring endpoint (not on the central cluster) and the gateway where they exist.
      for (const [cluster, port] of [
        ["aws-euw1", 9000],
        ["aws-euw1", 9080],
        ["aws-use1", 9090],
      ] as const) {
        assert.ok(fromSites.some((f) => f.from === site && f.to.startsWith(cluster) && f.port === port));
      }
    }
    assert.ok(fromSites.filter((f) => !f.required).every((f) => f.verdict === "denied"));
    // The one needed flow from a site: its own cloud's internal route, which admits its private networks.
    assert.deepEqual(
      [...new Set(fromSites.filter((f) => f.required).map((f) => `${f.from} ${f.to.split("/")[0]}`))],
      ["site:dc2 az-weu"],
    );
  });

  it("the AWS-terminated site, carried to Azure by BGP, meets the NSG's deny of other networks", () => {
    const kubelet = find(fromSites, "site:dc1", "az-weu/node", 10250);
    assert.deepEqual(
      [kubelet.verdict, kubelet.layer, kubelet.rule],
      ["denied", "nsg", "deny-other-networks-inbound"],
    );
    const gateway = find(fromSites, "site:dc1", "az-weu/gateway-internal", 443);
    assert.deepEqual([gateway.verdict, gateway.layer], ["denied", "load-balancer"]);
    // The Azure site, carried to AWS, meets security groups that admit no range the config does not name.
    const rpc = find(fromSites, "site:dc2", "aws-euw1-rpc-0", 8545);
    assert.deepEqual([rpc.verdict, rpc.layer], ["denied", "security-group"]);
  });

  it("its own site reaches az-weu's internal route; the AWS site does not", () => {
    const route = report.flows.find((f) => f.from === "site:dc2" && f.to === "az-weu/gateway-internal/rpc");
    assert.equal(route?.verdict, "admitted");
    assert.ok(!report.flows.some((f) => f.from === "site:dc1" && f.to === "az-weu/gateway-internal/rpc"));
  });

  it("before: NSGs without the deny of other networks let the AWS site reach az-weu's kubelet and NodePorts", () => {
    const weu = model.clusters.get("az-weu") as ClusterModel;
    const old = (weu.nsgRules ?? []).filter((r) => !/-(own|other)-networks?-/.test(r.name));
    assert.ok(old.length < (weu.nsgRules ?? []).length);
    const withOld: NetworkModel = {
      ...model,
      clusters: new Map([...model.clusters, ["az-weu", { ...weu, nsgRules: old }]]),
    };
    const before = verifyModel(withOld);
    const kubelet = find(before.flows, "site:dc1", "az-weu/node", 10250);
    assert.deepEqual([kubelet.verdict, kubelet.layer, kubelet.rule], ["admitted", "nsg", "AllowVnetInBound"]);
    assert.ok(
      before.issues.some(
        (i) =>
          i.severity === "error" &&
          i.path === "network.connectivity.sites" &&
          /AllowVnetInBound/.test(i.message),
      ),
    );
  });
});

describe("no firewall admits a site's range beyond the admitted flows", () => {
  const { config, plan } = prodWithSites();
  assert.ok(config && plan);
  const model = networkModel(config, plan);
  const weu = model.clusters.get("az-weu") as ClusterModel;
  const weuPlan = plan.clusters.find((c) => c.name === "az-weu") as ClusterPlan;
  const rules = nsgRules(weuPlan, plan, model.monitoring);
  const tags = { virtualNetwork: weu.virtualNetworkTag ?? [] };
  const siteRanges = [...DC1.ranges, ...DC2.ranges];
  const inRange = (range: string) =>
    fc.integer({ min: 0, max: cidrSize(cidr(range)) - 1 }).map((n) => addressAt(cidr(range), n));
  const siteAddress = fc.oneof(...siteRanges.map(inRange));
  const port = fc.oneof(
    fc.integer({ min: 1, max: 65535 }),
    fc.constantFrom(443, 80, 30303, 9000, 9090, 10250, 30000),
  );
  const gatewayClients = gatewayClientRanges(weuPlan.ingress, "internal");
  const privateSubnet = weuPlan.subnets.filter((s) => s.purpose === "private").map((s) => s.cidr);

  /** What the config admits from a site address: p2p from the party inside dc1, the gateway from dc2. */
  const admittedIn = (source: string, destination: string, p: number) =>
    (inAnyPrefix(source, [BANK_C.range]) && [30303, 9000].includes(p)) ||
    (inAnyPrefix(source, gatewayClients) && inAnyPrefix(destination, privateSubnet) && [443, 80].includes(p));

  it("the Azure NSGs, inbound: exactly the admitted flows, from either site, to any address and port", () => {
    assert.ok(inAnyPrefix("192.168.0.1", tags.virtualNetwork), "dc1 is in the VirtualNetwork tag (transit)");
    fc.assert(
      fc.property(
        siteAddress,
        fc.oneof(...vnetAddressSpace(weuPlan).map(inRange)),
        port,
        (source, destination, p) => {
          const verdict = evaluateNsg(rules, { direction: "Inbound", source, destination, port: p }, tags);
          assert.equal(
            verdict.access === "Allow",
            admittedIn(source, destination, p),
            `${source} -> ${destination}:${p} ${verdict.rule}`,
          );
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("the Azure NSGs, outbound: nothing to a site but p2p to the party inside it", () => {
    fc.assert(
      fc.property(
        fc.oneof(...vnetAddressSpace(weuPlan).map(inRange)),
        siteAddress,
        port,
        (source, destination, p) => {
          const verdict = evaluateNsg(rules, { direction: "Outbound", source, destination, port: p }, tags);
          const admitted = inAnyPrefix(destination, [BANK_C.range]) && [30303, 9000].includes(p);
          assert.equal(
            verdict.access === "Allow",
            admitted,
            `${source} -> ${destination}:${p} ${verdict.rule}`,
          );
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("the AWS security groups: nothing from a site but p2p from the party inside it", () => {
    for (const name of ["aws-euw1", "aws-use1"]) {
      const groupRules = model.clusters.get(name)?.securityGroupRules ?? [];
      fc.assert(
        fc.property(siteAddress, port, (source, p) => {
          const verdict = evaluateSecurityGroup(groupRules, { source, sourceGroups: [], port: p });
          const admitted = inAnyPrefix(source, [BANK_C.range]) && [30303, 9000].includes(p);
          assert.equal(verdict.admitted, admitted, `${name}: ${source}:${p} ${verdict.rule}`);
        }),
        { numRuns: 1000 },
      );
    }
  });
});

describe("an internal route may list only the sites its cluster connects to", () => {
  const route = (allowedCidrs: string[]) => [
    { kind: "rpc", hostname: "rpc.weu.example.internal", auth: { apiKeys: ["app"] }, allowedCidrs },
  ];

  it("its own cloud's site is accepted", () => {
    const { plan, issues } = prodWithSites(route(["192.168.16.0/24"]));
    assert.ok(plan, JSON.stringify(issues));
  });

  it("the other cloud's site is refused at the range, naming why", () => {
    const { plan, issues } = prodWithSites(route(["192.168.16.0/24", "192.168.0.0/24"]));
    assert.equal(plan, undefined);
    const refused = issues.filter((i) => i.severity === "error");
    assert.deepEqual(
      refused.map((i) => i.path),
      ["clusters[2].ingress.routes[0].allowedCidrs[1]"],
    );
    assert.match(
      refused[0]?.message ?? "",
      /site dc1, which terminates in aws .* do not transit between clouds/,
    );
  });
});
