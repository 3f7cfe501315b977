/** Stand-ins for the providers behind keys and credentials: random bytes and passwords, TLS material. */
import * as pulumi from "@pulumi/pulumi";
import { parseCertificateRequest } from "../../config/csr";
import { pemBlock, throwawayBytes, throwawayDetail, throwawayPem } from "./throwaway";
import type { ComputedState, MockContext, ProviderMocks } from "./types";

/** The characters a RandomPassword may use, by its class flags (special characters off unless asked). */
const PASSWORD_CLASSES = {
  upper: "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
  lower: "abcdefghijklmnopqrstuvwxyz",
  numeric: "0123456789",
  special: "!@#$%&*()-_=+[]{}<>:?",
} as const;

/** A throwaway password of the asked length from the asked classes, as the provider would generate one. */
function throwawayPassword({ stack, name, inputs }: MockContext): string {
  const length = Number(inputs.length ?? 16);
  const alphabet = (Object.keys(PASSWORD_CLASSES) as (keyof typeof PASSWORD_CLASSES)[])
    .filter((c) => inputs[c] !== false && (c !== "special" || inputs.special === true))
    .map((c) => PASSWORD_CLASSES[c])
    .join("");
  return [...throwawayBytes(`${stack}:${name}`, length)].map((b) => alphabet[b % alphabet.length]).join("");
}

/** What a certificate or request states: subject and alternative names, as the provider's inputs give them. */
function statement(subject: unknown, dnsNames: unknown, ipAddresses: unknown): string {
  const cn = (subject as { commonName?: string } | undefined)?.commonName;
  const names = [
    ...((dnsNames as string[] | undefined) ?? []).map((n) => `DNS:${n}`),
    ...((ipAddresses as string[] | undefined) ?? []).map((ip) => `IP:${ip}`),
  ];
  return `subject ${cn ? `CN=${cn}` : "(empty)"}; names ${names.join(",") || "(none)"}`;
}

/**
 * Like the provider's LocallySignedCert (terraform-provider-tls `resource_locally_signed_cert.go`): the
 * request must be a CERTIFICATE REQUEST PEM that parses (a throwaway one from the CertRequest stand-in, or
 * a real PKCS#10 request, read as `x509.ParseCertificateRequest` would), and the CA certificate a
 * CERTIFICATE PEM; the certificate states the request's subject and names and its issuer.
 */
const locallySignedCertificate: ComputedState = ({ stack, name, inputs }) => {
  const request = String(inputs.certRequestPem ?? "");
  const block = pemBlock(request);
  if (block?.label !== "CERTIFICATE REQUEST") {
    throw new Error(
      `${name}: Failed to parse certificate request PEM: expected "CERTIFICATE REQUEST", got ${block ? `"${block.label}"` : "no PEM block"}`,
    );
  }
  let stated = throwawayDetail(request);
  if (stated === undefined) {
    const parsed = parseCertificateRequest(request);
    if (!parsed.ok) throw new Error(`${name}: Failed to parse certificate request PEM: ${parsed.reason}`);
    const { subject, dnsNames, ipAddresses, otherNames } = parsed.request;
    const names = [...dnsNames.map((n) => `DNS:${n}`), ...ipAddresses.map((ip) => `IP:${ip}`), ...otherNames];
    stated = `subject ${subject.map((a) => `${a.type}=${a.value}`).join(", ") || "(empty)"}; names ${names.join(",") || "(none)"}`;
  }
  const ca = String(inputs.caCertPem ?? "");
  if (pemBlock(ca)?.label !== "CERTIFICATE") {
    throw new Error(`${name}: Failed to parse CA certificate PEM: expected "CERTIFICATE"`);
  }
  const issuer = /^subject ([^;]*)/.exec(throwawayDetail(ca) ?? "")?.[1] ?? "(a real CA)";
  return {
    certPem: throwawayPem("CERTIFICATE", stack, name, `${stated}; issuer ${issuer}`),
    readyForRenewal: false,
  };
};

export const keyMocks: ProviderMocks = {
  resources: {
    "random:index/randomBytes:RandomBytes": ({ stack, name, inputs }) => {
      const bytes = throwawayBytes(`${stack}:${name}`, Number(inputs.length ?? 32));
      return { hex: bytes.toString("hex"), base64: bytes.toString("base64") };
    },
    // Secret, as the provider's additionalSecretOutputs make it (mocks ignore those).
    "random:index/randomPassword:RandomPassword": (context) => ({
      result: pulumi.secret(throwawayPassword(context)),
    }),
    // Private outputs are secret, as the provider's additionalSecretOutputs make them (mocks ignore those).
    "tls:index/privateKey:PrivateKey": ({ stack, name, inputs }) => {
      const pem = (label: string) => throwawayPem(label, stack, name);
      return {
        privateKeyPem: pulumi.secret(pem(inputs.algorithm === "RSA" ? "RSA PRIVATE KEY" : "EC PRIVATE KEY")),
        privateKeyPemPkcs8: pulumi.secret(pem("PRIVATE KEY")),
        publicKeyPem: pem("PUBLIC KEY"),
      };
    },
    "tls:index/certRequest:CertRequest": ({ stack, name, inputs }) => ({
      certRequestPem: throwawayPem(
        "CERTIFICATE REQUEST",
        stack,
        name,
        statement(inputs.subject, inputs.dnsNames, inputs.ipAddresses),
      ),
    }),
    "tls:index/selfSignedCert:SelfSignedCert": ({ stack, name, inputs }) => ({
      certPem: throwawayPem(
        "CERTIFICATE",
        stack,
        name,
        `${statement(inputs.subject, [], [])}; issuer itself`,
      ),
      readyForRenewal: false,
    }),
    "tls:index/locallySignedCert:LocallySignedCert": locallySignedCertificate,
  },
};
