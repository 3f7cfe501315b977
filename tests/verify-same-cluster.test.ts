/**
 * Two Tessera members in one cluster dial each other at the load balancer address each advertises
 * (`tesseraPeerUrls`). The flow verifier follows that path through the layers it meets in each cloud: the
 * NLB's frontend security group on AWS (its status holds only a DNS name), the service proxy on Azure (the
 * frontend's address is in the status), then the NetworkPolicy with the client pod as source.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ConfigIssue } from "../infra/config/issue";
import { readStackFile, stackFilePath } from "../infra/config/load";
import type { StackConfig } from "../infra/config/schema";
import { planNetwork } from "../infra/plan";
import type { NetworkPlan } from "../infra/plan/types";
import { peerRanges } from "../infra/quorum/peers";
import { planRawConfig } from "../infra/stackPlan";
import { type Flow, networkModel, verifyModel } from "../infra/verify/flows";
import type { NetworkModel } from "../infra/verify/flows/model";

type RawCluster = { name: string; nodes: Record<string, number>; cni?: { mode: string } };

/**
 * prod with two members in `cluster` (and Azure's CNI mode set to `cni`, when given): its config, its plan
 * before the verifiers, and the issues of the whole check (`npm run plan`).
 */
function prodWithTwoMembers(
  cluster: string,
  cni?: string,
): { config: StackConfig; plan: NetworkPlan; issues: readonly ConfigIssue[] } {
  const raw = structuredClone(readStackFile(stackFilePath("prod"))) as Record<string, unknown>;
  const clusters = raw["goquorum:clusters"] as RawCluster[];
  const target = clusters.find((c) => c.name === cluster);
  assert.ok(target, cluster);
  target.nodes = { ...target.nodes, members: 2 };
  if (cni) target.cni = { mode: cni };
  const { config, issues } = planRawConfig(raw);
  assert.ok(config, cluster);
  const { plan } = planNetwork(config);
  assert.ok(plan, `${cluster} with two members plans`);
  return { config, plan, issues };
}

/** The model with every node load balancer restricted to the peer ranges alone, as before the fix. */
function withPeerRangesOnly(model: NetworkModel): NetworkModel {
  const clusters = new Map(
    [...model.clusters].map(([name, cluster]) => {
      const sourceRanges = peerRanges(cluster.plan, model.plan);
      const nodes = cluster.nodes.map((n) =>
        n.loadBalancer ? { ...n, loadBalancer: { ...n.loadBalancer, sourceRanges } } : n,
      );
      return [name, { ...cluster, nodes }] as const;
    }),
  );
  return { ...model, clusters };
}

const find = (flows: readonly Flow[], from: string, to: string, port: number) => {
  const flow = flows.find((f) => f.from === from && f.to === to && f.port === port);
  assert.ok(flow, `${from} -> ${to} ${port}`);
  return flow;
};
const decided = (f: Flow) => [f.verdict, f.layer, f.rule];

describe("same-cluster members through their load balancers, with the peer ranges alone", () => {
  it("AWS: the NLB's frontend security group drops the other member's pod address", () => {
    const { config, plan } = prodWithTwoMembers("aws-euw1");
    const report = verifyModel(withPeerRangesOnly(networkModel(config, plan)));
    for (const [from, to] of [
      ["aws-euw1-member-0", "aws-euw1-member-1"],
      ["aws-euw1-member-1", "aws-euw1-member-0"],
    ] as const) {
      const flow = find(report.flows, from, to, 9000);
      assert.equal(flow.verdict, "denied");
      assert.equal(flow.layer, "load-balancer");
      assert.match(flow.rule ?? "", /frontend: no inbound rule admits 10\.64\.\d+\.5 to 9000/);
    }
    assert.ok(
      report.issues.some(
        (i) => i.severity === "error" && /aws-euw1-member-\d → aws-euw1-member-\d tcp\/9000/.test(i.message),
      ),
    );
    // devp2p between them stays on the ClusterIP Service: no load balancer in the way.
    assert.deepEqual(decided(find(report.flows, "aws-euw1-member-0", "aws-euw1-member-1", 30303)), [
      "admitted",
      "network-policy",
      "allow-p2p",
    ]);
  });

  it("Azure with kube-proxy (node-subnet): the firewall chain drops the other member's pod address", () => {
    const { config, plan } = prodWithTwoMembers("az-weu", "node-subnet");
    const report = verifyModel(withPeerRangesOnly(networkModel(config, plan)));
    const flow = find(report.flows, "az-weu-member-0", "az-weu-member-1", 9000);
    assert.deepEqual(decided(flow), [
      "denied",
      "service-proxy",
      "az-weu-member-1-p2p: KUBE-PROXY-FIREWALL drops sources outside loadBalancerSourceRanges",
    ]);
  });

  it("Azure with Cilium (pod-subnet): in-cluster clients bypass the source ranges; the policy admits the pod", () => {
    const { config, plan } = prodWithTwoMembers("az-weu");
    const report = verifyModel(withPeerRangesOnly(networkModel(config, plan)));
    assert.deepEqual(decided(find(report.flows, "az-weu-member-0", "az-weu-member-1", 9000)), [
      "admitted",
      "network-policy",
      "allow-tessera-p2p",
    ]);
    assert.deepEqual(report.issues, []);
  });
});

