/**
 * How nodes find each other (spec §3b, §6). Address model:
 * - every node has its own ClusterIP Service, so `<node>.<namespace>.svc.cluster.local` is stable
 *   across pod restarts and is what peers in the same cluster dial;
 * - peers in other clusters dial the node's `endpointIp`, the internal load balancer address the
 *   planner reserved, which is reachable over the peered networks;
 * - external peers (other parties' nodes) are dialled at their enode host and admitted from their range.
 */
import { isIP } from "node:net";
import type { ExternalPeerPlan } from "../plan/connectivityTypes";
import type { ClusterPlan, NetworkPlan, NodePlan, SubnetPurpose } from "../plan/types";
import { GOQUORUM_PERMISSIONING, TESSERA, TESSERA_PEERS } from "./behaviour";
import { PATHS } from "./manifests/paths";
import { nodeRunsTessera } from "./manifests/roles";
import { PORTS } from "./ports";

export type TesseraTls = "off" | "strict";

/** Node name → enode public key (128 hex). */
export type PublicKeysByNode = ReadonlyMap<string, { readonly publicKey: string }>;

/**
 * Where the TLS material for Tessera P2P is mounted (a kubernetes.io/tls Secret with `ca.crt`, as
 * cert-manager writes it). The same certificate serves as server and client certificate (mutual TLS).
 */
export const TESSERA_TLS_PATHS = {
  key: "/keys/tls/tls.key",
  certificate: "/keys/tls/tls.crt",
  ca: "/keys/tls/ca.crt",
} as const;

/** Tessera key files, mounted from the node's Secret. */
export const TESSERA_KEY_PATHS = { privateKeyPath: "/keys/tm.key", publicKeyPath: "/keys/tm.pub" } as const;

/** Tessera's H2 database, on the node's volume. */
export const TESSERA_DB_URL = "jdbc:h2:/data/tessera/db;MODE=Oracle;TRACE_LEVEL_SYSTEM_OUT=0";

/**
 * `enode://<pub>@<host>:<port>?discport=0` (no UDP discovery). For a DNS name, `&raftport=53000` is
 * appended: GoQuorum then keeps the hostname and resolves it on every dial (`NewV4Hostname`) instead of
 * once at startup, where a failed lookup would drop the peer until restart. Raft itself is not used.
 */
export function enodeUrl(publicKey: string, host: string, port: number = PORTS.p2p): string {
  if (!/^[0-9a-fA-F]{128}$/.test(publicKey)) throw new Error("enode public key must be 128 hex characters");
  const pub = publicKey.toLowerCase();
  switch (isIP(host)) {
    case 4:
      return `enode://${pub}@${host}:${port}?discport=0`;
    case 6:
      return `enode://${pub}@[${host}]:${port}?discport=0`;
    default:
      return `enode://${pub}@${host}:${port}?discport=0&raftport=53000`;
  }
}

/** DNS name of the node's own ClusterIP Service. */
export function nodeServiceHost(node: Pick<NodePlan, "name">, namespace: string): string {
  return `${node.name}.${namespace}.svc.cluster.local`;
}

/** The parts of the plan the peer ranges come from. */
export type PeerRangesPlan = Pick<NetworkPlan, "clusters" | "connectivity" | "externalPeers">;

/**
 * Ranges peers of `cluster` connect from: the ranges every other cluster routes to it (its VPC/VNet
 * range, and its pod range where pods are routable; see the connectivity plan), then every external
 * peer's range. The one list behind the p2p NetworkPolicies, the internal load balancers' source
 * ranges (with `loadBalancerSourceRanges`) and the security group / NSG rules: they admit these and nothing
 * else from outside the cluster.
 */
export function peerRanges(cluster: Pick<ClusterPlan, "name">, plan: PeerRangesPlan): string[] {
  const clusterNames = new Set(plan.clusters.map((c) => c.name));
  const fromClusters = plan.connectivity.links
    .filter(
      (link) => link.between.includes(cluster.name) && link.between.every((end) => clusterNames.has(end)),
    )
    .flatMap(
      (link) => link.routes[link.between[0] === cluster.name ? link.between[1] : link.between[0]] ?? [],
    );
  return [...new Set([...fromClusters, ...plan.externalPeers.map((p) => p.range)])];
}

