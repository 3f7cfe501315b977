/**
 * What one site's operator is handed: a stack output per site (`site-<name>`, secret) with every tunnel of
 * that site to every gateway it connects to (outside address, both BGP addresses, ASNs, inside /30 on AWS)
 * and that site's pre-shared keys only, so handing it over leaks no other site's keys. The plan fixes
 * everything but what the clouds assign (outside addresses, Azure's BGP addresses) and the keys: each
 * tunnel says where those come from.
 */
import type { VpnPlan } from "./connectivityTypes";
import { IPSEC } from "./ipsec";

/** The stack output of a site. */
export const siteOutputName = (site: string): string => `site-${site}`;

/** One tunnel between a site's device and one instance of a gateway, as the site configures it. */
export interface SiteTunnel {
  /** The cluster whose gateway the tunnel ends at. */
  readonly cluster: string;
  readonly cloud: "aws" | "azure";
  readonly name: string;
  /** The gateway's public address: the site's device connects to it. */
  readonly outsideAddress: string;
  /** AWS: the tunnel's /30 (the gateway takes the first host, the site the second). */
  readonly insideCidr?: string;
  /** The gateway's BGP address: the site's device peers with it. */
  readonly gatewayBgpAddress: string;
  /** The site's own BGP address on this tunnel. */
  readonly siteBgpAddress: string;
  readonly gatewayAsn: number;
  readonly presharedKey: string;
}

export interface SiteOutput {
  readonly site: string;
  readonly terminatesIn: "aws" | "azure";
  readonly siteAsn: number;
  /** The site's device, as the gateways know it. */
  readonly sitePublicIp: string;
  readonly ipsec: typeof IPSEC;
  readonly tunnels: readonly SiteTunnel[];
}

/** Where the values the clouds assign come from, per planned tunnel. */
export type TunnelSource =
  /** Tunnel 1 or 2 of an AWS VPN connection: its outside and inside addresses. */
  | { readonly awsConnection: string; readonly tunnel: 1 | 2 }
  /** Instance 0 or 1 of an Azure VPN gateway: its public IP and default BGP address. */
  | { readonly azureGateway: string; readonly instance: 0 | 1 };

/** A site's tunnel as planned: the values the clouds assign are left to `source`, the key to `keyName`. */
export interface PlannedSiteTunnel
  extends Omit<SiteTunnel, "outsideAddress" | "gatewayBgpAddress" | "siteBgpAddress" | "presharedKey"> {
  readonly source: TunnelSource;
  /** The name the pre-shared key is generated under (one per AWS tunnel, one per Azure connection). */
  readonly keyName: string;
  /** Azure: the site's BGP address as configured; on AWS the connection reports it. */
  readonly siteBgpAddress?: string;
}

export interface PlannedSiteOutput extends Omit<SiteOutput, "tunnels"> {
  readonly tunnels: readonly PlannedSiteTunnel[];
}

/** Every site of the VPN plan with its tunnels, in plan order. */
export function plannedSiteOutputs(vpn: VpnPlan): PlannedSiteOutput[] {
  const sites = new Map<string, PlannedSiteOutput>();
  const add = (site: Omit<PlannedSiteOutput, "tunnels" | "ipsec">, tunnels: PlannedSiteTunnel[]) => {
    const known = sites.get(site.site);
    sites.set(site.site, { ...site, ipsec: IPSEC, tunnels: [...(known?.tunnels ?? []), ...tunnels] });
  };
  for (const c of vpn.awsConnections) {
    const far = c.customerGateway;
    if (!("site" in far)) continue;
    add(
      { site: far.site, terminatesIn: "aws", siteAsn: c.customerGatewayAsn, sitePublicIp: far.ipAddress },
      c.tunnels.map((t, k) => ({
        cluster: c.awsCluster,
        cloud: "aws",
        name: t.name,
        insideCidr: t.insideCidr,
        gatewayAsn: vpn.awsAsn,
        source: { awsConnection: c.name, tunnel: (k + 1) as 1 | 2 },
        keyName: t.name,
      })),
    );
  }
  for (const g of vpn.azureGateways) {
    for (const local of g.localGateways) {
      const peer = local.peer;
      if (!("site" in peer)) continue;
      add(
        { site: peer.site, terminatesIn: "azure", siteAsn: local.asn, sitePublicIp: peer.ipAddress },
        ([0, 1] as const).map((instance) => ({
          cluster: g.cluster,
          cloud: "azure",
          name: `${local.name}-${instance}`,
          gatewayAsn: g.asn,
          siteBgpAddress: local.bgpPeerAddress,
          source: { azureGateway: g.cluster, instance },
          // One connection, and so one key, for both instances of an active-active gateway.
          keyName: local.name,
        })),
      );
    }
  }
  return [...sites.values()];
}
