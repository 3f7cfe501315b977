/**
 * Checks of Tessera's P2P trust: TLS wherever member traffic leaves the stack's one cluster, and the
 * certificate requests of external parties, which the network CA signs (`externalPeers[].tesseraCsr`).
 */
import { isIP } from "node:net";
import { type CertificateRequest, parseCertificateRequest } from "../config/csr";
import type { ConfigIssue } from "../config/issue";
import { type ExternalPeerConfig, type StackConfig, tesseraP2pCrossesNetworks } from "../config/schema";
import { error, warning } from "./issues";

/**
 * What the network CA signs for an external party. RSA keys are what Tessera reads from a PEM key file
 * (`KeyFactory.getInstance("RSA")`, see `infra/quorum/tesseraTls.ts`); ECDSA keys work from a keystore.
 * SHA-1 and MD5 signatures are refused: they no longer prove who made the request.
 */
export const EXTERNAL_CSR_POLICY = {
  rsaBits: { min: 2048, max: 8192 },
  /** node:crypto's names of the curves, and ours. */
  ecCurves: { prime256v1: "P-256", secp384r1: "P-384" } as Readonly<Record<string, string>>,
  signatureAlgorithms: [
    "sha256WithRSAEncryption",
    "sha384WithRSAEncryption",
    "sha512WithRSAEncryption",
    "ecdsa-with-SHA256",
    "ecdsa-with-SHA384",
    "ecdsa-with-SHA512",
  ] as readonly string[],
} as const;

export function tesseraIssues(config: StackConfig): ConfigIssue[] {
  const { tls } = config.network.workloads.tessera;
  return [
    ...openP2pIssues(config),
    ...config.network.connectivity.externalPeers.flatMap((peer, i) => {
      const path = `network.connectivity.externalPeers[${i}]`;
      return [...externalSchemeIssues(peer, path, tls), ...externalCertificateIssues(peer, path, tls)];
    }),
  ];
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
function externalSchemeIssues(peer: ExternalPeerConfig, path: string, tls: string): ConfigIssue[] {
  const scheme = tls === "strict" ? "https://" : "http://";
  if (!peer.tesseraUrl || peer.tesseraUrl.startsWith(scheme)) return [];
  return [
    error(
      `${path}.tesseraUrl`,
      `must start with ${scheme} while network.workloads.tessera.tls is ${tls}: the party's Tessera P2P runs in the same TLS mode as ours.`,
    ),
  ];
}

function externalCertificateIssues(peer: ExternalPeerConfig, path: string, tls: string): ConfigIssue[] {
  const at = `${path}.tesseraCsr`;
  if (!peer.tesseraCsr) {
    return tls === "strict" && peer.tesseraUrl
      ? [
          warning(
            at,
            "is not set: under strict TLS our members accept only certificates of the network CA, so P2P with this party's Tessera fails until it sends a certificate request (PEM) for the CA to sign.",
          ),
        ]
      : [];
  }
  if (tls !== "strict") {
    return [warning(at, "is ignored while network.workloads.tessera.tls is off: no certificate is issued.")];
  }
  if (!peer.tesseraUrl) {
    return [error(at, "needs tesseraUrl: the certificate names the host our members dial.")];
  }
  const parsed = parseCertificateRequest(peer.tesseraCsr);
  if (!parsed.ok) return [error(at, parsed.reason)];
  const host = new URL(peer.tesseraUrl).hostname.toLowerCase();
  return requestProblems(parsed.request, host, peer.name).map((problem) => error(at, problem));
}

/** Why the network CA must not sign `request` for the party at `host`; empty when it may. */
export function requestProblems(request: CertificateRequest, host: string, peerName: string): string[] {
  const { rsaBits, ecCurves, signatureAlgorithms } = EXTERNAL_CSR_POLICY;
  const key = request.key;
  if (!("bits" in key && key.type === "rsa") && !("curve" in key && key.type === "ec")) {
    // Its signature algorithm follows from the key: nothing else to say about it.
    return [
      `has a ${key.type} key: use RSA (${rsaBits.min} bits or more) or ECDSA P-256/P-384.`,
      ...nameProblems(request, host, peerName),
    ];
  }
  const problems: string[] = [];
  if ("bits" in key && (key.bits < rsaBits.min || key.bits > rsaBits.max)) {
    problems.push(`has an RSA key of ${key.bits} bits: use ${rsaBits.min} to ${rsaBits.max} bits.`);
  }
  if ("curve" in key && !ecCurves[key.curve]) {
    problems.push(`has an ECDSA key on ${key.curve}: use ${Object.values(ecCurves).join(" or ")}, or RSA.`);
  }
  if (!signatureAlgorithms.includes(request.signatureAlgorithm)) {
    problems.push(`is signed with ${request.signatureAlgorithm}: sign it with SHA-256 or stronger.`);
  } else if (request.signatureVerifies !== true) {
    problems.push(
      "has a signature that does not verify with its own key: it was altered, or not made by the key it names.",
    );
  }
  return [...problems, ...nameProblems(request, host, peerName)];
}

/** The request must name the party's host and nothing else: the CA vouches for every name it signs. */
function nameProblems(request: CertificateRequest, host: string, peerName: string): string[] {
  const problems: string[] = [];
  const names = [
    ...request.dnsNames.map((n) => ({ text: `DNS:${n}`, matches: !isIP(host) && n.toLowerCase() === host })),
    ...request.ipAddresses.map((ip) => ({ text: `IP:${ip}`, matches: ip === host })),
    ...request.otherNames.map((text) => ({ text, matches: false })),
  ];
  if (!names.some((n) => n.matches)) {
    problems.push(`does not name ${host}, the host of tesseraUrl, as a subject alternative name.`);
  }
  const extra = names.filter((n) => !n.matches).map((n) => n.text);
  if (extra.length > 0) {
    problems.push(
      `also names ${extra.join(", ")}: the network CA vouches only for the host of tesseraUrl (other names could impersonate our members).`,
    );
  }
  const cn = request.commonName;
  if (cn !== undefined && cn.toLowerCase() !== host && cn !== peerName) {
    problems.push(`has common name ${cn}: leave it out, or use ${host} or "${peerName}".`);
  }
  return problems;
}