/**
 * The pod ranges the other Tessera members of `node`'s cluster dial its load balancer from, when `node` is a
 * member: each dials the URL `node` advertises, its load balancer address (`tesseraPeerUrls`), with its own pod
 * address as source (in-cluster traffic to an address in the VPC/VNet is not SNATed; see `../aws/behaviour.ts`
 * and `../kubernetes/behaviour.ts`). Those are the pod ranges of the zones those members are pinned to: the
 * pod subnets (AWS custom networking, Azure pod subnet), the overlay pod range, or else the node subnets.
 * devp2p never needs them: a node dials the nodes of its own cluster at their ClusterIP Service (`hostSeenFrom`).
 */
export function sameClusterMemberRanges(
  node: NodePlan,
  cluster: Pick<ClusterPlan, "nodes" | "subnets" | "podCidr">,
): string[] {
  if (!nodeRunsTessera(node)) return [];
  const others = cluster.nodes.filter((n) => nodeRunsTessera(n) && n.name !== node.name);
  return [...new Set(others.flatMap((other) => podRangesOf(cluster, other.zone)))];
}

function podRangesOf(cluster: Pick<ClusterPlan, "subnets" | "podCidr">, zone: string | undefined): string[] {
  const inZone = (purpose: SubnetPurpose) =>
    cluster.subnets
      .filter((s) => s.purpose === purpose && (s.zone === undefined || zone === undefined || s.zone === zone))
      .map((s) => s.cidr);
  const podSubnets = inZone("pods");
  if (podSubnets.length > 0) return podSubnets;
  return cluster.podCidr ? [cluster.podCidr] : inZone("private");
}

/**
 * The `loadBalancerSourceRanges` of a node's internal load balancer: the peer ranges (`peerRanges`), then the
 * ranges its own cluster's members dial it from (`sameClusterMemberRanges`). One list per Service, so a member's
 * devp2p port admits its cluster's member ranges too; that widens nothing: those pods reach the pod directly
 * anyway, and the destination's NetworkPolicy sees the same pod address on either path.
 */
export function loadBalancerSourceRanges(
  node: NodePlan,
  cluster: Pick<ClusterPlan, "nodes" | "subnets" | "podCidr">,
  peerCidrs: readonly string[],
): string[] {
  return [...new Set([...peerCidrs, ...sameClusterMemberRanges(node, cluster)])];
}

/**
 * Every range routed to `cluster` from outside it: its peers' (`peerRanges`) and those of the sites it
 * connects to. Firewalls that admit by default what the VPN brings (Azure's `AllowVnetInBound`) deny these
 * after admitting what the peers need.
 */
export function routedRanges(cluster: Pick<ClusterPlan, "name">, plan: PeerRangesPlan): string[] {
  const clusterNames = new Set(plan.clusters.map((c) => c.name));
  const fromSites = plan.connectivity.links
    .filter(
      (link) => link.between.includes(cluster.name) && !link.between.every((end) => clusterNames.has(end)),
    )
    .flatMap(
      (link) => link.routes[link.between[0] === cluster.name ? link.between[1] : link.between[0]] ?? [],
    );
  return [...new Set([...peerRanges(cluster, plan), ...fromSites])];
}

/** The ports our nodes dial an external peer on: its enode's, and its Tessera URL's. */
export function externalPeerPorts(peer: Pick<ExternalPeerPlan, "port" | "tesseraUrl">): {
  p2p: number;
  tessera?: number;
} {
  if (!peer.tesseraUrl) return { p2p: peer.port };
  const url = new URL(peer.tesseraUrl);
  return { p2p: peer.port, tessera: Number(url.port || (url.protocol === "https:" ? 443 : 80)) };
}

