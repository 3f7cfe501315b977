/**
 * Cost and time drivers of the VPN. Prices are approximate pay-as-you-go list prices in USD per hour
 * for US regions (AWS Site-to-Site VPN pricing page; Azure VPN Gateway pricing page), before data
 * transfer; other regions differ by a few percent. A virtual private gateway itself costs nothing.
 */
import type { AzureVpnGatewayPlan, VpnCostPlan } from "./connectivityTypes";

export const AWS_VPN_CONNECTION_USD_PER_HOUR = 0.05;
export const AZURE_STANDARD_PUBLIC_IP_USD_PER_HOUR = 0.005;
export const AZURE_GATEWAY_USD_PER_HOUR: Readonly<Record<string, number>> = {
  VpnGw1AZ: 0.361,
  VpnGw2AZ: 0.564,
  VpnGw3AZ: 1.434,
  VpnGw4AZ: 2.454,
  VpnGw5AZ: 4.288,
};
/** An Azure VPN gateway takes 30-45 minutes to create; plan for the upper end. */
export const AZURE_GATEWAY_CREATION_MINUTES = 45;
/** Public IPs of an active-active gateway: one per instance. */
const PUBLIC_IPS_PER_GATEWAY = 2;
const TUNNELS_PER_AWS_CONNECTION = 2;

const roundUsd = (usd: number) => Math.round(usd * 1000) / 1000;

export function vpnCost(
  sku: string,
  awsVpnConnections: number,
  azureGateways: readonly Pick<AzureVpnGatewayPlan, "localGateways">[],
): VpnCostPlan {
  const gatewayPrice = AZURE_GATEWAY_USD_PER_HOUR[sku];
  if (gatewayPrice === undefined) throw new Error(`no price for Azure VPN gateway SKU ${sku}`);
  const azurePublicIps = PUBLIC_IPS_PER_GATEWAY * azureGateways.length;
  // AWS tunnels, plus the tunnels of sites on Azure: one per gateway instance.
  const azureSiteTunnels =
    azureGateways.flatMap((g) => g.localGateways).filter((l) => "site" in l.peer).length *
    PUBLIC_IPS_PER_GATEWAY;
  const hourly = {
    awsVpnConnections: roundUsd(awsVpnConnections * AWS_VPN_CONNECTION_USD_PER_HOUR),
    azureGateways: roundUsd(azureGateways.length * gatewayPrice),
    azurePublicIps: roundUsd(azurePublicIps * AZURE_STANDARD_PUBLIC_IP_USD_PER_HOUR),
  };
  return {
    awsVpnConnections,
    tunnels: awsVpnConnections * TUNNELS_PER_AWS_CONNECTION + azureSiteTunnels,
    azureGateways: azureGateways.length,
    azurePublicIps,
    hourlyUsd: {
      ...hourly,
      total: roundUsd(hourly.awsVpnConnections + hourly.azureGateways + hourly.azurePublicIps),
    },
    azureGatewayCreationMinutes: AZURE_GATEWAY_CREATION_MINUTES,
  };
}
