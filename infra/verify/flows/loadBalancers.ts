/** Load balancers as their clouds build them from the Services: the nodes', the federation's, the gateways'. */
import type { IService } from "kubernetes-models/v1/Service";
import type { ControllerService } from "../../aws/behaviour";
import { awsGatewayServiceAnnotations } from "../../aws/ingress";
import { awsLoadBalancerAnnotations } from "../../aws/loadBalancer";
import { azureGatewayServiceAnnotations } from "../../azure/ingress";
import { azureLoadBalancerAnnotations } from "../../azure/loadBalancer";
import type { Exposure } from "../../config/ingress";
import type { NetworkConfig } from "../../config/schema";
import { envoyProxy, exposuresInUse } from "../../ingress/gateway";
import { kubePrometheusGrafana } from "../../ingress/grafana";
import type { IngressInput } from "../../ingress/input";
import { ENVOY_GATEWAY, GATEWAY_PORTS } from "../../ingress/names";
import { envoyProxyPodLabels } from "../../ingress/networkPeers";
import type { ClusterPlan, NodePlan } from "../../plan/types";
import { hostAt, subnetIn } from "./pods";

/** A LoadBalancer Service as its cloud builds it. */
export interface LoadBalancerModel {
  readonly service: string;
  /** The frontend's address: reserved by the plan, or a stand-in for the public address the cloud assigns. */
  readonly frontend: string;
  readonly scheme: "internal" | "internet-facing";
  readonly sourceRanges: readonly string[];
  /** Service port → the target (container) port. */
  readonly ports: ReadonlyMap<number, number>;
}

/** Stands for the public address a cloud gives an Internet-facing load balancer (TEST-NET-1). */
export const PUBLIC_FRONTEND = "192.0.2.10";

export function loadBalancerOf(
  service: IService,
  frontend: string,
  namedPorts: Readonly<Record<string, number>>,
  scheme: LoadBalancerModel["scheme"] = "internal",
): LoadBalancerModel {
  const ports = new Map(
    (service.spec?.ports ?? []).map((p) => {
      const target = typeof p.targetPort === "string" ? namedPorts[p.targetPort] : (p.targetPort ?? p.port);
      if (target === undefined)
        throw new Error(`${service.metadata?.name}: target port ${p.targetPort} names no container port`);
      return [p.port, target] as const;
    }),
  );
  return {
    service: service.metadata?.name ?? "(unnamed)",
    frontend,
    scheme,
    sourceRanges: service.spec?.loadBalancerSourceRanges ?? [],
    ports,
  };
}

export const nodeLoadBalancerAnnotations = (cluster: ClusterPlan) => (node: NodePlan) =>
  cluster.provider === "aws"
    ? awsLoadBalancerAnnotations(cluster, node)
    : azureLoadBalancerAnnotations(cluster, node);

export function gatewayModels(network: NetworkConfig, cluster: ClusterPlan) {
  const ingress = cluster.ingress;
  if (!ingress) return { balancers: new Map<Exposure, LoadBalancerModel>() };
  const annotations =
    cluster.provider === "aws"
      ? (e: Exposure) => awsGatewayServiceAnnotations(cluster, e)
      : cluster.provider === "azure"
        ? (e: Exposure) => azureGatewayServiceAnnotations(cluster, e)
        : undefined;
  const input: IngressInput = {
    networkName: network.name,
    cluster,
    ingress,
    rpcWebsocket: network.workloads.rpc.websocket,
    grafana: kubePrometheusGrafana(network.workloads.monitoringNamespace),
    ...(annotations ? { serviceAnnotations: annotations } : {}),
  };
  const balancers = new Map<Exposure, LoadBalancerModel>();
  for (const exposure of exposuresInUse(input)) {
    const spec = envoyProxy(input, exposure).spec as {
      provider: { kubernetes: { envoyService: { type: string; loadBalancerSourceRanges?: string[] } } };
    };
    const service = spec.provider.kubernetes.envoyService;
    if (service.type !== "LoadBalancer") continue;
    const frontend =
      exposure === "public" ? PUBLIC_FRONTEND : (hostAt(subnetIn(cluster, "private")?.cidr, 6) as string);
    // Envoy Gateway's Service exposes each listener port of the Gateway.
    const ports = new Map([GATEWAY_PORTS.https, GATEWAY_PORTS.http].map((p) => [p, p] as const));
    balancers.set(exposure, {
      service: `gateway-${exposure}`,
      frontend,
      scheme: exposure === "public" ? "internet-facing" : "internal",
      sourceRanges: service.loadBalancerSourceRanges ?? [],
      ports,
    });
  }
  return { balancers, namespace: ENVOY_GATEWAY.namespace, labels: envoyProxyPodLabels(ingress.namespace) };
}

/** A load balancer as the AWS Load Balancer Controller sees its Service. */
export const controllerService = (lb: LoadBalancerModel): ControllerService => ({
  name: lb.service,
  scheme: lb.scheme,
  loadBalancerSourceRanges: lb.sourceRanges,
  ports: [...lb.ports.keys()],
  targetPorts: [...new Set(lb.ports.values())],
});