/** An external peer's enode URL, in the same form as our nodes' (`?discport=0`). */
export const externalEnodeUrl = (peer: Pick<ExternalPeerPlan, "enodeId" | "host" | "port">): string =>
  enodeUrl(peer.enodeId, peer.host, peer.port);

/** The host other parties are told to use for the node (network.json, Tessera party info). */
export function advertisedP2pHost(node: NodePlan, cluster: Pick<ClusterPlan, "namespace">): string {
  return node.endpointIp ?? nodeServiceHost(node, cluster.namespace);
}

/**
 * Static peers of every node in `cluster`: the enode URL of every node of the network, as seen from
 * that cluster, sorted by node name, then every external peer in config order. One list serves the
 * whole cluster (a shared ConfigMap); the node's own entry in it is harmless because geth never dials
 * itself.
 */
export function staticNodesFor(
  cluster: ClusterPlan,
  allNodes: readonly NodePlan[],
  publicKeys: PublicKeysByNode,
  externalPeers: readonly Pick<ExternalPeerPlan, "enodeId" | "host" | "port">[],
): string[] {
  return [
    ...[...allNodes]
      .sort(byName)
      .map((to) => enodeUrl(publicKeyOf(to, publicKeys), hostSeenFrom(cluster, to))),
    ...externalPeers.map(externalEnodeUrl),
  ];
}

/**
 * GoQuorum's node permissioning list: every node of the network and every external peer, by node id
 * alone (see `GOQUORUM_PERMISSIONING`: no host, so no lookup can drop an entry), sorted and without
 * duplicates. One list for every cluster, since ids do not depend on where a node is dialled from.
 */
export function permissionedNodes(
  publicKeys: PublicKeysByNode,
  externalPeers: readonly Pick<ExternalPeerPlan, "enodeId">[],
): string[] {
  const ids = [...[...publicKeys.values()].map((k) => k.publicKey), ...externalPeers.map((p) => p.enodeId)];
  for (const id of ids)
    if (!/^[0-9a-fA-F]{128}$/.test(id)) throw new Error("node id must be 128 hex characters");
  return [...new Set(ids.map(GOQUORUM_PERMISSIONING.entry))].sort();
}

/** Static peers of one node: `staticNodesFor` its cluster, without its own entry. */
export function staticNodes(
  node: NodePlan,
  cluster: ClusterPlan,
  allNodes: readonly NodePlan[],
  publicKeys: PublicKeysByNode,
  externalPeers: readonly Pick<ExternalPeerPlan, "enodeId" | "host" | "port">[],
): string[] {
  if (node.cluster !== cluster.name) throw new Error(`node ${node.name} is not in cluster ${cluster.name}`);
  return staticNodesFor(
    cluster,
    allNodes.filter((n) => n.name !== node.name),
    publicKeys,
    externalPeers,
  );
}

/**
 * The Tessera P2P URL a member advertises (its P2P `serverAddress`) and the one every other member lists it
 * at: with peer discovery off, party info is accepted only from a URL in the `peer` list (see
 * `TESSERA_PEERS`), so the two must be the same string.
 */
export function tesseraP2pUrl(
  node: NodePlan,
  cluster: Pick<ClusterPlan, "namespace">,
  tls: TesseraTls,
): string {
  return `${scheme(tls)}://${advertisedP2pHost(node, cluster)}:${PORTS.tesseraP2p}`;
}

/**
 * Tessera peers of `member`: every other member at the URL it advertises, sorted by node name, then the
 * external peers' Tessera URLs in config order. A member in the same cluster is reached at its load
 * balancer address too when it has one, because that is the URL its party info and its keys come from.
 */
export function tesseraPeerUrls(
  member: NodePlan,
  clusters: readonly ClusterPlan[],
  tls: TesseraTls,
  externalPeers: readonly Pick<ExternalPeerPlan, "tesseraUrl">[],
): string[] {
  return [
    ...clusters
      .flatMap((cluster) => cluster.nodes.map((node) => ({ node, cluster })))
      // A member on Besu runs no Tessera: no Tessera lists it.
      .filter(({ node }) => nodeRunsTessera(node) && node.name !== member.name)
      .sort((a, b) => byName(a.node, b.node))
      .map(({ node, cluster }) => tesseraP2pUrl(node, cluster, tls)),
    ...externalPeers.flatMap((p) => (p.tesseraUrl ? [p.tesseraUrl] : [])),
  ];
}

