/**
 * Flows of the internal routes: every client range of a route to its gateway (a route that lists none is
 * called from the cluster itself, every cluster linked to it and every site it connects to), and, where a
 * route lists its ranges, the linked clusters and sites it leaves out, which its gateway must refuse.
 */

import { GATEWAY_PORTS } from "../../ingress/names";
import type { PublishedRoute } from "../../plan/ingressTypes";
import { inAnyPrefix, uncoveredAddress } from "./addresses";
import type { Origin } from "./evaluate";
import { type FlowSpec, firstHost } from "./flowSpec";
import type { ClusterModel, NetworkModel } from "./model";

/** Where a client range lives: a cluster's network, a site, or somewhere its owner routes outside the stack. */
export function clientOrigin(model: NetworkModel, range: string): Origin {
  const address = firstHost(range);
  const cluster = Object.entries(model.plan.connectivity.routedRanges).find(([, ranges]) =>
    inAnyPrefix(address, ranges),
  )?.[0];
  if (cluster) return { kind: "host", cluster, address };
  const site = model.config.network.connectivity.sites.find((s) => inAnyPrefix(address, s.ranges));
  if (site) return { kind: "site", site: site.name, address };
  return { kind: "outside", range, address };
}

/** The clusters and sites a cluster is linked to, by name. */
function linkedTo(model: NetworkModel, cluster: ClusterModel): string[] {
  return model.plan.connectivity.links
    .filter((l) => l.between.includes(cluster.plan.name))
    .map((l) => (l.between[0] === cluster.plan.name ? l.between[1] : l.between[0]));
}

export function internalRouteFlows(model: NetworkModel): FlowSpec[] {
  const specs: FlowSpec[] = [];
  for (const cluster of model.clusters.values()) {
    const balancer = cluster.gatewayLoadBalancers.get("internal");
    if (!balancer || cluster.plan.provider === "local") continue;
    const to = `${cluster.plan.name}/gateway-internal`;
    const linked = linkedTo(model, cluster);
    const peers = [cluster, ...linked.flatMap((name) => model.clusters.get(name) ?? [])];
    const sites = model.config.network.connectivity.sites.filter((s) => linked.includes(s.name));
    (cluster.plan.ingress?.routes ?? []).forEach((route, j) => {
      if (route.exposure !== "internal") return;
      const path = `clusters[${cluster.index}].ingress.routes[${j}]`;
      const flow = (from: string, origin: Origin, required: boolean, port: number) =>
        specs.push({
          from,
          to: port === GATEWAY_PORTS.https ? `${to}/${route.name}` : to,
          port,
          required,
          path,
          local: false,
          route: {
            origin,
            target: {
              cluster,
              address: balancer.frontend,
              port,
              via: balancer,
              ...(cluster.gateway ? { pod: cluster.gateway } : {}),
              // Plain HTTP only redirects; the route and its authorization are behind HTTPS.
              ...(port === GATEWAY_PORTS.https ? routeTarget(cluster, route) : {}),
            },
          },
        });
      const ports = [GATEWAY_PORTS.https, GATEWAY_PORTS.http];
      if (route.allowedCidrs.length > 0) {
        for (const range of route.clientRanges) {
          for (const port of ports) flow(range, clientOrigin(model, range), true, port);
        }
        // The private networks the route leaves out: its gateway refuses them.
        for (const peer of peers) {
          const seenAs = peer.sourceAddress(peer.stranger, balancer.frontend);
          if (seenAs === undefined || inAnyPrefix(seenAs, route.allowedCidrs)) continue;
          flow(peer.stranger.id, { kind: "pod", pod: peer.stranger }, false, GATEWAY_PORTS.https);
        }
        for (const site of sites) {
          const address = uncoveredAddress(site.ranges, route.allowedCidrs);
          if (address === undefined) continue;
          flow(`site:${site.name}`, { kind: "site", site: site.name, address }, false, GATEWAY_PORTS.https);
        }
        return;
      }
      for (const peer of peers) {
        for (const port of ports) flow(peer.stranger.id, { kind: "pod", pod: peer.stranger }, true, port);
      }
      for (const site of sites) {
        const address = firstHost(site.ranges[0] as string);
        for (const port of ports)
          flow(`site:${site.name}`, { kind: "site", site: site.name, address }, true, port);
      }
    });
  }
  return specs;
}

function routeTarget(cluster: ClusterModel, route: PublishedRoute) {
  const model = cluster.publishedRoutes.get(route.name);
  return model ? { route: model } : {};
}
