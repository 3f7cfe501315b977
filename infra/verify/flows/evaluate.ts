/**
 * One flow through every layer between its ends, in the order a packet meets them: the routes, the source's
 * outbound NSG, the service proxy (a same-cluster client of a load balancer whose address is in its
 * Service's status), the load balancer (its listeners and source ranges), the destination's security group or
 * NSG, and the NetworkPolicies of the destination pod where its cluster enforces them. The first layer that
 * denies decides; a flow every layer admits is decided by the last one.
 */
import {
  controllerFrontendRules,
  EKS_CLUSTER_SECURITY_GROUP,
  LBC_BACKEND_SECURITY_GROUP,
} from "../../aws/behaviour";
import { AZURE_LOAD_BALANCER_PROBE_ADDRESS, cloudProviderAdmits } from "../../azure/behaviour";
import { serviceProxyAdmits } from "../../kubernetes/behaviour";
import type { ExternalPeerPlan } from "../../plan/connectivityTypes";
import { inAnyPrefix, isPublicAddress } from "./addresses";
import { evaluateAuthorization, type RouteModel } from "./gatewayPolicy";
import { controllerService, type LoadBalancerModel } from "./loadBalancers";
import type { ClusterModel, NetworkModel } from "./model";
import { evaluateNetworkPolicies, type PolicySource } from "./networkPolicy";
import { evaluateNsg } from "./nsg";
import type { PodModel } from "./pods";
import { routeTo } from "./routes";
import { evaluateSecurityGroup } from "./securityGroups";

export type Layer =
  | "route"
  | "nsg-outbound"
  | "service-proxy"
  | "load-balancer"
  | "security-group"
  | "nsg"
  | "network-policy"
  | "gateway"
  /** A management network's own outbound filter, which the program does not manage. */
  | "source-egress"
  /** Where the client resolves the API server's name. */
  | "dns"
  /** The API server's public endpoint filter, or the lack of an endpoint. */
  | "api-endpoint";

export interface LayerVerdict {
  readonly layer: Layer;
  readonly admitted: boolean;
  readonly rule: string;
}

export type Origin =
  | { readonly kind: "pod"; readonly pod: PodModel }
  /** The kubelet of the destination pod's own node. */
  | { readonly kind: "node" }
  | { readonly kind: "site"; readonly site: string; readonly address: string }
  /** A runner in a management network (`network.connectivity.managementNetworks`), by name. */
  | { readonly kind: "management"; readonly network: string; readonly address: string }
  /** A machine (not a pod) at `address` in a cluster's own network: no SNAT, its subnets' firewalls. */
  | { readonly kind: "host"; readonly cluster: string; readonly address: string }
  /** A client in a range the stack routes nowhere: its owner routes it to the cluster, outside the stack. */
  | { readonly kind: "outside"; readonly range: string; readonly address: string }
  | { readonly kind: "external"; readonly peer: ExternalPeerPlan; readonly address: string }
  | { readonly kind: "internet"; readonly address: string }
  /** A load balancer's health checks to its targets. */
  | { readonly kind: "health-check"; readonly loadBalancer: LoadBalancerModel };

export interface Target {
  readonly cluster: ClusterModel;
  /** Where the packet is sent: a load balancer's frontend, a pod's or a node's address. */
  readonly address: string;
  readonly port: number;
  readonly via?: LoadBalancerModel;
  /** The pod that receives it (NetworkPolicies apply); absent for the node itself (kubelet, NodePorts). */
  readonly pod?: PodModel;
  /** A published route the gateway serves it on: its authorization applies last. */
  readonly route?: RouteModel;
  /** The API server's private endpoint (AKS: a private endpoint, which meets its subnet NSG only if told to). */
  readonly privateEndpoint?: true;
}

/** The NetworkPolicy layer's rule where the cluster's CNI ignores the policies. */
export const NOT_ENFORCED = "not enforced: the cluster's CNI ignores NetworkPolicies";

