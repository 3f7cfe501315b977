/**
 * Internal published routes are reachable from everything their docs promise (the cluster, the clusters
 * linked to it, the sites it connects to, or exactly the ranges a route lists) and from nothing else: the
 * gateway's load balancer, the NSGs in front of it and the route's authorization all take the routes'
 * client ranges from one function. Fed the values of before (an internal load balancer without source
 * ranges, NSGs without the internal route rules), the verifier names the layer that refuses the clients.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { nsgRules } from "../infra/azure/network";
import { readStackFile, stackFilePath } from "../infra/config/load";
import { privateNetworks } from "../infra/plan/ingress";
import type { NetworkPlan } from "../infra/plan/types";
import { planRawConfig } from "../infra/stackPlan";
import { type Flow, networkModel, verifyModel } from "../infra/verify/flows";
import type { ClusterModel, NetworkModel } from "../infra/verify/flows/model";
import { DC1, DC2, withConnectivity } from "./fixtures/sites";

const SITES = [DC1, DC2];

/** prod with both sites, an internal RPC route open to its private networks on aws-euw1, and one on az-weu
 * that lists part of dc2 and aws-euw1's VPC. */
function prodWithInternalRoutes() {
  const raw = readStackFile(stackFilePath("prod"));
  const route = (hostname: string, allowedCidrs: string[] = []) => ({
    kind: "rpc",
    hostname,
    auth: { apiKeys: ["app"] },
    allowedCidrs,
  });
  const clusters = (raw["goquorum:clusters"] as { name: string }[]).map((c) =>
    c.name === "aws-euw1"
      ? { ...c, ingress: { routes: [route("rpc.euw1.example.internal")] } }
      : c.name === "az-weu"
        ? {
            ...c,
            ingress: { routes: [route("rpc.weu.example.internal", ["192.168.16.0/24", "10.64.0.0/16"])] },
          }
        : c,
  );
  const network = withConnectivity(raw, { sites: SITES });
  const { config, plan, issues } = planRawConfig({
    ...raw,
    "goquorum:network": network,
    "goquorum:clusters": clusters,
  });
  assert.ok(config && plan, JSON.stringify(issues, null, 2));
  return { config, plan };
}

const find = (flows: readonly Flow[], from: string, to: string, port: number) => {
  const flow = flows.find((f) => f.from === from && f.to === to && f.port === port);
  assert.ok(flow, `${from} -> ${to} ${port}`);
  return flow;
};
const verdict = (f: Flow) => [f.verdict, f.layer, f.rule];
const wrong = (flows: readonly Flow[]) => flows.filter((f) => f.required !== (f.verdict === "admitted"));

function withCluster(model: NetworkModel, name: string, patch: Partial<ClusterModel>): NetworkModel {
  const cluster = model.clusters.get(name);
  assert.ok(cluster, name);
  return { ...model, clusters: new Map([...model.clusters, [name, { ...cluster, ...patch }]]) };
}

const nsgOf = (plan: NetworkPlan, cluster: string) => {
  const planned = plan.clusters.find((c) => c.name === cluster);
  assert.ok(planned);
  return nsgRules(planned, plan, []);
};

describe("the private networks of a cluster", () => {
  const { plan } = prodWithInternalRoutes();
  const networks = (name: string) => privateNetworks({ name }, plan.connectivity);

  it("are its own ranges, the linked clusters' and the sites it connects to, each once", () => {
    assert.deepEqual(networks("aws-euw1"), [
      "10.64.0.0/16",
      "10.65.0.0/16",
      "10.66.0.0/16",
      "100.104.0.0/16",
      "192.168.0.0/20",
    ]);
    // dc1 terminates on AWS: it is no private network of the Azure cluster (sites do not transit).
    assert.deepEqual(networks("az-weu"), [
      "10.66.0.0/16",
      "100.104.0.0/16",
      "10.64.0.0/16",
      "10.65.0.0/16",
      "192.168.16.0/20",
    ]);
  });

  it("never include an external party's range", () => {
    const raw = readStackFile(stackFilePath("prod"));
    const externalPeers = [
      { name: "bank-c", enode: `enode://${"c3".repeat(64)}@192.168.40.10:30303`, range: "192.168.40.0/24" },
    ];
    const network = withConnectivity(raw, { externalPeers });
    const { plan: withParty } = planRawConfig({ ...raw, "goquorum:network": network });
    assert.ok(withParty);
    assert.ok(!privateNetworks({ name: "aws-euw1" }, withParty.connectivity).includes("192.168.40.0/24"));
  });
});

