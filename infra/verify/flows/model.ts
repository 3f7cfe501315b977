/**
 * Everything the flows cross, built by calling the very pure functions the components register: NSG rules,
 * security group rules, route tables, NetworkPolicies, Services, monitoring paths. Pods and load balancers
 * get a representative address in the subnet they live in. Tests change one value of a built model (an old
 * NSG rule list, a CNI that does not enforce) and check that the verifier notices.
 */
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { apiServerIngressRules } from "../../aws/apiAccess";
import {
  controllerBackendRules,
  EKS_CLUSTER_SECURITY_GROUP_INGRESS,
  LBC_STATUS_HAS_ADDRESS,
  type SecurityGroupRule,
} from "../../aws/behaviour";
import { peerIngressRules } from "../../aws/peering";
import { aksNetworkProfile } from "../../azure/aks";
import { managementRanges, privateEndpointFence } from "../../azure/apiAccess";
import { AZURE_LB_STATUS_HAS_ADDRESS, aksServiceProxy, virtualNetworkTag } from "../../azure/behaviour";
import { type NsgRule, nsgRules, vnetAddressSpace } from "../../azure/network";
import { peeringLinks } from "../../azure/peering";
import { clientNodeManifests } from "../../besu/manifests";
import type { Exposure } from "../../config/ingress";
import type { ClusterConfig, StackConfig } from "../../config/schema";
import { routedSources } from "../../ingress/networkPeers";
import { type ServiceProxy, WELL_KNOWN_LABELS } from "../../kubernetes/behaviour";
import { scrapesTesseraP2p } from "../../monitoring/rules";
import { thresholds } from "../../monitoring/thresholds";
import {
  federationService,
  type MonitoringPath,
  monitoringPaths,
  PROMETHEUS_POD_SELECTOR,
} from "../../monitoring/topology";
import { besuImage } from "../../plan/besuImage";
import type { ClusterPlan, NetworkPlan, NodePlan } from "../../plan/types";
import { clusterManifests } from "../../quorum/manifests";
import { clusterLabels } from "../../quorum/manifests/labels";
import { nodeRunsTessera } from "../../quorum/manifests/roles";
import { peerRanges } from "../../quorum/peers";
import { clusterEnforcesNetworkPolicies } from "../policyEnforcement";
import { type ApiServerModel, apiServerModel } from "./apiServer";
import { type BgpRoute, bgpRoutes } from "./bgp";
import type { RouteModel } from "./gatewayPolicy";
import {
  controllerService,
  gatewayModels,
  type LoadBalancerModel,
  loadBalancerOf,
  nodeLoadBalancerAnnotations,
} from "./loadBalancers";
import { type ManagementModel, managementModels } from "./management";
import type { LabelSelector } from "./networkPolicy";
import {
  addressesOf,
  type Labels,
  namespaceLabels,
  type PodModel,
  portsOf,
  STRANGER_NAMESPACE,
  sourceAddressOf,
} from "./pods";
import { clusterRoutes, type Route } from "./routes";

export interface NodeModel {
  readonly node: NodePlan;
  readonly pod: PodModel;
  readonly loadBalancer?: LoadBalancerModel;
  /** The pods its pod may never share a node with: its required anti-affinity terms on the hostname. */
  readonly separateNodesFrom: readonly LabelSelector[];
}

export interface ClusterModel {
  readonly plan: ClusterPlan;
  readonly config: ClusterConfig;
  /** Index in `clusters`, for issue paths. */
  readonly index: number;
  readonly enforcesNetworkPolicies: boolean;
  readonly policies: readonly INetworkPolicy[];
  readonly nodes: readonly NodeModel[];
  readonly prometheus: PodModel;
  /** Envoy's proxy pods, when the cluster publishes routes. */
  readonly gateway?: PodModel;
  readonly gatewayLoadBalancers: ReadonlyMap<Exposure, LoadBalancerModel>;
  /** The published routes as the gateway authorizes them, by route name. */
  readonly publishedRoutes: ReadonlyMap<string, RouteModel>;
  readonly federation?: LoadBalancerModel;
  /** A pod in a namespace of its own, which no policy names. */
  readonly stranger: PodModel;
  /** A node of the cluster, as a destination (kubelet, NodePorts); none on `local`. */
  readonly nodeAddress?: string;
  /** The address a pod's packet to `destination` leaves its node with (after any SNAT). */
  readonly sourceAddress: (pod: PodModel, destination: string) => string | undefined;
  readonly routes: readonly Route[];
  /**
   * Whether its load balancers' addresses are in their Services' status, where the service proxy of every
   * node intercepts in-cluster traffic to them (Azure), or only a DNS name is (AWS: such traffic reaches the NLB).
   */
  readonly loadBalancerStatusHasAddress: boolean;
  /** What implements Services on its nodes, where the verifier needs it (Azure). */
  readonly serviceProxy?: ServiceProxy;
  /** AWS: the inbound rules of the cluster security group (on every node and pod ENI). */
  readonly securityGroupRules?: readonly SecurityGroupRule[];
  /** AWS: the VPC's primary block (the default source range of an internal NLB). */
  readonly vpcCidr?: string;
  /** Azure: the rules of every subnet's NSG, and what its VirtualNetwork tag covers. */
  readonly nsgRules?: readonly NsgRule[];
  readonly virtualNetworkTag?: readonly string[];
  /** Its API server's endpoints (cloud clusters). */
  readonly apiServer?: ApiServerModel;
}

