/**
 * Besu's peer files, from the same peer list GoQuorum's come from (`../quorum/peers`), in Besu's dialect
 * (`BESU_ENODE`):
 * - `static-nodes.json`: every node of the network and every external peer, as `enode://<id>@<host>:<port>
 *   ?discport=0`; Besu drops its own entry (`RunnerBuilder.sanitizePeers`), so one list serves the cluster;
 * - `permissions_config.toml`: `nodes-allowlist` with every static node (Besu refuses to start otherwise);
 * - the validator address of every node id the network knows, for the disruption gate (`manifests/gate.ts`):
 *   Besu's `admin_peers` gives peers' node ids, and an address is a Keccak hash of one, which the gate's shell
 *   cannot compute.
 * Static nodes are where GoQuorum dials them: a node of the same cluster at its ClusterIP Service's name, which
 * exists before any pod starts (a name that does not resolve when Besu starts stays 127.0.0.1 for good, below),
 * a node of another cluster at its load balancer address. The allowlist adds, for each node of the same cluster,
 * its pod's name under the governing headless Service: that resolves to the pod's address, the source of the
 * pod's inbound connections, which is what the allowlist compares (`besuNodeAllowlistEnabled`).
 *
 * With `--Xdns-enabled --Xdns-update-enabled` Besu resolves a name when it reads the entry and re-resolves it on
 * every use only if that first lookup worked; a name that does not resolve then becomes 127.0.0.1 and is never
 * looked up again (`EnodeURLImpl.Builder.ipAddress`, `getIp`; besu-eth/besu#6076).
 */
import { isIP } from "node:net";
import type { ExternalPeerPlan } from "../plan/connectivityTypes";
import type { ClusterPlan, NodePlan } from "../plan/types";
import { GOVERNING_SERVICE } from "../quorum/manifests/names";
import { hostSeenFrom, type PublicKeysByNode } from "../quorum/peers";
import { PORTS } from "../quorum/ports";
import { BESU_ENODE } from "./behaviour";

const NODE_ID = /^[0-9a-fA-F]{128}$/;

/** `enode://<id>@<host>:<port>?discport=0`: the only query Besu accepts is `discport` (discovery is off). */
function besuEnodeUrl(publicKey: string, host: string, port: number = PORTS.p2p): string {
  if (!NODE_ID.test(publicKey)) throw new Error("enode public key must be 128 hex characters");
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new Error(`enode port ${port} is not a TCP port`);
  if (isIP(host) === 0 && !/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(host)) {
    throw new Error(`enode host ${host} is neither an IP address nor a DNS name`);
  }
  const bracketed = isIP(host) === 6 ? `[${host}]` : host;
  return `enode://${publicKey.toLowerCase()}@${bracketed}:${port}?${BESU_ENODE.onlyQuery}=0`;
}

/**
 * A GoQuorum enode URL (`enode://<id>@<host>:<port>?discport=0&raftport=53000`) as Besu accepts it: the same
 * id, host and port, and of the query only `discport`.
 */
