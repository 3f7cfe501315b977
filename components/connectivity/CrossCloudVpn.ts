import * as aws from "@pulumi/aws";
import * as azure from "@pulumi/azure-native";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { awsTunnelOptions, PRESHARED_KEY_PASSWORD, presharedKey } from "../../infra/aws/vpn";
import {
  AZURE_CONNECTION_PROTOCOL,
  AZURE_DPD_TIMEOUT_SECONDS,
  azureIpsecPolicy,
  vpnGatewayGeneration,
  vpnGatewayName,
  vpnGatewaySku,
  vpnIpConfigurationId,
  vpnIpConfigurationName,
  vpnPublicIpName,
} from "../../infra/azure/vpn";
import type { AwsVpnConnectionPlan, AzureVpnGatewayPlan, VpnPlan } from "../../infra/plan/connectivityTypes";
import {
  plannedSiteOutputs,
  type SiteOutput,
  type SiteTunnel,
  type TunnelSource,
} from "../../infra/plan/siteOutputs";
import { AZURE_GATEWAY_SUBNET } from "../../infra/plan/subnets";
import type { AwsClusterTarget } from "../aws/AwsClusterTarget";
import type { AzureCluster } from "../azure/AzureCluster";

export interface CrossCloudVpnArgs {
  /** The plan's VPN: gateways, connections, tunnels and their addresses. */
  readonly vpn: VpnPlan;
  readonly networkName: string;
  readonly awsTargets: ReadonlyMap<string, AwsClusterTarget>;
  readonly azureTargets: ReadonlyMap<string, AzureCluster>;
}

interface AzureGateway {
  readonly gateway: azure.network.VirtualNetworkGateway;
  readonly publicIps: readonly [azure.network.PublicIPAddress, azure.network.PublicIPAddress];
  readonly target: AzureCluster;
  readonly plan: AzureVpnGatewayPlan;
}

const INSTANCES = [0, 1] as const;

/**
 * The site-to-site VPN of the plan (`connectivity.vpn`): on AWS a virtual private gateway per VPC with
 * route propagation into every route table, a customer gateway per far end and a VPN connection with BGP
 * on both tunnels; on Azure an active-active, zone-redundant VPN gateway in the GatewaySubnet with two
 * public IPs, and a local network gateway with a connection per AWS tunnel or site. Both ends of a tunnel
 * get the same inside addresses, ASNs, pre-shared key and IKE/IPsec parameters.
 */
export class CrossCloudVpn extends pulumi.ComponentResource {
  /**
   * What each site's operator configures on their end (`site-<name>`): its tunnels' outside addresses, BGP
   * peers, ASNs and its own pre-shared keys only; secret, by site name.
   */
  readonly siteOutputs: Readonly<Record<string, pulumi.Output<SiteOutput>>>;

