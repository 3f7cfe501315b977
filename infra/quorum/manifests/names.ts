/** Names of the objects and ports the manifests share. */
import { nodeServiceHost } from "../peers";
import type { PORTS } from "../ports";

/** Headless governing Service of every StatefulSet in the namespace. */
export const GOVERNING_SERVICE = "goquorum";
/**
 * The genesis file, updated in place when transitions are added. Not `goquorum-genesis`: that one was
 * immutable, and the API server refuses to make an immutable ConfigMap mutable (`infra/offline/replacement.ts`),
 * so a running network gets this one instead and the old one is deleted after the pods moved over.
 */
export const GENESIS_CONFIGMAP = "goquorum-genesis-file";
export const STATIC_NODES_CONFIGMAP = "goquorum-static-nodes";

/**
 * Pod-template annotation holding the sha256 of the genesis file: a changed genesis (a transition added)
 * changes every node's pod template, so each pod restarts (validators one at a time) and its geth-init
 * applies it. geth reads the genesis nowhere else.
 */
export const GENESIS_DIGEST_ANNOTATION = "goquorum.network/genesis-sha256";

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