export function toBesuEnode(enode: string): string {
  const match =
    /^enode:\/\/(?:0x)?([0-9a-fA-F]+)@(\[[0-9a-fA-F:.]+\]|[^:/?#@[\]]+):([0-9]+)(?:\?(.*))?$/.exec(enode);
  if (!match) throw new Error(`${enode} is not an enode URL with a host and a TCP port`);
  const [, id = "", host = "", port = "", query = ""] = match;
  const discport = new URLSearchParams(query).get(BESU_ENODE.onlyQuery);
  const url = besuEnodeUrl(id, host.replace(/^\[(.*)\]$/, "$1"), Number(port));
  return discport === null || discport === "0" ? url : url.replace(/\?discport=0$/, `?discport=${discport}`);
}

/** DNS name of a node's pod under the governing headless Service (`<pod>.<service>.<ns>.svc.cluster.local`). */
function podHost(node: Pick<NodePlan, "name">, namespace: string): string {
  return `${node.name}-0.${GOVERNING_SERVICE}.${namespace}.svc.cluster.local`;
}

type ExternalPeer = Pick<ExternalPeerPlan, "enodeId" | "host" | "port">;

/**
 * Besu's static nodes for every node of `cluster`: the network's nodes by name where GoQuorum dials them
 * (`hostSeenFrom`), then external peers in config order.
 */
export function besuStaticNodesFor(
  cluster: Pick<ClusterPlan, "name" | "namespace">,
  allNodes: readonly NodePlan[],
  publicKeys: PublicKeysByNode,
  externalPeers: readonly ExternalPeer[],
): string[] {
  const byName = (a: NodePlan, b: NodePlan) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  return [
    ...[...allNodes].sort(byName).map((to) => {
      const key = publicKeys.get(to.name);
      if (!key) throw new Error(`no node identity for ${to.name}`);
      return besuEnodeUrl(key.publicKey, hostSeenFrom(cluster, to));
    }),
    ...externalPeers.map((p) => besuEnodeUrl(p.enodeId, p.host, p.port)),
  ];
}

/**
 * The node allowlist of `cluster`'s Besu nodes: every static node and every external peer, then each node of the
 * cluster at its pod's name (where its inbound connections come from), without duplicates.
 */
export function besuNodesAllowlist(
  cluster: Pick<ClusterPlan, "name" | "namespace">,
  allNodes: readonly NodePlan[],
  publicKeys: PublicKeysByNode,
  staticNodes: readonly string[],
  externalPeers: readonly ExternalPeer[],
): string[] {
  const pods = allNodes
    .filter((n) => n.cluster === cluster.name)
    .map((n) => {
      const key = publicKeys.get(n.name);
      if (!key) throw new Error(`no node identity for ${n.name}`);
      return besuEnodeUrl(key.publicKey, podHost(n, cluster.namespace));
    })
    .sort();
  const external = externalPeers.map((p) => besuEnodeUrl(p.enodeId, p.host, p.port));
  return [...new Set([...staticNodes.map(toBesuEnode), ...external, ...pods])];
}

/** `permissions_config.toml` with the node allowlist (TOML basic strings: an enode URL needs no escaping). */
export function permissionsConfigToml(allowlist: readonly string[]): string {
  for (const enode of allowlist) {
    if (toBesuEnode(enode) !== enode) throw new Error(`${enode} is not in Besu's enode form`);
  }
  return `nodes-allowlist=[\n${allowlist.map((e) => `  "${e}"`).join(",\n")}\n]\n`;
}

/** Node ids with their validator addresses: the network's nodes and the external peers that name one. */
export type NodeAddresses = ReadonlyMap<string, { readonly publicKey: string; readonly address: string }>;

/**
 * One line per node id: `<id> <address>`, lower case, sorted: read by the disruption gate's shell
 * (`manifests/gate.ts`) to tell which peers are validators.
 */
export function nodeAddressesFile(
  nodes: NodeAddresses,
  externalPeers: readonly Pick<ExternalPeerPlan, "enodeId" | "validatorAddress">[],
): string {
  const entries = [
    ...[...nodes.values()].map((n) => [n.publicKey, n.address] as const),
    ...externalPeers.flatMap((p) => (p.validatorAddress ? [[p.enodeId, p.validatorAddress] as const] : [])),
  ];
  const lines = entries.map(([id, address]) => {
    if (!NODE_ID.test(id)) throw new Error("node id must be 128 hex characters");
    if (!/^0x[0-9a-fA-F]{40}$/.test(address)) throw new Error(`${address} is not a 0x-prefixed address`);
    return `${id.toLowerCase()} ${address.toLowerCase()}`;
  });
  return `${[...new Set(lines)].sort().join("\n")}\n`;
}

/**
 * Whether a Besu node of `cluster` turns its node allowlist on. Besu's local node allowlist
 * (`NodeLocalConfigPermissioningController.isPermitted`) matches an entry when its IP (re-resolved on every check
 * with `--Xdns-update-enabled`, `EnodeURLImpl.getIp`) and TCP port equal the peer's; the node id is not compared
 * since 26.4.0 (`EnodeURLImpl.sameListeningEndpoint`, besu-eth/besu#9809). For an inbound connection the peer is
 * the TCP source address with the port its Hello announced (`DeFramer.createPeer`): GoQuorum 24.4.1 announces 0
 * (quorum `p2p/server.go`: its handshake sets no ListenPort), Besu its p2p port (`DefaultLocalNode.setEnode`).
 * So a peer in another cluster arrives from its pod's or its Kubernetes node's address (the CNI's source
 * address rules: `../aws/behaviour.ts`, `../azure/behaviour.ts`), never from the load-balancer address it is
 * listed at, so Besu refuses it, and two Besu nodes in
 * different clusters would each refuse the other's connection and never peer (inferred from the sources, not
 * run). So the allowlist is on only while every other Besu node of the network is in the same cluster; beyond
 * that, p2p is admitted by the same ranges the NetworkPolicy and the load balancers' source ranges admit
 * (`../quorum/peers` peerRanges). GoQuorum peers are dialled by the Besu node, so their refused inbound
 * connections (they announce port 0) cost nothing.
 */
export function besuNodeAllowlistEnabled(
  cluster: Pick<ClusterPlan, "name">,
  clusters: readonly Pick<ClusterPlan, "name" | "nodes">[],
): boolean {
  return clusters.every((c) => c.name === cluster.name || c.nodes.every((n) => n.client !== "besu"));
}
