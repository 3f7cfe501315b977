/**
 * The genesis of a deployed network never changes. Every node initialises its chain from genesis.json once,
 * when its volume is new (GETH_INIT_SCRIPT), so a changed file reaches only the nodes created after the
 * change: a changed block 0 (validators in extraData, alloc, gas limit …) puts them on another chain, and a
 * changed chain `config` gives them other consensus rules. The stack's last deployment recorded the file it
 * deployed (stack output `genesisJson`) and every node's address (`nodes`); an update keeps that file byte
 * for byte and refuses a config that describes another one, naming the key and the value to write back.
 *
 * GoQuorum v24.4.1 `core/genesis.go` (SetupGenesisBlockWithOverride): a node started without `geth init` keeps
 * the chain config it stored at init; `geth init` on an existing chain refuses a different block 0
 * (GenesisMismatchError) and stores a new chain config only when block 0 is the same and the change is
 * compatible at the current head (`params/config.go` CheckCompatible → isTransitionsConfigCompatible: the
 * transitions at or below the head must be the same, entry by entry). So the one change of a deployed
 * genesis the program makes is that path: `network.transitions` may grow by entries after the deployed ones
 * (block 0 stays, only `config.transitions` grows), and every node's geth-init re-runs `geth init` when its
 * genesis file changed (GETH_INIT_SCRIPT). Whether a new entry's block is still ahead of the chain the
 * program cannot know offline: it warns, and the README says how to choose one.
 */
import type { ConfigIssue } from "../config/issue";
import type { NetworkConfig } from "../config/schema";
import type { NodeClientEntry } from "../plan/clients";
import type { ExternalPeerPlan } from "../plan/connectivityTypes";
import { hasRoundTimerCap, roundTimerCap } from "../plan/consensus";
import { besuGasFloorIssues, genesisGasLimitIssues } from "../plan/genesisGasLimit";
import { error, warning } from "../plan/issues";
import {
  buildGenesis,
  canonicalJson,
  decodeIbftExtraData,
  decodeQbftExtraData,
  genesisJson,
} from "./genesis";

/** Stack outputs that record the deployed genesis: the file itself and every node's name and address. */
export const GENESIS_JSON_OUTPUT = "genesisJson";
export const NODES_OUTPUT = "nodes";

/** What the stack's reference to itself read from its last deployment (each value as the engine gave it). */
export interface PreviousGenesisOutputs {
  readonly genesisJson?: unknown;
  readonly nodes?: unknown;
}

export interface DeployedGenesisCheck {
  /**
   * The genesis the running network was initialised from, byte for byte, or with the configured transitions
   * added after the deployed ones; absent for a stack never deployed.
   */
  readonly genesisJson?: string;
  readonly issues: ConfigIssue[];
}

const PIN_KEY = "network.genesisValidators";

type ExternalValidators = readonly Pick<ExternalPeerPlan, "name" | "validatorAddress">[];

/**
 * Checks the config against the genesis of the last deployment.
 * @param planned the genesis validator set the plan derives from the config (`plan.network.genesisValidators`)
 * @param besu the stack's nodes that run Besu, with the key that makes each one Besu
 */
export function checkDeployedGenesis(
  previous: PreviousGenesisOutputs,
  network: NetworkConfig,
  planned: readonly string[],
  externalPeers: ExternalValidators,
  besu: readonly Pick<NodeClientEntry, "name" | "key">[] = [],
): DeployedGenesisCheck {
  // A new network starts at or above the gas-limit floor; a running one keeps its genesis (the plan warns).
  if (previous.genesisJson === undefined) return { issues: genesisGasLimitIssues(network, "new-network") };
  const json = previous.genesisJson;
  const deployed = typeof json === "string" ? parseGenesis(json) : undefined;
  if (typeof json !== "string" || !deployed) {
    return {
      issues: [
        error(PIN_KEY, "the last deployment's genesisJson output is not a genesis file; it cannot be kept."),
      ],
    };
  }
  const addresses = validatorAddresses(deployed);
  if (typeof addresses === "string") return { issues: [error(PIN_KEY, addresses)] };
  const named = validatorNames(addresses, previous.nodes, externalPeers);
  if (named.unknown.length > 0) {
    const list = named.unknown.join(", ");
    return {
      issues: [
        error(
          PIN_KEY,
          `the deployed genesis has validator ${list}, which is neither a node of the last deployment nor an external peer's validatorAddress: add the external peer back to network.connectivity.externalPeers.`,
        ),
      ],
    };
  }
  const transitions = transitionGrowth(deployed, network);
  return {
    genesisJson: transitions.added > 0 ? withTransitions(deployed, network.transitions) : json,
    issues: [
      ...validatorSetIssues(named.names, network.genesisValidators, planned),
      ...settingIssues(deployed, network, addresses),
      ...roundTimerCapIssues(deployed, network),
      ...transitions.issues,
      ...(typeof deployed.gasLimit === "string" ? besuGasFloorIssues(deployed.gasLimit, besu) : []),
    ],
  };
}

