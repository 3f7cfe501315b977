/** What AKS and Azure do on their own that the program counts on, each with its source. */

/**
 * The OS disk AKS gives a node pool that names none (the program sets no `osDiskType` or `osDiskSizeGB`).
 * Microsoft Learn, "Storage options for applications in AKS", Default OS disk sizing: an ephemeral OS disk
 * (free, on the VM's local storage) when the size supports it and its temp storage is at least 128 GiB;
 * otherwise a managed Premium SSD sized by vCPUs: 1-7 → 128 GiB (P10), 8-15 → 256 GiB (P15),
 * 16-63 → 512 GiB (P20), 64+ → 1024 GiB (P30).
 *
 * Local temp storage is what the `d` in a size's suffix names (Ddsv5, Dadsv5, Edsv5, Ddsv6 ...), at 37.5 GiB
 * per vCPU or more, so those sizes reach 128 GiB from 4 vCPUs. Other sizes are taken as managed; a v3 size
 * whose cache disk would hold the OS gets an ephemeral disk instead, and then this overestimates.
 */
export function aksDefaultOsDisk(vmSize: string, vcpus: number): number | "ephemeral" {
  const suffix = vmSize.replace(/^Standard_[A-Z]\d+/, "");
  const localDisk = /^[a-z]*d[a-z]*_v\d+$/.test(suffix);
  if (localDisk && vcpus >= 4) return "ephemeral";
  if (vcpus < 8) return 128;
  if (vcpus < 16) return 256;
  if (vcpus < 64) return 512;
  return 1024;
}

/**
 * With `outboundType: loadBalancer`, AKS creates a public Standard load balancer (`kubernetes`) with one
 * outbound rule and one managed outbound public IP by default (Microsoft Learn, "Use a public standard load
 * balancer in AKS": managed outbound IPs, default count 1). Public LoadBalancer Services add their rules to it.
 */
export const AKS_OUTBOUND = { rules: 1, publicIps: 1 } as const;
