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