const TRANSITIONS_KEY = "network.transitions";

/** The deployed transitions, or none when the file has none (or not a list, which geth would not decode). */
function deployedTransitions(genesis: ParsedGenesis): unknown[] {
  const list = genesis.config.transitions;
  return Array.isArray(list) ? list : [];
}

/**
 * The configured transitions must start with the deployed ones, unchanged (geth init refuses a change to a
 * transition the chain has passed, and the program cannot know which it has); entries after them are new.
 */
function transitionGrowth(
  deployed: ParsedGenesis,
  network: NetworkConfig,
): { added: number; issues: ConfigIssue[] } {
  const before = deployedTransitions(deployed);
  const after = network.transitions;
  const restore = `transitions: ${JSON.stringify(before)}`;
  const why =
    "entries of a deployed genesis never change or go (geth init refuses to drop or change a transition the chain has passed: params/config.go isTransitionsConfigCompatible)";
  if (after.length < before.length) {
    return {
      added: 0,
      issues: [
        error(
          TRANSITIONS_KEY,
          `lists ${after.length} of the deployed genesis's ${before.length} transitions: ${why}. Start the list with the deployed ones, ${restore}.`,
        ),
      ],
    };
  }
  const changed = before.flatMap((entry, i) =>
    sameJson(canonicalJson(entry), canonicalJson(after[i]))
      ? []
      : [
          error(
            `${TRANSITIONS_KEY}[${i}]`,
            `is ${JSON.stringify(after[i])} but the deployed genesis has ${JSON.stringify(entry)} there: ${why}. Set it back and add new entries after the deployed ones.`,
          ),
        ],
  );
  if (changed.length > 0) return { added: 0, issues: changed };
  const added = after.slice(before.length);
  return {
    added: added.length,
    issues: added.map((t, k) =>
      warning(
        `${TRANSITIONS_KEY}[${before.length + k}].block`,
        `adds a transition at block ${t.block} to the running network's genesis: every node re-runs geth init at its next start, which this update causes (validators one at a time). Check that block ${t.block} is still well ahead of the chain's head (README, "Changing the round timer of a running network").`,
      ),
    ),
  };
}

/**
 * The deployed genesis with `config.transitions` set to the configured list: block 0 is untouched (the
 * header and the state do not read the chain config), so geth init on a running node keeps its chain. The
 * file is written in the canonical form of `genesisJson`; a deployed file in another layout changes
 * only in whitespace and key order, which geth does not read.
 */
function withTransitions(deployed: ParsedGenesis, transitions: NetworkConfig["transitions"]): string {
  return canonicalJson({ ...deployed, config: { ...deployed.config, transitions } });
}

/**
 * The round-timer cap of a running network comes from its genesis or a transition: a configured cap that
 * differs from the deployed one is refused, and a QBFT chain without any cap gets a warning with the fix.
 */
function roundTimerCapIssues(deployed: ParsedGenesis, network: NetworkConfig): ConfigIssue[] {
  if (!deployed.config.qbft || network.consensus !== "qbft") return [];
  const deployedCap = deployed.config.qbft.maxRequestTimeoutSeconds;
  const transition = `transitions: [{ block: <a block well ahead of the head>, maxRequestTimeoutSeconds: ${roundTimerCap(network)} }] (README, "Changing the round timer of a running network")`;
  const configured = network.maxRequestTimeoutSeconds;
  if (configured !== undefined && !sameJson(configured, deployedCap)) {
    const restore = deployedCap === undefined ? "Remove it" : `Set it back to ${JSON.stringify(deployedCap)}`;
    return [
      error(
        "network.maxRequestTimeoutSeconds",
        `is ${configured} but the deployed genesis has ${JSON.stringify(deployedCap) ?? "none"}: a running chain changes its round timer from a block on, through ${transition}. ${restore}.`,
      ),
    ];
  }
  if (
    hasRoundTimerCap(deployed.config.qbft, [...deployedTransitions(deployed), ...network.transitions] as {
      maxRequestTimeoutSeconds?: unknown;
    }[])
  ) {
    return [];
  }
  return [
    warning(
      TRANSITIONS_KEY,
      `the deployed genesis does not cap the QBFT round timer (maxRequestTimeoutSeconds), so it doubles every round: after a 20-minute stall the validators wait ~20 minutes in a round long after the fault is gone. Add the cap from a future block: ${transition}.`,
    ),
  ];
}

