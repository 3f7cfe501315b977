/**
 * Stand-ins for the VPN resources: the addresses the clouds assign, derived from each resource's name
 * and inputs. Outside addresses come from the documentation ranges (AWS tunnel ends from 203.0.113.0/24,
 * Azure gateway IPs from 198.51.100.0/24), inside addresses from the tunnel's planned /30.
 */
import { addressAt, cidr } from "../../plan/cidr";
import { mockSubscriptionId } from "./azure";
import { throwawayBytes } from "./throwaway";
import type { ComputedState, ProviderMocks } from "./types";

const hostIn = (prefix: string, label: string) => `${prefix}.${1 + (throwawayBytes(label, 1)[0] % 254)}`;

/** The address an AWS VPN connection's tunnel gets on the AWS side, and its inside addresses. */
function awsTunnel(stack: string, name: string, inputs: Record<string, unknown>, n: 1 | 2) {
  const inside = inputs[`tunnel${n}InsideCidr`];
  const block = typeof inside === "string" ? cidr(inside) : undefined;
  return {
    [`tunnel${n}Address`]: hostIn("203.0.113", `vpn:${stack}:${name}:${n}`),
    ...(block
      ? {
          [`tunnel${n}VgwInsideAddress`]: addressAt(block, 1),
          [`tunnel${n}CgwInsideAddress`]: addressAt(block, 2),
        }
      : {}),
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
      ipAddress: hostIn("198.51.100", `pip:${context.stack}:${context.name}`),
    }),
    "azure-native:network:VirtualNetworkGateway": armNetwork(
      "virtualNetworkGateways",
      "virtualNetworkGatewayName",
    ),
    "azure-native:network:LocalNetworkGateway": armNetwork("localNetworkGateways", "localNetworkGatewayName"),
    "azure-native:network:VirtualNetworkGatewayConnection": armNetwork(
      "connections",
      "virtualNetworkGatewayConnectionName",
    ),
  },
  invokes: {},
};