describe("the load balancers admit their cluster's other members", () => {
  const sourceRanges = (model: NetworkModel, cluster: string) =>
    Object.fromEntries(
      (model.clusters.get(cluster)?.nodes ?? []).flatMap((n) =>
        n.loadBalancer ? [[n.node.name, n.loadBalancer.sourceRanges]] : [],
      ),
    );
  const peersOfEuw1 = ["10.65.0.0/16", "10.66.0.0/16", "100.104.0.0/16"];

  it("AWS: each member's NLB admits the node subnet of the other member's zone; other nodes' the peers alone", () => {
    const { config, plan, issues } = prodWithTwoMembers("aws-euw1");
    const model = networkModel(config, plan);
    assert.deepEqual(peerRanges(model.clusters.get("aws-euw1")?.plan ?? plan.clusters[0], plan), peersOfEuw1);
    const members = plan.clusters[0]?.nodes.filter((n) => n.role === "member").map((n) => [n.name, n.zone]);
    assert.deepEqual(members, [
      ["aws-euw1-member-0", "eu-west-1c"],
      ["aws-euw1-member-1", "eu-west-1a"],
    ]);
    assert.deepEqual(sourceRanges(model, "aws-euw1"), {
      "aws-euw1-validator-0": peersOfEuw1,
      "aws-euw1-validator-1": peersOfEuw1,
      "aws-euw1-rpc-0": peersOfEuw1,
      "aws-euw1-member-0": [...peersOfEuw1, "10.64.0.0/18"],
      "aws-euw1-member-1": [...peersOfEuw1, "10.64.128.0/18"],
    });
    assert.deepEqual(
      issues.filter((i) => i.severity === "error"),
      [],
    );
    const { flows, issues: flowIssues } = verifyModel(model);
    assert.deepEqual(flowIssues, []);
    for (const [from, to] of [
      ["aws-euw1-member-0", "aws-euw1-member-1"],
      ["aws-euw1-member-1", "aws-euw1-member-0"],
    ] as const) {
      assert.deepEqual(decided(find(flows, from, to, 9000)), [
        "admitted",
        "network-policy",
        "allow-tessera-p2p",
      ]);
    }
    // Another namespace's pod (a stand-in in eu-west-1a's node subnet) is outside member-1's frontend ranges;
    // member-0's frontend admits eu-west-1a, where the policy keeps it out.
    assert.deepEqual(
      decided(find(flows, "aws-euw1/other-namespace", "aws-euw1-member-1 load balancer", 9000)),
      ["denied", "load-balancer", "aws-euw1-member-1-p2p frontend: no inbound rule admits 10.64.0.5 to 9000"],
    );
    assert.deepEqual(
      decided(find(flows, "aws-euw1/other-namespace", "aws-euw1-member-0 load balancer", 9000)),
      ["denied", "network-policy", "default-deny-ingress: no policy selecting the pod admits it"],
    );
  });

  it("Azure with kube-proxy: the firewall chain admits the node subnet, the policy the member pod", () => {
    const { config, plan, issues } = prodWithTwoMembers("az-weu", "node-subnet");
    const model = networkModel(config, plan);
    const ranges = sourceRanges(model, "az-weu");
    assert.deepEqual(ranges["az-weu-member-0"], ["10.64.0.0/16", "10.65.0.0/16", "10.66.0.0/17"]);
    assert.deepEqual(ranges["az-weu-member-1"], ranges["az-weu-member-0"]);
    assert.deepEqual(ranges["az-weu-validator-0"], ["10.64.0.0/16", "10.65.0.0/16"]);
    assert.deepEqual(
      issues.filter((i) => i.severity === "error"),
      [],
    );
    const { flows } = verifyModel(model);
    assert.deepEqual(decided(find(flows, "az-weu-member-0", "az-weu-member-1", 9000)), [
      "admitted",
      "network-policy",
      "allow-tessera-p2p",
    ]);
    // The stand-in for another namespace's pod lives in the node subnet too: the policy keeps it out.
    assert.deepEqual(decided(find(flows, "az-weu/other-namespace", "az-weu-member-1 load balancer", 9000)), [
      "denied",
      "network-policy",
      "default-deny-ingress: no policy selecting the pod admits it",
    ]);
  });

  it("a single-cluster network: the members' load balancers admit each other's zones and nothing else", () => {
    const raw = structuredClone(readStackFile(stackFilePath("dev-aws"))) as Record<string, unknown>;
    const [euw1] = raw["goquorum:clusters"] as RawCluster[];
    assert.ok(euw1);
    euw1.nodes = { ...euw1.nodes, members: 2 };
    const { config, issues } = planRawConfig(raw);
    assert.ok(config);
    assert.deepEqual(
      issues.filter((i) => i.severity === "error"),
      [],
    );
    const { plan } = planNetwork(config);
    assert.ok(plan);
    const ranges = sourceRanges(networkModel(config, plan), "euw1");
    assert.deepEqual(ranges["euw1-member-0"], ["10.121.0.0/18"]);
    assert.deepEqual(ranges["euw1-member-1"], ["10.121.128.0/18"]);
    // No peers and no second member: the field stays unset (the controller's default, the VPC range).
    assert.deepEqual(ranges["euw1-validator-0"], []);
  });
});