/** The exact YAML line that pins a genesis set. */
export function genesisPin(names: readonly string[]): string {
  return `genesisValidators: [${names.join(", ")}]`;
}

function validatorSetIssues(
  deployed: readonly string[],
  pinned: readonly string[] | undefined,
  planned: readonly string[],
): ConfigIssue[] {
  const pin = genesisPin(deployed);
  if (sameSet(deployed, planned)) {
    return pinned
      ? []
      : [
          warning(
            PIN_KEY,
            `is not pinned. Pin the running network's genesis set before adding validators: ${pin}`,
          ),
        ];
  }
  const why =
    "the genesis of a running network never changes (a node initialised from another genesis is on another chain)";
  const message = pinned
    ? `lists ${pinned.join(", ")}, but the deployed genesis has ${deployed.join(", ")}: ${why}. Write ${pin}`
    : `this config would put ${planned.join(", ")} into the genesis, but the deployed genesis has ${deployed.join(", ")}: ${why}. Pin the deployed set, ${pin}; validators beyond it join by vote (docs/operations/add-a-validator.md).`;
  return [error(PIN_KEY, message)];
}

/** A value of the genesis that one config key decides. */
interface Setting {
  readonly key: string;
  /** Part of block 0 (its hash), rather than of the chain config stored beside it. */
  readonly blockZero: boolean;
  readonly read: (genesis: ParsedGenesis) => unknown;
}

const engineOf = (g: ParsedGenesis): Record<string, unknown> | undefined => g.config.qbft ?? g.config.ibft;
const engineValue = (name: string) => (g: ParsedGenesis) => engineOf(g)?.[name];

/**
 * The empty-block period a genesis sets, with "equal to the block period" read as unset: that is what an
 * unset period means to GoQuorum (it delays empty blocks only beyond the block period,
 * `consensus/istanbul/qbft/core/request.go`), so a genesis deployed before the program wrote the period
 * explicitly (`genesis.ts` emptyBlockPeriod) and a config that leaves it unset describe the same chain.
 */
function emptyBlockPeriodOf(genesis: ParsedGenesis): unknown {
  const engine = engineOf(genesis);
  const period = engine?.emptyblockperiodseconds;
  return period === engine?.blockperiodseconds ? undefined : period;
}

const SETTINGS: readonly Setting[] = [
  { key: "network.consensus", blockZero: false, read: (g) => (g.config.qbft ? "qbft" : "ibft") },
  { key: "network.chainId", blockZero: false, read: (g) => g.config.chainId },
  { key: "network.blockPeriodSeconds", blockZero: false, read: engineValue("blockperiodseconds") },
  { key: "network.emptyBlockPeriodSeconds", blockZero: false, read: emptyBlockPeriodOf },
  { key: "network.epochLength", blockZero: false, read: engineValue("epochlength") },
  { key: "network.requestTimeoutSeconds", blockZero: false, read: engineValue("requesttimeoutseconds") },
  { key: "network.txnSizeLimit", blockZero: false, read: (g) => g.config.txnSizeLimit },
  { key: "network.gasLimit", blockZero: true, read: (g) => g.gasLimit },
  { key: "network.alloc", blockZero: true, read: (g) => g.alloc },
];

/** Genesis fields the settings above decide; any other difference comes from the program, not the config. */
const DECIDED_BY_SETTINGS = new Set(["config", "gasLimit", "alloc", "extraData"]);

function settingIssues(
  deployed: ParsedGenesis,
  network: NetworkConfig,
  addresses: readonly string[],
): ConfigIssue[] {
  const wanted = parseGenesis(genesisJson(buildGenesis(network, addresses))) as ParsedGenesis;
  const changed = SETTINGS.filter((s) => !sameJson(s.read(deployed), s.read(wanted)));
  // Another engine means other engine keys and another extraData encoding: the engine itself is the change.
  const reported = changed.some((s) => s.key === "network.consensus")
    ? changed.filter((s) => s.key === "network.consensus" || s.blockZero)
    : changed;
  const issues = reported.map((s) => error(s.key, settingMessage(s, s.read(deployed), s.read(wanted))));
  const programOnly = programDifferences(deployed, wanted, reported.length > 0);
  if (programOnly.length > 0) {
    issues.push(
      warning(
        "network",
        `the deployed genesis differs from what this version of the program writes for a new network (${programOnly.join(", ")}); the deployed file is kept byte for byte.`,
      ),
    );
  }
  return issues;
}

