/**
 * A cloud cluster's API server as a deployer's packet meets it, from the values the components register:
 * - EKS: the endpoints of `endpointAccess` (the public one filtered by `publicAccessCidrs`), the private
 *   endpoint's ENIs in the private subnets behind the cluster security group (whose rules, with
 *   `apiServerIngressRules`, are the cluster model's), the name resolved as `eksApiNameResolvesTo` says for
 *   the VPC's `VPC_DNS`;
 * - AKS: `apiServerAccess` (authorized IP ranges, or a private cluster without public FQDN), the private
 *   endpoint on the node subnet, filtered by its NSG only where the subnet's private-endpoint network
 *   policies say so, the name resolvable where `apiZoneLinks` links the private zone.
 * A flow first resolves the name (needed flows only: a closed flow is about packets, whoever knows the
 * address), then crosses the layers of `evaluatePath` to the private endpoint, or the public endpoint's filter.
 */
import { eksApiNameResolvesTo } from "../../aws/behaviour";
import { endpointAccess } from "../../aws/eks";
import { VPC_DNS } from "../../aws/network";
import { apiServerAccess, apiZoneLinks, privateEndpointFence } from "../../azure/apiAccess";
import {
  AKS_PRIVATE_ENDPOINT_SUBNET,
  nsgFiltersPrivateEndpoints,
  PRIVATE_ENDPOINT_NETWORK_POLICIES_DEFAULT,
} from "../../azure/behaviour";
import { azureSubnets } from "../../azure/network";
import type { ClusterConfig, NetworkConfig } from "../../config/schema";
import { API_SERVER_PORT, type DeployerPath } from "../../plan/apiAccess";
import type { ClusterPlan } from "../../plan/types";
import { inAnyPrefix, isPublicAddress } from "./addresses";
import { evaluatePath, type LayerVerdict, type Origin } from "./evaluate";
import type { ClusterModel, NetworkModel } from "./model";
import { hostAt, subnetIn } from "./pods";

export type Endpoint = "private" | "public";

/** Who asks for the API server's name, as far as resolution goes. */
export type ApiClient =
  | { readonly kind: "management"; readonly network: string }
  | { readonly kind: "site"; readonly site: string }
  | { readonly kind: "internet" };

export interface ApiServerModel {
  /** A representative address of the private endpoint (its subnet's); none on a public AKS API server. */
  readonly privateAddress?: string;
  /** The public endpoint and the ranges its filter admits; none when it is off. */
  readonly publicEndpoint?: { readonly admits: readonly string[]; readonly filter: string };
  /** Azure: whether the private endpoint meets its subnet's NSG. */
  readonly nsgFiltersPrivateEndpoint: boolean;
  /** Which endpoint the name resolves to for a client, and why; `none` where it does not resolve. */
  readonly resolve: (client: ApiClient) => { readonly endpoint: Endpoint | "none"; readonly why: string };
}

export function apiServerModel(
  network: NetworkConfig,
  cluster: ClusterPlan,
  config: ClusterConfig,
  paths: readonly DeployerPath[],
): ApiServerModel | undefined {
  if (config.provider === "aws") {
    const access = endpointAccess(config);
    return {
      privateAddress: hostAt(subnetIn(cluster, "private", cluster.zones[0])?.cidr, 6),
      ...(access.endpointPublicAccess
        ? { publicEndpoint: { admits: access.publicAccessCidrs ?? [], filter: "EKS publicAccessCidrs" } }
        : {}),
      nsgFiltersPrivateEndpoint: false,
      resolve: () =>
        eksApiNameResolvesTo({
          publicEndpoint: access.endpointPublicAccess,
          clientInClusterVpc: false,
          vpcDns: VPC_DNS,
        }),
    };
  }
  if (config.provider === "azure") {
    const access = apiServerAccess(network, config);
    if (!access.enablePrivateCluster) {
      return {
        publicEndpoint: { admits: access.authorizedIPRanges, filter: "AKS authorizedIPRanges" },
        nsgFiltersPrivateEndpoint: false,
        resolve: () => ({ endpoint: "public", why: "public DNS: a public API server" }),
      };
    }
    const linked = apiZoneLinks(access, network.connectivity.managementNetworks).map((l) => l.network);
    const endpointSubnet = azureSubnets(cluster, privateEndpointFence(config, paths)).find(
      (s) => s.purpose === AKS_PRIVATE_ENDPOINT_SUBNET,
    );
    return {
      privateAddress: hostAt(endpointSubnet?.cidr, 6),
      nsgFiltersPrivateEndpoint: nsgFiltersPrivateEndpoints(
        endpointSubnet?.privateEndpointNetworkPolicies ?? PRIVATE_ENDPOINT_NETWORK_POLICIES_DEFAULT,
      ),
      resolve: (client) => {
        if (client.kind === "management") {
          return linked.includes(client.network)
            ? {
                endpoint: "private",
                why: `private DNS zone ${access.privateDnsZone} linked to ${client.network}`,
              }
            : {
                endpoint: "none",
                why: `private DNS zone ${access.privateDnsZone} is not linked to ${client.network}`,
              };
        }
        if (client.kind === "site") {
          // Outside the stack: the site's DNS forwards the zone to Azure (the plan warns of it).
          return { endpoint: "private", why: `site ${client.site}'s DNS forwards ${access.privateDnsZone}` };
        }
        return { endpoint: "none", why: "a private cluster's name is in no public DNS (public FQDN off)" };
      },
    };
  }
  return undefined;
}

export interface ApiRoute {
  readonly api: {
    readonly cluster: ClusterModel;
    readonly endpoint: Endpoint;
    readonly origin: Origin;
    /** The source address the endpoint sees. */
    readonly address: string;
    /** Who resolves the name first: needed flows only (a closed flow is about packets). */
    readonly resolveAs?: ApiClient;
  };
}

const verdict = (layer: LayerVerdict["layer"], admitted: boolean, rule: string): LayerVerdict => ({
  layer,
  admitted,
  rule,
});

export function evaluateApiRoute(model: NetworkModel, route: ApiRoute): LayerVerdict[] {
  const { cluster, endpoint, origin, address, resolveAs } = route.api;
  const server = cluster.apiServer;
  if (!server) return [verdict("api-endpoint", false, `${cluster.plan.name} has no API server model`)];
  const layers: LayerVerdict[] = [];
  if (resolveAs) {
    const resolved = server.resolve(resolveAs);
    layers.push(
      verdict(
        "dns",
        resolved.endpoint === endpoint,
        resolved.endpoint === endpoint ? resolved.why : `${resolved.why}: not the ${endpoint} endpoint`,
      ),
    );
  }
  if (endpoint === "public") {
    const pub = server.publicEndpoint;
    if (!pub) return [...layers, verdict("api-endpoint", false, "no public endpoint")];
    if (origin.kind !== "internet" || !isPublicAddress(address)) {
      return [...layers, verdict("route", false, `${address} is not an Internet address`)];
    }
    layers.push(verdict("route", true, "the Internet to the public endpoint"));
    const admitting = pub.admits.find((r) => inAnyPrefix(address, [r]));
    layers.push(
      admitting
        ? verdict("api-endpoint", true, `${pub.filter}: ${admitting}`)
        : verdict("api-endpoint", false, `${pub.filter} admit no range holding ${address}`),
    );
    return layers;
  }
  if (!server.privateAddress) return [...layers, verdict("api-endpoint", false, "no private endpoint")];
  return [
    ...layers,
    ...evaluatePath(model, origin, {
      cluster,
      address: server.privateAddress,
      port: API_SERVER_PORT,
      privateEndpoint: true,
    }),
  ];
}
