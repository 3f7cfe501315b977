/**
 * AWS Site-to-Site VPN values (pure): tunnel options from the plan's IKE/IPsec set and tunnel
 * addresses, and the rules a pre-shared key must follow.
 */
import type { VpnTunnelPlan } from "../plan/connectivityTypes";
import { IPSEC } from "../plan/ipsec";

const ENCRYPTION = { aes256: "AES256" } as const;
const INTEGRITY = { sha256: "SHA2-256" } as const;

/** The options of tunnel `n` of an `aws.ec2.VpnConnection`, pre-shared key aside. */
export function awsTunnelOptions(n: 1 | 2, tunnel: Pick<VpnTunnelPlan, "insideCidr">) {
  const prefix = `tunnel${n}` as const;
  const options = {
    InsideCidr: tunnel.insideCidr,
    IkeVersions: [`ikev${IPSEC.ikeVersion}`],
    Phase1EncryptionAlgorithms: [ENCRYPTION[IPSEC.phase1.encryption]],
    Phase1IntegrityAlgorithms: [INTEGRITY[IPSEC.phase1.integrity]],
    Phase1DhGroupNumbers: [IPSEC.phase1.dhGroup],
    Phase1LifetimeSeconds: IPSEC.phase1.lifetimeSeconds,
    Phase2EncryptionAlgorithms: [ENCRYPTION[IPSEC.phase2.encryption]],
    Phase2IntegrityAlgorithms: [INTEGRITY[IPSEC.phase2.integrity]],
    Phase2DhGroupNumbers: [IPSEC.phase2.pfsGroup],
    Phase2LifetimeSeconds: IPSEC.phase2.lifetimeSeconds,
    // AWS re-initiates after dead peer detection instead of waiting for the far end.
    DpdTimeoutAction: "restart",
    StartupAction: "start",
  };
  return Object.fromEntries(Object.entries(options).map(([k, v]) => [`${prefix}${k}`, v])) as {
    [K in keyof typeof options as `${typeof prefix}${K}`]: (typeof options)[K];
  };
}

/**
 * `random.RandomPassword` settings for a pre-shared key AWS accepts: 8-64 characters from letters,
 * digits, `.` and `_`, not starting with 0. Letters and digits only, and the key is prefixed with a
 * letter so it never starts with 0 (`presharedKey`).
 */
export const PRESHARED_KEY_PASSWORD = {
  length: 47,
  special: false,
  upper: true,
  lower: true,
  numeric: true,
} as const;

/** The key from a generated password: a fixed letter first, so it is 48 characters and never starts with 0. */
export const presharedKey = (password: string): string => `k${password}`;

/** Whether AWS accepts a pre-shared key (and Azure too: it takes any printable ASCII up to 128). */
export const isValidPresharedKey = (key: string): boolean =>
  /^[A-Za-z0-9._]{8,64}$/.test(key) && !key.startsWith("0");
