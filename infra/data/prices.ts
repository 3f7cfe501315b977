/**
 * List prices behind `npm run plan`'s monthly estimate: USD, on-demand / pay-as-you-go, Linux, before tax,
 * discounts (savings plans, reservations), data transfer and per-request or per-GB processing charges. Every
 * figure names its source page; `PRICES_CHECKED` is the day the table was last compared with them. A region
 * without its own row is priced at the base region's figures times its factor in `*_REGION_FACTORS`, and
 * every item priced that way says so. To refresh: docs/cost.md, "Refreshing the price table".
 */

export const PRICES_CHECKED = "2026-12-06";

/** AWS and Azure both bill a month as 730 hours. */
export const HOURS_PER_MONTH = 730;

export const SOURCES = {
  eks: "https://aws.amazon.com/eks/pricing/ (AWS Containers blog, Amazon EKS extended support for Kubernetes versions pricing)",
  ec2: "https://aws.amazon.com/ec2/pricing/on-demand/",
  vpc: "https://aws.amazon.com/vpc/pricing/ (NAT gateway; public IPv4 address)",
  elb: "https://aws.amazon.com/elasticloadbalancing/pricing/ (Network Load Balancer)",
  ebs: "https://aws.amazon.com/ebs/pricing/",
  cloudwatch: "https://aws.amazon.com/cloudwatch/pricing/ (Logs: collect, store)",
  awsVpn: "https://aws.amazon.com/vpn/pricing/ (Site-to-Site VPN connection)",
  aks: "https://azure.microsoft.com/pricing/details/kubernetes-service/ (Standard tier)",
  azureVm: "https://azure.microsoft.com/pricing/details/virtual-machines/linux/",
  azureDisks: "https://azure.microsoft.com/pricing/details/managed-disks/ (Premium SSD, LRS)",
  azureLb: "https://azure.microsoft.com/pricing/details/load-balancer/ (Standard)",
  azureIp: "https://azure.microsoft.com/pricing/details/ip-addresses/ (Standard static IPv4)",
  azureVpn: "https://azure.microsoft.com/pricing/details/vpn-gateway/",
} as const;
export type PriceSource = keyof typeof SOURCES;

/** EKS: per cluster-hour, the same in every commercial region. Extended support is the total, not a surcharge. */
export const EKS_CLUSTER_USD_PER_HOUR = { STANDARD: 0.1, EXTENDED: 0.6 } as const;

/** AKS control plane per cluster-hour by tier; the program creates Standard clusters (uptime SLA). */
export const AKS_TIER_USD_PER_HOUR: Readonly<Record<string, number>> = {
  Free: 0,
  Standard: 0.1,
  Premium: 0.6,
};

/** AWS Site-to-Site VPN: per connection-hour (two tunnels); the same in the regions the stacks use. */
export const AWS_VPN_CONNECTION_USD_PER_HOUR = 0.05;
/** Azure VPN gateway (zone-redundant SKUs) per gateway-hour, and each of its Standard public IPs. */
export const AZURE_GATEWAY_USD_PER_HOUR: Readonly<Record<string, number>> = {
  VpnGw1AZ: 0.361,
  VpnGw2AZ: 0.564,
  VpnGw3AZ: 1.434,
  VpnGw4AZ: 2.454,
  VpnGw5AZ: 4.288,
};
export const AZURE_STANDARD_PUBLIC_IP_USD_PER_HOUR = 0.005;

export interface AwsRegionPrices {
  /**
   * EC2 Linux on-demand per vCPU-hour by instance family: within these families the price is linear in
   * vCPUs (m6i.large 0.096, m6i.xlarge 0.192, m6i.2xlarge 0.384 in us-east-1).
   */
  readonly ec2PerVcpuHour: Readonly<Record<string, number>>;
  readonly natGatewayHour: number;
  readonly nlbHour: number;
  readonly publicIpv4Hour: number;
  readonly gp3GbMonth: number;
  readonly logsIngestGb: number;
  readonly logsStoreGbMonth: number;
}

export const AWS_BASE_REGION = "us-east-1";

