/** A flow to evaluate: its ends, its port, whether it is needed, and the path it takes. */
import { addressAt, cidr } from "../../plan/cidr";
import type { ExternalPeerPlan } from "../../plan/connectivityTypes";
import type { ApiRoute } from "./apiServer";
import type { Origin, Target } from "./evaluate";
import type { PodModel } from "./pods";

export interface FlowSpec {
  readonly from: string;
  readonly to: string;
  readonly port: number;
  readonly required: boolean;
  /** The config key an issue about this flow names. */
  readonly path: string;
  /** Issues about flows into a `local` cluster are warnings: the program does not manage its network. */
  readonly local: boolean;
  readonly route: { readonly origin: Origin; readonly target: Target } | OutboundRoute | ApiRoute;
}

export interface OutboundRoute {
  readonly outbound: { readonly pod: PodModel; readonly peer: ExternalPeerPlan; readonly address: string };
}

/** A representative address of a range: its first host. */
export const firstHost = (range: string) => {
  const c = cidr(range);
  return addressAt(c, c.prefix >= 31 ? 0 : 1);
};
