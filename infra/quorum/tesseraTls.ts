/**
 * Certificates for Tessera P2P with `tessera.tls: strict` (mutual TLS, CA trust; see `./peers`
 * `tesseraConfig`): what the network CA and each member's certificate say. Pure decisions;
 * components/keys/TesseraTls.ts issues them with @pulumi/tls.
 */
import type { NodePlan } from "../plan/types";
import { serviceHostnames } from "./manifests/names";

const HOURS_PER_DAY = 24;

/** Key usages in @pulumi/tls `allowedUses` vocabulary (RFC 5280 key usages and extended key usages). */
export type CertificateUse =
  | "certSigning"
  | "digitalSignature"
  | "keyEncipherment"
  | "serverAuth"
  | "clientAuth";

/**
 * Member keys are RSA: Tessera reads its PEM key as PKCS#8 through `KeyFactory.getInstance("RSA")`
 * (SSLKeyStoreLoader.fromPemKeyFile), so an EC key would not load. The CA key only signs; Tessera never reads it.
 */
export type KeySpec =
  | { readonly algorithm: "RSA"; readonly rsaBits: number }
  | { readonly algorithm: "ECDSA"; readonly ecdsaCurve: "P256" };

/** No early renewal: a new CA must reach every member before it signs anything, so it is a deliberate step. */
export interface CaPlan {
  readonly key: KeySpec;
  readonly commonName: string;
  readonly allowedUses: readonly CertificateUse[];
  readonly validityPeriodHours: number;
}

export interface CertificatePlan {
  readonly key: KeySpec;
  readonly commonName: string;
  /** Every name peers dial: the node's Service names, short to fully qualified. */
  readonly dnsNames: readonly string[];
  /** The node's `endpointIp`, which peers in other clusters dial; empty without one. */
  readonly ipAddresses: readonly string[];
  readonly allowedUses: readonly CertificateUse[];
  readonly validityPeriodHours: number;
  /** A `pulumi up` this close to expiry issues a new certificate; the old one stays valid until then. */
  readonly earlyRenewalHours: number;
}

/** The network's CA: one per stack, so members in every cluster trust each other. */
export function tesseraCaPlan(networkName: string): CaPlan {
  return {
    key: { algorithm: "ECDSA", ecdsaCurve: "P256" },
    commonName: `${networkName} Tessera P2P CA`,
    allowedUses: ["certSigning"],
    validityPeriodHours: 10 * 365 * HOURS_PER_DAY,
  };
}

/** A member's certificate: the same one serves Tessera as server and as client (mutual TLS). */
export function tesseraCertificatePlan(
  node: Pick<NodePlan, "name" | "endpointIp">,
  namespace: string,
): CertificatePlan {
  return {
    key: { algorithm: "RSA", rsaBits: 3072 },
    commonName: node.name,
    dnsNames: serviceHostnames(node.name, namespace),
    ipAddresses: node.endpointIp ? [node.endpointIp] : [],
    allowedUses: ["digitalSignature", "keyEncipherment", "serverAuth", "clientAuth"],
    validityPeriodHours: 365 * HOURS_PER_DAY,
    earlyRenewalHours: 30 * HOURS_PER_DAY,
  };
}

/**
 * What the network CA signs for an external party, from the request it sent (`externalPeers[].tesseraCsr`,
 * checked by the plan): server and client authentication like a member's, for a year. Subject and names
 * come from the request (LocallySignedCert copies them). A `pulumi up` within 30 days of expiry, or a new
 * request, issues a new certificate, which the party takes from the join document.
 */
export interface ExternalCertificatePlan {
  readonly allowedUses: readonly CertificateUse[];
  readonly validityPeriodHours: number;
  readonly earlyRenewalHours: number;
}

export function tesseraExternalCertificatePlan(): ExternalCertificatePlan {
  return {
    allowedUses: ["digitalSignature", "keyEncipherment", "serverAuth", "clientAuth"],
    validityPeriodHours: 365 * HOURS_PER_DAY,
    earlyRenewalHours: 30 * HOURS_PER_DAY,
  };
}

/**
 * Prometheus' client certificate for the members' P2P `/metrics`: one per network, trusted like a member
 * because Tessera's server trusts any certificate of the network CA (trust mode CA), but good for client
 * authentication only, so it can never serve as a Tessera server. RSA like the members: the kind of client
 * key their servers already accept.
 */
export function tesseraMonitoringClientPlan(networkName: string): CertificatePlan {
  return {
    key: { algorithm: "RSA", rsaBits: 3072 },
    commonName: `${networkName}-monitoring`,
    dnsNames: [],
    ipAddresses: [],
    allowedUses: ["digitalSignature", "keyEncipherment", "clientAuth"],
    validityPeriodHours: 365 * HOURS_PER_DAY,
    earlyRenewalHours: 30 * HOURS_PER_DAY,
  };
}
