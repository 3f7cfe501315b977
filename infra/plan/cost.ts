/**
 * The monthly cost estimate of a stack: what the program creates for each cluster (control plane, nodes at the
 * pools' `count` with the `maxCount` ceiling, NAT, load balancers, disks, VPN, control-plane logs), priced from
 * the table in `infra/data/prices.ts`. Pure: the plan and config give the quantities; the facts the higher
 * layers own (Service ports, AKS defaults) come in as `CostFacts`, built once in `infra/costFacts.ts`.
 */
import type { AwsClusterConfig, AzureClusterConfig, ClusterConfig, StackConfig } from "../config/schema";
import {
  AKS_TIER_USD_PER_HOUR,
  AWS_BASE_REGION,
  AWS_DEFAULT_REGION_FACTOR,
  AWS_PRICES,
  AWS_REGION_FACTORS,
  type AwsRegionPrices,
  AZURE_BASE_REGION,
  AZURE_DEFAULT_REGION_FACTOR,
  AZURE_PRICES,
  AZURE_REGION_FACTORS,
  type AzureRegionPrices,
  EKS_CLUSTER_USD_PER_HOUR,
  EKS_CONTROL_PLANE_LOG_GB_PER_DAY,
  HOURS_PER_MONTH,
  PRICES_CHECKED,
  type PriceSource,
  SOURCES,
} from "../data/prices";
import { awsInstanceType, azureVmVcpus } from "./instances";
import { centralClusterName } from "./monitoring";
import type { ClusterPlan, NetworkPlan, NodePlan } from "./types";
import { vpnCost } from "./vpnCost";

/** What a higher layer knows and the estimate counts on; see `infra/costFacts.ts`. */
export interface CostFacts {
  /** Ports of a GoQuorum node's cross-cluster load balancer Service, by role. */
  readonly nodeEndpointPorts: (node: Pick<NodePlan, "role" | "client">) => number;
  /** Ports of the Prometheus federation Service of a non-central cluster. */
  readonly federationPorts: number;
  /** Ports of an ingress gateway's load balancer Service. */
  readonly gatewayPorts: number;
  /** Volume of each cluster's Alertmanager, e.g. `2Gi`. */
  readonly alertmanagerVolume: string;
  /** The AKS tier the program creates. */
  readonly aksTier: string;
  /** The OS disk AKS gives a node of this size when the pool names none: ephemeral (free) or managed. */
  readonly aksOsDiskGiB: (vmSize: string) => number | "ephemeral";
  /** AKS's outbound load balancer (`outboundType: loadBalancer`): its outbound rules and public IPs. */
  readonly aksOutbound: { readonly rules: number; readonly publicIps: number };
}

export interface CostItem {
  readonly cluster: string;
  readonly what: string;
  readonly quantity: number;
  /** What one unit is: `hour` items cost quantity × unit price × 730 a month; `month` items quantity × unit price. */
  readonly per: "hour" | "month";
  readonly unitUsd: number;
  readonly monthlyUsd: number;
  /** With every pool at its `maxCount` (node and node-disk items only). */
  readonly ceiling?: { readonly quantity: number; readonly monthlyUsd: number };
  readonly source: string;
}

export interface ClusterCost {
  readonly cluster: string;
  readonly monthlyUsd: number;
  readonly ceilingMonthlyUsd: number;
}

export interface CostPlan {
  /** The stack at the pools' `count`. */
  readonly monthlyUsd: number;
  /** The stack with every pool at its `maxCount`. */
  readonly ceilingMonthlyUsd: number;
  readonly pricesChecked: string;
  readonly clusters: readonly ClusterCost[];
  readonly items: readonly CostItem[];
  /** What the table has no price for, and where to add one; these count as 0 in the totals. */
  readonly notPriced: readonly string[];
  /** What the estimate leaves out. */
  readonly notes: readonly string[];
}

/** To the cent, half up, after rounding away binary noise (24.6375 × 6 is 147.825, not 147.82499…). */
const cents = (usd: number) => Math.round(Math.round(usd * 1e6) / 1e4) / 100;
const micros = (usd: number) => Math.round(usd * 1e6) / 1e6;
const monthly = (quantity: number, per: CostItem["per"], unitUsd: number) =>
  cents(quantity * unitUsd * (per === "hour" ? HOURS_PER_MONTH : 1));

/** `100Gi` → 100, `1Ti` → 1024 (the schema admits only these two units). */
export function gibOf(size: string): number {
  const match = /^([0-9]+)(Gi|Ti)$/.exec(size);
  if (!match) throw new Error(`not a Gi/Ti size: ${size}`);
  return Number(match[1]) * (match[2] === "Ti" ? 1024 : 1);
}

