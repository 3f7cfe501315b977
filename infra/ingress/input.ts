/** Inputs of the ingress builders: plain data from the plan, the cluster target and the monitoring release. */
import type { Exposure } from "../config/ingress";
import type { IngressPlan } from "../plan/ingressTypes";
import type { ClusterPlan } from "../plan/types";

/** Where Grafana listens: the monitoring release's Grafana Service. */
export interface GrafanaBackend {
  readonly namespace: string;
  readonly service: string;
  readonly port: number;
}

export interface IngressInput {
  readonly networkName: string;
  readonly cluster: ClusterPlan;
  readonly ingress: IngressPlan;
  /** Whether the nodes serve JSON-RPC over WebSocket (`workloads.rpc.websocket`). */
  readonly rpcWebsocket: boolean;
  readonly grafana: GrafanaBackend;
  /**
   * Annotations that make the gateway's Service a private or an Internet-facing load balancer in the
   * cluster's cloud (the target's `gatewayServiceAnnotations`); absent on `local`.
   */
  readonly serviceAnnotations?: (exposure: Exposure) => Record<string, string>;
}
