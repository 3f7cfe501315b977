/**
 * Where things live inside a node's pod. Tessera's own files (keys, TLS material, database) are placed
 * where the Tessera config of `../peers` expects them; see `keysSecret.ts`.
 */
export const FILES = {
  genesis: "genesis.json",
  staticNodes: "static-nodes.json",
  permissionedNodes: "permissioned-nodes.json",
  tesseraConfig: "tessera-config.json",
  nodeKey: "nodekey",
} as const;

export const DIRS = {
  /** The node's persistent volume (chain data under `quorum/`, Tessera's database under `tessera/`). */
  data: "/data",
  /** Key material, read-only; never copied to the data volume. */
  keys: "/keys",
  genesis: "/config/genesis",
  /** The peer-list ConfigMap (static and permissioned nodes), mounted as a directory so kubelet updates it in place. */
  peers: "/config/peers",
  tesseraConfig: "/config/tessera",
  /** Pod-local emptyDir shared by geth and peer-sync: the IPC socket and the applied peer list. */
  ipc: "/ipc",
  /** Pod-local emptyDir shared by Tessera and geth only: the socket of Tessera's Q2T API. */
  ptm: "/ptm",
  /** Writable scratch space (the root filesystem is read-only). */
  tmp: "/tmp",
} as const;

/** geth's `--datadir`: chain data, and the files geth reads at its top level. */
const QUORUM_DATA_DIR = `${DIRS.data}/quorum`;

export const PATHS = {
  quorumDataDir: QUORUM_DATA_DIR,
  nodeKey: `${DIRS.keys}/${FILES.nodeKey}`,
  genesis: `${DIRS.genesis}/${FILES.genesis}`,
  staticNodes: `${DIRS.peers}/${FILES.staticNodes}`,
  /** The node permissioning list as the ConfigMap delivers it; peer-sync installs it in the datadir. */
  permissionedNodes: `${DIRS.peers}/${FILES.permissionedNodes}`,
  /** Where geth reads it with `--permissioned`: the datadir's top level (see `GOQUORUM_PERMISSIONING`). */
  installedPermissionedNodes: `${QUORUM_DATA_DIR}/${FILES.permissionedNodes}`,
  tesseraConfig: `${DIRS.tesseraConfig}/${FILES.tesseraConfig}`,
  ipcSocket: `${DIRS.ipc}/geth.ipc`,
  appliedStaticNodes: `${DIRS.ipc}/static-nodes.applied`,
  /** Tessera's Q2T API: a Unix socket, so nothing outside the pod can reach it (see `../behaviour.ts`). */
  ptmSocket: `${DIRS.ptm}/tm.ipc`,
} as const;
