/**
 * The Besu command line of a node, every flag in one form (`--name=value`). Each name is one of BESU_FLAGS,
 * which a test checks against the option list of every pinned release (`../data/`): Besu refuses to start on
 * an unknown option.
 */
import type { NetworkConfig } from "../../config/schema";
import type { NodePlan } from "../../plan/types";
import { maxPeers, UNSAFE_RPC_APIS } from "../../quorum/manifests/gethFlags";
import { serviceHostnames } from "../../quorum/manifests/names";
import { PATHS } from "../../quorum/manifests/paths";
import { servesRpc } from "../../quorum/manifests/roles";
import { PORTS } from "../../quorum/ports";
import { BESU_HOST_ALLOWLIST, BESU_RPC_API_GROUPS, LEGACY_BFT_ENCODING_FLAG } from "../behaviour";
import { BESU_PATHS } from "./paths";

export const BESU_FLAGS = [
  "data-path",
  "genesis-file",
  "node-private-key-file",
  "network-id",
  "sync-mode",
  "data-storage-format",
  "min-gas-price",
  "p2p-interface",
  "p2p-host",
  "p2p-port",
  "nat-method",
  "discovery-enabled",
  "max-peers",
  "static-nodes-file",
  "permissions-nodes-config-file-enabled",
  "permissions-nodes-config-file",
  "Xdns-enabled",
  "Xdns-update-enabled",
  "logging",
  "host-allowlist",
  "rpc-http-enabled",
  "rpc-http-host",
  "rpc-http-port",
  "rpc-http-api",
  "rpc-http-cors-origins",
  "rpc-ws-enabled",
  "rpc-ws-host",
  "rpc-ws-port",
  "rpc-ws-api",
  "metrics-enabled",
  "metrics-host",
  "metrics-port",
] as const;

type BesuFlag = (typeof BESU_FLAGS)[number];

/** The pod's address, from the downward API; kubelet expands `$(POD_IP)` in args. */
export const POD_IP = "$(POD_IP)";

/**
 * JSON-RPC of a validator: on the pod's loopback only, for its probes and its disruption gate, which need
 * QBFT (validator set) and ADMIN (`admin_peers`). Nothing outside the pod reaches it, as GoQuorum's validators
 * keep admin on an IPC socket.
 */
const VALIDATOR_RPC_APIS = ["ETH", "NET", "QBFT", "ADMIN"] as const;

export interface BesuArgsOptions {
  readonly namespace: string;
  /** Nodes in the whole network (sizes `--max-peers` as GoQuorum's `--maxpeers`). */
  readonly totalNodes: number;
  /** `permissions_config.toml` is enforced (`../peers` besuNodeAllowlistEnabled). */
  readonly nodeAllowlist: boolean;
  /**
   * Write QBFT messages in the pre-26.1 layout (`../rollingUpgrade` planUpgrade): only on a release that has
   * the flag, which 25.7.0 does not (a test checks it against the option list of the release it is given to).
   */
  readonly legacyBftEncoding?: boolean;
}

const flag = (name: BesuFlag, value: string | number | boolean): string => `--${name}=${value}`;

/** geth's `--verbosity` levels (0 silent … 5 detail) as Besu's `--logging` (log4j) levels. */
const LOG_LEVELS = ["OFF", "ERROR", "WARN", "INFO", "DEBUG", "TRACE"] as const;

