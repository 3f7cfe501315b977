/**
 * Every flow the network needs, and every flow that must stay closed, with the path each takes:
 * - needed: devp2p and Tessera P2P between every pair of nodes and with every external party; monitoring
 *   scrapes in each cluster and the central cluster's federation; the gateway to the nodes its routes
 *   publish; public route clients to the gateway; load balancer health checks; kubelet probes;
 * - closed: the Internet to JSON-RPC, Tessera's Q2T and third-party APIs, the kubelet and NodePorts; every
 *   site, linked or not, to every port of every node, load balancer and gateway and to the kubelet and
 *   NodePorts; pods of other namespaces to any port of the nodes and of their load
 *   balancers.
 */
import { NODE_PORT_RANGE } from "../../kubernetes/behaviour";
import { PROMETHEUS_PORT } from "../../monitoring/names";
import type { NodePlan } from "../../plan/types";
import { nodeRunsTessera } from "../../quorum/manifests/roles";
import { advertisedP2pHost, externalPeerPorts, hostSeenFrom } from "../../quorum/peers";
import { PORTS } from "../../quorum/ports";
import { inAnyPrefix } from "./addresses";
import { deployerFlows } from "./deployerFlows";
import type { Origin } from "./evaluate";
import { type FlowSpec, firstHost } from "./flowSpec";
import type { ClusterModel, NetworkModel, NodeModel } from "./model";
import { outsideFlows } from "./outsideFlows";
import type { PodModel } from "./pods";
import { internalRouteFlows } from "./routeFlows";
import { siteFlows } from "./siteFlows";

const clusterKey = (c: ClusterModel) => `clusters[${c.index}]`;

/**
 * Whether a node of `from` dials `to` at its load balancer, as the program configures the dial: devp2p at the
 * static-nodes host (`hostSeenFrom`: the ClusterIP Service in the same cluster), Tessera at the URL the member
 * advertises (`advertisedP2pHost`: its load balancer whenever it has one, in the same cluster too).
 */
export function dialsLoadBalancer(
  from: ClusterModel,
  to: ClusterModel,
  node: NodePlan,
  port: number,
): boolean {
  if (from !== to) return true;
  const host = port === PORTS.tesseraP2p ? advertisedP2pHost(node, to.plan) : hostSeenFrom(from.plan, node);
  return node.endpointIp !== undefined && host === node.endpointIp;
}

