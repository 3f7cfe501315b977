/**
 * The flow verifier proves each declared deployer path (`clusters[].apiAccess`) end to end, from the values
 * the components register, and keeps the API servers and the nodes closed to everyone else. Each broken
 * value (the cluster security group's 443 rule, a side of the peering, the private DNS zone's link, a
 * public filter, the fence of an AKS private endpoint) is named by layer and rule.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { privateEndpointFence } from "../infra/azure/apiAccess";
import { azureSubnets, nsgRules } from "../infra/azure/network";
import { readStackFile, stackFilePath } from "../infra/config/load";
import type { StackConfig } from "../infra/config/schema";
import type { NetworkPlan } from "../infra/plan/types";
import { planRawConfig } from "../infra/stackPlan";
import { type Flow, networkModel, verifyModel } from "../infra/verify/flows";
import type { ClusterModel, NetworkModel } from "../infra/verify/flows/model";

type Raw = { [key: string]: unknown };

function planned(edit?: (raw: Raw) => void): { config: StackConfig; plan: NetworkPlan } {
  const raw = readStackFile(stackFilePath("prod")) as Raw;
  edit?.(raw);
  const { config, plan } = planRawConfig(raw);
  assert.ok(config && plan);
  return { config, plan };
}

const clustersOf = (raw: Raw) => raw["goquorum:clusters"] as { name: string; apiAccess: unknown }[];
const connectivityOf = (raw: Raw) =>
  (raw["goquorum:network"] as { connectivity: { managementNetworks: unknown[] } }).connectivity;

/** prod with az-weu a private cluster reached from an Azure management VNet. */
const AZURE_MGMT = {
  name: "ops",
  provider: "azure",
  virtualNetworkId:
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/ops-rg/providers/Microsoft.Network/virtualNetworks/ops",
  cidr: "10.251.0.0/24",
};
const privateAzure = (raw: Raw) => {
  connectivityOf(raw).managementNetworks.push(AZURE_MGMT);
  const az = clustersOf(raw).find((c) => c.name === "az-weu");
  assert.ok(az);
  az.apiAccess = { privateRanges: ["10.251.0.0/24"] };
};

function withCluster(model: NetworkModel, name: string, patch: Partial<ClusterModel>): NetworkModel {
  const cluster = model.clusters.get(name);
  assert.ok(cluster, name);
  return { ...model, clusters: new Map([...model.clusters, [name, { ...cluster, ...patch }]]) };
}

const find = (flows: readonly Flow[], from: string, to: string, port = 443) => {
  const flow = flows.find((f) => f.from === from && f.to === to && f.port === port);
  assert.ok(flow, `${from} -> ${to} ${port}`);
  return flow;
};
const decided = (f: Flow) => [f.verdict, f.layer, f.rule];

