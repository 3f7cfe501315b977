/** Stack config as `pulumi up` sees it, handed to the same parse and planner as the offline commands. */
import * as pulumi from "@pulumi/pulumi";
import { INGRESS_SECRETS_CONFIG_KEY, type IngressSecrets } from "./ingress";
import { ADOPTED_KEYS_CONFIG_KEY, type AdoptedKeys, ALERTING_SECRETS_CONFIG_KEY, PROJECT } from "./schema";

/** The runtime hands every value over as a string; structured values are JSON. */
function decode(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** Every config value of the stack, decoded: `{ "goquorum:network": {...}, "aws:region": "..." }`. */
export function rawPulumiConfig(): Record<string, unknown> {
  return Object.fromEntries(Object.entries(pulumi.runtime.allConfig()).map(([k, v]) => [k, decode(v)]));
}

/** Keys the user brings (`goquorum:nodeKeys`, secret), or undefined when none are configured. */
export function readAdoptedKeys(): pulumi.Output<Record<string, AdoptedKeys>> | undefined {
  return new pulumi.Config(PROJECT).getSecretObject<Record<string, AdoptedKeys>>(ADOPTED_KEYS_CONFIG_KEY);
}

/** Alert receivers' credentials (`goquorum:alertingSecrets`, secret), or undefined when none are set. */
export function readAlertingSecrets(): pulumi.Output<Record<string, string>> | undefined {
  return new pulumi.Config(PROJECT).getSecretObject<Record<string, string>>(ALERTING_SECRETS_CONFIG_KEY);
}

/** Ingress credentials by cluster (`goquorum:ingressSecrets`, secret), or undefined when none are configured. */
export function readIngressSecrets(): pulumi.Output<Record<string, IngressSecrets>> | undefined {
  return new pulumi.Config(PROJECT).getSecretObject<Record<string, IngressSecrets>>(
    INGRESS_SECRETS_CONFIG_KEY,
  );
}