describe("an NLB with client IP preservation and two members that may share a node", () => {
  function prodWithMembers(members: number) {
    const raw = structuredClone(readStackFile(stackFilePath("prod"))) as Record<string, unknown>;
    const euw1 = (raw["goquorum:clusters"] as RawCluster[]).find((c) => c.name === "aws-euw1");
    assert.ok(euw1);
    euw1.nodes = { ...euw1.nodes, members };
    const { config } = planRawConfig(raw);
    assert.ok(config);
    const { plan } = planNetwork(config);
    assert.ok(plan);
    return networkModel(config, plan);
  }
  const hairpins = (model: NetworkModel) =>
    verifyModel(model).issues.filter((i) => i.message.includes("client IP preservation"));

  it("warns of the pair pinned to one zone (4 members in 3 zones), and only of it", () => {
    const model = prodWithMembers(4);
    const euw1 = model.clusters.get("aws-euw1");
    assert.ok(euw1);
    const zones = euw1.nodes.filter((n) => n.node.role === "member").map((n) => n.node.zone);
    assert.deepEqual(zones, ["eu-west-1c", "eu-west-1a", "eu-west-1b", "eu-west-1c"]);
    const warnings = hairpins(model);
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0]?.severity, "warning");
    assert.equal(warnings[0]?.path, "clusters[0]");
    assert.match(warnings[0]?.message ?? "", /aws-euw1-member-0 and aws-euw1-member-3 may run on one node/);
    // The flow itself still passes every firewall layer.
    assert.equal(
      find(verifyModel(model).flows, "aws-euw1-member-0", "aws-euw1-member-3", 9000).verdict,
      "admitted",
    );
  });

  it("is quiet for members in different zones, or kept apart by a required anti-affinity", () => {
    assert.deepEqual(hairpins(prodWithMembers(2)), []);
    const model = prodWithMembers(4);
    const euw1 = model.clusters.get("aws-euw1");
    assert.ok(euw1);
    const apart = { matchLabels: { "app.kubernetes.io/component": "member" } };
    const member = euw1.nodes.find((n) => n.node.role === "member");
    assert.ok(member && Object.entries(apart.matchLabels).every(([k, v]) => member.pod.labels[k] === v));
    const nodes = euw1.nodes.map((n) =>
      n.node.role === "member" ? { ...n, separateNodesFrom: [apart] } : n,
    );
    assert.deepEqual(
      hairpins({ ...model, clusters: new Map([...model.clusters, ["aws-euw1", { ...euw1, nodes }]]) }),
      [],
    );
  });
});
