/** Checks of Tessera's P2P trust: TLS wherever member traffic leaves the stack's one cluster. */
import type { ConfigIssue } from "../config/issue";
import { type StackConfig, tesseraP2pCrossesNetworks } from "../config/schema";
import { error, warning } from "./issues";

export function tesseraIssues(config: StackConfig): ConfigIssue[] {
  return [...openP2pIssues(config), ...externalSchemeIssues(config)];
}

function openP2pIssues(config: StackConfig): ConfigIssue[] {
  if (config.network.workloads.tessera.tls !== "off" || !tesseraP2pCrossesNetworks(config)) return [];
  return [
    warning(
      "network.workloads.tessera.tls",
      "is off, but Tessera P2P crosses networks the stack does not own (more than one cluster or an external peer): any host in an admitted range can connect to the members' P2P port. Remove the key (strict is the default here) or set strict.",
    ),
  ];
}

/** Our members dial a party's Tessera with the TLS mode of their own P2P client: https exactly when strict. */
function externalSchemeIssues(config: StackConfig): ConfigIssue[] {
  const { tls } = config.network.workloads.tessera;
  const scheme = tls === "strict" ? "https://" : "http://";
  return config.network.connectivity.externalPeers.flatMap((peer, i) =>
    peer.tesseraUrl && !peer.tesseraUrl.startsWith(scheme)
      ? [
          error(
            `network.connectivity.externalPeers[${i}].tesseraUrl`,
            `must start with ${scheme} while network.workloads.tessera.tls is ${tls}: the party's Tessera P2P runs in the same TLS mode as ours.`,
          ),
        ]
      : [],
  );
}
