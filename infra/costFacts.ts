/**
 * The facts the cost estimate (`infra/plan/cost.ts`) counts, taken from the modules that build the resources,
 * so the estimate prices what the program registers.
 */
import { AKS_SKU } from "./azure/aks";
import { AKS_OUTBOUND, aksDefaultOsDisk } from "./azure/behaviour";
import type { StackConfig } from "./config/schema";
import { GATEWAY_PORTS } from "./ingress/names";
import { ALERTMANAGER_VOLUME } from "./monitoring/chartValues";
import { FEDERATION_PORTS } from "./monitoring/topology";
import { type CostFacts, type CostPlan, stackCost } from "./plan/cost";
import { azureVmVcpus } from "./plan/instances";
import type { NetworkPlan } from "./plan/types";
import { crossClusterPorts } from "./quorum/manifests/servicePorts";

export const COST_FACTS: CostFacts = {
  nodeEndpointPorts: (node) => crossClusterPorts(node).length,
  federationPorts: FEDERATION_PORTS.length,
  gatewayPorts: Object.keys(GATEWAY_PORTS).length,
  alertmanagerVolume: ALERTMANAGER_VOLUME,
  aksTier: AKS_SKU.tier,
  aksOsDiskGiB: (vmSize) => aksDefaultOsDisk(vmSize, azureVmVcpus(vmSize) ?? 0),
  aksOutbound: AKS_OUTBOUND,
};

/** The monthly estimate of a planned stack, as `npm run plan` prints it. */
export const planCost = (config: StackConfig, plan: NetworkPlan): CostPlan =>
  stackCost(config, plan, COST_FACTS);