/** Tessera JSON config (spec §6) for a member; `peers` are the other members' P2P URLs. */
export function tesseraConfig(node: NodePlan, namespace: string, peers: readonly string[], tls: TesseraTls) {
  const tlsOff = { tls: "OFF" } as const;
  const p2pSsl =
    tls === "strict"
      ? {
          tls: "STRICT",
          generateKeyStoreIfNotExisted: false,
          serverTlsKeyPath: TESSERA_TLS_PATHS.key,
          serverTlsCertificatePath: TESSERA_TLS_PATHS.certificate,
          serverTrustMode: "CA",
          serverTrustCertificates: [TESSERA_TLS_PATHS.ca],
          clientTlsKeyPath: TESSERA_TLS_PATHS.key,
          clientTlsCertificatePath: TESSERA_TLS_PATHS.certificate,
          clientTrustMode: "CA",
          clientTrustCertificates: [TESSERA_TLS_PATHS.ca],
        }
      : tlsOff;
  // No `mode` key: "orion" would switch Tessera to Besu semantics, which GoQuorum cannot use.
  return {
    useWhiteList: TESSERA_PEERS.useWhiteList,
    disablePeerDiscovery: TESSERA_PEERS.disablePeerDiscovery,
    jdbc: { username: "sa", password: "", url: TESSERA_DB_URL, autoCreateTables: true },
    serverConfigs: [
      {
        app: "ThirdParty",
        enabled: true,
        serverAddress: `http://${nodeServiceHost(node, namespace)}:${PORTS.tesseraThirdParty}`,
        communicationType: "REST",
      },
      {
        // A TCP server would listen on every interface whatever its host: geth reaches Q2T over a socket in
        // a volume only the two of them mount (see ./behaviour.ts).
        app: "Q2T",
        enabled: true,
        serverAddress: `${TESSERA.unixScheme}${PATHS.ptmSocket}`,
        communicationType: "REST",
      },
      {
        // Tessera binds only the port (every interface); the host is what it advertises to other members.
        app: "P2P",
        enabled: true,
        serverAddress: tesseraP2pUrl(node, { namespace }, tls),
        sslConfig: p2pSsl,
        communicationType: "REST",
      },
    ],
    peer: peers.map((url) => ({ url })),
    keys: { keyData: [{ ...TESSERA_KEY_PATHS }] },
    alwaysSendTo: [],
    features: {
      enablePrivacyEnhancements: false,
      enableMultiplePrivateStates: false,
      enableRemoteKeyValidation: TESSERA_PEERS.enableRemoteKeyValidation,
    },
  };
}

export type TesseraConfig = ReturnType<typeof tesseraConfig>;

/** Code-unit order of node names: independent of locale and of the order nodes are passed in. */
function byName(a: NodePlan, b: NodePlan): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** The host a node of `viewer` dials `to` at over devp2p: its ClusterIP Service in the same cluster, else its load balancer. */
export function hostSeenFrom(viewer: Pick<ClusterPlan, "name" | "namespace">, to: NodePlan): string {
  if (to.cluster === viewer.name) return nodeServiceHost(to, viewer.namespace);
  if (!to.endpointIp) {
    throw new Error(`node ${to.name} has no endpointIp, so nodes in cluster ${viewer.name} cannot reach it`);
  }
  return to.endpointIp;
}

function publicKeyOf(node: NodePlan, publicKeys: PublicKeysByNode): string {
  const identity = publicKeys.get(node.name);
  if (!identity) throw new Error(`no node identity for ${node.name}`);
  return identity.publicKey;
}

function scheme(tls: TesseraTls): "http" | "https" {
  return tls === "strict" ? "https" : "http";
}
