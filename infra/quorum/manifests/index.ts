/**
 * Kubernetes objects of a GoQuorum network, as plain data (no Pulumi): a component turns each object into
 * the matching @pulumi/kubernetes resource. Every object carries its apiVersion, kind, name, namespace
 * (except the Namespace itself) and labels.
 */
export { type ClusterManifests, clusterManifests } from "./cluster";
export {
  DISRUPTION_GATE_CONFIGMAP,
  type DisruptionGate,
  disruptionGate,
  GUARDED_SPEC_ANNOTATION,
  ROLLOUT_GATE,
  validatorPod,
} from "./disruptionGate";
export {
  DISRUPTION_GATE_SCRIPT,
  GATE_CONTAINER,
  ROLLOUT_GATE_SCRIPT,
  ROLLOUT_GATE_WAIT_SECONDS,
} from "./gateScripts";
export { type GethArgsOptions, GOQUORUM_FLAGS, gethArgs, maxPeers, UNSAFE_RPC_APIS } from "./gethFlags";
export {
  CSI_KEY_FILE_PERMISSION,
  type KeyFile,
  type KeyReader,
  type KeySource,
  nodeKeyFiles,
  nodeTesseraTls,
  SECRETS_STORE_CSI_API_VERSION,
  SECRETS_STORE_CSI_DRIVER,
} from "./keySource";
export { keysSecretName, TESSERA_TLS_CERTIFICATE_ANNOTATION, tesseraTlsSecretName } from "./keysSecret";
export { LABELS } from "./labels";
export {
  GENESIS_DIGEST_ANNOTATION,
  GOVERNING_SERVICE,
  PORT_NAMES,
  serviceAccountName,
  serviceHostnames,
} from "./names";
export { type NodeManifests, nodeManifests } from "./node";
export { type KubernetesObject, listObjects, type Named } from "./objects";
export { DIRS, FILES, PATHS } from "./paths";
export { runsTessera } from "./roles";
export type { ClusterManifestInput, NodeManifestInput } from "./types";
