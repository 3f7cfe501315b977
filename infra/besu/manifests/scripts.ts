/**
 * The bash scripts of a Besu pod. The Besu image has bash and coreutils but no curl (BESU_IMAGE), so the
 * probes and the disruption gate speak HTTP to Besu's loopback JSON-RPC through bash's `/dev/tcp`. Each runs
 * under coreutils `timeout`, so a Besu that accepts the connection and never answers fails the check.
 */
import { DIRS, PATHS } from "../../quorum/manifests/paths";
import { READY_WITHIN_BLOCKS } from "../../quorum/manifests/scripts";
import { PORTS } from "../../quorum/ports";
import { BESU_HEALTH, BESU_IMAGE } from "../behaviour";
import { BESU_PATHS } from "./paths";

/**
 * Starts Besu in place of the image's root entrypoint, with the args as given (no re-splitting): only once the
 * node key is a non-empty file. `--node-private-key-file` takes one line of 64 hex characters (a GoQuorum
 * `nodekey` as is), but a missing file is no error to Besu: it generates a new key and writes it as `<dir of
 * the file>/key` (`crypto/algorithms/.../KeyPairUtil.loadKeyPair`), a new identity. `exec` leaves Besu as
 * PID 1, so it gets SIGTERM itself.
 */
export const BESU_START_SCRIPT = `set -eu
key=${PATHS.nodeKey}
if [ ! -f "$key" ] || [ ! -s "$key" ]; then
  echo "besu: no node key at $key (missing or empty): not starting, or Besu would generate a new identity" >&2
  exit 1
fi
exec ${BESU_IMAGE.executable} "$@"
`;

/** Seconds a probe or the gate waits for Besu's answer; the kubelet's own timeout is longer. */
export const BESU_ANSWER_SECONDS = 5;

/** Argument that makes the validator readiness also require the node in the current validator set. */
export const IN_VALIDATOR_SET = "in-validator-set";

/**
 * bash functions: `get PATH` and `call METHOD PARAMS` print Besu's HTTP answer (status line, headers, body)
 * from 127.0.0.1, writing the request straight to the socket (a command substitution would strip the blank line
 * that ends the headers). HTTP/1.0, so the answer is never chunked (chunked transfer coding is HTTP/1.1's, RFC
 * 9112 §7.1) and a node id or address cannot be cut by a chunk boundary; `status` prints its status code. `own_address` prints this node's validator address from its
 * enode id (`net_enode`) and the node addresses file.
 */
const HTTP_FUNCTIONS = `get() {
  exec 3<>/dev/tcp/127.0.0.1/${PORTS.rpcHttp} || return 1
  printf 'GET %s HTTP/1.0\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' "$1" >&3
  cat <&3
  exec 3<&-
}
call() {
  body="{\\"jsonrpc\\":\\"2.0\\",\\"id\\":1,\\"method\\":\\"$1\\",\\"params\\":$2}"
  exec 3<>/dev/tcp/127.0.0.1/${PORTS.rpcHttp} || return 1
  printf 'POST / HTTP/1.0\\r\\nHost: localhost\\r\\nContent-Type: application/json\\r\\nContent-Length: %s\\r\\nConnection: close\\r\\n\\r\\n%s' "\${#body}" "$body" >&3
  cat <&3
  exec 3<&-
}
status() {
  printf '%s' "$1" | head -n 1 | grep -oE '^HTTP/[0-9.]+ [0-9]{3}' | grep -oE '[0-9]{3}$'
}
node_ids() {
  grep -oE '0x[0-9a-fA-F]{128}|enode://[0-9a-fA-F]{128}' | grep -oE '[0-9a-fA-F]{128}' | tr 'A-F' 'a-f'
}
addresses() {
  grep -oE '0x[0-9a-fA-F]{40}' | tr 'A-F' 'a-f' | sort -u
}
address_of() {
  grep -E "^$1 0x[0-9a-f]{40}$" ${BESU_PATHS.nodeAddresses} 2>/dev/null | cut -d ' ' -f 2 | head -n 1
}
own_address() {
  id=$(call net_enode '[]' | node_ids | head -n 1)
  [ -n "$id" ] && address_of "$id"
}
`;

/**
 * Readiness of a validator (its JSON-RPC is on loopback only, so kubelet cannot GET it): Besu's own
 * `/readiness` with $1 peers and at most $2 blocks behind, and with IN_VALIDATOR_SET as $3 its address in the
 * validator set at its head (`qbft_getValidatorsByBlockNumber`), as GoQuorum's readiness requires of a genesis
 * validator (`../../quorum/manifests/readiness.ts`).
 */
