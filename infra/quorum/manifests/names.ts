/** Names of the objects and ports the manifests share. */
import { nodeServiceHost } from "../peers";
import type { PORTS } from "../ports";

/** Headless governing Service of every StatefulSet in the namespace. */
export const GOVERNING_SERVICE = "goquorum";
export const GENESIS_CONFIGMAP = "goquorum-genesis";
export const STATIC_NODES_CONFIGMAP = "goquorum-static-nodes";

/** The node's own ServiceAccount: what a cloud identity is federated with, so it names exactly one node. */
export const serviceAccountName = (node: { readonly name: string }): string => node.name;

export const tesseraConfigMapName = (nodeName: string): string => `${nodeName}-tessera`;
export const p2pLoadBalancerName = (nodeName: string): string => `${nodeName}-p2p`;

/** Names that resolve to a node's ClusterIP Service: short, namespace-qualified, `.svc` and fully qualified. */
export function serviceHostnames(nodeName: string, namespace: string): string[] {
  return [
    nodeName,
    `${nodeName}.${namespace}`,
    `${nodeName}.${namespace}.svc`,
    nodeServiceHost({ name: nodeName }, namespace),
  ];
}

/** Named ports (IANA service names: at most 15 characters), used by containers, Services and probes. */
export const PORT_NAMES: Readonly<Record<keyof typeof PORTS, string>> = {
  p2p: "p2p",
  rpcHttp: "rpc-http",
  rpcWs: "rpc-ws",
  metrics: "metrics",
  tesseraP2p: "tessera-p2p",
  tesseraThirdParty: "tessera-3party",
};
