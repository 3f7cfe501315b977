/** Container resource requirements. */
import type { IResourceRequirements } from "kubernetes-models/v1/ResourceRequirements";
import type { NetworkConfig } from "../../config/schema";

type Resources = NetworkConfig["workloads"]["goquorumResources"];

/** No CPU limit unless configured: throttling a validator delays blocks. */
export function resourceRequirements(resources: Resources): IResourceRequirements {
  return {
    requests: { cpu: resources.cpuRequest, memory: resources.memoryRequest },
    limits: {
      memory: resources.memoryLimit,
      ...(resources.cpuLimit ? { cpu: resources.cpuLimit } : {}),
    },
  };
}

/** geth-init and peer-sync: short `geth init` / `geth attach` runs. */
export const HELPER_RESOURCES: Resources = {
  cpuRequest: "10m",
  memoryRequest: "32Mi",
  memoryLimit: "512Mi",
};
