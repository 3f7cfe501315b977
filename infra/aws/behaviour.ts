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

// ---------------------------------------------------------------------------------------------------------
// VPC CNI: NetworkPolicy enforcement
// ---------------------------------------------------------------------------------------------------------

/** The vpc-cni add-on's configuration values; two of them decide NetworkPolicy enforcement. */
export interface VpcCniConfigurationValues {
  readonly enableNetworkPolicy?: string;
  readonly nodeAgent?: { readonly enabled?: boolean };
  readonly [key: string]: unknown;
}

/**
 * Whether the VPC CNI enforces NetworkPolicies with these add-on configuration values. Off unless
 * `enableNetworkPolicy` is "true" (aws/amazon-vpc-cni-k8s `charts/aws-vpc-cni/values.yaml`:
 * `enableNetworkPolicy: false`; the VPC CNI "Network Policy FAQ": "network policies are not enabled by
 * default"), and the network policy agent of the aws-node DaemonSet (`nodeAgent.enabled`, on by default)
 * must run: it programs the eBPF filters. Supported from VPC CNI 1.14 on EKS 1.25+ with a 5.10+ kernel
 * (EKS user guide "Restrict Pod network traffic with Kubernetes network policies"); the schema requires
 * 1.30+, EKS installs a matching add-on version, and AL2023 runs kernel 6.1.
 */
export function vpcCniEnforcesNetworkPolicies(settings: VpcCniConfigurationValues): boolean {
  return settings.enableNetworkPolicy === "true" && settings.nodeAgent?.enabled !== false;
}

// ---------------------------------------------------------------------------------------------------------
// VPC CNI: source addresses of pod traffic
// ---------------------------------------------------------------------------------------------------------

/**
 * The address a pod's packet leaves the node with: its own for destinations inside the VPC's CIDR blocks,
 * the node's primary address for any other destination (peered VPCs, VPN ranges) unless external SNAT is on
 * (aws/amazon-vpc-cni-k8s README, `AWS_VPC_K8S_CNI_EXTERNALSNAT` and `AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS`).
 */
export function vpcCniSourceAddress(options: {
  readonly env: Readonly<Record<string, string>>;
  readonly destinationInVpc: boolean;
  readonly podAddress: string;
  readonly nodeAddress: string;
}): string {
  const externalSnat = options.env.AWS_VPC_K8S_CNI_EXTERNALSNAT === "true";
  return options.destinationInVpc || externalSnat ? options.podAddress : options.nodeAddress;
}

// ---------------------------------------------------------------------------------------------------------
// Security groups: EKS and the AWS Load Balancer Controller
// ---------------------------------------------------------------------------------------------------------

/** Where an inbound security group rule admits traffic from: a range, or members of a security group. */
export type SecurityGroupSource = { readonly cidr: string } | { readonly securityGroup: string };

export interface SecurityGroupRule {
  readonly name: string;
  readonly source: SecurityGroupSource;
  readonly fromPort: number;
  readonly toPort: number;
}

/** The security group EKS creates for a cluster; it is on every node's and pod's ENI here. */
export const EKS_CLUSTER_SECURITY_GROUP = "eks-cluster-security-group";

/**
 * Its default inbound rule: all traffic from members of the group itself (nodes and pods of the cluster);
 * outbound it allows everything (EKS user guide, "View Amazon EKS security group requirements for clusters").
 */
export const EKS_CLUSTER_SECURITY_GROUP_INGRESS: readonly SecurityGroupRule[] = [
  {
    name: "eks default: all traffic from the cluster security group",
    source: { securityGroup: EKS_CLUSTER_SECURITY_GROUP },
    fromPort: 0,
    toPort: 65535,
  },
];

/**
 * The shared backend security group the AWS Load Balancer Controller attaches to every load balancer it
 * creates; its packets to targets (traffic and health checks) come from it, whatever the client address.
 */
export const LBC_BACKEND_SECURITY_GROUP = "lbc-backend-security-group";

/** A Service the AWS Load Balancer Controller turns into an NLB, as far as its security groups go. */
export interface ControllerService {
  readonly name: string;
  readonly scheme: "internal" | "internet-facing";
  readonly loadBalancerSourceRanges: readonly string[];
  /** Listener ports (the Service's ports). */
  readonly ports: readonly number[];
  /** Ports on the targets (IP targets: the pods' container ports); health checks use the traffic port. */
  readonly targetPorts: readonly number[];
}

/**
 * The NLB's frontend security group, which the controller creates per load balancer: inbound from the
 * Service's loadBalancerSourceRanges to its listener ports; without them from 0.0.0.0/0 (internet-facing)
 * or the VPC CIDR (internal). kubernetes-sigs/aws-load-balancer-controller docs, "Security groups for load
 * balancers" (frontend security groups) and "Service annotations" (Access control: source ranges defaults).
 */
export function controllerFrontendRules(service: ControllerService, vpcCidr: string): SecurityGroupRule[] {
  const sources =
    service.loadBalancerSourceRanges.length > 0
      ? service.loadBalancerSourceRanges
      : [service.scheme === "internet-facing" ? "0.0.0.0/0" : vpcCidr];
  return sources.flatMap((cidr) =>
    service.ports.map((port) => ({
      name: `${service.name} frontend: ${cidr} to ${port}`,
      source: { cidr },
      fromPort: port,
      toPort: port,
    })),
  );
}

/**
 * The rules the controller adds to the pods' (ENI) security group: from its shared backend security group to
 * the target ports only, which covers the health checks on the traffic port (same docs: backend security
 * groups, "Port Range Restrictions for Backend Security Group Rules").
 */
export function controllerBackendRules(service: ControllerService): SecurityGroupRule[] {
  return service.targetPorts.map((port) => ({
    name: `${service.name} backend: load balancer to ${port}`,
    source: { securityGroup: LBC_BACKEND_SECURITY_GROUP },
    fromPort: port,
    toPort: port,
  }));
}
