/** Flows from the Internet: public route clients to the gateway; the rest of it to what must stay closed. */
import { KUBELET_PORT, NODE_PORT_RANGE } from "../../kubernetes/behaviour";
import { tesseraListener } from "../../quorum/behaviour";
import { nodeRunsTessera, servesRpc } from "../../quorum/manifests/roles";
import { type TesseraTls, tesseraConfig } from "../../quorum/peers";
import { PORTS } from "../../quorum/ports";
import { inAnyPrefix, isPublicAddress } from "./addresses";
import type { Origin } from "./evaluate";
import { type FlowSpec, firstHost } from "./flowSpec";
import type { NetworkModel } from "./model";

/** Q2T's TCP port when Tessera serves it over TCP (then on every interface); none over its Unix socket. */
function q2tTcpPorts(
  node: Parameters<typeof tesseraConfig>[0],
  namespace: string,
  tls: TesseraTls,
): number[] {
  return tesseraConfig(node, namespace, [], tls)
    .serverConfigs.filter((server) => server.app === "Q2T")
    .map(tesseraListener)
    .flatMap((listener) => (listener.kind === "tcp" ? [listener.port] : []));
}

/** Stand-ins for a host on the Internet (documentation ranges), the first outside every configured range. */
export const INTERNET_CANDIDATES = ["198.51.100.200", "203.0.113.200", "192.0.2.200"];

/** Public route clients to the gateway; the Internet to what must stay closed. */
export function outsideFlows(model: NetworkModel): FlowSpec[] {
  const specs: FlowSpec[] = [];
  const { network } = model.config;
  const configured = [
    ...network.workloads.rpc.allowedCidrs,
    ...network.workloads.tessera.thirdPartyAllowedCidrs,
    ...model.config.clusters.flatMap((c) => c.ingress.routes.flatMap((r) => r.allowedCidrs)),
  ];
  const internet =
    INTERNET_CANDIDATES.find((a) => !inAnyPrefix(a, configured)) ?? (INTERNET_CANDIDATES[0] as string);
  for (const cluster of model.clusters.values()) {
    if (cluster.plan.provider === "local") continue;
    const path = `clusters[${cluster.index}]`;
    const add = (spec: Omit<FlowSpec, "local" | "path">) => specs.push({ ...spec, path, local: false });
    const publicGateway = cluster.gatewayLoadBalancers.get("public");
    if (publicGateway) {
      const to = `${cluster.plan.name}/gateway-public`;
      for (const range of publicGateway.sourceRanges) {
        const address = isPublicAddress(firstHost(range)) ? firstHost(range) : internet;
        for (const port of publicGateway.ports.keys()) {
          add({
            from: range,
            to,
            port,
            required: true,
            route: {
              origin: { kind: "internet", address },
              target: {
                cluster,
                address: publicGateway.frontend,
                port,
                via: publicGateway,
                ...(cluster.gateway ? { pod: cluster.gateway } : {}),
              },
            },
          });
        }
      }
      if (!inAnyPrefix(internet, publicGateway.sourceRanges)) {
        add({
          from: "internet",
          to,
          port: 443,
          required: false,
          route: {
            origin: { kind: "internet", address: internet },
            target: { cluster, address: publicGateway.frontend, port: 443, via: publicGateway },
          },
        });
      }
    }
    const origin: Origin = { kind: "internet", address: internet };
    const allowed = (cidrs: readonly string[]) => inAnyPrefix(internet, cidrs);
    for (const { node, pod } of cluster.nodes) {
      if (!pod.address) continue;
      const ports = [
        ...(servesRpc(node.role) && !allowed(network.workloads.rpc.allowedCidrs)
          ? [PORTS.rpcHttp, ...(network.workloads.rpc.websocket ? [PORTS.rpcWs] : [])]
          : []),
        ...(nodeRunsTessera(node)
          ? [
              ...q2tTcpPorts(node, cluster.plan.namespace, network.workloads.tessera.tls),
              ...(allowed(network.workloads.tessera.thirdPartyAllowedCidrs) ? [] : [PORTS.tesseraThirdParty]),
            ]
          : []),
      ];
      for (const port of ports) {
        add({
          from: "internet",
          to: pod.id,
          port,
          required: false,
          route: { origin, target: { cluster, address: pod.address, port, pod } },
        });
      }
    }
    if (cluster.nodeAddress) {
      for (const port of [KUBELET_PORT, NODE_PORT_RANGE.from]) {
        add({
          from: "internet",
          to: `${cluster.plan.name}/node`,
          port,
          required: false,
          route: { origin, target: { cluster, address: cluster.nodeAddress, port } },
        });
      }
    }
  }
  return specs;
}