export const BESU_VALIDATOR_READINESS_SCRIPT = `set -u
${HTTP_FUNCTIONS}
answer=$(get "${BESU_HEALTH.readiness}?minPeers=$1&maxBlocksBehind=$2")
code=$(status "$answer")
if [ "$code" != 200 ]; then
  echo "not ready: ${BESU_HEALTH.readiness} answered \${code:-nothing}: $(printf '%s' "$answer" | tail -n 1)"
  exit 1
fi
[ "\${3:-}" = ${IN_VALIDATOR_SET} ] || exit 0
own=$(own_address)
if [ -z "$own" ]; then
  echo "not ready: its node id is not in ${BESU_PATHS.nodeAddresses}"
  exit 1
fi
if ! call qbft_getValidatorsByBlockNumber '["latest"]' | addresses | grep -qx "$own"; then
  echo "not ready: its key $own is not in the current validator set"
  exit 1
fi
`;

/** The readiness path of RPC and member nodes, which kubelet GETs on the pod address. */
export const readinessPath = (minPeers: number): string =>
  `${BESU_HEALTH.readiness}?minPeers=${minPeers}&maxBlocksBehind=${READY_WITHIN_BLOCKS}`;

/** Liveness of a validator: Besu's `/liveness` on loopback. */
export const BESU_LIVENESS_SCRIPT = `set -u
${HTTP_FUNCTIONS}
code=$(status "$(get ${BESU_HEALTH.liveness})")
[ "$code" = 200 ] && exit 0
echo "not live: ${BESU_HEALTH.liveness} answered \${code:-nothing}"
exit 1
`;

/**
 * The disruption gate of a Besu validator, with the GoQuorum gate's semantics (`DISRUPTION_GATE_SCRIPT`):
 * ready while the network can lose one more validator as this validator sees it. Live validators are those of
 * the set at its head (`qbft_getValidatorsByBlockNumber`, QBFT API) that are this node or a peer Besu has an
 * `eth` connection with (`admin_peers` lists Besu's EthPeers, `AdminPeers`/`PeerResult`), a peer's address
 * taken from the node addresses file by its node id: the program writes every node's and every external
 * validator's; a validator it does not know counts as not live, which only makes the gate stricter. With n in
 * the set and quorum q = ⌈2n/3⌉ (Besu `BftHelpers`), it needs max(q + 1, min(MIN_LIVE_VALIDATORS, n)) live;
 * below q consensus is halted (or this validator is cut off) and the gate lets the disruption through.
 */
export const BESU_DISRUPTION_GATE_SCRIPT = `set -u
${HTTP_FUNCTIONS}
planned=$(cat ${PATHS.minLiveValidators} 2>/dev/null)
case "$planned" in ''|*[!0-9]*) planned=0;; esac
work=${DIRS.tmp}/disruption-gate
mkdir -p "$work"
answer=$(call qbft_getValidatorsByBlockNumber '["latest"]')
if [ "$(status "$answer")" != 200 ]; then
  echo "not ready: Besu did not answer qbft_getValidatorsByBlockNumber on 127.0.0.1:${PORTS.rpcHttp}"
  exit 1
fi
printf '%s' "$answer" | addresses > "$work/set"
n=$(wc -l < "$work/set")
if [ "$n" -eq 0 ]; then
  echo "not ready: no validator set at the head"
  exit 1
fi
own=$(own_address)
peers=$(call admin_peers '[]')
if [ "$(status "$peers")" != 200 ]; then
  echo "not ready: Besu did not answer admin_peers"
  exit 1
fi
: > "$work/live"
[ -n "$own" ] && echo "$own" >> "$work/live"
for id in $(printf '%s' "$peers" | node_ids | sort -u); do
  address_of "$id" >> "$work/live"
done
live=$(sort -u "$work/live" | grep -cxFf "$work/set")
quorum=$(( (2 * n + 2) / 3 ))
need=$(( quorum + 1 ))
cap=$(( planned < n ? planned : n ))
[ "$cap" -gt "$need" ] && need=$cap
seen="$live of $n validators live from here, quorum $quorum"
if [ "$live" -ge "$need" ]; then
  echo "margin: $seen, at least $need needed"
  exit 0
fi
if [ "$live" -lt "$quorum" ]; then
  echo "below quorum: $seen: consensus is halted or this validator is cut off"
  exit 0
fi
echo "not ready: no margin: $seen, at least $need needed: one more down halts consensus"
exit 1
`;
