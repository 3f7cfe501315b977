/**
 * The site-to-site VPN of the prod stack under the mock runtime: both ends of every tunnel agree on outside
 * addresses, ASNs, inside addresses and IKE/IPsec parameters; AWS propagates the learned routes into every
 * route table; the pre-shared keys are secrets, each site's handed over in an output of its own; only the two
 * p2p ports open across clouds.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { awsTunnelOptions } from "../infra/aws/vpn";
import { AZURE_CONNECTION_PROTOCOL, azureIpsecPolicy } from "../infra/azure/vpn";
import { readStackFile, stackFilePath } from "../infra/config/load";
import {
  type RenderedResource,
  type RenderResult,
  renderProgram,
  renderStack,
  SECRET_PLACEHOLDER,
} from "../infra/offline/render";
import { vpnMocks } from "../infra/offline/state/vpn";
import { addressAt, cidr } from "../infra/plan/cidr";
import { IPSEC } from "../infra/plan/ipsec";
import type { SiteOutput } from "../infra/plan/siteOutputs";
import type { NetworkPlan } from "../infra/plan/types";
import { program } from "../infra/program";
import type { JoinDocument } from "../infra/quorum/join";
import { DC1, DC2 } from "./fixtures/sites";

type Inputs = Record<string, unknown>;
const inputs = (r: RenderedResource) => r.inputs as Inputs;
const ofType = (r: RenderResult, type: string) => r.resources.filter((x) => x.type === type);
/** What the mock cloud assigns a resource: its computed outputs, from its name and inputs. */
const assigned = (type: string, resource: RenderedResource) =>
  vpnMocks.resources[type]({ stack: "prod", name: resource.name, inputs: inputs(resource) });

