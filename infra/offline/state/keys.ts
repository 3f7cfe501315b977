/** Stand-ins for the providers behind the keys: random bytes and TLS material. */
import * as pulumi from "@pulumi/pulumi";
import { throwawayBytes, throwawayPem } from "./throwaway";
import type { ComputedState, ProviderMocks } from "./types";

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
