/**
 * Stand-ins for the VPN resources: the addresses the clouds assign, derived from each resource's name
 * and inputs. Outside addresses come from `MOCK_PUBLIC_RANGES`, inside addresses from the tunnel's planned
 * /30, an Azure gateway instance's BGP address from its GatewaySubnet.
 */
import { addressAt, cidr } from "../../plan/cidr";
import { addressInSubnet, publicAddress } from "./addresses";
import { mockSubscriptionId } from "./azure";
import type { ComputedState, ProviderMocks } from "./types";

/** The address an AWS VPN connection's tunnel gets on the AWS side, and its inside addresses. */
function awsTunnel(stack: string, name: string, inputs: Record<string, unknown>, n: 1 | 2) {
  const inside = inputs[`tunnel${n}InsideCidr`];
  const block = typeof inside === "string" ? cidr(inside) : undefined;
  return {
    [`tunnel${n}Address`]: publicAddress("awsVpnTunnels", stack, `vpn:${name}:${n}`),
    ...(block
      ? {
          [`tunnel${n}VgwInsideAddress`]: addressAt(block, 1),
          [`tunnel${n}CgwInsideAddress`]: addressAt(block, 2),
        }
      : {}),
  };
}

/**
 * The gateway's BGP settings as Azure reports them: each instance also gets a default BGP address, a private
 * address of the GatewaySubnet it sits in. Azure keeps the first four addresses of every subnet (Microsoft
 * Learn, "Azure Virtual Network FAQ"), so the instances stand at the fifth and sixth here.
 */
function gatewayBgpSettings(inputs: Record<string, unknown>) {
  const settings = (inputs.bgpSettings ?? {}) as {
    bgpPeeringAddresses?: { ipconfigurationId?: string; [key: string]: unknown }[];
  };
  const configs = (inputs.ipConfigurations ?? []) as { name?: string; subnet?: { id?: string } }[];
  return {
    ...settings,
    bgpPeeringAddresses: (settings.bgpPeeringAddresses ?? []).map((address) => {
      // Each entry names its IP configuration by id; the configuration's name is the id's last segment.
      const name = address.ipconfigurationId?.split("/").pop();
      const k = configs.findIndex((c) => c.name === name);
      const subnet = configs[k]?.subnet?.id;
      return { ...address, defaultBgpIpAddresses: subnet ? [addressInSubnet(subnet, 4 + k)] : [] };
    }),
  };
}

const armNetwork =
  (kind: string, nameKey: string): ComputedState =>
  ({ stack, inputs }) => ({
    id: `/subscriptions/${mockSubscriptionId(stack)}/resourceGroups/${String(inputs.resourceGroupName)}/providers/Microsoft.Network/${kind}/${String(inputs[nameKey])}`,
    name: inputs[nameKey],
  });

export const vpnMocks: ProviderMocks = {
  resources: {
    "aws:ec2/vpnGateway:VpnGateway": ({ name }) => ({ arn: `arn:aws:ec2:::vpn-gateway/${name}` }),
    "aws:ec2/customerGateway:CustomerGateway": ({ name }) => ({
      arn: `arn:aws:ec2:::customer-gateway/${name}`,
    }),
    "aws:ec2/vpnConnection:VpnConnection": ({ stack, name, inputs }) => ({
      ...awsTunnel(stack, name, inputs, 1),
      ...awsTunnel(stack, name, inputs, 2),
    }),
    "azure-native:network:PublicIPAddress": (context) => ({
      ...armNetwork("publicIPAddresses", "publicIpAddressName")(context),
      ipAddress: publicAddress("azurePublicIps", context.stack, `pip:${context.name}`),
    }),
    "azure-native:network:VirtualNetworkGateway": (context) => ({
      ...armNetwork("virtualNetworkGateways", "virtualNetworkGatewayName")(context),
      bgpSettings: gatewayBgpSettings(context.inputs),
    }),
    "azure-native:network:LocalNetworkGateway": armNetwork("localNetworkGateways", "localNetworkGatewayName"),
    "azure-native:network:VirtualNetworkGatewayConnection": armNetwork(
      "connections",
      "virtualNetworkGatewayConnectionName",
    ),
  },
  invokes: {},
};