describe("prod: runners in the management VPC reach each EKS private endpoint, and only they", () => {
  const { config, plan } = planned();
  const model = networkModel(config, plan);
  const report = verifyModel(model);

  it("the needed flow crosses DNS, the management egress, both route tables and the cluster security group", () => {
    for (const cluster of ["aws-euw1", "aws-use1"]) {
      const flow = find(report.flows, "10.250.0.0/24", `${cluster}/api-server (private)`);
      assert.deepEqual(decided(flow), ["admitted", "security-group", "deployers api-10-250-0-0-24"]);
    }
    assert.deepEqual(report.issues, []);
  });

  it("without the 443 rule on the cluster security group the path is refused, naming the range's key", () => {
    const broken = withCluster(model, "aws-euw1", {
      securityGroupRules: model.clusters
        .get("aws-euw1")
        ?.securityGroupRules?.filter((r) => !r.name.startsWith("deployers")),
    });
    const { flows, issues } = verifyModel(broken);
    const flow = find(flows, "10.250.0.0/24", "aws-euw1/api-server (private)");
    assert.deepEqual(decided(flow), ["denied", "security-group", "no inbound rule admits 10.250.0.1 to 443"]);
    const issue = issues.find((i) => i.path === "clusters[0].apiAccess.privateRanges[0]");
    assert.ok(issue && issue.severity === "error", JSON.stringify(issues));
  });

  it("without the route in the management route tables, or the route back in the cluster's, the path is refused", () => {
    const mgmt = model.management.get("mgmt");
    assert.ok(mgmt);
    const noForward: NetworkModel = {
      ...model,
      management: new Map([
        ["mgmt", { ...mgmt, routes: mgmt.routes.filter((r) => !r.via.includes("aws-use1")) }],
      ]),
    };
    assert.deepEqual(
      decided(find(verifyModel(noForward).flows, "10.250.0.0/24", "aws-use1/api-server (private)")),
      ["denied", "route", "management network mgmt has no route to 10.65.0.6"],
    );
    const use1 = model.clusters.get("aws-use1");
    assert.ok(use1);
    const noBack = withCluster(model, "aws-use1", {
      routes: use1.routes.filter((r) => r.prefix !== "10.250.0.0/24"),
    });
    const back = find(verifyModel(noBack).flows, "10.250.0.0/24", "aws-use1/api-server (private)");
    assert.deepEqual(decided(back), ["denied", "route", "aws-use1 has no route back to 10.250.0.1"]);
  });

  it("the Internet, the other clusters' pods and the management network's other ports stay closed", () => {
    const closed = report.flows.filter(
      (f) => !f.required && (f.to.includes("api-server") || f.from.startsWith("management:")),
    );
    assert.ok(closed.length > 20);
    assert.ok(closed.every((f) => f.verdict === "denied"));
    assert.deepEqual(decided(find(report.flows, "internet", "aws-euw1/api-server (public)")), [
      "denied",
      "api-endpoint",
      "no public endpoint",
    ]);
    assert.deepEqual(
      decided(find(report.flows, "aws-use1/other-namespace", "aws-euw1/api-server (private)")),
      ["denied", "security-group", "no inbound rule admits 10.65.0.4 to 443"],
    );
    // The 443 rule sits on the cluster security group, on every node: no other port of theirs opens.
    const kubelet = find(report.flows, "management:mgmt", "aws-euw1/node", 10250);
    assert.deepEqual(decided(kubelet), [
      "denied",
      "security-group",
      "no inbound rule admits 10.250.0.1 to 10250",
    ]);
    // A security group that admitted the management range everywhere would be caught.
    const euw1 = model.clusters.get("aws-euw1");
    const open = withCluster(model, "aws-euw1", {
      securityGroupRules: [
        ...(euw1?.securityGroupRules ?? []),
        { name: "too wide", source: { cidr: "10.250.0.0/24" }, fromPort: 0, toPort: 65535 },
      ],
    });
    const issues = verifyModel(open).issues.filter(
      (i) => i.path === "network.connectivity.managementNetworks[0]",
    );
    assert.equal(issues.length, 1);
    assert.match(
      issues[0]?.message ?? "",
      /closed flow management:mgmt → .* is admitted by security-group rule "too wide"/,
    );
  });

  it("the public AKS API server admits its authorized range and no other Internet address", () => {
    assert.deepEqual(decided(find(report.flows, "198.51.100.10/32", "az-weu/api-server (public)")), [
      "admitted",
      "api-endpoint",
      "AKS authorizedIPRanges: 198.51.100.10/32",
    ]);
    assert.deepEqual(decided(find(report.flows, "internet", "az-weu/api-server (public)")), [
      "denied",
      "api-endpoint",
      "AKS authorizedIPRanges admit no range holding 198.51.100.200",
    ]);
    const az = model.clusters.get("az-weu");
    assert.ok(az?.apiServer);
    const open = withCluster(model, "az-weu", {
      apiServer: {
        ...az.apiServer,
        publicEndpoint: { admits: ["0.0.0.0/1", "128.0.0.0/1"], filter: "too wide" },
      },
    });
    assert.ok(
      verifyModel(open).issues.some(
        (i) => i.path === "clusters[2].apiAccess" && /closed flow internet/.test(i.message),
      ),
    );
  });
});

describe("EKS with both endpoints: the name resolves to the public one outside the VPC", () => {
  it("a private range's path is refused at DNS, and the plan with it", () => {
    const raw = readStackFile(stackFilePath("prod")) as Raw;
    const euw1 = clustersOf(raw).find((c) => c.name === "aws-euw1");
    assert.ok(euw1);
    euw1.apiAccess = { publicRanges: ["81.2.69.160/32"], privateRanges: ["10.250.0.0/24"] };
    const { flows = [], issues, plan } = planRawConfig(raw);
    assert.equal(plan, undefined, "refused");
    const flow = find(flows, "10.250.0.0/24", "aws-euw1/api-server (private)");
    assert.equal(flow.verdict, "denied");
    assert.equal(flow.layer, "dns");
    assert.match(flow.rule ?? "", /resolves to it outside the cluster VPC/);
    assert.ok(
      issues.some((i) => i.path === "clusters[0].apiAccess.privateRanges[0]" && i.severity === "error"),
    );
    assert.equal(find(flows, "81.2.69.160/32", "aws-euw1/api-server (public)").verdict, "admitted");
  });
});

