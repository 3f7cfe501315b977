/**
 * The join document: what another party needs to run nodes in this network, and nothing secret. It
 * is a stack output (`join`) and `join.json` of the render:
 * - the genesis, byte for byte as our nodes have it;
 * - our nodes as reachable from outside the clusters: enode URLs at their endpoint addresses, and the
 *   members' Tessera P2P URLs and public keys;
 * - with strict Tessera TLS, the network CA's certificate and each external party's certificate, signed by
 *   that CA from the party's request (certificates only: no key leaves the stack);
 * - the ranges they must route to us (and admit from us: our nodes dial from these), and the ports;
 * - for each site, the VPN parameters of its end: ASNs, tunnel inside addresses, IKE/IPsec set.
 *   The tunnels' outside addresses exist once the gateways do (`pulumi stack output`).
 */
import type { VpnTunnelPlan } from "../plan/connectivityTypes";
import { IPSEC } from "../plan/ipsec";
import type { NetworkPlan } from "../plan/types";
import type { PublicIdentity } from "./identities";
import { advertisedP2pHost, enodeUrl, externalEnodeUrl, type TesseraTls, tesseraP2pUrl } from "./peers";
import { PORTS } from "./ports";

export interface JoinDocument {
  readonly network: { readonly name: string; readonly chainId: number; readonly consensus: "qbft" | "ibft" };
  /** The genesis file's text, byte for byte. */
  readonly genesis: string;
  readonly nodes: readonly {
    readonly name: string;
    readonly role: string;
    readonly enodeUrl: string;
    readonly validatorAddress?: string;
    readonly tesseraUrl?: string;
    readonly tesseraPublicKey?: string;
  }[];
  /** The external peers (the party itself among them), which the party may peer with too. */
  readonly externalPeers: readonly {
    readonly name: string;
    readonly enodeUrl: string;
    readonly tesseraUrl?: string;
    /** The peer's Tessera TLS certificate (PEM), signed by the network CA from its `tesseraCsr`. */
    readonly tesseraCertificate?: string;
  }[];
  /** Ranges our nodes live in and dial from, by cluster. */
  readonly ranges: Readonly<Record<string, readonly string[]>>;
  readonly ports: { readonly p2p: number; readonly tesseraP2p: number };
  readonly tesseraTls: TesseraTls;
  /**
   * With strict TLS: the network CA's certificate (PEM), the one a party's Tessera trusts on both sides of
   * P2P (`serverTrustCertificates` and `clientTrustCertificates` with trust mode CA).
   */
  readonly tesseraCaCertificate?: string;
  readonly sites: readonly {
    readonly name: string;
    readonly terminatesIn: "aws" | "azure";
    readonly ourAsn: number;
    readonly siteAsn: number;
    /** AWS-terminated: per cluster, the two tunnels (AWS end first host, the site's end second). */
    readonly tunnels?: Readonly<
      Record<string, readonly Pick<VpnTunnelPlan, "insideCidr" | "awsInsideAddress" | "peerInsideAddress">[]>
    >;
    readonly ipsec: typeof IPSEC;
  }[];
}

export interface JoinInput {
  readonly plan: NetworkPlan;
  readonly sites: readonly {
    readonly name: string;
    readonly asn: number;
    readonly terminatesIn: "aws" | "azure";
  }[];
  readonly identities: ReadonlyMap<string, PublicIdentity>;
  readonly genesisJson: string;
  readonly tesseraTls: TesseraTls;
  /** The network CA's certificate and the external parties' certificates by peer name (strict TLS only). */
  readonly tesseraCertificates?: {
    readonly ca: string;
    readonly externalPeers: ReadonlyMap<string, string>;
  };
}

export function joinDocument({
  plan,
  sites,
  identities,
  genesisJson,
  tesseraTls,
  tesseraCertificates,
}: JoinInput): JoinDocument {
  const nodes = plan.clusters.flatMap((cluster) =>
    cluster.nodes.map((node) => {
      const identity = identities.get(node.name);
      if (!identity) throw new Error(`no node identity for ${node.name}`);
      const host = advertisedP2pHost(node, cluster);
      return {
        name: node.name,
        role: node.role,
        enodeUrl: enodeUrl(identity.publicKey, host, PORTS.p2p),
        ...(node.role === "validator" ? { validatorAddress: identity.address } : {}),
        ...(node.role === "member"
          ? {
              tesseraUrl: tesseraP2pUrl(node, cluster, tesseraTls),
              tesseraPublicKey: identity.tesseraPublicKey,
            }
          : {}),
      };
    }),
  );
  const vpn = plan.connectivity.vpn;
  return {
    network: { name: plan.network.name, chainId: plan.network.chainId, consensus: plan.network.consensus },
    genesis: genesisJson,
    nodes,
    externalPeers: plan.externalPeers.map((p) => {
      const certificate = tesseraCertificates?.externalPeers.get(p.name);
      return {
        name: p.name,
        enodeUrl: externalEnodeUrl(p),
        ...(p.tesseraUrl ? { tesseraUrl: p.tesseraUrl } : {}),
        ...(certificate ? { tesseraCertificate: certificate } : {}),
      };
    }),
    ranges: plan.connectivity.routedRanges,
    ports: { p2p: PORTS.p2p, tesseraP2p: PORTS.tesseraP2p },
    tesseraTls,
    ...(tesseraCertificates ? { tesseraCaCertificate: tesseraCertificates.ca } : {}),
    // Sites make the planner plan a VPN, so there are none without one.
    sites: sites.flatMap((site) => {
      if (!vpn) return [];
      const connections = vpn.awsConnections.filter(
        (c) => "site" in c.customerGateway && c.customerGateway.site === site.name,
      );
      const tunnels = Object.fromEntries(
        connections.map((c) => [
          c.awsCluster,
          c.tunnels.map(({ insideCidr, awsInsideAddress, peerInsideAddress }) => ({
            insideCidr,
            awsInsideAddress,
            peerInsideAddress,
          })),
        ]),
      );
      return [
        {
          name: site.name,
          terminatesIn: site.terminatesIn,
          ourAsn: site.terminatesIn === "aws" ? vpn.awsAsn : vpn.azureAsn,
          siteAsn: site.asn,
          ...(connections.length > 0 ? { tunnels } : {}),
          ipsec: IPSEC,
        },
      ];
    }),
  };
}
