/** Stand-ins for the providers behind keys and credentials: random bytes and passwords, TLS material. */
import * as pulumi from "@pulumi/pulumi";
import { throwawayBytes, throwawayPem } from "./throwaway";
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

const signedCertificate: ComputedState = ({ stack, name }) => ({
  certPem: throwawayPem("CERTIFICATE", stack, name),
  readyForRenewal: false,
});

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
    "tls:index/certRequest:CertRequest": ({ stack, name }) => ({
      certRequestPem: throwawayPem("CERTIFICATE REQUEST", stack, name),
    }),
    "tls:index/selfSignedCert:SelfSignedCert": signedCertificate,
    "tls:index/locallySignedCert:LocallySignedCert": signedCertificate,
  },
};
