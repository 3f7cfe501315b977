/** The security group and NetworkPolicy evaluators, and the provider facts they judge with. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import {
  type ControllerService,
  controllerBackendRules,
  controllerFrontendRules,
  EKS_CLUSTER_SECURITY_GROUP,
  EKS_CLUSTER_SECURITY_GROUP_INGRESS,
  LBC_BACKEND_SECURITY_GROUP,
  type SecurityGroupRule,
  vpcCniSourceAddress,
} from "../infra/aws/behaviour";
import { cloudProviderAdmits } from "../infra/azure/behaviour";
import { evaluateNetworkPolicies, type PolicySource } from "../infra/verify/flows/networkPolicy";
import { evaluateSecurityGroup } from "../infra/verify/flows/securityGroups";

const peerRule: SecurityGroupRule = {
  name: "peer",
  source: { cidr: "10.65.0.0/16" },
  fromPort: 30303,
  toPort: 30303,
};

describe("security group evaluation", () => {
  const rules = [...EKS_CLUSTER_SECURITY_GROUP_INGRESS, peerRule];
  const cases: [string, Parameters<typeof evaluateSecurityGroup>[1], boolean, string][] = [
    ["a peer range on its port", { source: "10.65.3.4", sourceGroups: [], port: 30303 }, true, "peer"],
    ["a peer range one port off", { source: "10.65.3.4", sourceGroups: [], port: 30304 }, false, ""],
    ["just outside the peer range", { source: "10.66.0.1", sourceGroups: [], port: 30303 }, false, ""],
    [
      "any port from a member of the cluster group (EKS's default rule)",
      { source: "10.64.0.5", sourceGroups: [EKS_CLUSTER_SECURITY_GROUP], port: 10250 },
      true,
      "eks default",
    ],
    [
      "an address inside the VPC is not a member of the group",
      { source: "10.64.0.5", sourceGroups: [], port: 10250 },
      false,
      "",
    ],
  ];
  for (const [name, packet, admitted, rule] of cases) {
    it(name, () => {
      const verdict = evaluateSecurityGroup(rules, packet);
      assert.equal(verdict.admitted, admitted);
      if (admitted) assert.ok(verdict.rule.startsWith(rule), verdict.rule);
      else assert.match(verdict.rule, /no inbound rule admits/);
    });
  }

  it("adding a rule never admits less", () => {
    const port = fc.integer({ min: 1, max: 65535 });
    const rule = fc
      .record({ base: fc.nat(255), prefix: fc.constantFrom(8, 16, 24), from: port, span: fc.nat(100) })
      .map(
        ({ base, prefix, from, span }): SecurityGroupRule => ({
          name: `r${base}`,
          source: {
            cidr:
              prefix === 8 ? "10.0.0.0/8" : prefix === 16 ? `10.${base}.0.0/16` : `10.${base}.${base}.0/24`,
          },
          fromPort: from,
          toPort: Math.min(65535, from + span),
        }),
      );
    fc.assert(
      fc.property(fc.array(rule, { maxLength: 5 }), rule, fc.nat(255), port, (rules, extra, octet, p) => {
        const packet = { source: `10.${octet}.${octet}.9`, sourceGroups: [], port: p };
        const before = evaluateSecurityGroup(rules, packet).admitted;
        assert.ok(!before || evaluateSecurityGroup([...rules, extra], packet).admitted);
      }),
    );
  });
});

describe("the AWS Load Balancer Controller's security group rules", () => {
  const service = (over: Partial<ControllerService>): ControllerService => ({
    name: "svc",
    scheme: "internal",
    loadBalancerSourceRanges: [],
    ports: [30303, 9000],
    targetPorts: [30303, 9000],
    ...over,
  });
  it("the frontend admits the source ranges on the listener ports only", () => {
    const rules = controllerFrontendRules(
      service({ loadBalancerSourceRanges: ["10.65.0.0/16"] }),
      "10.64.0.0/16",
    );
    assert.equal(
      evaluateSecurityGroup(rules, { source: "10.65.1.1", sourceGroups: [], port: 9000 }).admitted,
      true,
    );
    assert.equal(
      evaluateSecurityGroup(rules, { source: "10.65.1.1", sourceGroups: [], port: 8545 }).admitted,
      false,
    );
    assert.equal(
      evaluateSecurityGroup(rules, { source: "10.64.1.1", sourceGroups: [], port: 9000 }).admitted,
      false,
    );
  });
  it("without source ranges: the VPC CIDR when internal, everyone when internet-facing", () => {
    const internal = controllerFrontendRules(service({}), "10.64.0.0/16");
    assert.deepEqual(
      [...new Set(internal.map((r) => ("cidr" in r.source ? r.source.cidr : "")))],
      ["10.64.0.0/16"],
    );
    const open = controllerFrontendRules(service({ scheme: "internet-facing" }), "10.64.0.0/16");
    assert.equal(
      evaluateSecurityGroup(open, { source: "198.51.100.1", sourceGroups: [], port: 30303 }).admitted,
      true,
    );
  });
  it("the backend rules admit the load balancer's group to the target ports, not the client's address", () => {
    const rules = controllerBackendRules(service({ targetPorts: [9090] }));
    assert.equal(
      evaluateSecurityGroup(rules, {
        source: "10.65.1.1",
        sourceGroups: [LBC_BACKEND_SECURITY_GROUP],
        port: 9090,
      }).admitted,
      true,
    );
    assert.equal(
      evaluateSecurityGroup(rules, { source: "10.65.1.1", sourceGroups: [], port: 9090 }).admitted,
      false,
    );
    assert.equal(
      evaluateSecurityGroup(rules, {
        source: "10.65.1.1",
        sourceGroups: [LBC_BACKEND_SECURITY_GROUP],
        port: 9091,
      }).admitted,
      false,
    );
  });
});

describe("provider facts", () => {
  it("the VPC CNI SNATs pod traffic leaving the VPC to the node, unless external SNAT", () => {
    const base = { podAddress: "10.64.0.5", nodeAddress: "10.64.0.4" };
    assert.equal(vpcCniSourceAddress({ ...base, env: {}, destinationInVpc: true }), "10.64.0.5");
    assert.equal(vpcCniSourceAddress({ ...base, env: {}, destinationInVpc: false }), "10.64.0.4");
    assert.equal(
      vpcCniSourceAddress({
        ...base,
        env: { AWS_VPC_K8S_CNI_EXTERNALSNAT: "true" },
        destinationInVpc: false,
      }),
      "10.64.0.5",
    );
  });
  it("AKS narrows a frontend to its source ranges, and to its ports", () => {
    const svc = { name: "svc", loadBalancerSourceRanges: ["203.0.113.0/24"], ports: [443] };
    assert.equal(cloudProviderAdmits(svc, 443, true).admitted, true);
    assert.equal(cloudProviderAdmits(svc, 443, false).admitted, false);
    assert.equal(cloudProviderAdmits(svc, 80, true).admitted, false);
    assert.equal(cloudProviderAdmits({ ...svc, loadBalancerSourceRanges: [] }, 443, false).admitted, true);
  });
});

describe("NetworkPolicy evaluation", () => {
  const policy = (name: string, spec: INetworkPolicy["spec"]): INetworkPolicy => ({
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name, namespace: "goquorum" },
    spec,
  });
  const denyAll = policy("default-deny", { podSelector: {}, policyTypes: ["Ingress"] });
  const allowRpc = policy("allow-rpc", {
    podSelector: { matchLabels: { role: "rpc" } },
    policyTypes: ["Ingress"],
    ingress: [
      {
        from: [
          { podSelector: {} },
          { ipBlock: { cidr: "10.200.0.0/16", except: ["10.200.9.0/24"] } },
          {
            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "envoy" } },
            podSelector: { matchLabels: { app: "envoy" } },
          },
        ],
        ports: [{ protocol: "TCP", port: 8545 }],
      },
    ],
  });
  const rpcPod = { namespace: "goquorum", labels: { role: "rpc" }, namedPorts: { "rpc-http": 8545 } };
  const pod = (namespace: string, labels: Record<string, string> = {}): PolicySource => ({
    kind: "pod",
    namespace,
    namespaceLabels: { "kubernetes.io/metadata.name": namespace },
    labels,
  });
  const cases: [string, INetworkPolicy[], PolicySource, number, boolean, string][] = [
    ["no policy selects the pod: open", [], pod("other"), 8545, true, "no NetworkPolicy selects the pod"],
    ["default deny alone: closed", [denyAll], pod("goquorum"), 8545, false, "default-deny: no policy"],
    ["a pod of the same namespace", [denyAll, allowRpc], pod("goquorum"), 8545, true, "allow-rpc"],
    ["the same pod, another port", [denyAll, allowRpc], pod("goquorum"), 8546, false, "default-deny"],
    ["a pod of another namespace", [denyAll, allowRpc], pod("other"), 8545, false, "default-deny"],
    [
      "the envoy pod of the envoy namespace",
      [denyAll, allowRpc],
      pod("envoy", { app: "envoy" }),
      8545,
      true,
      "allow-rpc",
    ],
    [
      "another pod of the envoy namespace",
      [denyAll, allowRpc],
      pod("envoy", { app: "other" }),
      8545,
      false,
      "default-deny",
    ],
    [
      "an address in the ipBlock",
      [denyAll, allowRpc],
      { kind: "address", address: "10.200.1.1" },
      8545,
      true,
      "allow-rpc",
    ],
    [
      "an address in the ipBlock's except",
      [denyAll, allowRpc],
      { kind: "address", address: "10.200.9.1" },
      8545,
      false,
      "default-deny",
    ],
    [
      "the pod's own node, even isolated",
      [denyAll],
      { kind: "node" },
      9101,
      true,
      "traffic from the pod's own node",
    ],
  ];
  for (const [name, policies, source, port, admitted, rule] of cases) {
    it(name, () => {
      const verdict = evaluateNetworkPolicies(policies, rpcPod, port, source);
      assert.equal(verdict.admitted, admitted);
      assert.ok(verdict.rule.startsWith(rule), verdict.rule);
    });
  }
  it("a named port in a policy resolves to the pod's container port", () => {
    const named = policy("allow-named", { podSelector: {}, ingress: [{ ports: [{ port: "rpc-http" }] }] });
    assert.equal(evaluateNetworkPolicies([named], rpcPod, 8545, pod("other")).admitted, true);
    assert.equal(evaluateNetworkPolicies([named], rpcPod, 8546, pod("other")).admitted, false);
  });
});
