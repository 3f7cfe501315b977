/** The two small shell scripts of a node's pod (busybox sh in the GoQuorum image). */
import { DIRS, PATHS } from "./paths";

/** How long geth-init waits for Tessera's Q2T socket before it fails (and the kubelet runs it again). */
export const PTM_SOCKET_WAIT_SECONDS = 120;

/**
 * Initialises the chain database from the genesis on first start only (a running node never re-reads the
 * genesis, which is why a deployed network's genesis never changes: see `../deployedGenesis`), then installs
 * the peer list geth loads at start. The same list seeds peer-sync's record of what geth already has. On a
 * member, $1 is Tessera's Q2T socket: geth exits at start unless Tessera answers on it, so geth-init waits
 * for it first.
 */
export const GETH_INIT_SCRIPT = `set -eu
if [ -n "\${1:-}" ]; then
  waited=0
  until [ -S "$1" ]; do
    if [ "$waited" -ge ${PTM_SOCKET_WAIT_SECONDS} ]; then
      echo "geth-init: Tessera opened no socket at $1 within ${PTM_SOCKET_WAIT_SECONDS}s"
      exit 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
fi
if [ ! -d ${PATHS.quorumDataDir}/geth/chaindata ]; then
  echo "geth-init: new volume, writing the genesis block"
  geth --datadir ${PATHS.quorumDataDir} init ${PATHS.genesis}
fi
cp ${PATHS.staticNodes} ${PATHS.quorumDataDir}/static-nodes.json
cp ${PATHS.staticNodes} ${PATHS.appliedStaticNodes}
`;

/**
 * Keeps geth's peers and its node permissioning equal to the peer-list ConfigMap without restarting geth.
 * kubelet updates the mounted ConfigMap in place; every 30 s this
 * - installs the permissioned node ids in the datadir, where geth reads them on every connection (see
 *   `GOQUORUM_PERMISSIONING`): first, and whether or not geth is up yet, since without the file geth admits
 *   nobody. It is written beside the old one and renamed over it, so geth never reads half a list, and
 *   only when it changed;
 * - adds the enodes that appeared and removes the ones that went, over the pod-local IPC socket. The list
 *   is only recorded as applied once every addition succeeded, so an enode whose name does not resolve yet
 *   is retried. Removal is best effort (a gone peer's name may no longer resolve); it is dropped for good
 *   at the next restart.
 * An empty or unreadable list is ignored rather than disconnecting the node from everyone.
 */
export const PEER_SYNC_SCRIPT = `set -u
trap 'exit 0' TERM INT
desired=${PATHS.staticNodes}
applied=${PATHS.appliedStaticNodes}
permitted=${PATHS.permissionedNodes}
installed=${PATHS.installedPermissionedNodes}
work=${DIRS.tmp}/peer-sync
mkdir -p "$work"

sync_permissions() {
  grep -oE 'enode://[0-9a-fA-F]{128}' "$permitted" 2>/dev/null | tr 'A-F' 'a-f' | sort -u > "$work/permitted"
  [ -s "$work/permitted" ] || return 0
  { echo '['; sed -e 's/.*/  "&",/' -e '$ s/,$//' "$work/permitted"; echo ']'; } > "$work/permissioned.json"
  cmp -s "$work/permissioned.json" "$installed" && return 0
  if cp "$work/permissioned.json" "$installed.new" && mv "$installed.new" "$installed"; then
    echo "peer-sync: permitted $(grep -c enode "$work/permitted") node ids"
  else
    echo "peer-sync: could not install $installed, retrying in 30s"
  fi
}

enodes() {
  grep -oE 'enode://[0-9a-fA-F]{128}@([[][0-9a-fA-F:.]+[]]|[A-Za-z0-9.-]+):[0-9]+([?][A-Za-z0-9=&]+)?' "$1" 2>/dev/null | sort -u
}

# Lines of sorted unique file $1 that are not in $2.
only_in() {
  cat "$1" "$2" "$2" | sort | uniq -u
}

geth_exec() {
  [ "$(geth attach --datadir "$work" --exec "$1" ${PATHS.ipcSocket} </dev/null 2>/dev/null)" = true ]
}

sync_peers() {
  [ -S ${PATHS.ipcSocket} ] || return 0
  enodes "$desired" > "$work/desired"
  [ -s "$work/desired" ] || return 0
  enodes "$applied" > "$work/applied"
  only_in "$work/desired" "$work/applied" > "$work/added"
  only_in "$work/applied" "$work/desired" > "$work/removed"
  complete=true
  while IFS= read -r enode; do
    if geth_exec "admin.addPeer('$enode')"; then
      echo "peer-sync: added $enode"
    else
      echo "peer-sync: could not add $enode, retrying in 30s"
      complete=false
    fi
  done < "$work/added"
  while IFS= read -r enode; do
    geth_exec "admin.removePeer('$enode')" && echo "peer-sync: removed $enode"
  done < "$work/removed"
  if [ "$complete" = true ]; then cp "$work/desired" "$applied"; fi
}

while :; do
  sync_permissions
  sync_peers
  sleep 30 &
  wait $!
done
`;

