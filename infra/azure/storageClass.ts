/**
 * The StorageClass of chain data on AKS: Premium SSD managed disks through the Azure Disk CSI driver.
 * Zonal (Premium_LRS), not zone-redundant: the planner pins every node to a zone, WaitForFirstConsumer
 * creates the disk in the zone its pod lands in, and ZRS adds cross-zone write latency to geth's
 * write-heavy state database for a failover the network already gets from validators in other zones.
 * Retain: deleting a claim never deletes the chain. Never Azure Files (SMB/NFS latency, no fsync
 * guarantees geth's LevelDB relies on).
 */
export const AZURE_STORAGE_CLASS_NAME = "goquorum-premium-ssd";

export const azureStorageClass = {
  apiVersion: "storage.k8s.io/v1",
  kind: "StorageClass",
  metadata: { name: AZURE_STORAGE_CLASS_NAME },
  provisioner: "disk.csi.azure.com",
  parameters: { skuName: "Premium_LRS" },
  reclaimPolicy: "Retain",
  volumeBindingMode: "WaitForFirstConsumer",
  allowVolumeExpansion: true,
} as const;