  constructor(name: string, args: CrossCloudVpnArgs, opts?: pulumi.ComponentResourceOptions) {
    super("goquorum:connectivity:Vpn", name, {}, opts);
    const { vpn } = args;
    const tags = { "goquorum:network": args.networkName };
    const keys = new Map<string, pulumi.Output<string>>();
    const keyOf = (tunnel: string) => {
      const existing = keys.get(tunnel);
      if (existing) return existing;
      const password = new random.RandomPassword(
        `${tunnel}-psk`,
        { ...PRESHARED_KEY_PASSWORD },
        { parent: this },
      );
      const key = pulumi.secret(password.result.apply(presharedKey));
      keys.set(tunnel, key);
      return key;
    };

    const azureGateways = new Map(
      vpn.azureGateways.map((g) => [g.cluster, this.azureGateway(g, args, tags)]),
    );
    const vpnGateways = new Map(vpn.awsGateways.map((c) => [c, this.awsGateway(c, vpn.awsAsn, args, tags)]));

    // A customer gateway is regional, and AWS returns the existing one for the same address and ASN: one
    // per far end and region, shared by the VPCs of that region.
    const customerGateways = new Map<string, aws.ec2.CustomerGateway>();
    const customerGatewayFor = (c: AwsVpnConnectionPlan, target: AwsClusterTarget) => {
      const far = c.customerGateway;
      const name = `${target.plan.region}-${"site" in far ? far.site : `${far.azureCluster}-${far.instance}`}-cgw`;
      const existing = customerGateways.get(name);
      if (existing) return existing;
      const created = new aws.ec2.CustomerGateway(
        name,
        {
          bgpAsn: String(c.customerGatewayAsn),
          ipAddress: farEndAddress(c, azureGateways),
          type: "ipsec.1",
          tags: { ...tags, Name: name },
        },
        { parent: this, provider: target.provider },
      );
      customerGateways.set(name, created);
      return created;
    };

    const connections = new Map(
      vpn.awsConnections.map((c) => {
        const target = awsTarget(args, c.awsCluster);
        const vpnGateway = vpnGateways.get(c.awsCluster);
        if (!vpnGateway) throw new Error(`no virtual private gateway for ${c.awsCluster}`);
        const child = { parent: this, provider: target.provider };
        const customerGateway = customerGatewayFor(c, target);
        const [t1, t2] = c.tunnels;
        const connection = new aws.ec2.VpnConnection(
          `${c.name}-vpn`,
          {
            vpnGatewayId: vpnGateway.id,
            customerGatewayId: customerGateway.id,
            type: "ipsec.1",
            staticRoutesOnly: false,
            ...awsTunnelOptions(1, t1),
            ...awsTunnelOptions(2, t2),
            tunnel1PresharedKey: keyOf(t1.name),
            tunnel2PresharedKey: keyOf(t2.name),
            tags: { ...tags, Name: `${c.name}-vpn` },
          },
          child,
        );
        return [c.name, connection] as const;
      }),
    );

    for (const g of azureGateways.values()) {
      const { gateway, target, plan } = g;
      const resourceGroupName = target.network.resourceGroup.name;
      const location = target.network.resourceGroup.location;
      for (const local of plan.localGateways) {
        const peer = local.peer;
        const outside =
          "awsConnection" in peer
            ? tunnelAddress(connections.get(peer.awsConnection), peer.tunnel)
            : pulumi.output(peer.ipAddress);
        const localGateway = new azure.network.LocalNetworkGateway(
          `${local.name}-lng`,
          {
            resourceGroupName,
            location,
            localNetworkGatewayName: `${local.name}-lng`,
            gatewayIpAddress: outside,
            bgpSettings: { asn: local.asn, bgpPeeringAddress: local.bgpPeerAddress },
            ...("site" in peer
              ? { localNetworkAddressSpace: { addressPrefixes: [...peer.addressPrefixes] } }
              : {}),
            tags,
          },
          { parent: this },
        );
        const custom = local.customBgpAddresses;
        new azure.network.VirtualNetworkGatewayConnection(
          `${local.name}-connection`,
          {
            resourceGroupName,
            location,
            virtualNetworkGatewayConnectionName: `${local.name}-connection`,
            connectionType: "IPsec",
            connectionProtocol: AZURE_CONNECTION_PROTOCOL,
            virtualNetworkGateway1: { id: gateway.id },
            localNetworkGateway2: { id: localGateway.id },
            sharedKey: keyOf(local.name),
            enableBgp: true,
            usePolicyBasedTrafficSelectors: false,
            ipsecPolicies: [azureIpsecPolicy()],
            dpdTimeoutSeconds: AZURE_DPD_TIMEOUT_SECONDS,
            ...(custom
              ? {
                  gatewayCustomBgpIpAddresses: INSTANCES.map((i) => ({
                    ipConfigurationId: target.network.resourceGroup.id.apply((id) =>
                      vpnIpConfigurationId(id, plan.cluster, i),
                    ),
                    customBgpIpAddress: custom[i],
                  })),
                }
              : {}),
            tags,
          },
          { parent: this },
        );
      }
    }

    this.siteOutputs = Object.fromEntries(
      plannedSiteOutputs(vpn).map((site) => {
        const tunnels = site.tunnels.map((t) => {
          const { source, keyName, siteBgpAddress, ...planned } = t;
          const assigned = cloudAssigned(source, connections, azureGateways);
          // Azure: the site's configured BGP address; AWS: the inside address the connection reports.
          const siteBgp = siteBgpAddress ?? assigned.siteBgpAddress;
          if (!siteBgp)
            throw new Error(`site ${site.site}: tunnel ${t.name} has no BGP address for the site`);
          return pulumi
            .all([assigned.outsideAddress, assigned.gatewayBgpAddress, siteBgp, keyOf(keyName)])
            .apply(
              ([outsideAddress, gatewayBgpAddress, siteBgpAddress, presharedKey]): SiteTunnel => ({
                ...planned,
                outsideAddress,
                gatewayBgpAddress,
                siteBgpAddress,
                presharedKey,
              }),
            );
        });
        const output = pulumi.secret(
          pulumi.all(tunnels).apply((resolved): SiteOutput => ({ ...site, tunnels: resolved })),
        );
        return [site.site, output] as const;
      }),
    );
    this.registerOutputs({ siteOutputs: this.siteOutputs });
  }

