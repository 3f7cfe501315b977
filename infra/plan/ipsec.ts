/**
 * The one IKE/IPsec parameter set of every VPN tunnel, which both ends are given explicitly (defaults
 * differ between AWS, Azure and on-premise devices, and a mismatch leaves a tunnel down without an
 * error). Chosen so AWS, Azure and common devices all accept it:
 * - IKEv2, phase 1 AES-256-CBC with SHA-256 and DH group 14 (2048-bit MODP);
 * - phase 2 (ESP) AES-256-CBC with SHA-256 and PFS group 14. GCM is left out: AWS lists integrity
 *   algorithms apart from the cipher, Azure requires GCM on both, and CBC + SHA-256 reads the same on both;
 * - lifetimes: phase 1 8 hours (Azure's IKE SA lifetime is fixed at 28,800 s; AWS allows up to that),
 *   phase 2 1 hour (AWS's maximum). AWS has no data-size limit, so Azure gets its largest, 102400000 KB,
 *   and both sides rekey by time.
 * `infra/aws/vpn.ts` and `infra/azure/vpn.ts` map it to each cloud's names; a test maps both back.
 */
export const IPSEC = {
  ikeVersion: 2,
  phase1: { encryption: "aes256", integrity: "sha256", dhGroup: 14, lifetimeSeconds: 28_800 },
  phase2: { encryption: "aes256", integrity: "sha256", pfsGroup: 14, lifetimeSeconds: 3_600 },
} as const;

export type IpsecParameters = typeof IPSEC;
