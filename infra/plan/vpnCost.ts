/**
 * Cost and time drivers of the VPN: counts from the plan, hourly list prices from the price table
 * (`infra/data/prices.ts`), before data transfer. A virtual private gateway itself costs nothing.
 */
import {
  AWS_VPN_CONNECTION_USD_PER_HOUR,
  AZURE_GATEWAY_USD_PER_HOUR,
  AZURE_STANDARD_PUBLIC_IP_USD_PER_HOUR,
} from "../data/prices";
import type { AzureVpnGatewayPlan, VpnCostPlan } from "./connectivityTypes";

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
