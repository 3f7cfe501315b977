/**
 * The flow verifier: every flow the stacks need is admitted and every flow that must stay closed is denied,
 * through every layer; fed the firewall values of defects 3, 6 and 7 (issue 14), it names the layer and the
 * rule that break them.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { vpcCniEnforcesNetworkPolicies } from "../infra/aws/behaviour";
import { vpcCniEnv } from "../infra/aws/cni";
import { nsgRules } from "../infra/azure/network";
import { readStackFile, stackFilePath } from "../infra/config/load";
import type { AwsClusterConfig, StackConfig } from "../infra/config/schema";
import { planNetwork } from "../infra/plan";
import type { NetworkPlan } from "../infra/plan/types";
import { planRawConfig } from "../infra/stackPlan";
import { type Flow, networkModel, verifyFlows, verifyModel } from "../infra/verify/flows";
import type { ClusterModel, NetworkModel } from "../infra/verify/flows/model";
import { azureIngressConfig } from "./fixtures/ingress";
import { DC1, DC2, withConnectivity } from "./fixtures/sites";

function stack(name: string): { config: StackConfig; plan: NetworkPlan } {
  const { config, plan } = planRawConfig(readStackFile(stackFilePath(name)));
  assert.ok(config && plan, name);
  return { config, plan };
}

function withCluster(model: NetworkModel, name: string, patch: Partial<ClusterModel>): NetworkModel {
  const cluster = model.clusters.get(name);
  assert.ok(cluster, name);
  return { ...model, clusters: new Map([...model.clusters, [name, { ...cluster, ...patch }]]) };
}

const wrong = (flows: readonly Flow[]) => flows.filter((f) => f.required !== (f.verdict === "admitted"));
const find = (flows: readonly Flow[], from: string, to: string, port: number) => {
  const flow = flows.find((f) => f.from === from && f.to === to && f.port === port);
  assert.ok(flow, `${from} -> ${to} ${port}`);
  return flow;
};

describe("the stacks' flow matrices", () => {
  for (const name of ["prod", "dev-aws", "dev-azure"]) {
    it(`${name}: every needed flow is admitted and every closed flow denied`, () => {
      const { config, plan } = stack(name);
      const report = verifyFlows(config, plan);
      assert.deepEqual(wrong(report.flows), []);
      assert.deepEqual(report.issues, []);
    });
  }

  it("prod: devp2p between every ordered pair of nodes, Tessera P2P between the members", () => {
    const { config, plan } = stack("prod");
    const { flows } = verifyFlows(config, plan);
    const nodes = plan.clusters.flatMap((c) => c.nodes);
    const pairs = (port: number, list: typeof nodes) =>
      flows.filter(
        (f) => f.port === port && list.some((n) => n.name === f.from) && list.some((n) => n.name === f.to),
      );
    assert.equal(pairs(30303, nodes).length, nodes.length * (nodes.length - 1));
    const members = nodes.filter((n) => n.role === "member");
    assert.equal(pairs(9000, members).length, members.length * (members.length - 1));
    // Every cross-cluster pair passes the load balancer, the cluster's firewall and the NetworkPolicy.
    const crossCloud = find(flows, "aws-euw1-validator-0", "az-weu-validator-0", 30303);
    assert.deepEqual(
      [crossCloud.verdict, crossCloud.layer, crossCloud.rule],
      ["admitted", "network-policy", "allow-p2p"],
    );
  });

  it("prod: the central Prometheus federates every other cluster; the Internet reaches no node", () => {
    const { config, plan } = stack("prod");
    const { flows } = verifyFlows(config, plan);
    for (const to of ["aws-use1", "az-weu"]) {
      assert.equal(find(flows, "aws-euw1/prometheus", `${to}/prometheus`, 9090).verdict, "admitted");
    }
    // The API servers' endpoints are the deployer flows' (verify-deployer-flows.test.ts).
    const internet = flows.filter((f) => f.from === "internet" && !f.to.includes("api-server"));
    assert.ok(internet.length > 0);
    assert.ok(internet.every((f) => f.verdict === "denied" && f.layer === "route"));
  });

  it("local: the policies are only as good as the cluster's CNI, which the plan warns of, flow by flow quiet", () => {
    const inert = stack("local");
    const report = verifyFlows(inert.config, inert.plan);
    assert.ok(wrong(report.flows).length > 0);
    assert.deepEqual(report.issues, []);
    const enforced = planRawConfig({
      ...readStackFile(stackFilePath("local")),
      "goquorum:clusters": [
        {
          name: "kind",
          provider: "local",
          nodes: { validators: 4, rpc: 1, members: 2 },
          enforcesNetworkPolicies: true,
        },
      ],
    });
    assert.ok(enforced.flows && enforced.plan);
    assert.deepEqual(wrong(enforced.flows), []);
  });
});

describe("the verifier catches the defects of issue 14", () => {
  it("defect 3: EKS's vpc-cni as configured before (no enableNetworkPolicy) leaves RPC open to every pod", () => {
    const { config, plan } = stack("prod");
    const model = networkModel(config, plan);
    const cni = (config.clusters[0] as AwsClusterConfig).cni;
    const old = withCluster(model, "aws-euw1", {
      enforcesNetworkPolicies: vpcCniEnforcesNetworkPolicies({ env: vpcCniEnv(cni) }),
    });
    const report = verifyModel(old);
    const open = find(report.flows, "aws-euw1/other-namespace", "aws-euw1-rpc-0", 8545);
    assert.deepEqual([open.verdict, open.layer], ["admitted", "network-policy"]);
    assert.match(String(open.rule), /not enforced/);
    assert.ok(
      report.issues.some(
        (i) =>
          i.severity === "error" &&
          i.path === "clusters[0]" &&
          /closed flow .* network-policy/.test(i.message),
      ),
    );
  });

  it("defect 6: az-weu's NSG rules as before (no monitoring path) keep the central Prometheus out", () => {
    const { config, plan } = stack("prod");
    const model = networkModel(config, plan);
    const weu = model.clusters.get("az-weu") as ClusterModel;
    const old = withCluster(model, "az-weu", { nsgRules: nsgRules(weu.plan, plan, []) });
    const report = verifyModel(old);
    const federation = find(report.flows, "aws-euw1/prometheus", "az-weu/prometheus", 9090);
    assert.deepEqual(
      [federation.verdict, federation.layer, federation.rule],
      ["denied", "nsg", "deny-peers-inbound"],
    );
    assert.ok(
      report.issues.some(
        (i) =>
          i.severity === "error" && i.path === "network.monitoring" && /deny-peers-inbound/.test(i.message),
      ),
    );
  });

  it("defect 6, the other way: an Azure central cluster without the outbound monitoring rule cannot scrape AWS", () => {
    const raw = readStackFile(stackFilePath("prod"));
    const network = { ...(raw["goquorum:network"] as object), monitoring: { centralCluster: "az-weu" } };
    const { config, plan } = planRawConfig({ ...raw, "goquorum:network": network });
    assert.ok(config && plan);
    const fixed = verifyFlows(config, plan);
    for (const to of ["aws-euw1", "aws-use1"]) {
      assert.equal(find(fixed.flows, "az-weu/prometheus", `${to}/prometheus`, 9090).verdict, "admitted");
    }
    const model = networkModel(config, plan);
    const weu = model.clusters.get("az-weu") as ClusterModel;
    const old = verifyModel(withCluster(model, "az-weu", { nsgRules: nsgRules(weu.plan, plan, []) }));
    const scrape = find(old.flows, "az-weu/prometheus", "aws-euw1/prometheus", 9090);
    assert.deepEqual(
      [scrape.verdict, scrape.layer, scrape.rule],
      ["denied", "nsg-outbound", "deny-peers-outbound"],
    );
  });

  it("defect 7: the NSG rules as before (no public route rule) drop the public route's clients at deny-internet-inbound", () => {
    const config = azureIngressConfig();
    const { plan } = planNetwork(config);
    assert.ok(plan);
    const model = networkModel(config, plan);
    const fixed = verifyModel(model);
    assert.deepEqual(wrong(fixed.flows), []);
    const clients = fixed.flows.filter((f) => f.to === "weu/gateway-public");
    assert.deepEqual(
      clients.map((f) => [f.from, f.port, f.verdict]),
      [
        ["0.0.0.0/0", 443, "admitted"],
        ["0.0.0.0/0", 80, "admitted"],
      ],
    );
    const weu = model.clusters.get("weu") as ClusterModel;
    const oldRules = (weu.nsgRules ?? []).filter((r) => r.name !== "allow-public-routes-inbound");
    const old = verifyModel(withCluster(model, "weu", { nsgRules: oldRules }));
    const https = find(old.flows, "0.0.0.0/0", "weu/gateway-public", 443);
    assert.deepEqual([https.verdict, https.layer, https.rule], ["denied", "nsg", "deny-internet-inbound"]);
    assert.ok(old.issues.some((i) => i.severity === "error" && /deny-internet-inbound/.test(i.message)));
  });
});

describe("sites and external parties on prod", () => {
  const prodWith = (connectivity: object) => {
    const raw = readStackFile(stackFilePath("prod"));
    return planRawConfig({ ...raw, "goquorum:network": withConnectivity(raw, connectivity) });
  };
  const sites = [DC1, DC2];

  it("a site reaches no kubelet, NodePort, JSON-RPC or Tessera API, in either cloud", () => {
    const { plan, flows = [], issues } = prodWith({ sites });
    assert.ok(plan, JSON.stringify(issues, null, 2));
    const fromSites = flows.filter((f) => f.from.startsWith("site:"));
    assert.deepEqual(
      [...new Set(fromSites.map((f) => f.to.split("/")[0]?.split("-").slice(0, 2).join("-")))].sort(),
      ["aws-euw1", "aws-use1", "az-weu"],
    );
    assert.deepEqual(wrong(fromSites), []);
    // Azure's AllowVnetInBound covers the VPN's ranges: the peer deny has to cover the sites too.
    const kubelet = find(flows, "site:dc2", "az-weu/node", 10250);
    assert.deepEqual([kubelet.verdict, kubelet.layer, kubelet.rule], ["denied", "nsg", "deny-peers-inbound"]);
    const rpc = find(flows, "site:dc1", "aws-euw1-rpc-0", 8545);
    assert.deepEqual([rpc.verdict, rpc.layer], ["denied", "security-group"]);
  });

  it("an external party on its own ports is reached from every cluster, and reaches every node", () => {
    const externalPeers = [
      {
        name: "bank-c",
        enode: `enode://${"c3".repeat(64)}@192.168.40.10:30304`,
        range: "192.168.40.0/24",
        tesseraUrl: "https://192.168.40.11:9443",
      },
    ];
    const { plan, flows = [], issues } = prodWith({ externalPeers });
    assert.ok(plan, JSON.stringify(issues, null, 2));
    const party = flows.filter((f) => f.from === "external:bank-c" || f.to === "external:bank-c");
    assert.deepEqual(wrong(party), []);
    assert.equal(
      find(flows, "az-weu-validator-0", "external:bank-c", 30304).rule,
      "allow-peers-p2p-outbound",
    );
    assert.equal(find(flows, "aws-euw1-member-0", "external:bank-c", 9443).verdict, "admitted");
    assert.equal(find(flows, "external:bank-c", "az-weu-rpc-0", 30303).verdict, "admitted");
  });
});

describe("a member on Besu in the flow matrix", () => {
  it("prod with one member on Besu: no Tessera flow to or from it, everything else still admitted", () => {
    const raw = readStackFile(stackFilePath("prod")) as {
      "goquorum:network": Record<string, unknown>;
      "goquorum:clusters": { name: string }[];
    };
    // Beside the other Tessera member the plan refuses a Besu node until private transactions have stopped.
    raw["goquorum:network"] = { ...raw["goquorum:network"], privateTransactions: "stopped" };
    const { plan: before } = stack("prod");
    const member = before.clusters.flatMap((c) => c.nodes).find((n) => n.role === "member");
    assert.ok(member);
    raw["goquorum:clusters"] = raw["goquorum:clusters"].map((c) =>
      c.name === member.cluster ? { ...c, nodeClients: { [member.name]: "besu" } } : c,
    );
    const { config, plan } = planRawConfig(raw);
    assert.ok(config && plan);
    const report = verifyFlows(config, plan);
    assert.deepEqual(wrong(report.flows), []);
    // Only the closed checks stay (nothing may reach a Tessera port on it, and nothing does).
    const tessera = report.flows.filter(
      (f) => (f.from === member.name || f.to === member.name) && [9000, 9080].includes(f.port) && f.required,
    );
    assert.deepEqual(tessera, []);
    assert.ok(report.flows.some((f) => f.to === member.name && f.port === 30303 && f.required));
  });
});