describe("the prod VPN between AWS and Azure", () => {
  let result: RenderResult;
  let plan: NetworkPlan;
  let byName: Map<string, RenderedResource>;
  before(async () => {
    result = await renderStack("prod", program);
    plan = result.outputs.plan as NetworkPlan;
    byName = new Map(result.resources.map((r) => [`${r.type}::${r.name}`, r]));
  });
  const get = (type: string, name: string) => {
    const r = byName.get(`${type}::${name}`);
    assert.ok(r, `${type} ${name}`);
    return r;
  };

  it("gives each AWS VPC a virtual private gateway with the AWS ASN, propagating into every route table", () => {
    for (const cluster of ["aws-euw1", "aws-use1"]) {
      const vgw = get("aws:ec2/vpnGateway:VpnGateway", `${cluster}-vgw`);
      assert.equal(inputs(vgw).amazonSideAsn, "64512");
      assert.equal(vgw.provider, `aws-${plan.clusters.find((c) => c.name === cluster)?.region}`);
      const tables = ofType(result, "aws:ec2/routeTable:RouteTable")
        .filter((t) => t.name.startsWith(`${cluster}-rt-`))
        .map((t) => `${t.name}-id`);
      const propagated = ofType(result, "aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation")
        .map(inputs)
        .filter((p) => p.vpnGatewayId === `${cluster}-vgw-id`)
        .map((p) => p.routeTableId);
      assert.equal(tables.length, 4);
      assert.deepEqual([...propagated].sort(), [...tables].sort());
    }
  });

  it("runs an active-active, zone-redundant, route-based BGP gateway in the GatewaySubnet with two Standard IPs", () => {
    const gateway = inputs(get("azure-native:network:VirtualNetworkGateway", "az-weu-vpngw"));
    assert.equal(gateway.gatewayType, "Vpn");
    assert.equal(gateway.vpnType, "RouteBased");
    assert.equal(gateway.activeActive, true);
    assert.equal(gateway.enableBgp, true);
    assert.deepEqual(gateway.sku, { name: "VpnGw2AZ", tier: "VpnGw2AZ" });
    // VpnGw2AZ is offered in both generations: the faster Generation2.
    assert.equal(gateway.vpnGatewayGeneration, "Generation2");
    const configs = gateway.ipConfigurations as Inputs[];
    assert.equal(configs.length, 2);
    for (const [i, config] of configs.entries()) {
      assert.equal(config.name, `ipconfig${i}`);
      assert.match(
        String((config.subnet as Inputs).id),
        /\/virtualNetworks\/az-weu-vnet\/subnets\/GatewaySubnet$/,
      );
      assert.match(
        String((config.publicIPAddress as Inputs).id),
        new RegExp(`/publicIPAddresses/az-weu-vpngw-ip${i}$`),
      );
      const ip = inputs(get("azure-native:network:PublicIPAddress", `az-weu-vpngw-ip${i}`));
      assert.deepEqual(ip.sku, { name: "Standard", tier: "Regional" });
      assert.equal(ip.publicIPAllocationMethod, "Static");
      assert.deepEqual(ip.zones, ["1", "2", "3"]);
    }
    const subnet = ofType(result, "azure-native:network:Subnet").find(
      (s) => inputs(s).subnetName === "GatewaySubnet",
    );
    assert.ok(subnet);
    assert.equal(inputs(subnet).networkSecurityGroup, undefined);
    assert.equal(inputs(subnet).addressPrefix, "10.66.129.0/24");
  });

  it("matches both ends of every tunnel: outside addresses, ASNs, inside addresses, IKE/IPsec", () => {
    const vpn = plan.connectivity.vpn;
    assert.ok(vpn);
    const gatewayPlan = vpn.azureGateways[0];
    const gateway = inputs(get("azure-native:network:VirtualNetworkGateway", "az-weu-vpngw"));
    const bgp = gateway.bgpSettings as { asn: number; bgpPeeringAddresses: Inputs[] };
    assert.equal(bgp.asn, 65010);
    for (const connection of vpn.awsConnections) {
      assert.ok("instance" in connection.customerGateway);
      const instance = connection.customerGateway.instance;
      // AWS: the customer gateway is the Azure gateway's public IP of that instance, with the Azure ASN.
      const ip = get("azure-native:network:PublicIPAddress", `az-weu-vpngw-ip${instance}`);
      const region = plan.clusters.find((c) => c.name === connection.awsCluster)?.region;
      const cgwName = `${region}-az-weu-${instance}-cgw`;
      const cgw = inputs(get("aws:ec2/customerGateway:CustomerGateway", cgwName));
      assert.equal(cgw.ipAddress, assigned("azure-native:network:PublicIPAddress", ip).ipAddress);
      assert.equal(cgw.bgpAsn, "65010");
      const vpnConnection = get("aws:ec2/vpnConnection:VpnConnection", `${connection.name}-vpn`);
      const aws = inputs(vpnConnection);
      assert.equal(aws.customerGatewayId, `${cgwName}-id`);
      assert.equal(aws.vpnGatewayId, `${connection.awsCluster}-vgw-id`);
      assert.equal(aws.staticRoutesOnly, false);
      const outside = assigned("aws:ec2/vpnConnection:VpnConnection", vpnConnection);
      connection.tunnels.forEach((tunnel, k) => {
        const n = (k + 1) as 1 | 2;
        for (const [key, value] of Object.entries(awsTunnelOptions(n, tunnel)))
          assert.deepEqual(aws[key], value, key);
        assert.equal(aws[`tunnel${n}PresharedKey`], SECRET_PLACEHOLDER);
        // Azure: a local network gateway at the AWS tunnel's outside address, peering with AWS's inside address.
        const lng = inputs(get("azure-native:network:LocalNetworkGateway", `${tunnel.name}-lng`));
        assert.equal(lng.gatewayIpAddress, outside[`tunnel${n}Address`]);
        assert.deepEqual(lng.bgpSettings, {
          asn: 64512,
          bgpPeeringAddress: addressAt(cidr(tunnel.insideCidr), 1),
        });
        assert.equal(outside[`tunnel${n}VgwInsideAddress`], addressAt(cidr(tunnel.insideCidr), 1));
        const azureEnd = addressAt(cidr(tunnel.insideCidr), 2);
        assert.equal(outside[`tunnel${n}CgwInsideAddress`], azureEnd);
        assert.ok((bgp.bgpPeeringAddresses[instance].customBgpIpAddresses as string[]).includes(azureEnd));
        const conn = inputs(
          get("azure-native:network:VirtualNetworkGatewayConnection", `${tunnel.name}-connection`),
        );
        assert.equal(conn.connectionType, "IPsec");
        assert.equal(conn.connectionProtocol, AZURE_CONNECTION_PROTOCOL);
        assert.equal(conn.enableBgp, true);
        assert.equal(conn.sharedKey, SECRET_PLACEHOLDER);
        assert.deepEqual(conn.ipsecPolicies, [azureIpsecPolicy()]);
        const custom = conn.gatewayCustomBgpIpAddresses as Inputs[];
        assert.equal(custom[instance].customBgpIpAddress, azureEnd);
        assert.match(
          String(custom[instance].ipConfigurationId),
          new RegExp(`/virtualNetworkGateways/az-weu-vpngw/ipConfigurations/ipconfig${instance}$`),
        );
        assert.equal(bgp.bgpPeeringAddresses[instance].ipconfigurationId, custom[instance].ipConfigurationId);
        assert.ok(
          (gatewayPlan.instanceBgpAddresses[1 - instance] as string[]).includes(
            String(custom[1 - instance].customBgpIpAddress),
          ),
        );
      });
    }
  });

  it("generates one pre-shared key per tunnel, shared by both ends by name, never in plain text", () => {
    const tunnels = plan.connectivity.vpn?.awsConnections.flatMap((c) => c.tunnels.map((t) => t.name)) ?? [];
    const passwords = ofType(result, "random:index/randomPassword:RandomPassword").filter((p) =>
      p.name.endsWith("-psk"),
    );
    assert.deepEqual(passwords.map((p) => p.name).sort(), tunnels.map((t) => `${t}-psk`).sort());
    for (const p of passwords)
      assert.deepEqual(inputs(p), { length: 47, lower: true, numeric: true, special: false, upper: true });
  });

  it("opens only TCP 30303 and 9000 across clouds, from the other cloud's routed ranges", () => {
    const awsRules = ofType(result, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").map(inputs);
    for (const range of ["10.66.0.0/16", "100.104.0.0/16"]) {
      const fromAzure = awsRules.filter((r) => r.cidrIpv4 === range);
      assert.deepEqual(
        [...new Set(fromAzure.map((r) => `${r.ipProtocol} ${r.fromPort}-${r.toPort}`))].sort(),
        ["tcp 30303-30303", "tcp 9000-9000"],
      );
    }
    const nsgs = ofType(result, "azure-native:network:NetworkSecurityGroup").map(inputs);
    for (const nsg of nsgs) {
      const allow = (nsg.securityRules as Inputs[]).find((r) => r.name === "allow-peers-p2p-inbound");
      assert.deepEqual(allow?.sourceAddressPrefixes, ["10.64.0.0/16", "10.65.0.0/16"]);
      assert.deepEqual(allow?.destinationPortRanges, ["30303", "9000"]);
    }
  });
});

describe("on-premise sites on the prod VPN", () => {
  let result: RenderResult;
  let plan: NetworkPlan;
  /** The program's own outputs, secrets still wrapped. */
  let outputs: Record<string, unknown>;
  before(async () => {
    const raw = readStackFile(stackFilePath("prod"));
    const sites = [DC1, DC2];
    // The smallest SKU, which Azure offers in Generation1 only.
    const vpn = { gatewaySku: "VpnGw1AZ" };
    const prod = raw["goquorum:network"] as { connectivity: object };
    const network = { ...prod, connectivity: { ...prod.connectivity, sites, vpn } };
    result = await renderProgram("prod", { ...raw, "goquorum:network": network }, async () => {
      outputs = await program();
      return outputs;
    });
    plan = result.outputs.plan as NetworkPlan;
  });
  const resolved = (value: unknown) =>
    new Promise<unknown>((done) => (pulumi.output(value) as pulumi.Output<unknown>).apply(done));
  const siteOutput = async (site: string) => {
    const output = outputs[`site-${site}`];
    assert.ok(pulumi.Output.isInstance(output), `site-${site}`);
    return (await resolved(output)) as SiteOutput;
  };
  const rendered = (type: string, name: string) => {
    const r = result.resources.find((x) => x.type === type && x.name === name);
    assert.ok(r, `${type} ${name}`);
    return r;
  };

  it("hands each site's operator one secret output: the AWS site's four tunnels, as AWS reports them", async () => {
    assert.equal(result.outputs["site-dc1"], SECRET_PLACEHOLDER);
    assert.equal(await pulumi.isSecret(outputs["site-dc1"] as pulumi.Output<unknown>), true);
    const dc1 = await siteOutput("dc1");
    assert.deepEqual(
      [dc1.site, dc1.terminatesIn, dc1.siteAsn, dc1.sitePublicIp, dc1.ipsec],
      ["dc1", "aws", 65300, "192.0.2.10", IPSEC],
    );
    const connections =
      plan.connectivity.vpn?.awsConnections.filter((c) => "site" in c.customerGateway) ?? [];
    assert.deepEqual(
      connections.map((c) => c.awsCluster),
      ["aws-euw1", "aws-use1"],
    );
    const expected = connections.flatMap((c) => {
      const outside = assigned(
        "aws:ec2/vpnConnection:VpnConnection",
        rendered("aws:ec2/vpnConnection:VpnConnection", `${c.name}-vpn`),
      );
      return c.tunnels.map((t, k) => ({
        cluster: c.awsCluster,
        cloud: "aws",
        name: t.name,
        outsideAddress: outside[`tunnel${k + 1}Address`],
        insideCidr: t.insideCidr,
        gatewayBgpAddress: addressAt(cidr(t.insideCidr), 1),
        siteBgpAddress: addressAt(cidr(t.insideCidr), 2),
        gatewayAsn: 64512,
      }));
    });
    assert.deepEqual(
      dc1.tunnels.map(({ presharedKey, ...rest }) => rest),
      expected,
    );
    for (const t of dc1.tunnels) assert.match(String(t.outsideAddress), /^203\.0\.113\.\d+$/);
    // AWS gives every tunnel of every connection its own outside address.
    const outside = result.resources
      .filter((r) => r.type === "aws:ec2/vpnConnection:VpnConnection")
      .flatMap((r) => {
        const state = assigned("aws:ec2/vpnConnection:VpnConnection", r);
        return [state.tunnel1Address, state.tunnel2Address];
      });
    assert.ok(outside.length >= 8);
    assert.equal(new Set(outside).size, outside.length);
    // One key per AWS tunnel.
    assert.equal(new Set(dc1.tunnels.map((t) => t.presharedKey)).size, 4);
  });

  it("the Azure site's tunnels: both instances of the gateway, their public IPs and default BGP addresses, one key", async () => {
    assert.equal(result.outputs["site-dc2"], SECRET_PLACEHOLDER);
    assert.equal(await pulumi.isSecret(outputs["site-dc2"] as pulumi.Output<unknown>), true);
    const dc2 = await siteOutput("dc2");
    assert.deepEqual([dc2.terminatesIn, dc2.siteAsn, dc2.sitePublicIp], ["azure", 65400, "192.0.2.20"]);
    const ip = (i: number) =>
      assigned(
        "azure-native:network:PublicIPAddress",
        rendered("azure-native:network:PublicIPAddress", `az-weu-vpngw-ip${i}`),
      ).ipAddress;
    assert.deepEqual(
      dc2.tunnels.map(({ presharedKey, ...rest }) => rest),
      [0, 1].map((i) => ({
        cluster: "az-weu",
        cloud: "azure",
        name: `az-weu-dc2-${i}`,
        gatewayAsn: 65010,
        outsideAddress: ip(i),
        // The GatewaySubnet is 10.66.129.0/24: Azure's instances take addresses past its first four.
        gatewayBgpAddress: `10.66.129.${4 + i}`,
        siteBgpAddress: "192.168.16.1",
      })),
    );
    // The two tunnels are one connection, with one key.
    assert.equal(new Set(dc2.tunnels.map((t) => t.presharedKey)).size, 1);
  });

  it("no output holds two sites' keys, and none holds all of them any more", async () => {
    assert.equal(outputs.sitePresharedKeys, undefined);
    const keysOf = async (site: string) => (await siteOutput(site)).tunnels.map((t) => t.presharedKey);
    const keys = { dc1: await keysOf("dc1"), dc2: await keysOf("dc2") };
    for (const list of Object.values(keys)) for (const key of list) assert.match(key, /^k[A-Za-z0-9]{47}$/);
    for (const [name, output] of Object.entries(outputs)) {
      const text = JSON.stringify(await resolved(output)) ?? "";
      const holding = Object.entries(keys).filter(([, list]) => list.some((k) => text.includes(k)));
      assert.ok(holding.length <= 1, `${name} holds the keys of ${holding.map(([s]) => s).join(" and ")}`);
    }
  });

  it("the join document points each site at its output", async () => {
    const join = (await resolved(outputs.join)) as JoinDocument;
    assert.deepEqual(
      join.sites.map((s) => [s.name, s.output]),
      [
        ["dc1", "site-dc1"],
        ["dc2", "site-dc2"],
      ],
    );
    for (const site of join.sites) assert.ok(pulumi.Output.isInstance(outputs[site.output]), site.output);
  });

  const find = (type: string, name: string) => {
    const r = result.resources.find((x) => x.type === type && x.name === name);
    assert.ok(r, `${type} ${name}`);
    return inputs(r);
  };

  it("every Azure NSG denies what the VPN brings beyond the VNet's own, the AWS site's transit included", () => {
    const nsgs = ofType(result, "azure-native:network:NetworkSecurityGroup").map(inputs);
    assert.ok(nsgs.length > 0);
    for (const nsg of nsgs) {
      const rules = new Map((nsg.securityRules as Inputs[]).map((r) => [r.name, r]));
      const summary = (name: string) => {
        const r = rules.get(name);
        return [r?.priority, r?.direction, r?.access, r?.sourceAddressPrefix ?? r?.sourceAddressPrefixes];
      };
      assert.deepEqual(summary("allow-own-network-inbound"), [
        120,
        "Inbound",
        "Allow",
        ["10.66.0.0/16", "100.104.0.0/16"],
      ]);
      assert.deepEqual(summary("deny-other-networks-inbound"), [130, "Inbound", "Deny", "VirtualNetwork"]);
      assert.equal(rules.get("deny-other-networks-outbound")?.destinationAddressPrefix, "VirtualNetwork");
      // dc2 terminates here and is denied by name; dc1 (AWS) arrives only through BGP transit.
      const denied = rules.get("deny-peers-inbound")?.sourceAddressPrefixes as string[];
      assert.ok(denied.includes("192.168.16.0/20") && !denied.includes("192.168.0.0/20"));
    }
  });

  it("builds a VpnGw1AZ gateway in Generation1, the only generation Azure offers it in", () => {
    const gateway = find("azure-native:network:VirtualNetworkGateway", "az-weu-vpngw");
    assert.deepEqual(gateway.sku, { name: "VpnGw1AZ", tier: "VpnGw1AZ" });
    assert.equal(gateway.vpnGatewayGeneration, "Generation1");
  });

  it("on AWS: a customer gateway with the site's address and ASN, a BGP connection per VPC with the planned tunnels", () => {
    const cgw = find("aws:ec2/customerGateway:CustomerGateway", "eu-west-1-dc1-cgw");
    assert.deepEqual([cgw.ipAddress, cgw.bgpAsn], ["192.0.2.10", "65300"]);
    for (const connection of plan.connectivity.vpn?.awsConnections.filter(
      (c) => "site" in c.customerGateway,
    ) ?? []) {
      const aws = find("aws:ec2/vpnConnection:VpnConnection", `${connection.name}-vpn`);
      assert.equal(aws.tunnel1InsideCidr, connection.tunnels[0].insideCidr);
      assert.equal(aws.tunnel2InsideCidr, connection.tunnels[1].insideCidr);
      assert.equal(aws.tunnel1PresharedKey, SECRET_PLACEHOLDER);
    }
  });

  it("on Azure: a local network gateway with the site's address, BGP peer, ASN and ranges, and its connection", () => {
    const lng = find("azure-native:network:LocalNetworkGateway", "az-weu-dc2-lng");
    assert.equal(lng.gatewayIpAddress, "192.0.2.20");
    assert.deepEqual(lng.bgpSettings, { asn: 65400, bgpPeeringAddress: "192.168.16.1" });
    assert.deepEqual(lng.localNetworkAddressSpace, { addressPrefixes: ["192.168.16.0/20"] });
    const conn = find("azure-native:network:VirtualNetworkGatewayConnection", "az-weu-dc2-connection");
    assert.equal(conn.sharedKey, SECRET_PLACEHOLDER);
    assert.equal(conn.gatewayCustomBgpIpAddresses, undefined);
    assert.deepEqual(conn.ipsecPolicies, [azureIpsecPolicy()]);
  });
});

describe("an external party on prod", () => {
  it("is admitted by every security group and NSG on the two p2p ports only", async () => {
    const raw = readStackFile(stackFilePath("prod"));
    const externalPeers = [
      { name: "bank-c", enode: `enode://${"c3".repeat(64)}@192.168.40.10:30303`, range: "192.168.40.0/24" },
    ];
    const prod = raw["goquorum:network"] as { connectivity: object };
    const network = { ...prod, connectivity: { ...prod.connectivity, externalPeers } };
    const result = await renderProgram("prod", { ...raw, "goquorum:network": network }, program);
    const sg = ofType(result, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
      .map(inputs)
      .filter((r) => r.cidrIpv4 === "192.168.40.0/24");
    assert.deepEqual(sg.map((r) => `${r.fromPort}-${r.toPort}`).sort(), [
      "30303-30303",
      "30303-30303",
      "9000-9000",
      "9000-9000",
    ]);
    for (const nsg of ofType(result, "azure-native:network:NetworkSecurityGroup").map(inputs)) {
      const rules = nsg.securityRules as Inputs[];
      const allow = rules.find((r) => r.name === "allow-peers-p2p-inbound");
      assert.ok(((allow?.sourceAddressPrefixes ?? []) as string[]).includes("192.168.40.0/24"));
      assert.deepEqual(allow?.destinationPortRanges, ["30303", "9000"]);
      const deny = rules.find((r) => r.name === "deny-peers-inbound");
      assert.ok(((deny?.sourceAddressPrefixes ?? []) as string[]).includes("192.168.40.0/24"));
    }
  });
});