export function besuArgs(node: NodePlan, network: NetworkConfig, options: BesuArgsOptions): string[] {
  const validator = node.role === "validator";
  const rpc = network.workloads.rpc;
  const level = LOG_LEVELS[network.workloads.logVerbosity];
  if (!level) throw new Error(`workloads.logVerbosity ${network.workloads.logVerbosity} has no Besu level`);
  return [
    flag("data-path", BESU_PATHS.dataPath),
    flag("genesis-file", BESU_PATHS.genesis),
    // The key from the read-only mount; the container refuses to start Besu without it (BESU_START_SCRIPT).
    flag("node-private-key-file", PATHS.nodeKey),
    flag("network-id", network.chainId),
    flag("sync-mode", "FULL"),
    // Besu docs, "Data storage formats": never run an archive node on Bonsai; Forest keeps every state.
    ...(servesRpc(node.role) && rpc.archive ? [flag("data-storage-format", "FOREST")] : []),
    // GoQuorum networks are gas-free; Besu's default minimum is 1000 wei.
    flag("min-gas-price", 0),
    flag("p2p-interface", "0.0.0.0"),
    // The address in its enode: its load balancer's, which other clusters dial, else the pod's.
    flag("p2p-host", node.endpointIp ?? POD_IP),
    flag("p2p-port", PORTS.p2p),
    flag("nat-method", "NONE"),
    // As GoQuorum's --nodiscover: peers come from the static nodes only.
    flag("discovery-enabled", false),
    flag("max-peers", maxPeers(options.totalNodes)),
    flag("static-nodes-file", BESU_PATHS.staticNodes),
    ...(options.nodeAllowlist
      ? [
          flag("permissions-nodes-config-file-enabled", true),
          flag("permissions-nodes-config-file", BESU_PATHS.permissions),
        ]
      : []),
    // Peers are listed by name (the pods of this cluster); re-resolved, so a restarted pod's new address counts.
    flag("Xdns-enabled", true),
    flag("Xdns-update-enabled", true),
    flag("logging", level),
    flag("host-allowlist", hostAllowlist(node, network, options.namespace).join(",")),
    flag("rpc-http-enabled", true),
    flag("rpc-http-host", validator ? "127.0.0.1" : "0.0.0.0"),
    flag("rpc-http-port", PORTS.rpcHttp),
    flag(
      "rpc-http-api",
      validator ? VALIDATOR_RPC_APIS.join(",") : besuRpcApis(rpc.apis, rpc.allowUnsafeApis).join(","),
    ),
    ...(!validator && rpc.corsOrigins.length > 0
      ? [flag("rpc-http-cors-origins", rpc.corsOrigins.join(","))]
      : []),
    ...(!validator && rpc.websocket
      ? [
          flag("rpc-ws-enabled", true),
          flag("rpc-ws-host", "0.0.0.0"),
          flag("rpc-ws-port", PORTS.rpcWs),
          flag("rpc-ws-api", besuRpcApis(rpc.apis, rpc.allowUnsafeApis).join(",")),
        ]
      : []),
    flag("metrics-enabled", true),
    // The image leaves the metrics host at its default, the p2p host's; Prometheus scrapes the pod address.
    flag("metrics-host", "0.0.0.0"),
    flag("metrics-port", PORTS.metrics),
    // `arity = "1"` (BftOptions) in later sources, `0..1` in earlier ones: `=true` parses under both.
    ...(options.legacyBftEncoding ? [`${LEGACY_BFT_ENCODING_FLAG}=true`] : []),
  ];
}

/**
 * Host names Besu answers on (JSON-RPC, health and metrics alike: BESU_HOST_ALLOWLIST): its defaults, the pod
 * address (kubelet's HTTP probes and Prometheus send it as Host), the node's Service names, and
 * `rpc.vhosts`. The ingress gateway rewrites Host to localhost (`infra/ingress/routes.ts`). Never `*`.
 */
export function hostAllowlist(node: NodePlan, network: NetworkConfig, namespace: string): string[] {
  const vhosts = network.workloads.rpc.vhosts;
  if (vhosts.includes("*")) {
    throw new Error(
      "workloads.rpc.vhosts contains *: Besu would answer any Host; list the host names instead",
    );
  }
  return [
    ...new Set([
      ...BESU_HOST_ALLOWLIST.default,
      POD_IP,
      ...serviceHostnames(node.name, namespace),
      ...vhosts,
    ]),
  ];
}

/**
 * `workloads.rpc.apis` as Besu API groups (BESU_RPC_API_GROUPS). A namespace Besu lacks is refused here as a
 * last line; the plan names it first.
 */
export function besuRpcApis(
  apis: readonly (keyof typeof BESU_RPC_API_GROUPS)[],
  allowUnsafeApis: boolean,
): string[] {
  const unsafe = apis.filter((api) => UNSAFE_RPC_APIS.includes(api));
  if (unsafe.length > 0 && !allowUnsafeApis) {
    throw new Error(
      `workloads.rpc.apis contains ${unsafe.join(", ")}, which control the node or its accounts; set workloads.rpc.allowUnsafeApis to serve them`,
    );
  }
  const missing = apis.filter((api) => BESU_RPC_API_GROUPS[api] === null);
  if (missing.length > 0) {
    throw new Error(
      `workloads.rpc.apis contains ${missing.join(", ")}, which Besu does not have (docs/besu.md): remove them from workloads.rpc.apis for a network with Besu nodes`,
    );
  }
  return [
    ...new Set(
      apis.map((api) => BESU_RPC_API_GROUPS[api]).filter((g): g is NonNullable<typeof g> => g !== null),
    ),
  ];
}
