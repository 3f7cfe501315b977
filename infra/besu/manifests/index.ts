/** Kubernetes objects of Besu nodes, as plain data, beside the GoQuorum ones of `../../quorum/manifests`. */
export { type BesuClusterFiles, type BesuClusterManifests, besuClusterManifests } from "./cluster";
export { BESU_FLAGS, besuArgs, besuRpcApis, hostAllowlist } from "./flags";
export { type BesuNodeManifestInput, besuNodeManifests, clientNodeManifests } from "./node";
export {
  BESU_CONTAINER,
  BESU_FILES,
  BESU_GENESIS_CONFIGMAP,
  BESU_PATHS,
  BESU_PEERS_CONFIGMAP,
  BESU_PEERS_DIGEST_ANNOTATION,
  BESU_VOLUMES,
} from "./paths";