export interface NetworkModel {
  readonly config: StackConfig;
  readonly plan: NetworkPlan;
  readonly clusters: ReadonlyMap<string, ClusterModel>;
  readonly monitoring: readonly MonitoringPath[];
  readonly scrapesTesseraP2p: boolean;
  /** What each VPN gateway and site learns over BGP, by cluster or site name. */
  readonly bgp: ReadonlyMap<string, readonly BgpRoute[]>;
  /** The management networks of the deployers, by name. */
  readonly management: ReadonlyMap<string, ManagementModel>;
}
function clusterModel(
  config: StackConfig,
  plan: NetworkPlan,
  cluster: ClusterPlan,
  monitoring: readonly MonitoringPath[],
  bgp: ReadonlyMap<string, readonly BgpRoute[]>,
): ClusterModel {
  const network = config.network;
  const index = config.clusters.findIndex((c) => c.name === cluster.name);
  const clusterConfig = config.clusters[index];
  if (!clusterConfig) throw new Error(`cluster ${cluster.name} is planned but not configured`);
  const peerCidrs = peerRanges(cluster, plan);
  const shared = clusterManifests({
    network,
    cluster,
    genesisJson: "",
    staticNodes: [],
    permissionedNodes: [],
    peerCidrs,
    routedSources: routedSources(cluster.ingress),
  });
  const ownNamespace = namespaceLabels(cluster.namespace, shared.namespace.metadata.labels);
  const at = addressesOf(cluster, clusterConfig);
  const totalNodes = plan.clusters.reduce((n, c) => n + c.nodes.length, 0);
  const nodes = cluster.nodes.map((node): NodeModel => {
    const member = nodeRunsTessera(node);
    const manifests = clientNodeManifests({
      network,
      cluster,
      node,
      totalNodes,
      genesisValidators: plan.network.genesisValidators,
      keys: { kind: "secret", keysSecret: "keys", tlsSecret: "tls" },
      ...(member ? { tesseraConfigJson: "{}" } : {}),
      ...(node.endpointIp !== undefined
        ? { loadBalancerAnnotations: nodeLoadBalancerAnnotations(cluster)(node) }
        : {}),
      peerCidrs,
      besuImage: besuImage(network.workloads.images, plan).image,
      nodeAllowlist: true,
    });
    const template = manifests.statefulSet.spec?.template;
    const ports = portsOf([...(template?.spec?.initContainers ?? []), ...(template?.spec?.containers ?? [])]);
    const pod: PodModel = {
      id: node.name,
      cluster: cluster.name,
      namespace: cluster.namespace,
      namespaceLabels: ownNamespace,
      labels: template?.metadata?.labels ?? {},
      ...optional("address", at.pod(node.zone)),
      ...optional("nodeAddress", at.node(node.zone)),
      ...ports,
    };
    const balancer = manifests.p2pLoadBalancer;
    const separateNodesFrom = (
      template?.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []
    ).flatMap((term) =>
      term.topologyKey === WELL_KNOWN_LABELS.hostname && term.labelSelector ? [term.labelSelector] : [],
    );
    return {
      node,
      pod,
      separateNodesFrom,
      ...(balancer && node.endpointIp
        ? { loadBalancer: loadBalancerOf(balancer, node.endpointIp, ports.namedPorts) }
        : {}),
    };
  });
  const monitoringNamespace = network.workloads.monitoringNamespace;
  const helperPod = (id: string, namespace: string, nsLabels: Labels, labels: Labels): PodModel => ({
    id: `${cluster.name}/${id}`,
    cluster: cluster.name,
    namespace,
    namespaceLabels: nsLabels,
    labels,
    ...optional("address", at.pod(cluster.zones[0])),
    ...optional("nodeAddress", at.node(cluster.zones[0])),
    namedPorts: {},
    probePorts: [],
  });
  const prometheus = helperPod(
    "prometheus",
    monitoringNamespace,
    namespaceLabels(monitoringNamespace, clusterLabels(network.name, cluster.name)),
    PROMETHEUS_POD_SELECTOR,
  );
  const federation = federationService(network, cluster, plan);
  const gateways = gatewayModels(network, cluster);
  const gateway =
    gateways.namespace && gateways.labels
      ? helperPod("gateway", gateways.namespace, namespaceLabels(gateways.namespace), gateways.labels)
      : undefined;
  const federationBalancer =
    federation && cluster.monitoringEndpointIp
      ? loadBalancerOf(federation, cluster.monitoringEndpointIp, {})
      : undefined;
  const balancers = [
    ...nodes.flatMap((n) => (n.loadBalancer ? [n.loadBalancer] : [])),
    ...(federationBalancer ? [federationBalancer] : []),
    ...gateways.balancers.values(),
  ];
  const configOf = (name: string) => config.clusters.find((c) => c.name === name) as ClusterConfig;
  return {
    plan: cluster,
    config: clusterConfig,
    index,
    enforcesNetworkPolicies: clusterEnforcesNetworkPolicies(clusterConfig, cluster),
    policies: shared.networkPolicies,
    nodes,
    prometheus,
    ...optional("gateway", gateway),
    gatewayLoadBalancers: gateways.balancers,
    publishedRoutes: gateways.routes,
    ...optional("federation", federationBalancer),
    stranger: helperPod("other-namespace", STRANGER_NAMESPACE, namespaceLabels(STRANGER_NAMESPACE), {
      app: "other",
    }),
    ...optional("nodeAddress", at.node(cluster.zones[0])),
    sourceAddress: sourceAddressOf(cluster, clusterConfig),
    routes: clusterRoutes(cluster, plan, network, configOf, bgp),
    loadBalancerStatusHasAddress:
      cluster.provider === "aws"
        ? LBC_STATUS_HAS_ADDRESS
        : cluster.provider === "azure" && AZURE_LB_STATUS_HAS_ADDRESS,
    ...(clusterConfig.provider === "azure"
      ? { serviceProxy: aksServiceProxy(aksNetworkProfile(cluster, clusterConfig).networkDataplane) }
      : {}),
    ...(cluster.provider === "aws"
      ? {
          vpcCidr: cluster.cidr,
          securityGroupRules: [
            ...EKS_CLUSTER_SECURITY_GROUP_INGRESS,
            ...peerIngressRules(cluster, plan).map((r) => ({
              name: `peering mesh ${r.key}`,
              source: { cidr: r.cidr },
              fromPort: r.port,
              toPort: r.port,
            })),
            ...balancers.flatMap((lb) => controllerBackendRules(controllerService(lb))),
            // The deployers' rules are on the cluster security group, so on every node and pod too.
            ...apiServerIngressRules(cluster, plan.deployerPaths).map((r) => ({
              name: `deployers ${r.key}`,
              source: { cidr: r.cidr },
              fromPort: r.port,
              toPort: r.port,
            })),
          ],
        }
      : {}),
    ...optional("apiServer", apiServerModel(network, cluster, clusterConfig, plan.deployerPaths)),
    ...(cluster.provider === "azure"
      ? {
          nsgRules: nsgRules(
            cluster,
            plan,
            monitoring,
            managementRanges(network.connectivity.managementNetworks),
            clusterConfig.provider === "azure"
              ? privateEndpointFence(clusterConfig, plan.deployerPaths)
              : undefined,
          ),
          virtualNetworkTag: azureVirtualNetworkTag(
            cluster,
            clusterConfig,
            plan,
            bgp,
            managementRanges(network.connectivity.managementNetworks),
          ),
        }
      : {}),
  };
}

