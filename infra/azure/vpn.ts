/** Azure VPN gateway values (pure): the connection's IPsec policy from the plan's IKE/IPsec set. */
import { IPSEC } from "../plan/ipsec";
import { VPN_GATEWAY_SKU_GENERATIONS } from "./behaviour";

/** Field names of azure-native `network.IpsecPolicyArgs`. */
export interface AzureIpsecPolicy {
  readonly ikeEncryption: string;
  readonly ikeIntegrity: string;
  readonly dhGroup: string;
  readonly ipsecEncryption: string;
  readonly ipsecIntegrity: string;
  readonly pfsGroup: string;
  readonly saLifeTimeSeconds: number;
  readonly saDataSizeKilobytes: number;
}

const ENCRYPTION = { aes256: "AES256" } as const;
const INTEGRITY = { sha256: "SHA256" } as const;
const DH_GROUP = { 14: "DHGroup14" } as const;
/** Azure names PFS group 14 (2048-bit MODP) PFS2048. */
const PFS_GROUP = { 14: "PFS2048" } as const;
/** Azure's largest quick-mode SA data size: rekeying is by time on both sides. */
export const AZURE_SA_DATA_SIZE_KILOBYTES = 102_400_000;

/** The single IPsec policy of every connection (`ipsecPolicies: [azureIpsecPolicy()]`, IKEv2). */
export function azureIpsecPolicy(): AzureIpsecPolicy {
  return {
    ikeEncryption: ENCRYPTION[IPSEC.phase1.encryption],
    ikeIntegrity: INTEGRITY[IPSEC.phase1.integrity],
    dhGroup: DH_GROUP[IPSEC.phase1.dhGroup],
    ipsecEncryption: ENCRYPTION[IPSEC.phase2.encryption],
    ipsecIntegrity: INTEGRITY[IPSEC.phase2.integrity],
    pfsGroup: PFS_GROUP[IPSEC.phase2.pfsGroup],
    saLifeTimeSeconds: IPSEC.phase2.lifetimeSeconds,
    saDataSizeKilobytes: AZURE_SA_DATA_SIZE_KILOBYTES,
  };
}

/** The connection protocol matching `IPSEC.ikeVersion`. */
export const AZURE_CONNECTION_PROTOCOL = `IKEv${IPSEC.ikeVersion}`;

/** Names of the VPN resources of an Azure cluster (the gateway's ipconfig ids are built from them). */
export const vpnGatewayName = (cluster: string): string => `${cluster}-vpngw`;
export const vpnPublicIpName = (cluster: string, instance: 0 | 1): string => `${cluster}-vpngw-ip${instance}`;
export const vpnIpConfigurationName = (instance: 0 | 1): string => `ipconfig${instance}`;

/**
 * The ARM id of a gateway instance's IP configuration: the gateway's BGP settings and every connection's
 * custom BGP addresses refer to it before the gateway exists, so it is built from the resource group id.
 */
export const vpnIpConfigurationId = (resourceGroupId: string, cluster: string, instance: 0 | 1): string =>
  `${resourceGroupId}/providers/Microsoft.Network/virtualNetworkGateways/${vpnGatewayName(cluster)}/ipConfigurations/${vpnIpConfigurationName(instance)}`;

/** Azure's dead peer detection timeout for every connection (its default; 9-3600 s). */
export const AZURE_DPD_TIMEOUT_SECONDS = 45;

/**
 * The generation of a gateway of this SKU: the newest it is offered in (`VPN_GATEWAY_SKU_GENERATIONS`), so
 * VpnGw1AZ gets Generation1, which is all Azure offers it in.
 */
export function vpnGatewayGeneration(sku: string): "Generation1" | "Generation2" {
  const generations = Object.hasOwn(VPN_GATEWAY_SKU_GENERATIONS, sku) ? VPN_GATEWAY_SKU_GENERATIONS[sku] : [];
  const newest = generations?.at(-1);
  if (!newest) throw new Error(`VPN gateway SKU ${sku} is in no generation Azure offers`);
  return newest;
}

/** The gateway SKU's name and tier (the same for the VpnGw*AZ SKUs). */
export const vpnGatewaySku = (sku: string) => ({ name: sku, tier: sku });