const admit = (layer: Layer, rule: string): LayerVerdict => ({ layer, admitted: true, rule });
const deny = (layer: Layer, rule: string): LayerVerdict => ({ layer, admitted: false, rule });

function clusterOf(model: NetworkModel, name: string): ClusterModel {
  const cluster = model.clusters.get(name);
  if (!cluster) throw new Error(`no cluster ${name} in the model`);
  return cluster;
}

function sameCluster(origin: Origin, target: Target): boolean {
  if (origin.kind === "pod") return origin.pod.cluster === target.cluster.plan.name;
  if (origin.kind === "host") return origin.cluster === target.cluster.plan.name;
  return origin.kind === "node" || origin.kind === "health-check";
}

/** The source address the destination sees (clients are preserved: IP targets, externalTrafficPolicy Local). */
function sourceAddress(model: NetworkModel, origin: Origin, target: Target): string | undefined {
  switch (origin.kind) {
    case "pod":
      return sameCluster(origin, target)
        ? origin.pod.address
        : clusterOf(model, origin.pod.cluster).sourceAddress(origin.pod, target.address);
    case "health-check":
      return target.cluster.plan.provider === "azure"
        ? AZURE_LOAD_BALANCER_PROBE_ADDRESS
        : origin.loadBalancer.frontend;
    case "node":
      return undefined;
    default:
      return origin.address;
  }
}

function routeLayer(model: NetworkModel, origin: Origin, target: Target, source: string): LayerVerdict {
  const to = target.cluster;
  const back = () => routeTo(to.routes, source);
  switch (origin.kind) {
    case "internet":
      return isPublicAddress(target.address)
        ? admit("route", "Internet-facing load balancer")
        : deny("route", "no route from the Internet to a private address");
    case "site": {
      // What the site's device learned over BGP: the clusters it connects to, and what their gateways pass on.
      const forward = routeTo(
        (model.bgp.get(origin.site) ?? []).map((r) => ({ prefix: r.prefix, via: `vpn to ${r.from}` })),
        target.address,
      );
      if (!forward) return deny("route", `site ${origin.site} learns no route to ${target.address}`);
      return back()
        ? admit("route", `site ${origin.site}: ${forward.via}`)
        : deny("route", `${to.plan.name} has no route back to ${source}`);
    }
    case "external": {
      if (!origin.peer.routedFrom.includes(to.plan.name)) {
        return admit("route", `${origin.peer.range} is routed by its party, outside the stack`);
      }
      const route = back();
      return route
        ? admit("route", route.via)
        : deny("route", `${to.plan.name} has no route back to ${source}`);
    }
    case "outside":
      return admit("route", `${origin.range} is routed by its owner, outside the stack`);
    case "management": {
      const network = model.management.get(origin.network);
      const forward = network && routeTo(network.routes, target.address);
      if (!forward)
        return deny("route", `management network ${origin.network} has no route to ${target.address}`);
      return back()
        ? admit("route", forward.via)
        : deny("route", `${to.plan.name} has no route back to ${source}`);
    }
    case "host":
    case "pod": {
      const from = clusterOf(model, origin.kind === "pod" ? origin.pod.cluster : origin.cluster);
      const forward = routeTo(from.routes, target.address);
      if (!forward) return deny("route", `${from.plan.name} has no route to ${target.address}`);
      return back()
        ? admit("route", forward.via)
        : deny("route", `${to.plan.name} has no route back to ${source}`);
    }
    default:
      return admit("route", "local");
  }
}

function loadBalancerLayer(target: Target, via: LoadBalancerModel, source: string): LayerVerdict {
  if (!via.ports.has(target.port))
    return deny("load-balancer", `${via.service} has no listener on ${target.port}`);
  const cluster = target.cluster;
  if (cluster.plan.provider === "aws") {
    const rules = controllerFrontendRules(controllerService(via), cluster.vpcCidr ?? "");
    const verdict = evaluateSecurityGroup(rules, { source, sourceGroups: [], port: target.port });
    return {
      layer: "load-balancer",
      admitted: verdict.admitted,
      rule: verdict.admitted ? verdict.rule : `${via.service} frontend: ${verdict.rule}`,
    };
  }
  const verdict = cloudProviderAdmits(
    { name: via.service, loadBalancerSourceRanges: via.sourceRanges, ports: [...via.ports.keys()] },
    target.port,
    inAnyPrefix(source, via.sourceRanges),
  );
  return { layer: "load-balancer", admitted: verdict.admitted, rule: verdict.rule };
}