/** The VirtualNetwork tag of an Azure cluster's NSGs: its VNet, the VNets peered with it (other clusters'
 * and management networks), what its gateway learns. */
function azureVirtualNetworkTag(
  cluster: ClusterPlan,
  config: ClusterConfig,
  plan: NetworkPlan,
  bgp: ReadonlyMap<string, readonly BgpRoute[]>,
  management: readonly string[],
): string[] {
  const byName = (name: string) => plan.clusters.find((c) => c.name === name) as ClusterPlan;
  return virtualNetworkTag({
    addressSpace: vnetAddressSpace(cluster),
    overlayPodRanges:
      config.provider === "azure" && config.cni.mode === "overlay" && cluster.podCidr
        ? [cluster.podCidr]
        : [],
    // The peered VNets: the other clusters', and every Azure management network's.
    peeredAddressSpaces: [
      ...peeringLinks(plan.connectivity.links)
        .filter((l) => l.from === cluster.name)
        .flatMap((l) => vnetAddressSpace(byName(l.to))),
      ...management,
    ],
    gatewayRanges: (bgp.get(cluster.name) ?? []).map((r) => r.prefix),
  });
}

export function networkModel(config: StackConfig, plan: NetworkPlan): NetworkModel {
  const monitoring = monitoringPaths(config.network, plan);
  const bgp = bgpRoutes(plan, config.network.connectivity.sites);
  return {
    config,
    plan,
    bgp,
    management: managementModels(config, plan),
    clusters: new Map(plan.clusters.map((c) => [c.name, clusterModel(config, plan, c, monitoring, bgp)])),
    monitoring,
    scrapesTesseraP2p: scrapesTesseraP2p(thresholds(config.network, plan)),
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
