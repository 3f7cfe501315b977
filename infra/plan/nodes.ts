/**
 * The GoQuorum nodes of a cluster: names, zones and reserved endpoint addresses. Everything is a
 * function of the node's role and index only, so adding a node or a cluster never moves another node.
 *
 * Zone: role ordinal r (validator 0, rpc 1, member 2) and index i give zone (i + r) mod zones, so
 * validators spread from the first zone and the other roles start one and two zones later.
 * Endpoint IP (cloud clusters): in the endpoints subnet of the node's zone (AWS) or the regional one
 * (Azure), at offset 4 + 3k + r, where k is the node's ordinal among its role in that subnet
 * (floor(i / zones) on AWS, i on Azure). Offsets 0-3 and the last address belong to the cloud; the address
 * before the last one of the first endpoints subnet is the cluster's monitoring endpoint (Prometheus
 * federation). The roles interleave, so a /24 endpoints subnet holds 84 validators, 83 rpc and 83 members; a
 * node whose offset would pass the last address left is an error.
 */

import type { ConfigIssue } from "../config/issue";
import type { ClusterConfig, NodeRole } from "../config/schema";
import { addressAt, cidr, cidrSize } from "./cidr";
import { error } from "./issues";
import type { ClusterPlan, EndpointPlacement, NodePlan, SubnetPlan } from "./types";

const ROLES: readonly NodeRole[] = ["validator", "rpc", "member"];
const COUNT_KEYS: Readonly<Record<NodeRole, "validators" | "rpc" | "members">> = {
  validator: "validators",
  rpc: "rpc",
  member: "members",
};
/** The cloud keeps the first four addresses of every subnet. */
const FIRST_ENDPOINT_OFFSET = 4;

/** Endpoint offset of the k-th node of role ordinal r in its endpoints subnet. */
const endpointOffset = (k: number, roleOrdinal: number): number =>
  FIRST_ENDPOINT_OFFSET + ROLES.length * k + roleOrdinal;

/** Offset of the monitoring endpoint: the last address but one (the last is the cloud's). */
const monitoringEndpointOffset = (size: number): number => size - 2;

/** How many nodes of a role an endpoints subnet of `size` addresses holds (below the monitoring endpoint). */
export const endpointCapacity = (size: number, roleOrdinal: number): number =>
  Math.max(
    0,
    Math.floor((monitoringEndpointOffset(size) - 1 - endpointOffset(0, roleOrdinal)) / ROLES.length) + 1,
  );

/**
 * The cluster's monitoring endpoint: the internal load balancer address of its Prometheus, which the central
 * cluster federates. Absent without an endpoints subnet (`local`).
 */
export function monitoringEndpointIp(subnets: readonly SubnetPlan[]): string | undefined {
  const first = subnets.find((s) => s.purpose === "endpoints");
  if (!first) return undefined;
  const range = cidr(first.cidr);
  return addressAt(range, monitoringEndpointOffset(cidrSize(range)));
}

export function planNodes(
  cluster: ClusterConfig,
  path: string,
  zones: readonly string[],
  subnets: readonly SubnetPlan[],
): { nodes: NodePlan[]; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const endpoints = subnets.filter((s) => s.purpose === "endpoints");
  const zonal = endpoints.some((s) => s.zone !== undefined);
  const nodes = ROLES.flatMap((role, r) => {
    let overflowReported = false;
    return Array.from({ length: cluster.nodes[COUNT_KEYS[role]] }, (_, index): NodePlan => {
      const zone = zones.length > 0 ? zones[(index + r) % zones.length] : undefined;
      const name = `${cluster.name}-${role}-${index}`;
      const client = cluster.nodeClients[name] ?? cluster.client;
      const base = {
        name,
        cluster: cluster.name,
        role,
        index,
        client,
        ...(zone === undefined ? {} : { zone }),
      };
      const subnet = zonal ? endpoints.find((s) => s.zone === zone) : endpoints[0];
      if (!subnet) return base;
      const k = zonal ? Math.floor(index / zones.length) : index;
      const range = cidr(subnet.cidr);
      if (k < endpointCapacity(cidrSize(range), r))
        return { ...base, endpointIp: addressAt(range, endpointOffset(k, r)) };
      if (!overflowReported) {
        overflowReported = true;
        const key = COUNT_KEYS[role];
        issues.push(
          error(
            `${path}.nodes.${key}`,
            `nodes.${key}: ${cluster.nodes[key]} puts more ${role} nodes in endpoints subnet ${subnet.name} (${subnet.cidr}) than its ${endpointCapacity(cidrSize(range), r)} ${role} endpoint addresses: lower nodes.${key}, spread over more zones or give the cluster a larger cidr.`,
          ),
        );
      }
      return base;
    });
  });
  const names = new Set(nodes.map((n) => n.name));
  for (const name of Object.keys(cluster.nodeClients).filter((n) => !names.has(n))) {
    issues.push(
      error(
        `${path}.nodeClients.${name}`,
        `nodeClients names ${name}, which is not a node of cluster ${cluster.name} (its nodes: ${[...names].join(", ") || "none"}): use a node name from \`npm run plan\` or remove the entry.`,
      ),
    );
  }
  return { nodes, issues };
}

/** The endpoints subnet that holds a node's `endpointIp`: its zone's, or the cluster's only one. */
export function endpointSubnetOf(cluster: ClusterPlan, node: EndpointPlacement): SubnetPlan {
  const endpoints = cluster.subnets.filter((s) => s.purpose === "endpoints");
  const subnet = endpoints.find((s) => s.zone === node.zone) ?? endpoints.find((s) => s.zone === undefined);
  if (!subnet || node.endpointIp === undefined) {
    throw new Error(`node ${node.name} has no endpoint address in cluster ${cluster.name}`);
  }
  return subnet;
}
