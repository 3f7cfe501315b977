/** Checks of `network.connectivity.sites` that need more than the schema: names, ASNs, BGP addresses. */
import type { ConfigIssue } from "../config/issue";
import type { StackConfig } from "../config/schema";
import { error, warning } from "./issues";

/** ASNs no BGP speaker may use (IANA): AS_TRANS and the documentation and reserved blocks. */
const IANA_RESERVED_ASNS: readonly (readonly [number, number])[] = [
  [23456, 23456],
  [64496, 64511],
  [65535, 65551],
];
/** ASNs Azure keeps for its own services; a local network gateway may not use them. */
const AZURE_RESERVED_ASNS: readonly (readonly [number, number])[] = [
  [8074, 8075],
  [12076, 12076],
  [65515, 65520],
];

const within = (asn: number, ranges: readonly (readonly [number, number])[]) =>
  ranges.some(([low, high]) => asn >= low && asn <= high);

export function siteIssues(config: StackConfig): ConfigIssue[] {
  const { sites, vpn } = config.network.connectivity;
  const issues: ConfigIssue[] = [];
  const clusterNames = new Set(config.clusters.map((c) => c.name));
  sites.forEach((site, i) => {
    const path = `network.connectivity.sites[${i}]`;
    const first = sites.findIndex((s) => s.name === site.name);
    if (first !== i)
      issues.push(error(`${path}.name`, `site name "${site.name}" is already used by sites[${first}].`));
    if (clusterNames.has(site.name)) {
      issues.push(
        error(`${path}.name`, `"${site.name}" is a cluster name: sites and clusters need distinct names.`),
      );
    }
    if (!config.clusters.some((c) => c.provider === site.terminatesIn)) {
      issues.push(
        error(
          `${path}.terminatesIn`,
          `${site.terminatesIn}: the stack has no ${site.terminatesIn} cluster to terminate the site.`,
        ),
      );
    }
    const ours = site.terminatesIn === "aws" ? vpn.awsAsn : vpn.azureAsn;
    const ourKey = site.terminatesIn === "aws" ? "awsAsn" : "azureAsn";
    if (site.asn === ours) {
      issues.push(
        error(
          `${path}.asn`,
          `${site.asn} is network.connectivity.vpn.${ourKey}: the site needs an ASN of its own, or BGP drops its routes.`,
        ),
      );
    } else if (within(site.asn, IANA_RESERVED_ASNS)) {
      issues.push(error(`${path}.asn`, `${site.asn} is reserved (23456, 64496-64511, 65535-65551).`));
    } else if (site.terminatesIn === "azure" && within(site.asn, AZURE_RESERVED_ASNS)) {
      issues.push(error(`${path}.asn`, `${site.asn} is reserved by Azure (8074, 8075, 12076, 65515-65520).`));
    }
    if (site.terminatesIn === "azure" && !site.bgpPeerAddress) {
      issues.push(
        error(
          `${path}.bgpPeerAddress`,
          "is required with terminatesIn: azure: the Azure gateways peer with the site's BGP address.",
        ),
      );
    }
    if (site.terminatesIn === "aws" && site.bgpPeerAddress) {
      issues.push(
        warning(
          `${path}.bgpPeerAddress`,
          `${site.bgpPeerAddress} is ignored with terminatesIn: aws: the site's BGP addresses are the planned tunnel inside addresses.`,
        ),
      );
    }
  });
  return issues;
}