  private awsGateway(
    cluster: string,
    asn: number,
    args: CrossCloudVpnArgs,
    tags: Record<string, string>,
  ): aws.ec2.VpnGateway {
    const target = awsTarget(args, cluster);
    const child = { parent: this, provider: target.provider };
    const gateway = new aws.ec2.VpnGateway(
      `${cluster}-vgw`,
      { vpcId: target.network.vpcId, amazonSideAsn: String(asn), tags: { ...tags, Name: `${cluster}-vgw` } },
      child,
    );
    // BGP-learned ranges (Azure VNets, sites) reach every subnet's route table.
    for (const [key, routeTableId] of target.network.routeTableIds) {
      new aws.ec2.VpnGatewayRoutePropagation(
        `${cluster}-vgw-${key}`,
        { vpnGatewayId: gateway.id, routeTableId },
        child,
      );
    }
    return gateway;
  }

  private azureGateway(
    plan: AzureVpnGatewayPlan,
    args: CrossCloudVpnArgs,
    tags: Record<string, string>,
  ): AzureGateway {
    const target = args.azureTargets.get(plan.cluster);
    if (!target) throw new Error(`the VPN plan names Azure cluster ${plan.cluster}, which has no target`);
    const resourceGroupName = target.network.resourceGroup.name;
    const location = target.network.resourceGroup.location;
    const publicIp = (i: 0 | 1) =>
      new azure.network.PublicIPAddress(
        vpnPublicIpName(plan.cluster, i),
        {
          resourceGroupName,
          location,
          publicIpAddressName: vpnPublicIpName(plan.cluster, i),
          sku: { name: "Standard", tier: "Regional" },
          publicIPAllocationMethod: "Static",
          publicIPAddressVersion: "IPv4",
          // Zone-redundant where the region has zones.
          ...(plan.zones.length > 0 ? { zones: [...plan.zones] } : {}),
          tags,
        },
        { parent: this },
      );
    const publicIps: AzureGateway["publicIps"] = [publicIp(0), publicIp(1)];
    const gatewaySubnet = target.network.subnet(AZURE_GATEWAY_SUBNET);
    const ipConfigurationId = (i: 0 | 1) =>
      target.network.resourceGroup.id.apply((id) => vpnIpConfigurationId(id, plan.cluster, i));
    const gateway = new azure.network.VirtualNetworkGateway(
      vpnGatewayName(plan.cluster),
      {
        resourceGroupName,
        location,
        virtualNetworkGatewayName: vpnGatewayName(plan.cluster),
        gatewayType: "Vpn",
        vpnType: "RouteBased",
        vpnGatewayGeneration: vpnGatewayGeneration(plan.sku),
        sku: vpnGatewaySku(plan.sku),
        activeActive: true,
        enableBgp: true,
        ipConfigurations: INSTANCES.map((i) => ({
          name: vpnIpConfigurationName(i),
          privateIPAllocationMethod: "Dynamic",
          publicIPAddress: { id: publicIps[i].id },
          subnet: { id: gatewaySubnet.id },
        })),
        bgpSettings: {
          asn: plan.asn,
          bgpPeeringAddresses: INSTANCES.map((i) => ({
            ipconfigurationId: ipConfigurationId(i),
            customBgpIpAddresses: [...plan.instanceBgpAddresses[i]],
          })),
        },
        tags,
      },
      // Creating (or resizing) a VPN gateway takes up to 45 minutes.
      { parent: this, customTimeouts: { create: "75m", update: "75m", delete: "75m" } },
    );
    return { gateway, publicIps, target, plan };
  }
}

