/**
 * The network planner: from a parsed stack config to the network plan, or to every issue that
 * stops it. Pure and deterministic: the same config gives a deep-equal plan, key order included.
 * Every check runs and reports; a stage is skipped only for a cluster whose inputs already failed.
 */

import type { ConfigIssue } from "../config/issue";
import type { ClusterConfig, StackConfig } from "../config/schema";
import { assignRanges, type ClusterRanges, neededRanges } from "./addressing";
import { adminIssues } from "./admins";
import { apiAccessIssues, deployerPaths } from "./apiAccess";
import { besuIssues } from "./besuIssues";
import { planCapacity } from "./capacity";
import { formatCidr, parseCidr } from "./cidr";
import { nodeClients } from "./clients";
import { planConnectivity } from "./connectivity";
import { consensusIssues } from "./consensus";
import { planExternalPeers } from "./externalPeers";
import { externalRangeIssues } from "./externalRanges";
import { planFaultTolerance } from "./faultTolerance";
import { genesisGasLimitIssues } from "./genesisGasLimit";
import { planIngress, siteClientIssues, unsafeRouteIssues, withClientRanges } from "./ingress";
import { error, hasErrors } from "./issues";
import { planMaintenanceWindows } from "./maintenance";
import { grafanaRouteIssues, monitoringIssues } from "./monitoring";
import { genesisValidatorNames, nodeReferenceIssues } from "./nodeReferences";
import { monitoringEndpointIp, planNodes } from "./nodes";
import { checkRanges } from "./rangeChecks";
import { siteIssues, vpnAsnIssues } from "./sites";
import { layoutSubnets } from "./subnets";
import { tesseraIssues } from "./tessera";
import type { CapacityPlan, ClusterPlan, NetworkPlan, SubnetPlan } from "./types";
import { clusterZones, LOCAL_REGION } from "./zones";

function nameIssues(config: StackConfig): ConfigIssue[] {
  return config.clusters.flatMap((cluster, i) => {
    const first = config.clusters.findIndex((c) => c.name === cluster.name);
    return first === i
      ? []
      : [
          error(
            `clusters[${i}].name`,
            `cluster name "${cluster.name}" is already used by clusters[${first}]: names must be unique.`,
          ),
        ];
  });
}

/** A local cluster is an existing cluster the program cannot peer, so it must be the only one. */
function localIssues(config: StackConfig): ConfigIssue[] {
  if (config.clusters.length === 1) return [];
  const locals = config.clusters.flatMap((c, i) => (c.provider === "local" ? [i] : []));
  const mixed = locals.length < config.clusters.length;
  return locals.map((i) =>
    error(
      `clusters[${i}].provider`,
      mixed
        ? `"local" cannot be mixed with aws or azure clusters: local clusters cannot peer, so a network with one has exactly that one cluster.`
        : `"local" appears ${locals.length} times: a network has at most one local cluster, and then no other cluster.`,
    ),
  );
}

/** Client ranges in the workload settings must parse; they feed NetworkPolicies. */
function workloadCidrIssues(config: StackConfig): ConfigIssue[] {
  const lists = {
    "network.workloads.rpc.allowedCidrs": config.network.workloads.rpc.allowedCidrs,
    "network.workloads.tessera.thirdPartyAllowedCidrs":
      config.network.workloads.tessera.thirdPartyAllowedCidrs,
  };
  return Object.entries(lists).flatMap(([path, cidrs]) =>
    cidrs.flatMap((text, k) => {
      const parsed = parseCidr(text);
      return parsed.ok ? [] : [error(`${path}[${k}]`, parsed.reason)];
    }),
  );
}

interface ClusterResult {
  readonly plan: ClusterPlan;
  readonly issues: ConfigIssue[];
}

