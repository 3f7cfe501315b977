/**
 * External peers (`network.connectivity.externalPeers`): GoQuorum nodes of other parties that join the
 * network. Our nodes dial their enode host, and every cluster admits their range on the p2p and
 * Tessera P2P ports. A peer is routed from a cluster when a site that cluster connects to holds the
 * peer's range; other routes (the party's own VPN, Direct Connect, ExpressRoute) are outside the stack.
 */
import { isIP } from "node:net";
import { parseEnode } from "../config/enode";
import type { ConfigIssue } from "../config/issue";
import type { StackConfig } from "../config/schema";
import { cidr, cidrContains, parseCidr } from "./cidr";
import type { ExternalPeerPlan } from "./connectivityTypes";
import { error, warning } from "./issues";
import type { ClusterPlan } from "./types";

type Planned = Pick<ClusterPlan, "name" | "provider" | "nodes">;

export function planExternalPeers(
  config: StackConfig,
  clusters: readonly Planned[],
): { externalPeers: ExternalPeerPlan[]; issues: ConfigIssue[] } {
  const { externalPeers, sites } = config.network.connectivity;
  const issues: ConfigIssue[] = [];
  const nodeNames = new Set(clusters.flatMap((c) => c.nodes.map((n) => n.name)));
  const cloudClusters = clusters.filter((c) => c.provider !== "local");
  const planned = externalPeers.flatMap((peer, i): ExternalPeerPlan[] => {
    const path = `network.connectivity.externalPeers[${i}]`;
    const first = externalPeers.findIndex((p) => p.name === peer.name);
    if (first !== i)
      issues.push(error(`${path}.name`, `"${peer.name}" is already used by externalPeers[${first}].`));
    if (nodeNames.has(peer.name)) {
      issues.push(error(`${path}.name`, `"${peer.name}" is the name of one of our nodes: pick another.`));
    }
    const address = peer.validatorAddress?.toLowerCase();
    const sameAddress = externalPeers.findIndex((p) => p.validatorAddress?.toLowerCase() === address);
    if (address && sameAddress !== i) {
      issues.push(
        error(
          `${path}.validatorAddress`,
          `${peer.validatorAddress} is already the validator of externalPeers[${sameAddress}].`,
        ),
      );
    }
    const enode = parseEnode(peer.enode);
    const range = parseCidr(peer.range);
    if (!range.ok) issues.push(error(`${path}.range`, range.reason));
    if (!enode.ok || !range.ok) return [];
    const { id, host, port } = enode.enode;
    const sameId = externalPeers.findIndex((p) => {
      const other = parseEnode(p.enode);
      return other.ok && other.enode.id === id;
    });
    if (sameId !== i)
      issues.push(error(`${path}.enode`, `its node id is already the id of externalPeers[${sameId}].`));
    if (isIP(host) === 4 && !cidrContains(range.cidr, cidr(`${host}/32`))) {
      issues.push(
        warning(
          `${path}.enode`,
          `host ${host} is outside range ${peer.range}: our nodes dial the host, and only the range is routed and admitted.`,
        ),
      );
    }
    const routedFrom = cloudClusters
      .filter((c) =>
        sites.some(
          (s) =>
            s.terminatesIn === c.provider &&
            s.ranges.some((r) => parseCidr(r).ok && cidrContains(cidr(r), range.cidr)),
        ),
      )
      .map((c) => c.name);
    const unrouted = cloudClusters.filter((c) => !routedFrom.includes(c.name)).map((c) => c.name);
    if (unrouted.length > 0 && unrouted.length < cloudClusters.length) {
      issues.push(
        warning(
          `${path}.range`,
          `${peer.range} is routed to ${routedFrom.join(", ")} through a site, not to ${unrouted.join(", ")}: route it there yourself or add a site that terminates in that cloud.`,
        ),
      );
    }
    return [
      {
        name: peer.name,
        enodeId: id,
        host,
        port,
        ...(peer.tesseraUrl ? { tesseraUrl: peer.tesseraUrl } : {}),
        ...(peer.tesseraPublicKey ? { tesseraPublicKey: peer.tesseraPublicKey } : {}),
        ...(peer.tesseraCsr ? { tesseraCsr: peer.tesseraCsr } : {}),
        range: peer.range,
        ...(address ? { validatorAddress: address } : {}),
        client: peer.client,
        routedFrom,
      },
    ];
  });
  return { externalPeers: planned, issues };
}