function awsTarget(args: CrossCloudVpnArgs, cluster: string): AwsClusterTarget {
  const target = args.awsTargets.get(cluster);
  if (!target) throw new Error(`the VPN plan names AWS cluster ${cluster}, which has no target`);
  return target;
}

/** The far end of an AWS VPN connection: an Azure gateway instance's public IP, or a site's device. */
function farEndAddress(
  connection: AwsVpnConnectionPlan,
  azureGateways: ReadonlyMap<string, AzureGateway>,
): pulumi.Input<string> {
  const far = connection.customerGateway;
  if ("site" in far) return far.ipAddress;
  const gateway = azureGateways.get(far.azureCluster);
  if (!gateway) throw new Error(`no Azure VPN gateway for ${far.azureCluster}`);
  return gateway.publicIps[far.instance].ipAddress.apply((ip) => {
    if (!ip) throw new Error(`Azure VPN gateway ${far.azureCluster} has no public IP ${far.instance}`);
    return ip;
  });
}

/**
 * What the clouds assign to a site's tunnel: on AWS the connection's outside address and inside addresses of
 * that tunnel; on Azure the gateway instance's public IP and default BGP address (from the GatewaySubnet), the
 * one a connection without custom BGP addresses peers from.
 */
function cloudAssigned(
  source: TunnelSource,
  connections: ReadonlyMap<string, aws.ec2.VpnConnection>,
  azureGateways: ReadonlyMap<string, AzureGateway>,
): {
  outsideAddress: pulumi.Output<string>;
  gatewayBgpAddress: pulumi.Output<string>;
  siteBgpAddress?: pulumi.Output<string>;
} {
  if ("awsConnection" in source) {
    const connection = connections.get(source.awsConnection);
    if (!connection)
      throw new Error(`a site names AWS VPN connection ${source.awsConnection}, which is not planned`);
    const n = source.tunnel;
    return {
      outsideAddress: tunnelAddress(connection, n),
      gatewayBgpAddress: n === 1 ? connection.tunnel1VgwInsideAddress : connection.tunnel2VgwInsideAddress,
      siteBgpAddress: n === 1 ? connection.tunnel1CgwInsideAddress : connection.tunnel2CgwInsideAddress,
    };
  }
  const gateway = azureGateways.get(source.azureGateway);
  if (!gateway)
    throw new Error(`a site names Azure VPN gateway ${source.azureGateway}, which is not planned`);
  const i = source.instance;
  const required = (what: string) => (value: string | undefined) => {
    if (!value)
      throw new Error(`Azure VPN gateway ${source.azureGateway} reports no ${what} for instance ${i}`);
    return value;
  };
  // Azure reports each instance's peering addresses under its IP configuration's id
  // (ARM IPConfigurationBgpPeeringAddress: ipconfigurationId, defaultBgpIpAddresses).
  const configurationId = gateway.target.network.resourceGroup.id.apply((id) =>
    vpnIpConfigurationId(id, gateway.plan.cluster, i).toLowerCase(),
  );
  return {
    outsideAddress: gateway.publicIps[i].ipAddress.apply(required("public IP")),
    gatewayBgpAddress: pulumi
      .all([gateway.gateway.bgpSettings, configurationId])
      .apply(([bgp, id]) =>
        required("default BGP address")(
          bgp?.bgpPeeringAddresses?.find((a) => a.ipconfigurationId?.toLowerCase() === id)
            ?.defaultBgpIpAddresses?.[0],
        ),
      ),
  };
}

/** The AWS end's outside address of a tunnel, once the connection exists. */
function tunnelAddress(connection: aws.ec2.VpnConnection | undefined, tunnel: 1 | 2): pulumi.Output<string> {
  if (!connection) throw new Error("a local network gateway names an AWS VPN connection that is not planned");
  return tunnel === 1 ? connection.tunnel1Address : connection.tunnel2Address;
}
