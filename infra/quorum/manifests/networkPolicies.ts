/**
 * Ingress rules of the namespace: deny by default, then open each port to exactly who needs it.
 * Egress stays open: every pod needs DNS, and geth and Tessera dial peers in other clusters through load
 * balancer addresses; those dials are authenticated by RLPx node keys and Tessera keys, not by addresses.
 */
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { INetworkPolicyPeer } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer";
import { PORTS } from "../ports";
import { clusterLabels, LABELS, networkSelector, roleSelector } from "./labels";
import type { Named } from "./objects";
import { NODE_ROLES, servesRpc } from "./roles";
import type { ClusterManifestInput } from "./types";

type PodSelector = NonNullable<INetworkPolicy["spec"]>["podSelector"];

/** Any pod of the namespace: in-cluster peers and clients. */
const sameNamespace = (): INetworkPolicyPeer => ({ podSelector: {} });

const fromCidrs = (cidrs: readonly string[]): INetworkPolicyPeer[] =>
  cidrs.map((cidr) => ({ ipBlock: { cidr } }));

export function networkPolicies(input: ClusterManifestInput): Named<INetworkPolicy>[] {
  const { network, cluster } = input;
  const { rpc, tessera, monitoringNamespace } = network.workloads;
  const policy = (
    name: string,
    podSelector: PodSelector,
    from: INetworkPolicyPeer[],
    ports: number[],
  ): Named<INetworkPolicy> => ({
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name, namespace: cluster.namespace, labels: clusterLabels(network.name, cluster.name) },
    spec: {
      podSelector,
      policyTypes: ["Ingress"],
      ...(from.length > 0
        ? { ingress: [{ from, ports: ports.map((port) => ({ protocol: "TCP", port })) }] }
        : {}),
    },
  });
  // Peers of other clusters arrive with their own (VPC or pod) address. The endpoints subnets hold this
  // cluster's load balancers, whose health checks (AWS NLB, IP targets) come from there.
  const endpointsSubnets = cluster.subnets.filter((s) => s.purpose === "endpoints").map((s) => s.cidr);
  const p2pSources = () => [sameNamespace(), ...fromCidrs([...input.peerCidrs, ...endpointsSubnets])];
  const members = () => ({ matchLabels: roleSelector(network.name, "member") });
  const monitoring = () => [
    { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": monitoringNamespace } } },
  ];
  return [
    policy("default-deny-ingress", {}, [], []),
    policy("allow-p2p", { matchLabels: networkSelector(network.name) }, p2pSources(), [PORTS.p2p]),
    policy("allow-tessera-p2p", members(), p2pSources(), [PORTS.tesseraP2p]),
    policy(
      "allow-rpc",
      {
        matchLabels: networkSelector(network.name),
        matchExpressions: [{ key: LABELS.component, operator: "In", values: NODE_ROLES.filter(servesRpc) }],
      },
      [sameNamespace(), ...fromCidrs(rpc.allowedCidrs), ...(input.routedSources?.rpc ?? [])],
      rpc.websocket ? [PORTS.rpcHttp, PORTS.rpcWs] : [PORTS.rpcHttp],
    ),
    policy(
      "allow-tessera-third-party",
      members(),
      [
        sameNamespace(),
        ...fromCidrs(tessera.thirdPartyAllowedCidrs),
        ...(input.routedSources?.tesseraThirdParty ?? []),
      ],
      [PORTS.tesseraThirdParty],
    ),
    policy("allow-metrics", { matchLabels: networkSelector(network.name) }, monitoring(), [PORTS.metrics]),
    // Tessera serves /metrics on its third-party and P2P servers; with strict TLS, Prometheus presents
    // its client certificate of the network CA on P2P.
    policy("allow-tessera-metrics", members(), monitoring(), [PORTS.tesseraThirdParty, PORTS.tesseraP2p]),
  ];
}
