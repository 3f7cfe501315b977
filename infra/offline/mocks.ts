/**
 * The mock runtime behind `npm run render` and the program tests: no cloud, no CLI, no state.
 * Random bytes are derived from the stack and resource name, so renders are reproducible and never
 * contain a real stack's keys; TLS keys and certificates are PEM-shaped text that says it is a throwaway.
 */
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";

/** Throwaway bytes for a render, from a label naming what they stand in for; the one derivation of them. */
export function throwawayBytes(label: string, length = 32): Buffer {
  return createHash("sha256").update(`throwaway:${label}`).digest().subarray(0, length);
}

/** Outputs the mocks invent for resources whose providers would compute them. */
function computedState(
  type: string,
  name: string,
  stack: string,
  inputs: Record<string, unknown>,
): Record<string, unknown> {
  if (type === "random:index/randomBytes:RandomBytes") {
    const length = Number(inputs.length ?? 32);
    const bytes = throwawayBytes(`${stack}:${name}`, length);
    return { hex: bytes.toString("hex"), base64: bytes.toString("base64") };
  }
  const pem = (label: string) => throwawayPem(label, stack, name);
  switch (type) {
    // Private outputs are secret, as the provider's additionalSecretOutputs make them (mocks ignore those).
    case "tls:index/privateKey:PrivateKey":
      return {
        privateKeyPem: pulumi.secret(pem(inputs.algorithm === "RSA" ? "RSA PRIVATE KEY" : "EC PRIVATE KEY")),
        privateKeyPemPkcs8: pulumi.secret(pem("PRIVATE KEY")),
        publicKeyPem: pem("PUBLIC KEY"),
      };
    case "tls:index/certRequest:CertRequest":
      return { certRequestPem: pem("CERTIFICATE REQUEST") };
    case "tls:index/selfSignedCert:SelfSignedCert":
    case "tls:index/locallySignedCert:LocallySignedCert":
      return { certPem: pem("CERTIFICATE"), readyForRenewal: false };
    default:
      return {};
  }
}

/** A PEM block whose body, once decoded, only says which throwaway stand-in it is: never key material. */
function throwawayPem(label: string, stack: string, name: string): string {
  const body = Buffer.from(`throwaway ${label.toLowerCase()} for ${stack}/${name}`).toString("base64");
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}

export interface OfflineRuntime {
  readonly registered: pulumi.runtime.MockResourceArgs[];
}

/**
 * @param previousOutputs what the stack's reference to itself reads: the outputs of its last deployment
 *   (none for a stack never deployed)
 */
export async function useOfflineRuntime(
  stack: string,
  config: Record<string, string>,
  secretKeys: string[],
  previousOutputs: Record<string, unknown> = {},
): Promise<OfflineRuntime> {
  const registered: pulumi.runtime.MockResourceArgs[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push(args);
        const computed =
          args.type === "pulumi:pulumi:StackReference"
            ? { outputs: previousOutputs }
            : computedState(args.type, args.name, stack, args.inputs);
        return { id: `${args.name}-id`, state: { ...args.inputs, ...computed } };
      },
      call: (args) => args.inputs,
    },
    "goquorum",
    stack,
    false,
    // A self-managed backend's organization.
    "organization",
  );
  pulumi.runtime.setAllConfig(config, secretKeys);
  return { registered };
}