interface Priced {
  readonly usd: number;
  readonly source: string;
}

const source = (key: PriceSource, note?: string) =>
  `${SOURCES[key]}, list price checked ${PRICES_CHECKED}${note ? `; ${note}` : ""}`;

/** A figure of the region's row, else the base region's times the regional factor (said in the source). */
function regional<R>(
  table: Readonly<Record<string, R>>,
  base: string,
  factors: Readonly<Record<string, number>>,
  fallbackFactor: number,
  region: string,
  pick: (row: R) => number | undefined,
  key: PriceSource,
): Priced | undefined {
  const own = table[region];
  const exact = own ? pick(own) : undefined;
  if (exact !== undefined) return { usd: exact, source: source(key) };
  const baseRow = table[base];
  const basePrice = baseRow ? pick(baseRow) : undefined;
  if (basePrice === undefined) return undefined;
  const factor = factors[region] ?? fallbackFactor;
  const why = factors[region] === undefined ? "no factor for the region: default" : "regional factor";
  return {
    usd: micros(basePrice * factor),
    source: source(key, `no ${region} figure: ${base} price × ${factor} (${why})`),
  };
}

const awsPrice = (region: string, pick: (row: AwsRegionPrices) => number | undefined, key: PriceSource) =>
  regional(AWS_PRICES, AWS_BASE_REGION, AWS_REGION_FACTORS, AWS_DEFAULT_REGION_FACTOR, region, pick, key);
const azurePrice = (region: string, pick: (row: AzureRegionPrices) => number | undefined, key: PriceSource) =>
  regional(
    AZURE_PRICES,
    AZURE_BASE_REGION,
    AZURE_REGION_FACTORS,
    AZURE_DEFAULT_REGION_FACTOR,
    region,
    pick,
    key,
  );
/** Uniform Azure list prices (load balancer, public IP): the East US row, with no regional factor. */
const azureUniform = (pick: (row: AzureRegionPrices) => number, key: PriceSource): Priced => {
  const row = AZURE_PRICES[AZURE_BASE_REGION];
  if (!row) throw new Error(`the price table lacks ${AZURE_BASE_REGION}`);
  return { usd: pick(row), source: source(key) };
};

/** EC2 family of an instance type: `m6i` of `m6i.2xlarge`. */
const ec2Family = (instanceType: string) => instanceType.split(".")[0] ?? instanceType;
/** Azure series of a VM size as the table keys it: `Ds_v5` of `Standard_D4s_v5`. */
export const azureSeries = (vmSize: string) => vmSize.replace(/^Standard_([A-Z])\d+/, "$1");

/** The smallest Premium SSD tier that holds `gib` (a disk is billed at the tier above its size). */
export function premiumSsdTier(gib: number): number | undefined {
  const row = AZURE_PRICES[AZURE_BASE_REGION];
  const tiers = Object.keys(row?.premiumSsdMonth ?? {})
    .map(Number)
    .sort((a, b) => a - b);
  return tiers.find((t) => t >= gib);
}

interface Builder {
  readonly items: CostItem[];
  readonly notPriced: string[];
}

function add(
  b: Builder,
  cluster: string,
  what: string,
  quantity: number,
  per: CostItem["per"],
  price: Priced | undefined,
  missing: string,
  ceilingQuantity?: number,
) {
  if (quantity <= 0) return;
  if (!price) {
    b.notPriced.push(`${cluster}: ${what} (${missing})`);
    return;
  }
  b.items.push({
    cluster,
    what,
    quantity,
    per,
    unitUsd: price.usd,
    monthlyUsd: monthly(quantity, per, price.usd),
    ...(ceilingQuantity !== undefined && ceilingQuantity !== quantity
      ? { ceiling: { quantity: ceilingQuantity, monthlyUsd: monthly(ceilingQuantity, per, price.usd) } }
      : {}),
    source: price.source,
  });
}

/** Internal load balancer frontends a cluster publishes, by kind, with their Service port counts. */
function loadBalancerPorts(config: StackConfig, cluster: ClusterPlan, facts: CostFacts) {
  const monitoring = config.network.monitoring;
  const federation =
    monitoring.enabled &&
    cluster.monitoringEndpointIp !== undefined &&
    centralClusterName(monitoring, config.clusters) !== cluster.name;
  const exposures = new Set((cluster.ingress?.routes ?? []).map((r) => r.exposure));
  return {
    nodes: cluster.nodes.filter((n) => n.endpointIp !== undefined).map((n) => facts.nodeEndpointPorts(n)),
    federation: federation ? facts.federationPorts : 0,
    internalGateway: exposures.has("internal") ? facts.gatewayPorts : 0,
    publicGateway: exposures.has("public") ? facts.gatewayPorts : 0,
  };
}