export const AWS_PRICES: Readonly<Record<string, AwsRegionPrices>> = {
  "us-east-1": {
    ec2PerVcpuHour: {
      m5: 0.048,
      m6i: 0.048,
      m6a: 0.0432,
      m7i: 0.0504,
      m7g: 0.0408,
      c5: 0.0425,
      c6i: 0.0425,
      r5: 0.063,
      r6i: 0.063,
    },
    natGatewayHour: 0.045,
    nlbHour: 0.0225,
    publicIpv4Hour: 0.005,
    gp3GbMonth: 0.08,
    logsIngestGb: 0.5,
    logsStoreGbMonth: 0.03,
  },
  "eu-west-1": {
    ec2PerVcpuHour: { m5: 0.0535, m6i: 0.0535, c5: 0.0475, c6i: 0.0475, r5: 0.0705, r6i: 0.0705 },
    natGatewayHour: 0.048,
    nlbHour: 0.0252,
    publicIpv4Hour: 0.005,
    gp3GbMonth: 0.088,
    logsIngestGb: 0.57,
    logsStoreGbMonth: 0.03,
  },
};

/**
 * Regions without a row (and families a row lacks): the us-east-1 figure times this factor. The factors are
 * EC2 m5.xlarge list prices over us-east-1's 0.192 (eu-west-1 0.214, eu-central-1 0.228, ap-southeast-1
 * 0.224, ap-southeast-2 0.248, ap-northeast-1 0.26; us-east-2 and us-west-2 equal us-east-1), applied to every
 * AWS figure of the region. Any other region: `AWS_DEFAULT_REGION_FACTOR`, an upper-middle guess.
 */
export const AWS_REGION_FACTORS: Readonly<Record<string, number>> = {
  "us-east-1": 1,
  "us-east-2": 1,
  "us-west-2": 1,
  "eu-west-1": 1.115,
  "eu-central-1": 1.188,
  "ap-southeast-1": 1.167,
  "ap-southeast-2": 1.292,
  "ap-northeast-1": 1.354,
};
export const AWS_DEFAULT_REGION_FACTOR = 1.25;

export interface AzureRegionPrices {
  /** VM pay-as-you-go Linux per vCPU-hour by series (`Ds_v5` for Standard_D4s_v5): linear in vCPUs. */
  readonly vmPerVcpuHour: Readonly<Record<string, number>>;
  /** Premium SSD LRS per disk-month by tier size in GiB (a disk is billed at the next tier up). */
  readonly premiumSsdMonth: Readonly<Record<number, number>>;
  /** Standard load balancer: the first five rules (load-balancing and outbound) per hour, then per rule. */
  readonly lbFirstFiveRulesHour: number;
  readonly lbExtraRuleHour: number;
  readonly publicIpHour: number;
}

export const AZURE_BASE_REGION = "eastus";

export const AZURE_PRICES: Readonly<Record<string, AzureRegionPrices>> = {
  eastus: {
    vmPerVcpuHour: {
      D_v5: 0.048,
      Ds_v5: 0.048,
      Dds_v5: 0.0565,
      Das_v5: 0.043,
      Ds_v4: 0.048,
      Ds_v3: 0.048,
      E_v5: 0.063,
      Es_v5: 0.063,
      Fs_v2: 0.04225,
    },
    premiumSsdMonth: {
      4: 0.77,
      8: 1.54,
      16: 3.01,
      32: 5.28,
      64: 10.21,
      128: 19.71,
      256: 38.02,
      512: 73.22,
      1024: 135.17,
      2048: 259.05,
      4096: 495.57,
    },
    lbFirstFiveRulesHour: 0.025,
    lbExtraRuleHour: 0.01,
    publicIpHour: AZURE_STANDARD_PUBLIC_IP_USD_PER_HOUR,
  },
};

/**
 * Regions without a row: East US VM and disk figures times this factor; load balancer, public IP, AKS tier and
 * VPN gateway prices are the same list price across regions. No West Europe VM price could be confirmed
 * offline: 1.25 is the on-demand gap a published comparison of Dv3 found between West Europe and East US
 * (cloudhiro.com, "Azure regional pricing models - the devil is in the details"), on the high side for Dsv5.
 */
export const AZURE_REGION_FACTORS: Readonly<Record<string, number>> = {
  eastus: 1,
  westeurope: 1.25,
};
export const AZURE_DEFAULT_REGION_FACTOR = 1.25;

/**
 * EKS control-plane logs are billed per GB ingested and stored; their volume depends on API traffic, not on
 * the plan. The estimate assumes this much per cluster and day (all five log types, audit dominating, on a
 * cluster of a few nodes); read the log group's IncomingBytes metric after a week and adjust.
 */
export const EKS_CONTROL_PLANE_LOG_GB_PER_DAY = 0.5;
