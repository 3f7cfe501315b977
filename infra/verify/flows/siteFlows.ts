/**
 * Every site to every cloud cluster, on every port class, must stay closed: each port of every GoQuorum
 * pod, each listener of the nodes' and the monitoring endpoint's load balancers and of the internal gateway,
 * the kubelet and NodePorts. Each from an address of the site that no config key admits to that port (an
 * external party's range to p2p, the workloads' client ranges to RPC and Tessera's third-party API, the
 * internal routes' client ranges to the gateway); none where the site is all admitted. Sites the cluster is not linked to
 * count too: BGP carries their routes through the gateways (`bgpRoutes`), so only the firewalls keep a site
 * to the clusters of the cloud that terminates it.
 */
import { KUBELET_PORT, NODE_PORT_RANGE } from "../../kubernetes/behaviour";
import { gatewayClientRanges } from "../../plan/ingress";
import { PORTS } from "../../quorum/ports";
import { uncoveredAddress } from "./addresses";
import type { Target } from "./evaluate";
import type { FlowSpec } from "./flowSpec";
import type { LoadBalancerModel } from "./loadBalancers";
import type { ClusterModel, NetworkModel } from "./model";

export function siteFlows(model: NetworkModel): FlowSpec[] {
  const { network } = model.config;
  const specs: FlowSpec[] = [];
  const parties = model.plan.externalPeers.map((p) => p.range);
  const admittedTo: ReadonlyMap<number, readonly string[]> = new Map([
    [PORTS.p2p, parties],
    [PORTS.tesseraP2p, parties],
    [PORTS.rpcHttp, network.workloads.rpc.allowedCidrs],
    [PORTS.rpcWs, network.workloads.rpc.allowedCidrs],
    [PORTS.tesseraThirdParty, network.workloads.tessera.thirdPartyAllowedCidrs],
  ]);
  for (const cluster of model.clusters.values()) {
    if (cluster.plan.provider === "local") continue;
    const gatewayClients = gatewayClientRanges(cluster.plan.ingress, "internal");
    for (const site of network.connectivity.sites) {
      for (const { to, target, gateway } of closedTargets(cluster)) {
        const admitted = gateway ? gatewayClients : (admittedTo.get(target.port) ?? []);
        const address = uncoveredAddress(site.ranges, admitted);
        if (address === undefined) continue;
        specs.push({
          from: `site:${site.name}`,
          to,
          port: target.port,
          required: false,
          path: "network.connectivity.sites",
          local: false,
          route: { origin: { kind: "site", site: site.name, address }, target },
        });
      }
    }
  }
  return specs;
}

/** Every port a site (or a management network) must not reach in a cluster, as a destination. */
export function closedTargets(cluster: ClusterModel): { to: string; target: Target; gateway?: true }[] {
  const through = (name: string, lb: LoadBalancerModel, pod: Target["pod"]) =>
    [...lb.ports.keys()].map((port) => ({
      to: `${cluster.plan.name}/${name}`,
      target: { cluster, address: lb.frontend, port, via: lb, ...(pod ? { pod } : {}) },
    }));
  const internal = cluster.gatewayLoadBalancers.get("internal");
  return [
    ...cluster.nodes.flatMap(({ pod, loadBalancer }) => [
      ...(pod.address
        ? [...new Set(Object.values(pod.namedPorts))].map((port) => ({
            to: pod.id,
            target: { cluster, address: pod.address as string, port, pod },
          }))
        : []),
      ...(loadBalancer ? through(`${pod.id} load balancer`, loadBalancer, pod) : []),
    ]),
    ...(cluster.federation ? through("monitoring endpoint", cluster.federation, cluster.prometheus) : []),
    ...(internal
      ? through("gateway-internal", internal, cluster.gateway).map((t) => ({ ...t, gateway: true as const }))
      : []),
    ...(cluster.nodeAddress
      ? [KUBELET_PORT, NODE_PORT_RANGE.from].map((port) => ({
          to: `${cluster.plan.name}/node`,
          target: { cluster, address: cluster.nodeAddress as string, port },
        }))
      : []),
  ];
}
