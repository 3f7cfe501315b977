/**
 * Names and paths of a Besu node's pod. Keys, the disruption gate's threshold and scratch space are where a
 * GoQuorum pod has them (`../../quorum/manifests/paths`); the rest is Besu's own, so nothing a GoQuorum pod
 * mounts changes when a node of the cluster runs Besu.
 */
import { CLIENT_CONTAINERS } from "../../quorum/manifests/gateScripts";
import { DIRS } from "../../quorum/manifests/paths";

/** The Besu container: the rollout gate reads its readiness by this name. */
export const BESU_CONTAINER = CLIENT_CONTAINERS.besu;

/** Besu's genesis file, built from the deployed GoQuorum genesis; present only in clusters with Besu nodes. */
export const BESU_GENESIS_CONFIGMAP = "goquorum-besu-genesis";
/** Besu's static nodes, node allowlist and the node addresses the disruption gate reads. */
export const BESU_PEERS_CONFIGMAP = "goquorum-besu-peers";

/** Pod-template annotation with the sha256 of the static nodes and allowlist, which Besu reads only at start. */
export const BESU_PEERS_DIGEST_ANNOTATION = "goquorum.network/besu-peers-sha256";

export const BESU_FILES = {
  genesis: "genesis.json",
  staticNodes: "static-nodes.json",
  permissions: "permissions_config.toml",
  nodeAddresses: "node-addresses",
} as const;

export const BESU_VOLUMES = {
  /**
   * The data volume claim template. Not GoQuorum's `data`: a node that switches client gets a new volume
   * (Besu cannot read GoQuorum's database) and its GoQuorum volume stays for a rollback.
   */
  data: "besu-data",
  genesis: "besu-genesis",
  peers: "besu-peers",
} as const;

export const BESU_DIRS = {
  genesis: "/config/besu-genesis",
  peers: "/config/besu-peers",
} as const;

export const BESU_PATHS = {
  /** `--data-path`, on the volume: never `/opt/besu`, the image's home (docs: never mount a volume there). */
  dataPath: `${DIRS.data}/besu`,
  genesis: `${BESU_DIRS.genesis}/${BESU_FILES.genesis}`,
  staticNodes: `${BESU_DIRS.peers}/${BESU_FILES.staticNodes}`,
  permissions: `${BESU_DIRS.peers}/${BESU_FILES.permissions}`,
  nodeAddresses: `${BESU_DIRS.peers}/${BESU_FILES.nodeAddresses}`,
} as const;