/** Chain-data volumes and the monitoring volumes of a cluster, in GiB each. */
function volumes(config: StackConfig, cluster: ClusterPlan, facts: CostFacts) {
  const monitoring = config.network.monitoring;
  const central = centralClusterName(monitoring, config.clusters) === cluster.name;
  return {
    chainData: cluster.nodes.map(() => gibOf(config.network.workloads.storageSize)),
    monitoring: monitoring.enabled
      ? [
          { name: "Prometheus", gib: gibOf(monitoring.storageSize) },
          { name: "Alertmanager", gib: gibOf(facts.alertmanagerVolume) },
          ...(central ? [{ name: "Grafana", gib: gibOf(monitoring.grafanaStorageSize) }] : []),
        ]
      : [],
  };
}

const sum = (xs: readonly number[]) => xs.reduce((a, x) => a + x, 0);
const ceilingOf = (pool: { count: number; maxCount?: number }) => Math.max(pool.count, pool.maxCount ?? 0);

function awsItems(
  b: Builder,
  config: StackConfig,
  c: AwsClusterConfig,
  cluster: ClusterPlan,
  plan: NetworkPlan,
  facts: CostFacts,
) {
  const name = cluster.name;
  const region = cluster.region;
  const extended = c.supportType === "EXTENDED";
  add(
    b,
    name,
    extended
      ? `EKS control plane, extended support (0.10/h while ${c.kubernetesVersion} is in standard support)`
      : "EKS control plane, standard support",
    1,
    "hour",
    { usd: EKS_CLUSTER_USD_PER_HOUR[c.supportType], source: source("eks") },
    "",
  );
  for (const pool of c.nodePools) {
    const type = awsInstanceType(pool.instanceType);
    const perVcpu = awsPrice(region, (r) => r.ec2PerVcpuHour[ec2Family(pool.instanceType)], "ec2");
    const price =
      type?.vcpus && perVcpu ? { ...perVcpu, usd: micros(perVcpu.usd * (type.vcpus ?? 0)) } : undefined;
    add(
      b,
      name,
      `nodes ${pool.instanceType} (pool ${pool.name})`,
      pool.count,
      "hour",
      price,
      `add the ${ec2Family(pool.instanceType)} family to AWS_PRICES.ec2PerVcpuHour`,
      ceilingOf(pool),
    );
    add(
      b,
      name,
      `node root volumes, gp3 ${pool.rootVolumeGiB} GiB each (pool ${pool.name}), GiB`,
      pool.count * pool.rootVolumeGiB,
      "month",
      awsPrice(region, (r) => r.gp3GbMonth, "ebs"),
      "",
      ceilingOf(pool) * pool.rootVolumeGiB,
    );
  }
  const natGateways = c.natGateways === "single" ? 1 : Math.max(1, cluster.zones.length);
  add(
    b,
    name,
    `NAT gateways (${c.natGateways})`,
    natGateways,
    "hour",
    awsPrice(region, (r) => r.natGatewayHour, "vpc"),
    "",
  );
  add(
    b,
    name,
    "public IPv4 addresses of the NAT gateways",
    natGateways,
    "hour",
    awsPrice(region, (r) => r.publicIpv4Hour, "vpc"),
    "",
  );
  const lbs = loadBalancerPorts(config, cluster, facts);
  const nlb = awsPrice(region, (r) => r.nlbHour, "elb");
  add(b, name, "internal NLBs, one per GoQuorum node", lbs.nodes.length, "hour", nlb, "");
  add(
    b,
    name,
    "internal NLB of the Prometheus federation endpoint",
    lbs.federation > 0 ? 1 : 0,
    "hour",
    nlb,
    "",
  );
  add(b, name, "NLB of the internal ingress gateway", lbs.internalGateway > 0 ? 1 : 0, "hour", nlb, "");
  add(b, name, "NLB of the public ingress gateway", lbs.publicGateway > 0 ? 1 : 0, "hour", nlb, "");
  add(
    b,
    name,
    "public IPv4 addresses of the public ingress NLB, one per zone",
    lbs.publicGateway > 0 ? cluster.zones.length : 0,
    "hour",
    awsPrice(region, (r) => r.publicIpv4Hour, "vpc"),
    "",
  );
  const vols = volumes(config, cluster, facts);
  const gp3 = awsPrice(region, (r) => r.gp3GbMonth, "ebs");
  add(
    b,
    name,
    `chain-data volumes, gp3 ${config.network.workloads.storageSize} × ${vols.chainData.length} nodes, GiB`,
    sum(vols.chainData),
    "month",
    gp3,
    "",
  );
  add(
    b,
    name,
    `monitoring volumes, gp3 (${vols.monitoring.map((v) => `${v.name} ${v.gib} GiB`).join(", ")}), GiB`,
    sum(vols.monitoring.map((v) => v.gib)),
    "month",
    gp3,
    "",
  );
  const logsPerMonth = cents(EKS_CONTROL_PLANE_LOG_GB_PER_DAY * (HOURS_PER_MONTH / 24));
  add(
    b,
    name,
    `control-plane logs ingested, GB (assumed ${EKS_CONTROL_PLANE_LOG_GB_PER_DAY} GB a day)`,
    logsPerMonth,
    "month",
    awsPrice(region, (r) => r.logsIngestGb, "cloudwatch"),
    "",
  );
  add(
    b,
    name,
    `control-plane logs stored, GB (${c.controlPlaneLogRetentionDays} days kept)`,
    cents(EKS_CONTROL_PLANE_LOG_GB_PER_DAY * c.controlPlaneLogRetentionDays),
    "month",
    awsPrice(region, (r) => r.logsStoreGbMonth, "cloudwatch"),
    "",
  );
  const vpn = plan.connectivity.vpn;
  const connections = (vpn?.awsConnections ?? []).filter((x) => x.awsCluster === name).length;
  if (vpn && connections > 0) {
    // The VPN's own cost model, for this cluster's connections.
    const hourly = vpnCost(vpn.gatewaySku, connections, []).hourlyUsd.awsVpnConnections;
    add(
      b,
      name,
      "Site-to-Site VPN connections (two tunnels each)",
      connections,
      "hour",
      { usd: micros(hourly / connections), source: source("awsVpn") },
      "",
    );
  }
}