/**
 * A same-cluster client's packet to a load balancer whose address is in its Service's status: the service
 * proxy of the client's node decides, and sends what it admits to the pod (see `serviceProxyAdmits`).
 */
function serviceProxyLayer(target: Target, via: LoadBalancerModel, source: string): LayerVerdict {
  if (!via.ports.has(target.port)) return deny("service-proxy", `${via.service} has no port ${target.port}`);
  const proxy = target.cluster.serviceProxy ?? "kube-proxy";
  const verdict = serviceProxyAdmits(
    proxy,
    { name: via.service, loadBalancerSourceRanges: via.sourceRanges },
    inAnyPrefix(source, via.sourceRanges),
  );
  return { layer: "service-proxy", admitted: verdict.admitted, rule: verdict.rule };
}

/**
 * The NetworkPolicy's view of the source. A pod of the same cluster keeps its address and identity on every
 * path: directly, through the service proxy, or through an NLB with client IP preservation (IP targets).
 */
function policySource(origin: Origin, target: Target, source: string | undefined): PolicySource {
  if (origin.kind === "node") return { kind: "node" };
  if (origin.kind === "pod" && sameCluster(origin, target)) {
    const { namespace, namespaceLabels, labels } = origin.pod;
    return { kind: "pod", namespace, namespaceLabels, labels, ...(source ? { address: source } : {}) };
  }
  if (!source) throw new Error(`flow from ${describe(origin)} has no source address`);
  return { kind: "address", address: source };
}

const describe = (origin: Origin) => (origin.kind === "pod" ? origin.pod.id : origin.kind);