describe("internal routes on prod with sites", () => {
  const { config, plan } = prodWithInternalRoutes();
  const model = networkModel(config, plan);
  const report = verifyModel(model);

  it("each internal gateway's load balancer admits exactly its routes' client ranges", () => {
    const sources = (cluster: string) =>
      model.clusters.get(cluster)?.gatewayLoadBalancers.get("internal")?.sourceRanges;
    assert.deepEqual(sources("aws-euw1"), [
      "10.64.0.0/16",
      "10.65.0.0/16",
      "10.66.0.0/16",
      "100.104.0.0/16",
      "192.168.0.0/20",
    ]);
    assert.deepEqual(sources("az-weu"), ["10.64.0.0/16", "192.168.16.0/24"]);
  });

  it("the NSGs admit those clients to the internal gateway's subnet on 443 and 80, and let az-weu call aws-euw1's", () => {
    const rules = nsgOf(plan, "az-weu");
    const inbound = rules.find((r) => r.name === "allow-internal-routes-inbound");
    assert.deepEqual(inbound?.sourceAddressPrefixes, ["10.64.0.0/16", "192.168.16.0/24"]);
    assert.deepEqual(inbound?.destinationAddressPrefixes, ["10.66.0.0/17"]);
    assert.deepEqual(inbound?.destinationPortRanges, ["443", "80"]);
    const denyPeers = rules.find((r) => r.name === "deny-peers-inbound");
    assert.ok(inbound && denyPeers && inbound.priority < denyPeers.priority);
    // aws-euw1's route admits its private networks, az-weu among them; aws-use1 publishes nothing.
    const outbound = rules.find((r) => r.name === "allow-internal-routes-outbound");
    assert.deepEqual(outbound?.destinationAddressPrefixes, [
      "10.64.0.0/18",
      "10.64.64.0/18",
      "10.64.128.0/18",
    ]);
    assert.deepEqual(outbound?.sourceAddressPrefixes, ["10.66.0.0/16", "100.104.0.0/16"]);
  });

  it("every needed flow is admitted and every closed flow denied", () => {
    assert.deepEqual(wrong(report.flows), []);
    assert.deepEqual(report.issues, []);
  });

  it("a route without ranges is reached from its cluster, every linked cluster and its site, through its authorization", () => {
    for (const from of [
      "aws-euw1/other-namespace",
      "aws-use1/other-namespace",
      "az-weu/other-namespace",
      "site:dc1",
    ]) {
      assert.deepEqual(verdict(find(report.flows, from, "aws-euw1/gateway-internal/rpc", 443)), [
        "admitted",
        "gateway",
        "rpc: allowed-client-ranges",
      ]);
      assert.equal(find(report.flows, from, "aws-euw1/gateway-internal", 80).verdict, "admitted");
    }
  });

  it("a route that lists ranges is reached from them, and refuses the linked clusters and site parts it leaves out", () => {
    for (const from of ["192.168.16.0/24", "10.64.0.0/16"]) {
      assert.equal(find(report.flows, from, "az-weu/gateway-internal/rpc", 443).verdict, "admitted");
    }
    for (const from of ["aws-use1/other-namespace", "site:dc2"]) {
      assert.deepEqual(verdict(find(report.flows, from, "az-weu/gateway-internal/rpc", 443)), [
        "denied",
        "load-balancer",
        "gateway-internal: deny all but loadBalancerSourceRanges",
      ]);
    }
    // Inside az-weu, Cilium ignores the source ranges: the route's authorization refuses the pod.
    assert.deepEqual(
      verdict(find(report.flows, "az-weu/other-namespace", "az-weu/gateway-internal/rpc", 443)),
      ["denied", "gateway", "rpc: default Deny"],
    );
  });

  it("before: an internal load balancer without source ranges admits aws-euw1's VPC alone", () => {
    const euw1 = model.clusters.get("aws-euw1") as ClusterModel;
    const internal = euw1.gatewayLoadBalancers.get("internal");
    assert.ok(internal);
    const old = verifyModel(
      withCluster(model, "aws-euw1", {
        gatewayLoadBalancers: new Map([["internal", { ...internal, sourceRanges: [] }]]),
      }),
    );
    for (const from of ["aws-use1/other-namespace", "site:dc1"]) {
      const flow = find(old.flows, from, "aws-euw1/gateway-internal/rpc", 443);
      assert.deepEqual([flow.verdict, flow.layer], ["denied", "load-balancer"]);
      assert.match(String(flow.rule), /gateway-internal frontend: no inbound rule admits/);
    }
    assert.equal(
      find(old.flows, "aws-euw1/other-namespace", "aws-euw1/gateway-internal/rpc", 443).verdict,
      "admitted",
    );
    assert.ok(
      old.issues.some(
        (i) =>
          i.severity === "error" &&
          i.path === "clusters[0].ingress.routes[0]" &&
          /load-balancer/.test(i.message),
      ),
    );
  });

  it("before: NSGs without the internal route rules drop the route's clients and az-weu's calls out", () => {
    const before = (name: string) =>
      nsgOf(plan, name).filter((r) => !r.name.startsWith("allow-internal-routes"));
    const old = verifyModel(withCluster(model, "az-weu", { nsgRules: before("az-weu") }));
    for (const from of ["192.168.16.0/24", "10.64.0.0/16"]) {
      assert.deepEqual(verdict(find(old.flows, from, "az-weu/gateway-internal/rpc", 443)), [
        "denied",
        "nsg",
        "deny-peers-inbound",
      ]);
    }
    assert.deepEqual(
      verdict(find(old.flows, "az-weu/other-namespace", "aws-euw1/gateway-internal/rpc", 443)),
      ["denied", "nsg-outbound", "deny-peers-outbound"],
    );
  });
});