function azureItems(
  b: Builder,
  config: StackConfig,
  c: AzureClusterConfig,
  cluster: ClusterPlan,
  plan: NetworkPlan,
  facts: CostFacts,
) {
  const name = cluster.name;
  const region = cluster.region;
  const tier = AKS_TIER_USD_PER_HOUR[facts.aksTier];
  add(
    b,
    name,
    `AKS control plane, ${facts.aksTier} tier`,
    1,
    "hour",
    tier === undefined ? undefined : { usd: tier, source: source("aks") },
    `add the ${facts.aksTier} tier to AKS_TIER_USD_PER_HOUR`,
  );
  for (const pool of c.nodePools) {
    const vcpus = azureVmVcpus(pool.vmSize);
    const perVcpu = azurePrice(region, (r) => r.vmPerVcpuHour[azureSeries(pool.vmSize)], "azureVm");
    const price = vcpus && perVcpu ? { ...perVcpu, usd: micros(perVcpu.usd * vcpus) } : undefined;
    add(
      b,
      name,
      `nodes ${pool.vmSize} (pool ${pool.name})`,
      pool.count,
      "hour",
      price,
      `add the ${azureSeries(pool.vmSize)} series to AZURE_PRICES.vmPerVcpuHour`,
      ceilingOf(pool),
    );
    const osDisk = facts.aksOsDiskGiB(pool.vmSize);
    if (osDisk !== "ephemeral") {
      add(
        b,
        name,
        `node OS disks, Premium SSD ${osDisk} GiB (pool ${pool.name}, AKS default)`,
        pool.count,
        "month",
        azurePrice(region, (r) => r.premiumSsdMonth[osDisk], "azureDisks"),
        `add a ${osDisk} GiB tier to AZURE_PRICES.premiumSsdMonth`,
        ceilingOf(pool),
      );
    }
  }
  const lbs = loadBalancerPorts(config, cluster, facts);
  // The Azure cloud provider puts every internal LoadBalancer Service of a cluster on one internal Standard
  // load balancer (`kubernetes-internal`), one rule per Service port (cloud-provider-azure, "Azure LoadBalancer").
  const internalRules = sum(lbs.nodes) + lbs.federation + lbs.internalGateway;
  const outboundRules = facts.aksOutbound.rules + lbs.publicGateway;
  for (const [lb, rules] of [
    ["internal load balancer (every internal Service)", internalRules],
    ["outbound load balancer (AKS outbound rule, public ingress)", outboundRules],
  ] as const) {
    if (rules === 0) continue;
    add(
      b,
      name,
      `${lb}: ${rules} rule${rules === 1 ? "" : "s"}, the first 5`,
      1,
      "hour",
      azureUniform((r) => r.lbFirstFiveRulesHour, "azureLb"),
      "",
    );
    add(
      b,
      name,
      `${lb}: rules beyond 5`,
      rules - 5,
      "hour",
      azureUniform((r) => r.lbExtraRuleHour, "azureLb"),
      "",
    );
  }
  add(
    b,
    name,
    `public IPs (AKS outbound${lbs.publicGateway > 0 ? ", public ingress" : ""})`,
    facts.aksOutbound.publicIps + (lbs.publicGateway > 0 ? 1 : 0),
    "hour",
    azureUniform((r) => r.publicIpHour, "azureIp"),
    "",
  );
  const vols = volumes(config, cluster, facts);
  const disks = [
    ...vols.chainData.map((gib) => ({ what: "chain-data volumes", gib })),
    ...vols.monitoring.map((v) => ({ what: `${v.name} volume`, gib: v.gib })),
  ];
  const byKind = new Map<string, number>();
  for (const d of disks) {
    const key = `${d.what}\u0000${d.gib}`;
    byKind.set(key, (byKind.get(key) ?? 0) + 1);
  }
  for (const [key, count] of byKind) {
    const [what, gibText] = key.split("\u0000");
    const gib = Number(gibText);
    const tierGib = premiumSsdTier(gib);
    add(
      b,
      name,
      `${what}, Premium SSD ${gib} GiB${tierGib !== undefined && tierGib !== gib ? ` (billed as ${tierGib} GiB)` : ""}`,
      count,
      "month",
      tierGib === undefined ? undefined : azurePrice(region, (r) => r.premiumSsdMonth[tierGib], "azureDisks"),
      `no Premium SSD tier of ${gib} GiB or more in AZURE_PRICES.premiumSsdMonth`,
    );
  }
  const vpn = plan.connectivity.vpn;
  const gateway = vpn?.azureGateways.find((g) => g.cluster === name);
  if (vpn && gateway) {
    // The VPN's own cost model, for this cluster's gateway and its public IPs.
    const cost = vpnCost(vpn.gatewaySku, 0, [gateway]);
    add(
      b,
      name,
      `VPN gateway ${vpn.gatewaySku}`,
      cost.azureGateways,
      "hour",
      {
        usd: micros(cost.hourlyUsd.azureGateways / cost.azureGateways),
        source: source("azureVpn"),
      },
      "",
    );
    add(
      b,
      name,
      "VPN gateway public IPs",
      cost.azurePublicIps,
      "hour",
      {
        usd: micros(cost.hourlyUsd.azurePublicIps / cost.azurePublicIps),
        source: source("azureIp"),
      },
      "",
    );
  }
}

