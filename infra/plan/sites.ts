/**
 * Checks of the VPN's ASNs and of `network.connectivity.sites` that need more than the schema: names, ASNs
 * (against what each cloud reserves: `../aws/behaviour`, `../azure/behaviour`), BGP addresses.
 */
import { AWS_RESERVED_CUSTOMER_GATEWAY_ASNS } from "../aws/behaviour";
import { AZURE_RESERVED_ASNS } from "../azure/behaviour";
import type { ConfigIssue } from "../config/issue";
import type { StackConfig } from "../config/schema";
import { error, warning } from "./issues";

/** ASNs no BGP speaker may use (IANA): AS_TRANS and the documentation and reserved blocks. */
const IANA_RESERVED_ASNS: readonly (readonly [number, number])[] = [
  [23456, 23456],
  [64496, 64511],
  [65535, 65551],
];
const within = (asn: number, ranges: readonly (readonly [number, number])[]) =>
  ranges.some(([low, high]) => asn >= low && asn <= high);
const listed = (ranges: readonly (readonly [number, number])[]) =>
  ranges.map(([low, high]) => (low === high ? `${low}` : `${low}-${high}`)).join(", ");

/** The AWS regions where a customer gateway may not carry `asn`. */
const awsReservedIn = (asn: number, regions: readonly string[]) =>
  regions.filter((region) =>
    AWS_RESERVED_CUSTOMER_GATEWAY_ASNS.some((r) => r.asn === asn && (r.region ?? region) === region),
  );

/**
 * `vpn.awsAsn` is what the Azure gateways' local network gateways carry for the AWS tunnels, so with
 * clusters in both clouds it must be an ASN Azure accepts there.
 */
export function vpnAsnIssues(config: StackConfig): ConfigIssue[] {
  const { awsAsn } = config.network.connectivity.vpn;
  const bothClouds = ["aws", "azure"].every((cloud) => config.clusters.some((c) => c.provider === cloud));
  if (!bothClouds || !within(awsAsn, AZURE_RESERVED_ASNS)) return [];
  return [
    error(
      "network.connectivity.vpn.awsAsn",
      `${awsAsn} is reserved by Azure (${listed(AZURE_RESERVED_ASNS)}), and the Azure VPN gateways peer with the AWS gateways under this ASN: pick another private ASN, e.g. 64512 (the default).`,
    ),
  ];
}

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
      issues.push(error(`${path}.asn`, `${site.asn} is reserved by Azure (${listed(AZURE_RESERVED_ASNS)}).`));
    } else if (site.terminatesIn === "aws") {
      const regions = awsReservedIn(site.asn, [
        ...new Set(config.clusters.filter((c) => c.provider === "aws").map((c) => c.region)),
      ]);
      if (regions.length > 0) {
        issues.push(
          error(
            `${path}.asn`,
            `${site.asn} is reserved by AWS for customer gateways in ${regions.join(", ")}.`,
          ),
        );
      }
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