describe("AKS private cluster reached from a management VNet", () => {
  const { config, plan } = planned(privateAzure);
  const model = networkModel(config, plan);
  const report = verifyModel(model);

  it("the runners resolve the name through the linked zone and pass the node subnet's NSG on 443", () => {
    assert.deepEqual(report.issues, []);
    assert.deepEqual(decided(find(report.flows, "10.251.0.0/24", "az-weu/api-server (private)")), [
      "admitted",
      "nsg",
      "allow-deployers-api-server",
    ]);
  });

  it("the peer clusters' pods meet the fence: the node subnet's NSG filters the private endpoint", () => {
    const az = model.clusters.get("az-weu");
    assert.ok(az?.apiServer?.nsgFiltersPrivateEndpoint);
    for (const peer of ["aws-euw1", "aws-use1"]) {
      assert.deepEqual(
        decided(find(report.flows, `${peer}/other-namespace`, "az-weu/api-server (private)")),
        ["denied", "nsg", "deny-peers-inbound"],
      );
    }
    // Without the fence (network policies off, Azure's default) every peer reaches the endpoint.
    const unfenced = withCluster(model, "az-weu", {
      apiServer: { ...az.apiServer, nsgFiltersPrivateEndpoint: false },
    });
    const flow = find(verifyModel(unfenced).flows, "aws-euw1/other-namespace", "az-weu/api-server (private)");
    assert.deepEqual(flow.verdict, "admitted");
    assert.match(flow.rule ?? "", /its subnet's NSG does not apply/);
  });

  it("registers the fence: NSG network policies on the node subnet only, 443 from the deployers to it", () => {
    const az = plan.clusters.find((c) => c.name === "az-weu");
    const azConfig = config.clusters.find((c) => c.name === "az-weu");
    assert.ok(az && azConfig?.provider === "azure");
    const fence = privateEndpointFence(azConfig, plan.deployerPaths);
    assert.deepEqual(fence?.deployers, ["10.251.0.0/24"]);
    const policies = azureSubnets(az, fence).map((s) => [s.purpose, s.privateEndpointNetworkPolicies]);
    assert.deepEqual(
      policies.filter(([, p]) => p !== undefined),
      [["private", "NetworkSecurityGroupEnabled"]],
    );
    const rule = nsgRules(az, plan, [], ["10.251.0.0/24"], fence).find(
      (r) => r.name === "allow-deployers-api-server",
    );
    assert.deepEqual(
      [rule?.priority, rule?.access, rule?.sourceAddressPrefixes, rule?.destinationPortRange],
      [108, "Allow", ["10.251.0.0/24"], "443"],
    );
    // A public API server has no fence.
    assert.equal(
      privateEndpointFence(
        { ...azConfig, apiAccess: { publicRanges: ["81.2.69.160/32"], privateRanges: [] } },
        [],
      ),
      undefined,
    );
  });

  it("an unlinked zone leaves the runners without a name to reach", () => {
    const az = model.clusters.get("az-weu");
    assert.ok(az?.apiServer);
    const unlinked = withCluster(model, "az-weu", {
      apiServer: { ...az.apiServer, resolve: () => ({ endpoint: "none", why: "not linked" }) },
    });
    const flow = find(verifyModel(unlinked).flows, "10.251.0.0/24", "az-weu/api-server (private)");
    assert.deepEqual(decided(flow), ["denied", "dns", "not linked: not the private endpoint"]);
  });
});

describe("runners behind a site's VPN, on both clouds", () => {
  it("reach the private endpoints over the site's BGP routes; the rest of the site stays out", () => {
    const raw = readStackFile(stackFilePath("prod")) as Raw;
    Object.assign(connectivityOf(raw), {
      sites: [
        { name: "dc1", publicIp: "192.0.2.10", asn: 65300, ranges: ["192.168.0.0/20"], terminatesIn: "aws" },
        {
          name: "dc2",
          publicIp: "192.0.2.20",
          asn: 65400,
          ranges: ["192.168.16.0/20"],
          terminatesIn: "azure",
          bgpPeerAddress: "192.168.16.1",
        },
      ],
    });
    const [euw1, , az] = clustersOf(raw);
    assert.ok(euw1 && az);
    euw1.apiAccess = { privateRanges: ["10.250.0.0/24", "192.168.0.0/24"] };
    az.apiAccess = { privateRanges: ["192.168.16.0/24"] };
    const { plan, flows = [], issues } = planRawConfig(raw);
    assert.ok(plan, JSON.stringify(issues, null, 2));
    assert.deepEqual(decided(find(flows, "192.168.0.0/24", "aws-euw1/api-server (private)")), [
      "admitted",
      "security-group",
      "deployers api-192-168-0-0-24",
    ]);
    assert.deepEqual(decided(find(flows, "192.168.16.0/24", "az-weu/api-server (private)")), [
      "admitted",
      "nsg",
      "allow-deployers-api-server",
    ]);
    // dc1's other addresses, and dc1 to the cluster that does not list it.
    for (const to of ["aws-euw1", "aws-use1"]) {
      assert.deepEqual(decided(find(flows, "site:dc1", `${to}/api-server (private)`)).slice(0, 2), [
        "denied",
        "security-group",
      ]);
    }
    assert.deepEqual(decided(find(flows, "site:dc2", "az-weu/api-server (private)")), [
      "denied",
      "nsg",
      "deny-peers-inbound",
    ]);
  });
});
