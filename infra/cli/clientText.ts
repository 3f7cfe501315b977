/** A node's client as `npm run plan` prints it: `goquorum`, or `besu <release>` for the image Besu nodes run. */
import type { StackConfig } from "../config/schema";
import { besuImage } from "../plan/besuImage";
import type { NetworkPlan, NodePlan } from "../plan/types";
import { besuImageRelease } from "../verify/besuReleases";

export function clientText(
  config: Pick<StackConfig, "network">,
  plan: Pick<NetworkPlan, "clusters" | "externalPeers">,
): (node: Pick<NodePlan, "client">) => string {
  const choice = besuImage(config.network.workloads.images, plan);
  const release = besuImageRelease(choice.image);
  // An image without a release is refused by the plan; the text still says which key it came from.
  const besu = "version" in release ? `besu ${release.version}` : `besu (images.${choice.key}: no release)`;
  return (node) => (node.client === "besu" ? besu : "goquorum");
}
