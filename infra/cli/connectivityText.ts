/** The connectivity part of `npm run plan`: the link matrix, routed ranges, VPN tunnels and costs. */
import type { DeployerPath } from "../plan/apiAccess";
import type { ConnectivityPlan, ExternalPeerPlan } from "../plan/connectivityTypes";

const HOURS_PER_MONTH = 730;

function matrix(clusters: readonly string[], connectivity: ConnectivityPlan): string[] {
  const kindOf = (a: string, b: string) =>
    a === b
      ? "-"
      : (connectivity.links.find((l) => l.between.includes(a) && l.between.includes(b))?.kind ??
        "not joined");
  const width = Math.max(12, ...clusters.map((c) => c.length + 2));
  const row = (cells: readonly string[]) => `  ${cells.map((c) => c.padEnd(width)).join("")}`.trimEnd();
  return [row(["", ...clusters]), ...clusters.map((a) => row([a, ...clusters.map((b) => kindOf(a, b))]))];
}

export function describeConnectivity(
  clusters: readonly string[],
  connectivity: ConnectivityPlan,
  externalPeers: readonly ExternalPeerPlan[],
): string[] {
  const lines = ["connectivity:", ...matrix(clusters, connectivity)];
  for (const link of connectivity.links) {
    const [a, b] = link.between;
    lines.push(
      `  ${a} <-> ${b} (${link.kind}): ${a} routes ${link.routes[a].join(", ")}; ${b} routes ${link.routes[b].join(", ")}`,
    );
  }
  for (const note of connectivity.notes) lines.push(`  note: ${note}`);
  const vpn = connectivity.vpn;
  if (vpn) {
    lines.push(
      `vpn: BGP, AWS ASN ${vpn.awsAsn}, Azure ASN ${vpn.azureAsn}; virtual private gateways in ${vpn.awsGateways.join(", ") || "-"}`,
    );
    for (const c of vpn.awsConnections) {
      const far =
        "site" in c.customerGateway
          ? `site ${c.customerGateway.site} (${c.customerGateway.ipAddress})`
          : `${c.customerGateway.azureCluster} gateway instance ${c.customerGateway.instance}`;
      const tunnels = c.tunnels
        .map((t) => `${t.insideCidr} (aws ${t.awsInsideAddress}, peer ${t.peerInsideAddress})`)
        .join(", ");
      lines.push(`  ${c.name}: ${c.awsCluster} -> ${far}, ASN ${c.customerGatewayAsn}, tunnels ${tunnels}`);
    }
    for (const g of vpn.azureGateways) {
      lines.push(
        `  azure gateway ${g.cluster}: ${g.sku}, active-active, zones ${g.zones.join(",") || "none"}, ` +
          `BGP instance 0 [${g.instanceBgpAddresses[0].join(", ")}] instance 1 [${g.instanceBgpAddresses[1].join(", ")}], ` +
          `${g.localGateways.length} local network gateways`,
      );
    }
    const k = vpn.cost;
    lines.push(
      `  cost: ${k.awsVpnConnections} AWS VPN connections, ${k.tunnels} tunnels, ${k.azureGateways} Azure ${vpn.gatewaySku} gateways ` +
        `with ${k.azurePublicIps} public IPs: about ${k.hourlyUsd.total} USD/h (${Math.round(k.hourlyUsd.total * HOURS_PER_MONTH)} USD/month) before data transfer`,
      `  time: an Azure VPN gateway takes up to ${k.azureGatewayCreationMinutes} minutes to create; the first pulumi up waits for it`,
    );
  }
  for (const p of externalPeers) {
    lines.push(
      `external peer ${p.name}: ${p.host}:${p.port} from ${p.range}${p.validatorAddress ? `, validator ${p.validatorAddress}` : ""}` +
        `${p.tesseraUrl ? `, Tessera ${p.tesseraUrl}` : ""}; routed from ${p.routedFrom.join(", ") || "outside the stack"}`,
    );
  }
  return lines;
}

/** Who reaches each cloud cluster's API server (TCP 443), over what, and what admits them. */
export function describeDeployerPaths(paths: readonly DeployerPath[]): string[] {
  if (paths.length === 0) return [];
  const over = (p: DeployerPath) =>
    p.route.kind === "internet"
      ? "the Internet"
      : p.route.kind === "site"
        ? `site ${p.route.site} (VPN)`
        : `management network ${p.route.network} (${p.route.link})`;
  return [
    "deployer paths (to each API server, TCP 443):",
    ...paths.map(
      (p) =>
        `  ${p.cluster}: ${p.source} -> ${p.endpoint} endpoint over ${over(p)}, admitted by ${p.admittedBy}`,
    ),
  ];
}