export function flowSpecs(model: NetworkModel): FlowSpec[] {
  const clusters = [...model.clusters.values()];
  const specs: FlowSpec[] = [];
  const add = (spec: Omit<FlowSpec, "local" | "path"> & { path?: string }, into: ClusterModel) =>
    specs.push({ path: clusterKey(into), ...spec, local: into.plan.provider === "local" });
  const inCluster = (pod: PodModel, into: ClusterModel, target: PodModel, port: number) => ({
    origin: { kind: "pod", pod } as const,
    target: { cluster: into, address: target.address ?? target.id, port, pod: target },
  });
  const toNode = (origin: Origin, into: ClusterModel, node: NodeModel, port: number) =>
    node.loadBalancer
      ? {
          origin,
          target: {
            cluster: into,
            address: node.loadBalancer.frontend,
            port,
            via: node.loadBalancer,
            pod: node.pod,
          },
        }
      : undefined;
  const allNodes = clusters.flatMap((c) => c.nodes.map((n) => ({ cluster: c, node: n })));

  // devp2p and Tessera P2P between every pair of our nodes.
  for (const a of allNodes) {
    for (const b of allNodes) {
      if (a.node === b.node) continue;
      const ports = [
        PORTS.p2p,
        ...(nodeRunsTessera(a.node.node) && nodeRunsTessera(b.node.node) ? [PORTS.tesseraP2p] : []),
      ];
      for (const port of ports) {
        const route = dialsLoadBalancer(a.cluster, b.cluster, b.node.node, port)
          ? toNode({ kind: "pod", pod: a.node.pod }, b.cluster, b.node, port)
          : inCluster(a.node.pod, b.cluster, b.node.pod, port);
        if (route) add({ from: a.node.pod.id, to: b.node.pod.id, port, required: true, route }, b.cluster);
      }
    }
  }

  // External parties: in to every node that has a load balancer, and out from every node.
  model.plan.externalPeers.forEach((peer, j) => {
    const path = `network.connectivity.externalPeers[${j}]`;
    const address = inAnyPrefix(peer.host, [peer.range]) ? peer.host : firstHost(peer.range);
    const origin: Origin = { kind: "external", peer, address };
    const tesseraPort = externalPeerPorts(peer).tessera;
    for (const { cluster, node } of allNodes) {
      const ports = [PORTS.p2p, ...(peer.tesseraUrl && nodeRunsTessera(node.node) ? [PORTS.tesseraP2p] : [])];
      for (const port of ports) {
        const route = toNode(origin, cluster, node, port);
        if (route)
          add({ from: `external:${peer.name}`, to: node.pod.id, port, required: true, path, route }, cluster);
      }
      const outbound = [
        peer.port,
        ...(tesseraPort !== undefined && nodeRunsTessera(node.node) ? [tesseraPort] : []),
      ];
      for (const port of outbound) {
        add(
          {
            from: node.pod.id,
            to: `external:${peer.name}`,
            port,
            required: true,
            path,
            route: { outbound: { pod: node.pod, peer, address } },
          },
          cluster,
        );
      }
    }
  });

  for (const cluster of clusters) {
    // Prometheus scrapes its cluster's nodes (GoQuorum metrics, Tessera's third-party and P2P /metrics).
    for (const { node, pod } of cluster.nodes) {
      const ports = [
        PORTS.metrics,
        ...(nodeRunsTessera(node)
          ? [PORTS.tesseraThirdParty, ...(model.scrapesTesseraP2p ? [PORTS.tesseraP2p] : [])]
          : []),
      ];
      for (const port of ports) {
        add(
          {
            from: cluster.prometheus.id,
            to: pod.id,
            port,
            required: true,
            route: inCluster(cluster.prometheus, cluster, pod, port),
          },
          cluster,
        );
      }
    }
    // The gateway to every node its routes publish.
    const gateway = cluster.gateway;
    for (const route of cluster.plan.ingress?.routes ?? []) {
      if (!gateway || route.kind === "grafana") continue;
      const ports =
        route.kind === "rpc"
          ? [PORTS.rpcHttp, ...(model.config.network.workloads.rpc.websocket ? [PORTS.rpcWs] : [])]
          : [PORTS.tesseraThirdParty];
      for (const name of route.backends) {
        const backend = cluster.nodes.find((n) => n.node.name === name);
        if (!backend) continue;
        for (const port of ports) {
          add(
            {
              from: gateway.id,
              to: backend.pod.id,
              port,
              required: true,
              route: inCluster(gateway, cluster, backend.pod, port),
            },
            cluster,
          );
        }
      }
    }
    // Kubelet probes.
    for (const { pod } of cluster.nodes) {
      for (const port of pod.probePorts) {
        add(
          {
            from: `${cluster.plan.name}/kubelet`,
            to: pod.id,
            port,
            required: true,
            route: {
              origin: { kind: "node" },
              target: { cluster, address: pod.address ?? pod.id, port, pod },
            },
          },
          cluster,
        );
      }
    }
    // Load balancer health checks.
    for (const lb of [
      ...cluster.nodes.flatMap((n) => (n.loadBalancer ? [{ lb: n.loadBalancer, pod: n.pod }] : [])),
      ...(cluster.federation ? [{ lb: cluster.federation, pod: cluster.prometheus }] : []),
    ]) {
      const origin: Origin = { kind: "health-check", loadBalancer: lb.lb };
      const from = `${cluster.plan.name}/${lb.lb.service} health check`;
      if (cluster.plan.provider === "aws") {
        for (const port of new Set(lb.lb.ports.values())) {
          add(
            {
              from,
              to: lb.pod.id,
              port,
              required: true,
              route: { origin, target: { cluster, address: lb.pod.address ?? "", port, pod: lb.pod } },
            },
            cluster,
          );
        }
      } else if (cluster.plan.provider === "azure" && cluster.nodeAddress) {
        const port = NODE_PORT_RANGE.from;
        add(
          {
            from,
            to: `${cluster.plan.name}/node`,
            port,
            required: true,
            route: { origin, target: { cluster, address: cluster.nodeAddress, port } },
          },
          cluster,
        );
      }
    }
    // Pods of other namespaces to every port of every node, and to every port of its load balancer.
    for (const node of cluster.nodes) {
      const origin: Origin = { kind: "pod", pod: cluster.stranger };
      for (const port of node.loadBalancer?.ports.keys() ?? []) {
        const route = toNode(origin, cluster, node, port);
        if (route)
          add(
            { from: cluster.stranger.id, to: `${node.pod.id} load balancer`, port, required: false, route },
            cluster,
          );
      }
    }
    for (const { pod } of cluster.nodes) {
      for (const port of new Set(Object.values(pod.namedPorts))) {
        add(
          {
            from: cluster.stranger.id,
            to: pod.id,
            port,
            required: false,
            route: inCluster(cluster.stranger, cluster, pod, port),
          },
          cluster,
        );
      }
    }
  }

  // The central cluster's Prometheus and Grafana to every other cluster's monitoring endpoint.
  for (const path of model.monitoring) {
    const from = model.clusters.get(path.from);
    const to = model.clusters.get(path.to);
    if (!from || !to?.federation) continue;
    add(
      {
        from: from.prometheus.id,
        to: to.prometheus.id,
        port: path.port,
        required: true,
        path: "network.monitoring",
        route: {
          origin: { kind: "pod", pod: from.prometheus },
          target: {
            cluster: to,
            address: path.endpointIp,
            port: PROMETHEUS_PORT,
            via: to.federation,
            pod: to.prometheus,
          },
        },
      },
      to,
    );
  }

  specs.push(
    ...outsideFlows(model),
    ...internalRouteFlows(model),
    ...siteFlows(model),
    ...deployerFlows(model),
  );
  return specs;
}
