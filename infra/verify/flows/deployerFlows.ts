/**
 * The deployer's paths (`plan.deployerPaths`, from `clusters[].apiAccess`) as flows, end to end:
 * - needed: each public range to its cluster's public endpoint (EKS `publicAccessCidrs`, AKS authorized IP
 *   ranges); each private range from its management network or site to the private endpoint on 443: the
 *   name resolved, the management network's own egress, routes both ways (both sides of the peering, or BGP
 *   over the site's VPN), the EKS cluster security group or the AKS private endpoint;
 * - closed: the Internet outside `publicRanges` to every API server; every other cluster's pods, every site
 *   and management network not declared a deployer of the cluster, to its private endpoint; every management
 *   network to every port of the cluster's nodes, pods and load balancers (`closedTargets`), which its
 *   peering must not open.
 */
import { API_SERVER_PORT } from "../../plan/apiAccess";
import { inAnyPrefix, uncoveredAddress } from "./addresses";
import type { ApiClient, ApiRoute, Endpoint } from "./apiServer";
import type { Origin } from "./evaluate";
import { type FlowSpec, firstHost } from "./flowSpec";
import type { NetworkModel } from "./model";
import { INTERNET_CANDIDATES } from "./outsideFlows";
import { closedTargets } from "./siteFlows";

export function deployerFlows(model: NetworkModel): FlowSpec[] {
  const specs: FlowSpec[] = [];
  const { sites, managementNetworks } = model.config.network.connectivity;
  for (const cluster of model.clusters.values()) {
    const config = cluster.config;
    if (config.provider !== "aws" && config.provider !== "azure") continue;
    const key = `clusters[${cluster.index}].apiAccess`;
    const { publicRanges, privateRanges } = config.apiAccess;
    const api = (flow: {
      readonly from: string;
      readonly endpoint: Endpoint;
      readonly origin: Origin;
      readonly address: string;
      readonly path: string;
      /** Needed flows resolve the API server's name first, as this client; closed ones are about packets. */
      readonly neededBy?: ApiClient;
    }) => {
      const { from, endpoint, origin, address, path, neededBy } = flow;
      const required = neededBy !== undefined;
      const route: ApiRoute = {
        api: { cluster, endpoint, origin, address, ...(neededBy ? { resolveAs: neededBy } : {}) },
      };
      specs.push({
        from,
        to: `${cluster.plan.name}/api-server (${endpoint})`,
        port: API_SERVER_PORT,
        required,
        path,
        local: false,
        route,
      });
    };

    for (const path of model.plan.deployerPaths.filter((p) => p.cluster === cluster.plan.name)) {
      const address = firstHost(path.source);
      const ranges = path.endpoint === "public" ? publicRanges : privateRanges;
      const needed = {
        from: path.source,
        address,
        path: `${key}.${path.endpoint}Ranges[${ranges.indexOf(path.source)}]`,
      };
      if (path.route.kind === "internet") {
        const client = { kind: "internet" } as const;
        api({ ...needed, endpoint: "public", origin: { ...client, address }, neededBy: client });
      } else if (path.route.kind === "management-network") {
        const client = { kind: "management", network: path.route.network } as const;
        api({ ...needed, endpoint: "private", origin: { ...client, address }, neededBy: client });
      } else {
        const client = { kind: "site", site: path.route.site } as const;
        api({ ...needed, endpoint: "private", origin: { ...client, address }, neededBy: client });
      }
    }

    // The Internet, outside publicRanges, to the public endpoint (or where there is none).
    const internet = INTERNET_CANDIDATES.find((a) => !inAnyPrefix(a, publicRanges));
    if (internet) {
      const origin = { kind: "internet", address: internet } as const;
      api({ from: "internet", endpoint: "public", origin, address: internet, path: key });
    }

    // Every other cluster's pods to the private endpoint.
    const privateAddress = cluster.apiServer?.privateAddress;
    for (const peer of model.clusters.values()) {
      if (peer === cluster || !privateAddress) continue;
      const address = peer.sourceAddress(peer.stranger, privateAddress);
      if (!address || inAnyPrefix(address, privateRanges)) continue;
      const origin = { kind: "pod", pod: peer.stranger } as const;
      api({ from: peer.stranger.id, endpoint: "private", origin, address, path: key });
    }
    // Sites and management networks, where no private range covers them, to the private endpoint.
    for (const site of sites) {
      const address = uncoveredAddress(site.ranges, privateRanges);
      if (address === undefined) continue;
      const origin = { kind: "site", site: site.name, address } as const;
      api({ from: `site:${site.name}`, endpoint: "private", origin, address, path: key });
    }
    managementNetworks.forEach((m, j) => {
      // A management network reaches only the clusters of its own cloud (peerings, no transit).
      if (m.provider !== config.provider) return;
      const address = uncoveredAddress([m.cidr], privateRanges);
      if (address !== undefined) {
        const origin = { kind: "management", network: m.name, address } as const;
        api({ from: `management:${m.name}`, endpoint: "private", origin, address, path: key });
      }
      // Its peering opens nothing but the API server: every port of the nodes, pods and load balancers stays closed.
      const origin: Origin = { kind: "management", network: m.name, address: firstHost(m.cidr) };
      for (const { to, target } of closedTargets(cluster)) {
        specs.push({
          from: `management:${m.name}`,
          to,
          port: target.port,
          required: false,
          path: `network.connectivity.managementNetworks[${j}]`,
          local: false,
          route: { origin, target },
        });
      }
    });
  }
  return specs;
}