/** A node more blocks than this behind its best peer is catching up, not serving (IBFT/QBFT: one unit of total difficulty per block). */
export const READY_WITHIN_BLOCKS = 2;

/** How long the readiness check waits for geth to answer over IPC; the probe's own timeout is longer. */
export const READINESS_ANSWER_SECONDS = 5;

/** Argument that makes the readiness check also require the node in the current validator set. */
export const IN_VALIDATOR_SET = "in-validator-set";

/**
 * The readiness check: exit 0 only when the node serves the network, i.e. it has a peer, is not syncing and
 * is within READY_WITHIN_BLOCKS of its best peer's head, and (with IN_VALIDATOR_SET as $1) its key is in
 * the validator set at its head. A peer's head is the total difficulty it last announced, under `eth` or,
 * from a node that speaks only the legacy istanbul/99 protocol, under `istanbul`; a peer still in its
 * handshake has none yet. A fresh network at block 0 has no head to catch up with: every node is at
 * its peers' height, so a peer is enough and genesis never waits on itself. One `geth attach` over the
 * pod-local IPC socket asks everything at once; busybox `timeout` bounds it when the image's timeout takes
 * this syntax, otherwise the probe's timeoutSeconds does. Anything else prints why the node is not ready.
 */
export const READINESS_SCRIPT = `set -u
ipc=${PATHS.ipcSocket}
if [ ! -S "$ipc" ]; then
  echo "not ready: no geth IPC socket at $ipc yet"
  exit 1
fi
in_set=false
if [ "\${1:-}" = ${IN_VALIDATOR_SET} ]; then in_set=true; fi
check='(function (inSet) {
  var peers = admin.peers;
  if (peers.length === 0) return "no peers";
  if (eth.syncing) return "syncing";
  var own = admin.nodeInfo.protocols.eth.difficulty, best = own;
  for (var i = 0; i < peers.length; i++) {
    var info = peers[i].protocols.eth || peers[i].protocols.istanbul;
    if (info && info.difficulty > best) best = info.difficulty;
  }
  if (best - own > ${READY_WITHIN_BLOCKS}) return (best - own) + " blocks behind its best peer";
  if (inSet && !istanbul.isValidator("latest")) return "its key is not in the current validator set";
  return "ready";
})('"$in_set"')'
bound=""
if timeout 1 sh -c : 2>/dev/null; then bound="timeout ${READINESS_ANSWER_SECONDS}"; fi
mkdir -p ${DIRS.tmp}/readiness
verdict=$($bound geth attach --datadir ${DIRS.tmp}/readiness --exec "$check" "$ipc" </dev/null 2>&1)
if [ "$verdict" = '"ready"' ]; then exit 0; fi
echo "not ready: \${verdict:-geth did not answer over IPC within ${READINESS_ANSWER_SECONDS}s}"
exit 1
`;