export function evaluatePath(model: NetworkModel, origin: Origin, target: Target): LayerVerdict[] {
  const layers: LayerVerdict[] = [];
  const to = target.cluster;
  const source = sourceAddress(model, origin, target);
  const via = target.via;
  const local = to.plan.provider === "local";
  if (
    via &&
    source &&
    origin.kind === "pod" &&
    sameCluster(origin, target) &&
    to.loadBalancerStatusHasAddress
  ) {
    const proxied = serviceProxyLayer(target, via, source);
    if (!proxied.admitted || !target.pod) return [proxied];
    const port = via.ports.get(target.port) ?? target.port;
    // Past the proxy the packet is pod to pod; a gateway still applies its route's authorization.
    const direct = {
      cluster: to,
      address: target.pod.address ?? target.address,
      port,
      pod: target.pod,
      ...(target.route ? { route: target.route } : {}),
    };
    return [proxied, ...evaluatePath(model, origin, direct)];
  }
  if (!sameCluster(origin, target) && source) layers.push(routeLayer(model, origin, target, source));
  if ((origin.kind === "pod" || origin.kind === "host") && source) {
    const from = clusterOf(model, origin.kind === "pod" ? origin.pod.cluster : origin.cluster);
    if (from.nsgRules && from.virtualNetworkTag) {
      const verdict = evaluateNsg(
        from.nsgRules,
        { direction: "Outbound", source, destination: target.address, port: target.port },
        { virtualNetwork: from.virtualNetworkTag },
      );
      layers.push({ layer: "nsg-outbound", admitted: verdict.access === "Allow", rule: verdict.rule });
    }
  }
  if (origin.kind === "management") {
    const network = model.management.get(origin.network);
    const egress = network?.egress(target.address, target.port) ?? {
      admitted: false,
      rule: `no management network ${origin.network}`,
    };
    layers.push({ layer: "source-egress", admitted: egress.admitted, rule: egress.rule });
  }
  if (via && source && !local && origin.kind !== "health-check")
    layers.push(loadBalancerLayer(target, via, source));
  const targetPort = via ? (via.ports.get(target.port) ?? target.port) : target.port;
  if (to.securityGroupRules && source) {
    const viaBalancer = via !== undefined || origin.kind === "health-check";
    const groups = viaBalancer
      ? [LBC_BACKEND_SECURITY_GROUP]
      : origin.kind === "pod" && sameCluster(origin, target)
        ? [EKS_CLUSTER_SECURITY_GROUP]
        : [];
    const verdict = evaluateSecurityGroup(to.securityGroupRules, {
      source,
      sourceGroups: groups,
      port: targetPort,
    });
    layers.push({ layer: "security-group", admitted: verdict.admitted, rule: verdict.rule });
  }
  if (target.privateEndpoint && to.nsgRules && !to.apiServer?.nsgFiltersPrivateEndpoint) {
    layers.push(
      admit(
        "nsg",
        "private endpoint: its subnet's NSG does not apply (private-endpoint network policies off, their default)",
      ),
    );
  } else if (to.nsgRules && to.virtualNetworkTag && source) {
    // Floating IP (AKS's default): a load-balanced packet still carries the frontend's address and port.
    const verdict = evaluateNsg(
      to.nsgRules,
      {
        direction: "Inbound",
        source,
        destination: via ? via.frontend : target.address,
        port: via ? target.port : targetPort,
      },
      { virtualNetwork: to.virtualNetworkTag },
    );
    layers.push({ layer: "nsg", admitted: verdict.access === "Allow", rule: verdict.rule });
  }
  if (target.pod) {
    if (!to.enforcesNetworkPolicies) {
      layers.push(admit("network-policy", NOT_ENFORCED));
    } else {
      const verdict = evaluateNetworkPolicies(
        to.policies,
        { namespace: target.pod.namespace, labels: target.pod.labels, namedPorts: target.pod.namedPorts },
        targetPort,
        policySource(origin, target, source),
      );
      layers.push({ layer: "network-policy", admitted: verdict.admitted, rule: verdict.rule });
    }
  }
  if (target.route && source) {
    const verdict = evaluateAuthorization(target.route, source);
    layers.push({ layer: "gateway", admitted: verdict.admitted, rule: verdict.rule });
  }
  return layers;
}

/** A pod's packet to a host outside the stack (an external peer): its routes and its outbound NSG. */
export function evaluateOutbound(
  model: NetworkModel,
  pod: PodModel,
  peer: ExternalPeerPlan,
  address: string,
  port: number,
): LayerVerdict[] {
  const from = clusterOf(model, pod.cluster);
  const source = from.sourceAddress(pod, address);
  const layers: LayerVerdict[] = [];
  if (peer.routedFrom.includes(from.plan.name)) {
    const route = routeTo(from.routes, address);
    layers.push(
      route ? admit("route", route.via) : deny("route", `${from.plan.name} has no route to ${address}`),
    );
  } else {
    layers.push(admit("route", `${peer.range} is routed by its party, outside the stack`));
  }
  if (from.nsgRules && from.virtualNetworkTag && source) {
    const verdict = evaluateNsg(
      from.nsgRules,
      { direction: "Outbound", source, destination: address, port },
      { virtualNetwork: from.virtualNetworkTag },
    );
    layers.push({ layer: "nsg-outbound", admitted: verdict.access === "Allow", rule: verdict.rule });
  }
  return layers;
}

/** The verdict of a flow: the first layer that denies it, else the last one that admits it. */
export function decide(layers: readonly LayerVerdict[]): {
  readonly admitted: boolean;
  readonly layer?: Layer;
  readonly rule?: string;
} {
  const denied = layers.find((l) => !l.admitted);
  const decisive = denied ?? layers[layers.length - 1];
  return decisive ? { admitted: !denied, layer: decisive.layer, rule: decisive.rule } : { admitted: true };
}
