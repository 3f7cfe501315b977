/**
 * Service ports of a node, by role: each named like the container port it targets, and targeting it by
 * number. A name that only a native sidecar (Tessera) declares gets no endpoint before Kubernetes 1.32
 * (`infra/kubernetes/behaviour.ts`), and the program supports older clusters.
 */
import type { IServicePort } from "kubernetes-models/v1/ServicePort";
import type { NetworkConfig, NodeClient, NodeRole } from "../../config/schema";
import { PORTS } from "../ports";
import { PORT_NAMES } from "./names";
import { nodeRunsTessera, servesRpc } from "./roles";

type PortsOf = { readonly role: NodeRole; readonly client: NodeClient };

export function servicePort(key: keyof typeof PORTS): IServicePort {
  return { name: PORT_NAMES[key], port: PORTS[key], targetPort: PORTS[key], protocol: "TCP" };
}

/** Ports other clusters dial: devp2p, plus Tessera P2P on members that run it. */
export function crossClusterPorts(node: PortsOf): IServicePort[] {
  return [servicePort("p2p"), ...(nodeRunsTessera(node) ? [servicePort("tesseraP2p")] : [])];
}

/** Every port of the node a client, peer or scraper inside the cluster may use (never Tessera's Q2T). */
export function nodePorts(node: PortsOf, network: NetworkConfig): IServicePort[] {
  const rpc = servesRpc(node.role);
  return [
    servicePort("p2p"),
    servicePort("metrics"),
    ...(rpc ? [servicePort("rpcHttp")] : []),
    ...(rpc && network.workloads.rpc.websocket ? [servicePort("rpcWs")] : []),
    ...(nodeRunsTessera(node) ? [servicePort("tesseraP2p"), servicePort("tesseraThirdParty")] : []),
  ];
}
