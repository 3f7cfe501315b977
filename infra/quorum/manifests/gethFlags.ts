/** The geth command line of a node, built from the plan and the network's workload settings. */
import type { NetworkConfig } from "../../config/schema";
import type { NodePlan } from "../../plan/types";
import { GOQUORUM_PERMISSIONING, GOQUORUM_PTM } from "../behaviour";
import { PORTS } from "../ports";
import { serviceHostnames } from "./names";
import { PATHS } from "./paths";
import { runsTessera, servesRpc } from "./roles";

/**
 * Flags this generator may emit, each checked against GoQuorum v24.4.1 (`cmd/geth/main.go` node, rpc and
 * metrics flags, `internal/debug/flags.go`). An unknown flag makes geth exit ("flag provided but not defined").
 */
export const GOQUORUM_FLAGS = [
  "identity",
  "datadir",
  "nodekey",
  "networkid",
  "syncmode",
  "gcmode",
  "nodiscover",
  "port",
  "nat",
  "maxpeers",
  "verbosity",
  "metrics",
  "metrics.addr",
  "metrics.port",
  "ipcpath",
  "mine",
  "miner.threads",
  "miner.gasprice",
  "emitcheckpoints",
  "http",
  "http.addr",
  "http.port",
  "http.api",
  "http.vhosts",
  "http.corsdomain",
  "ws",
  "ws.addr",
  "ws.port",
  "ws.api",
  "ws.origins",
  "ptm.socket",
  "ptm.timeout",
  "ptm.dialtimeout",
  "permissioned",
] as const;

type GoQuorumFlag = (typeof GOQUORUM_FLAGS)[number];

/** Namespaces that control the node or its accounts: only with `rpc.allowUnsafeApis`. */
export const UNSAFE_RPC_APIS: readonly string[] = ["admin", "debug", "personal", "miner"];

export interface GethArgsOptions {
  /** Namespace of the node's Service (for `--http.vhosts`). */
  readonly namespace: string;
  /** GoQuorum nodes in the whole network. */
  readonly totalNodes: number;
}

/**
 * `--maxpeers` for a full mesh: at least 2 × nodes (geth caps inbound peers at two thirds of maxpeers), at
 * least geth's default 50, rounded up to a multiple of 50 so that growing the network rarely changes the
 * flag — a changed flag restarts every pod.
 */
export function maxPeers(totalNodes: number): number {
  return Math.max(50, Math.ceil((2 * totalNodes) / 50) * 50);
}

const flag = (name: GoQuorumFlag, value?: string | number): string[] =>
  value === undefined ? [`--${name}`] : [`--${name}`, String(value)];

export function gethArgs(node: NodePlan, network: NetworkConfig, options: GethArgsOptions): string[] {
  return [
    ...commonArgs(node, network, options),
    ...(node.role === "validator" ? validatorArgs() : []),
    ...(servesRpc(node.role) ? rpcArgs(node, network, options.namespace) : []),
    ...(runsTessera(node.role) ? privacyArgs() : []),
  ];
}

function commonArgs(node: NodePlan, network: NetworkConfig, options: GethArgsOptions): string[] {
  return [
    ...flag("identity", node.name),
    ...flag("datadir", PATHS.quorumDataDir),
    // Read from the read-only Secret mount: the key never lands on the data volume.
    ...flag("nodekey", PATHS.nodeKey),
    ...flag("networkid", network.chainId),
    ...flag("syncmode", "full"),
    // Peers come from static-nodes.json and peer-sync only, and only the network's node ids may connect
    // (permissioned-nodes.json, kept current by peer-sync).
    ...flag("nodiscover"),
    ...flag(GOQUORUM_PERMISSIONING.flag),
    ...flag("port", PORTS.p2p),
    // A node behind an internal load balancer advertises that address, so its enode (admin.nodeInfo) is the
    // one other clusters dial. In-cluster nodes are dialled by Service name; "none" also stops UPnP/PMP probing.
    ...flag("nat", node.endpointIp ? `extip:${node.endpointIp}` : "none"),
    ...flag("maxpeers", maxPeers(options.totalNodes)),
    ...flag("verbosity", network.workloads.logVerbosity),
    ...flag("metrics"),
    // The standalone metrics server only starts when --metrics.addr is set explicitly.
    ...flag("metrics.addr", "0.0.0.0"),
    ...flag("metrics.port", PORTS.metrics),
    // Admin access stays on the pod-local socket (used by peer-sync), never on HTTP.
    ...flag("ipcpath", PATHS.ipcSocket),
  ];
}

function validatorArgs(): string[] {
  return [
    ...flag("mine"),
    ...flag("miner.threads", 1),
    // GoQuorum networks are gas-free.
    ...flag("miner.gasprice", 0),
    ...flag("emitcheckpoints"),
  ];
}

function rpcArgs(node: NodePlan, network: NetworkConfig, namespace: string): string[] {
  const rpc = network.workloads.rpc;
  const apis = rpcApis(rpc.apis, rpc.allowUnsafeApis);
  // Probes use the pod IP, which always passes the vhost check; names must be listed.
  const vhosts = [...serviceHostnames(node.name, namespace), "localhost", ...rpc.vhosts];
  const cors = rpc.corsOrigins.join(",");
  return [
    // Archive nodes keep every historical state, so eth_call/eth_getBalance work at any block.
    ...(rpc.archive ? flag("gcmode", "archive") : []),
    ...flag("http"),
    ...flag("http.addr", "0.0.0.0"),
    ...flag("http.port", PORTS.rpcHttp),
    ...flag("http.api", apis),
    ...flag("http.vhosts", vhosts.join(",")),
    ...(cors ? flag("http.corsdomain", cors) : []),
    ...(rpc.websocket
      ? [
          ...flag("ws"),
          ...flag("ws.addr", "0.0.0.0"),
          ...flag("ws.port", PORTS.rpcWs),
          ...flag("ws.api", apis),
          // Without --ws.origins geth still accepts clients that send no Origin (every non-browser client).
          ...(cors ? flag("ws.origins", cors) : []),
        ]
      : []),
  ];
}

function rpcApis(apis: readonly string[], allowUnsafeApis: boolean): string {
  const unsafe = apis.filter((api) => UNSAFE_RPC_APIS.includes(api));
  if (unsafe.length > 0 && !allowUnsafeApis) {
    throw new Error(
      `workloads.rpc.apis contains ${unsafe.join(", ")}, which control the node or its accounts; ` +
        "set workloads.rpc.allowUnsafeApis to serve them",
    );
  }
  return apis.join(",");
}

/** Tessera's Q2T API over its Unix socket in the pod (no TLS there: geth refuses it on a socket). */
function privacyArgs(): string[] {
  return [
    ...flag(GOQUORUM_PTM.socketFlag, PATHS.ptmSocket),
    // Given explicitly: without them a socket connection has no timeouts at all (see ../behaviour.ts).
    ...flag("ptm.timeout", 5),
    ...flag("ptm.dialtimeout", 1),
  ];
}