const NOTES = [
  "list prices, on-demand/pay-as-you-go, Linux; before tax, discounts, data transfer, NAT and load-balancer data processing, NLB capacity units and Azure load-balancer data processed",
  "not priced: KMS keys (about 1 USD a month each), Secrets Manager secrets (0.40 USD a month each), Key Vault operations, snapshots",
  "volumes priced as the program's default classes (gp3 at its free baseline IOPS; Azure Premium SSD LRS), whatever `storageClass` says",
  "Azure: the program sends no logs to Log Analytics, so no log retention is billed there",
];

/** The monthly estimate of a planned stack. */
export function stackCost(config: StackConfig, plan: NetworkPlan, facts: CostFacts): CostPlan {
  const b: Builder = { items: [], notPriced: [] };
  const notes = [...NOTES];
  for (const cluster of plan.clusters) {
    const c: ClusterConfig | undefined = config.clusters.find((x) => x.name === cluster.name);
    if (c?.provider === "aws") awsItems(b, config, c, cluster, plan, facts);
    else if (c?.provider === "azure") azureItems(b, config, c, cluster, plan, facts);
    else notes.push(`${cluster.name}: an existing cluster (local); what it runs on is not priced`);
  }
  const clusters = plan.clusters.map((cluster) => {
    const items = b.items.filter((i) => i.cluster === cluster.name);
    return {
      cluster: cluster.name,
      monthlyUsd: cents(sum(items.map((i) => i.monthlyUsd))),
      ceilingMonthlyUsd: cents(sum(items.map((i) => i.ceiling?.monthlyUsd ?? i.monthlyUsd))),
    };
  });
  return {
    monthlyUsd: cents(sum(clusters.map((c) => c.monthlyUsd))),
    ceilingMonthlyUsd: cents(sum(clusters.map((c) => c.ceilingMonthlyUsd))),
    pricesChecked: PRICES_CHECKED,
    clusters,
    items: b.items,
    notPriced: b.notPriced,
    notes,
  };
}