function settingMessage(setting: Setting, deployed: unknown, wanted: unknown): string {
  if (setting.key === "network.alloc") {
    const accounts = changedAccounts(deployed, wanted);
    return `differs from the deployed genesis for ${accounts.join(", ")}: block 0 of a running network never changes. Restore the alloc of the deployed genesis.json.`;
  }
  const restore = deployed === undefined ? "remove it" : `set it back to ${JSON.stringify(deployed)}`;
  const why = setting.blockZero
    ? "block 0 of a running network never changes"
    : "nodes read the chain config from the genesis only when their volume is new, so new nodes would follow other rules than the running ones (changing it on a running chain takes a transition at a future block)";
  return `is ${JSON.stringify(wanted) ?? "unset"} but the deployed genesis has ${JSON.stringify(deployed) ?? "none"}: ${why}. ${restore[0].toUpperCase()}${restore.slice(1)}.`;
}

function changedAccounts(deployed: unknown, wanted: unknown): string[] {
  const before = (deployed ?? {}) as Record<string, unknown>;
  const after = (wanted ?? {}) as Record<string, unknown>;
  return [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((address) => !sameJson(before[address], after[address]))
    .sort();
}

/** Top-level and `config` keys that differ although no setting explains them. */
function programDifferences(
  deployed: ParsedGenesis,
  wanted: ParsedGenesis,
  settingsChanged: boolean,
): string[] {
  const differing = (
    a: Record<string, unknown>,
    b: Record<string, unknown>,
    skip: (key: string) => boolean,
  ) => [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => !skip(k) && !sameJson(a[k], b[k]));
  const top = differing(deployed, wanted, (k) => DECIDED_BY_SETTINGS.has(k));
  const settingKeys = new Set(["chainId", "txnSizeLimit", "qbft", "ibft", "transitions"]);
  const config = differing(deployed.config, wanted.config, (k) => settingKeys.has(k)).map(
    (k) => `config.${k}`,
  );
  // Engine keys other than the configured ones, e.g. the round-timer cap this version adds to new networks
  // (which roundTimerCapIssues reports with its fix).
  const engineKeys = new Set([
    "blockperiodseconds",
    "emptyblockperiodseconds",
    "epochlength",
    "requesttimeoutseconds",
    "maxRequestTimeoutSeconds",
  ]);
  const engine =
    settingsChanged || Boolean(deployed.config.qbft) !== Boolean(wanted.config.qbft)
      ? []
      : differing(engineOf(deployed) ?? {}, engineOf(wanted) ?? {}, (k) => engineKeys.has(k)).map(
          (k) => `config.${deployed.config.qbft ? "qbft" : "ibft"}.${k}`,
        );
  const extra = deployed.extraData === wanted.extraData || settingsChanged ? [] : ["extraData"];
  return [...top, ...config, ...engine, ...extra].sort();
}

interface ParsedGenesis extends Record<string, unknown> {
  readonly config: Record<string, unknown> & {
    readonly qbft?: Record<string, unknown>;
    readonly ibft?: Record<string, unknown>;
  };
  readonly extraData: string;
}

function parseGenesis(text: string): ParsedGenesis | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    if (value === null || typeof value !== "object") return undefined;
    const g = value as Partial<ParsedGenesis>;
    if (!g.config || typeof g.config !== "object" || typeof g.extraData !== "string") return undefined;
    return g as ParsedGenesis;
  } catch {
    return undefined;
  }
}

/** Lowercase validator addresses of the deployed extraData, or why they cannot be read. */
function validatorAddresses(genesis: ParsedGenesis): string[] | string {
  try {
    return genesis.config.qbft
      ? decodeQbftExtraData(genesis.extraData)
      : decodeIbftExtraData(genesis.extraData);
  } catch (e) {
    return `the deployed genesis has an extraData this program cannot read (${(e as Error).message}).`;
  }
}

/** Names of the validators, in the order of the last deployment's nodes, then external peers. */
function validatorNames(
  addresses: readonly string[],
  nodes: unknown,
  externalPeers: ExternalValidators,
): { names: string[]; unknown: string[] } {
  const known = [
    ...(Array.isArray(nodes) ? nodes : []).flatMap((n: unknown) => {
      const { name, address } = (n ?? {}) as { name?: unknown; address?: unknown };
      return typeof name === "string" && typeof address === "string" ? [{ name, address }] : [];
    }),
    ...externalPeers.flatMap((p) =>
      p.validatorAddress ? [{ name: p.name, address: p.validatorAddress }] : [],
    ),
  ].map((k) => ({ name: k.name, address: k.address.toLowerCase() }));
  const wanted = new Set(addresses);
  const names = known.filter((k) => wanted.has(k.address)).map((k) => k.name);
  const found = new Set(known.map((k) => k.address));
  return { names: [...new Set(names)], unknown: addresses.filter((a) => !found.has(a)) };
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const set = new Set(a);
  return set.size === new Set(b).size && b.every((x) => set.has(x));
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