function planCluster(cluster: ClusterConfig, i: number, ranges: ClusterRanges): ClusterResult {
  const path = `clusters[${i}]`;
  const issues: ConfigIssue[] = [];
  const zoned = clusterZones(cluster, path);
  if ("issue" in zoned) issues.push(zoned.issue);
  const zones = "zones" in zoned ? zoned.zones : [];
  let subnets: readonly SubnetPlan[] = [];
  let capacity: CapacityPlan | undefined;
  const complete = neededRanges(cluster).every((kind) => ranges[kind]);
  if (cluster.provider !== "local" && "zones" in zoned && complete && ranges.cidr) {
    const layout = layoutSubnets(cluster, path, zones, {
      cidr: ranges.cidr.cidr,
      podCidr: ranges.podCidr?.cidr,
      allocated: ranges.cidr.allocated,
    });
    if ("issue" in layout) issues.push(layout.issue);
    else {
      subnets = layout.subnets;
      const planned = planCapacity({ cluster, path, subnets, podCidr: ranges.podCidr?.cidr });
      capacity = planned.capacity;
      issues.push(...planned.issues);
    }
  }
  const nodes = planNodes(cluster, path, zones, subnets);
  const monitoringEndpoint = monitoringEndpointIp(subnets);
  issues.push(...nodes.issues);
  const published = planIngress(cluster, path, nodes.nodes);
  issues.push(...published.issues);
  const range = (kind: keyof ClusterRanges) => {
    const assigned = ranges[kind];
    return assigned ? { [kind]: formatCidr(assigned.cidr) } : {};
  };
  const plan: ClusterPlan = {
    name: cluster.name,
    provider: cluster.provider,
    region: cluster.provider === "local" ? LOCAL_REGION : cluster.region,
    namespace: cluster.namespace,
    ...range("cidr"),
    ...range("serviceCidr"),
    ...range("podCidr"),
    zones,
    subnets,
    ...(capacity ? { capacity } : {}),
    nodes: nodes.nodes,
    ...(monitoringEndpoint ? { monitoringEndpointIp: monitoringEndpoint } : {}),
    ...(published.ingress ? { ingress: published.ingress } : {}),
  };
  return { plan, issues };
}

export function planNetwork(config: StackConfig): { plan?: NetworkPlan; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [...nameIssues(config), ...localIssues(config), ...monitoringIssues(config)];
  const assigned = assignRanges(config);
  issues.push(
    ...assigned.issues,
    ...checkRanges(config, assigned.ranges),
    ...externalRangeIssues(config, assigned.ranges),
    ...workloadCidrIssues(config),
    ...siteIssues(config),
    ...vpnAsnIssues(config),
    ...consensusIssues(config.network),
    ...adminIssues(config),
    ...tesseraIssues(config),
  );
  const clusters = config.clusters.map((cluster, i) => {
    const result = planCluster(cluster, i, assigned.ranges[i]);
    issues.push(...result.issues);
    return result.plan;
  });
  const external = planExternalPeers(config, clusters);
  const clients = nodeClients(config, clusters);
  issues.push(
    ...genesisGasLimitIssues(
      config.network,
      "unknown",
      clients.filter((n) => n.client === "besu"),
    ),
    ...besuIssues(config, clients),
  );
  const connectivity = planConnectivity(config, clusters);
  const fault = planFaultTolerance(config, clusters, external.externalPeers);
  const maintenance = planMaintenanceWindows(config);
  issues.push(
    ...maintenance.issues,
    ...external.issues,
    ...connectivity.issues,
    ...fault.issues,
    ...nodeReferenceIssues(config, clusters, external.externalPeers),
    ...apiAccessIssues(config, clusters),
    ...unsafeRouteIssues(config),
    ...siteClientIssues(config, connectivity.connectivity),
    ...grafanaRouteIssues(config),
  );
  if (hasErrors(issues)) return { issues };
  const { name, chainId, consensus } = config.network;
  const plan: NetworkPlan = {
    network: {
      name,
      chainId,
      consensus,
      genesisValidators: genesisValidatorNames(config, clusters, external.externalPeers),
    },
    clusters: withClientRanges(clusters, connectivity.connectivity),
    connectivity: connectivity.connectivity,
    externalPeers: external.externalPeers,
    deployerPaths: deployerPaths(config),
    faultTolerance: fault.faultTolerance,
    maintenance: maintenance.windows,
    warnings: issues.filter((issue) => issue.severity === "warning"),
  };
  return { plan, issues };
}
