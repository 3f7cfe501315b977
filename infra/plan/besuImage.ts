/**
 * Which Besu image the network's Besu nodes run: `images.besuInterop` (a release that still speaks eth/66, the
 * newest `eth` GoQuorum 24.4.1 speaks) while any node of the network runs GoQuorum, its own clusters' or an
 * external party's, else `images.besu`, the current release (docs/besu.md). One choice for the whole network,
 * read by the workloads and by the plan's checks.
 */
import type { NetworkConfig } from "../config/schema";
import type { ExternalPeerPlan } from "./connectivityTypes";
import type { ClusterPlan } from "./types";

export interface BesuImageChoice {
  readonly image: string;
  /** The `network.workloads.images` key it comes from, which the plan's messages name. */
  readonly key: "besu" | "besuInterop";
  /** Why: the first GoQuorum node found, or that there is none. */
  readonly reason: string;
}

export function besuImage(
  images: Pick<NetworkConfig["workloads"]["images"], "besu" | "besuInterop">,
  plan: {
    readonly clusters: readonly Pick<ClusterPlan, "nodes">[];
    readonly externalPeers: readonly Pick<ExternalPeerPlan, "name" | "client">[];
  },
): BesuImageChoice {
  const node = plan.clusters.flatMap((c) => c.nodes).find((n) => n.client === "goquorum");
  const peer = plan.externalPeers.find((p) => p.client === "goquorum");
  const goQuorum = node ? `node ${node.name}` : peer ? `external peer ${peer.name}` : undefined;
  return goQuorum
    ? { image: images.besuInterop, key: "besuInterop", reason: `${goQuorum} runs GoQuorum` }
    : { image: images.besu, key: "besu", reason: "no node of the network runs GoQuorum" };
}
