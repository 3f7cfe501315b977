/**
 * The two scripts of the network-wide disruption gate (busybox sh in the GoQuorum image; see
 * `disruptionGate.ts` for how they are wired): the readiness check of each validator's `disruption-gate`
 * container, and the rollout gate a Job runs before a validator's StatefulSet changes.
 */
import { SERVICE_ACCOUNT_DIR } from "../../kubernetes/behaviour";
import { DIRS, PATHS } from "./paths";

/** Names of the containers the rollout gate reads in a validator's pod. */
export const GATE_CONTAINER = "disruption-gate";
/** The client's container: GoQuorum's geth, or Besu on a node switched to it (`infra/besu/manifests`). */
export const CLIENT_CONTAINERS = { goquorum: "goquorum", besu: "besu" } as const;
export const GETH_CONTAINER = CLIENT_CONTAINERS.goquorum;

/** How long the disruption-gate check waits for geth over IPC; the probe's own timeout is longer. */
export const GATE_ANSWER_SECONDS = 5;

/**
 * Readiness of the `disruption-gate` container: ready while the network can lose one more validator as this
 * validator sees it. Live validators are counted from geth's own view: the validator set at its head
 * (`istanbul.getValidators`, GoQuorum 24.4.1 `consensus/istanbul/backend/api.go`), and among them this node
 * and each peer that finished its handshake (`admin.peers`). A node's address is the last 20 bytes of its
 * enode ID: geth's v4 node ID is keccak256 of the public key X‖Y (`p2p/enode/idscheme.go` V4ID.NodeAddr), and
 * an address is the last 20 bytes of the same hash (`crypto.PubkeyToAddress`); `admin.peers[].id` and
 * `admin.nodeInfo.id` are that ID in hex (`p2p/peer.go` Info, `p2p/server.go` NodeInfo).
 *
 * With n validators in the set and quorum q = ⌈2n/3⌉ (QBFT with ceil2Nby3Block 0), the check needs
 * max(q + 1, min(MIN_LIVE_VALIDATORS, n)) live: the chain's own quorum plus one, or the config's threshold
 * when it asks more (a validator voted in by config but not yet by the chain), never more than the set has.
 * Below q the network is halted as this validator sees it (or it is cut off): a disruption takes nothing
 * more, so the gate does not hold up the drain or the rollout that may repair it. geth not answering is not
 * ready, like the node's own readiness.
 */
export const DISRUPTION_GATE_SCRIPT = `set -u
ipc=${PATHS.ipcSocket}
if [ ! -S "$ipc" ]; then
  echo "not ready: no geth IPC socket at $ipc yet"
  exit 1
fi
planned=$(cat ${PATHS.minLiveValidators} 2>/dev/null)
case "$planned" in ''|*[!0-9]*) planned=0;; esac
check='(function (planned) {
  var set = istanbul.getValidators("latest"), member = {};
  for (var i = 0; i < set.length; i++) member[String(set[i]).toLowerCase()] = true;
  var address = function (id) { return "0x" + String(id).slice(-40).toLowerCase(); };
  var live = member[address(admin.nodeInfo.id)] ? 1 : 0;
  var peers = admin.peers;
  for (var j = 0; j < peers.length; j++) {
    var info = peers[j].protocols.eth || peers[j].protocols.istanbul;
    if (typeof info === "object" && member[address(peers[j].id)]) live++;
  }
  var n = set.length, quorum = Math.ceil(2 * n / 3);
  var need = Math.max(quorum + 1, Math.min(planned, n));
  var seen = live + " of " + n + " validators live from here, quorum " + quorum;
  if (live >= need) return "margin: " + seen + ", at least " + need + " needed";
  if (live < quorum) return "below quorum: " + seen + ": consensus is halted or this validator is cut off";
  return "no margin: " + seen + ", at least " + need + " needed: one more down halts consensus";
})('"$planned"')'
bound=""
if timeout 1 sh -c : 2>/dev/null; then bound="timeout ${GATE_ANSWER_SECONDS}"; fi
mkdir -p ${DIRS.tmp}/disruption-gate
verdict=$($bound geth attach --datadir ${DIRS.tmp}/disruption-gate --exec "$check" "$ipc" </dev/null 2>&1)
case "$verdict" in
  '"margin: '*|'"below quorum: '*) exit 0;;
esac
echo "not ready: \${verdict:-geth did not answer over IPC within ${GATE_ANSWER_SECONDS}s}"
exit 1
`;

/** How long the rollout gate waits for the network to regain its margin before the Job fails. */
export const ROLLOUT_GATE_WAIT_SECONDS = 480;
/** Between two looks at the validator's pod. */
export const ROLLOUT_GATE_RETRY_SECONDS = 10;

