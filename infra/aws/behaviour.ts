/**
 * Facts about AWS and EKS that the program relies on, each with its upstream source. Facts only: this
 * module imports nothing from the project, so every pure layer (plan, manifests, verifiers, the mock
 * runtime) reads the same ones.
 */

/**
 * The value of `topology.kubernetes.io/zone` on an EKS node: the name of its Availability Zone,
 * `<region><letter>` (e.g. `eu-west-1a`), the same name the EC2 API takes. Source: kubernetes/cloud-provider-aws
 * (the node's zone is the instance's `Placement.AvailabilityZone`); EKS nodes carry e.g.
 * `topology.kubernetes.io/zone=eu-central-1b`.
 */
export const eksNodeZoneLabel = (zone: string): string => zone;

/**
 * Labels EKS puts on the nodes of a managed node group (its own labels are prefixed `eks.amazonaws.com`).
 * Source: EKS user guide, "Simplify node lifecycle with managed node groups".
 */
export const eksNodeGroupLabels = (nodeGroup: string): Readonly<Record<string, string>> => ({
  "eks.amazonaws.com/nodegroup": nodeGroup,
});

/**
 * The topology key of the EBS CSI driver: its node plugin labels each node with its zone, and a volume it
 * provisions is bound to nodes of that zone (the PersistentVolume's node affinity). Source:
 * kubernetes-sigs/aws-ebs-csi-driver (`topology.ebs.csi.aws.com/zone`, value the Availability Zone name).
 */
export const EBS_CSI_ZONE_KEY = "topology.ebs.csi.aws.com/zone";

/**
 * ASNs a customer gateway may not carry, in every region or in one. Source: AWS Site-to-Site VPN user
 * guide, "Customer gateway options for your AWS Site-to-Site VPN connection" (7224 everywhere; 9059 in
 * eu-west-1, 10124 in ap-northeast-1, 17943 in ap-southeast-1).
 */
export const AWS_RESERVED_CUSTOMER_GATEWAY_ASNS: readonly {
  readonly asn: number;
  readonly region?: string;
}[] = [
  { asn: 7224 },
  { asn: 9059, region: "eu-west-1" },
  { asn: 10124, region: "ap-northeast-1" },
  { asn: 17943, region: "ap-southeast-1" },
];

/**
 * How an EKS managed node group update (a new AMI release or Kubernetes version) disrupts pods: it replaces
 * at most `updateConfig.maxUnavailable` nodes at a time (default 1), draining each through the eviction API so
 * PodDisruptionBudgets hold; pods that do not leave within 15 minutes fail the update (PodEvictionFailure)
 * unless the update is forced, which then terminates the node whatever runs on it. Sources: EKS user guide,
 * "Understand each phase of node updates" (managed-node-update-behavior: setup, scale up, upgrade phases);
 * EKS API UpdateNodegroupVersion `force`, @pulumi/aws `eks.NodeGroup.forceUpdateVersion`.
 */
export const EKS_NODE_UPDATE = {
  /** Nodes replaced at once on a pool that runs GoQuorum: one, so the validator budget decides alone. */
  maxUnavailable: 1,
  drainTimeoutMinutes: 15,
  /** Never forced: a forced update evicts validators whatever the disruption gate says. */
  force: false,
} as const;