/**
 * The rollout gate: exit 0 once updating validator pod $1 cannot take the network below quorum, as that
 * validator sees it. It reads the pod from the API server with the Job's service-account token (read-only,
 * that pod only) and decides from two containers' `ready`, the client's and the gate's. The client's container
 * is whichever the running pod has, `goquorum` or `besu` (CLIENT_CONTAINERS), not the one the new StatefulSet
 * will have: while a validator switches client, the pod being replaced still runs the other one.
 * - no such pod (a validator not created yet, the first deployment): nothing to disrupt;
 * - the client not ready or not started: the validator serves nothing now, its update costs nothing;
 * - the client ready and `disruption-gate` ready: the network has margin (or is already halted, see above);
 * - the client ready and `disruption-gate` not ready: the network runs at quorum; wait and look again, and
 *   fail after ROLLOUT_GATE_WAIT_SECONDS, so Pulumi stops before touching the StatefulSet;
 * - the client ready and no `disruption-gate` in the pod (deployed before the gate existed): the rollout chain
 *   alone protects this update, as before.
 * Anything it cannot read is waited on, never let through. It runs in the GoQuorum image, which carries curl
 * and CA certificates besides busybox (Consensys/quorum v24.4.1 `Dockerfile`: `apk add --no-cache
 * ca-certificates curl`), so no other image is pulled for it. The API server pretty-prints JSON for a curl user
 * agent unless asked not to (`SERVICE_ACCOUNT_DIR` notes); the parser takes either. In the pod's JSON the
 * status follows the spec, and a container status is `{"name": …, "state": …, "lastState": …, "ready": …`
 * (k8s.io/api core/v1 ContainerStatus field order), so the first `"ready"` after a status's name is its own;
 * strings inside (termination messages) have their quotes escaped and cannot match.
 */
export const ROLLOUT_GATE_SCRIPT = `set -u
pod=$1
sa=${SERVICE_ACCOUNT_DIR}
work=${DIRS.tmp}/rollout-gate
mkdir -p "$work"

# true, false, absent (no status of that container) or unknown (a status without a readable ready field).
ready_of() {
  tr -d '\\n' < "$work/pod.json" | awk -v name="$1" '
    {
      i = index($0, "\\"containerStatuses\\"")
      if (i == 0) { print "absent"; exit }
      n = split(substr($0, i), parts, /[{][ ]*"name"[ ]*:[ ]*"/)
      for (k = 2; k <= n; k++) {
        if (index(parts[k], name "\\"") != 1) continue
        if (match(parts[k], /"ready"[ ]*:[ ]*(true|false)/)) {
          print (substr(parts[k], RSTART, RLENGTH) ~ /true$/) ? "true" : "false"
        } else print "unknown"
        exit
      }
      print "absent"
    }
    END { if (NR == 0) print "unknown" }'
}

waited=0
while :; do
  code=$(curl -sS -o "$work/pod.json" -w '%{http_code}' --max-time 10 --cacert "$sa/ca.crt" \\
    -H "Authorization: Bearer $(cat "$sa/token")" \\
    "https://kubernetes.default.svc/api/v1/namespaces/$(cat "$sa/namespace")/pods/$pod?pretty=false" 2>/dev/null)
  case "$code" in
    404)
      echo "rollout-gate: pod $pod does not exist: nothing to disrupt"
      exit 0;;
    200)
      client=$(ready_of ${CLIENT_CONTAINERS.goquorum})
      if [ "$client" = absent ]; then client=$(ready_of ${CLIENT_CONTAINERS.besu}); fi
      gate=$(ready_of ${GATE_CONTAINER})
      case "$client/$gate" in
        false/*|absent/*)
          echo "rollout-gate: $pod is not serving now (client $client): updating it takes nothing from consensus"
          exit 0;;
        true/true)
          echo "rollout-gate: the network has a validator to spare as $pod sees it"
          exit 0;;
        true/absent)
          echo "rollout-gate: $pod runs no ${GATE_CONTAINER} container yet (deployed before it): the rollout chain alone protects this update"
          exit 0;;
        true/false)
          reason="the network runs at quorum as $pod sees it (its ${GATE_CONTAINER} container is not ready: kubectl describe pod $pod)";;
        *)
          reason="cannot read the readiness of $pod (client $client, ${GATE_CONTAINER} $gate)";;
      esac;;
    401|403)
      echo "rollout-gate: the API server refused to read pod $pod (HTTP $code): $(cat "$work/pod.json")"
      exit 1;;
    *)
      reason="the API server did not answer (HTTP \${code:-none})";;
  esac
  if [ "$waited" -ge ${ROLLOUT_GATE_WAIT_SECONDS} ]; then
    echo "rollout-gate: not updating $pod: $reason, for ${ROLLOUT_GATE_WAIT_SECONDS}s. Bring the validators that are down back first (README, Operating the network)."
    exit 1
  fi
  echo "rollout-gate: waiting: $reason"
  sleep ${ROLLOUT_GATE_RETRY_SECONDS}
  waited=$((waited + ${ROLLOUT_GATE_RETRY_SECONDS}))
done
`;
