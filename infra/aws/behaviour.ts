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
 * A virtual private gateway re-advertises to each of its VPN connections the routes it learns over BGP from
 * the others (the "VPN CloudHub" pattern: sites on one gateway reach each other through it, given distinct
 * ASNs), and propagates every learned route into the route tables that enable propagation; nothing filters
 * them. Sources: AWS Site-to-Site VPN user guide, "Secure communication between sites using VPN CloudHub";
 * Amazon VPC user guide, "Route propagation". So a site on an AWS gateway is announced onward to the Azure
 * gateways it peers with, and theirs to it.
 */
export const VGW_READVERTISES_LEARNED_ROUTES = true;

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
 * or the VPC CIDR (internal), so an internal NLB without source ranges refuses peered VPCs, VPN ranges and
 * sites. kubernetes-sigs/aws-load-balancer-controller `docs/guide/service/annotations.md`, "Access control"
 * (`load-balancer-source-ranges` defaults: "The VPC CIDR will be used if
 * `service.beta.kubernetes.io/aws-load-balancer-scheme` is `internal`"; the ranges apply with client IP
 * preservation, which the gateway's IP targets turn on) and "Security groups for load balancers".
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
 * What the controller writes to a Service's status: the NLB's DNS name only, never an address
 * (kubernetes-sigs/aws-load-balancer-controller `controllers/service/service_controller.go`,
 * `updateServiceStatus`: `LoadBalancerIngress{Hostname: lbDNS}`, and an IP there is rewritten). No service
 * proxy knows the NLB's address, so an in-cluster client's packet to it leaves the node and meets the NLB's
 * frontend security group like anyone else's.
 */
export const LBC_STATUS_HAS_ADDRESS = false;

/** The Service annotation that sets the target groups' attributes (LBC docs, "Service annotations"). */
export const LBC_TARGET_GROUP_ATTRIBUTES =
  "service.beta.kubernetes.io/aws-load-balancer-target-group-attributes";

/**
 * Whether a Service's NLB target groups preserve the client's address: off by default for IP targets over
 * TCP, on where the target group attributes say `preserve_client_ip.enabled=true` (ELB user guide, "Edit
 * target group attributes for your Network Load Balancer", client IP preservation defaults).
 */
export function nlbPreservesClientIp(annotations: Readonly<Record<string, string>>): boolean {
  return (annotations[LBC_TARGET_GROUP_ATTRIBUTES] ?? "")
    .split(",")
    .some((attribute) => attribute.trim() === "preserve_client_ip.enabled=true");
}

/**
 * With client IP preservation, an NLB cannot carry a connection whose client runs on the instance the target
 * runs on: NAT loopback (hairpinning) is not supported, and such a connection succeeds only when routed to
 * another instance (ELB user guide, "Troubleshoot your Network Load Balancer": connections time out for
 * requests from a target to its load balancer). With IP targets the target pod answers the client pod's
 * address on the same node directly, not through the NLB, and the client drops the reply
 * (aws/amazon-vpc-cni-k8s#2505: timeouts between pods of one cluster through an internal NLB).
 */
export const NLB_HAIRPIN =
  "an NLB with client IP preservation cannot carry a client on its target's own node";

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

/**
 * The day each EKS Kubernetes minor leaves standard support (UTC; extended-support billing starts that day).
 * With `upgradePolicy.supportType: STANDARD` EKS then upgrades the control plane on its own; without it the
 * cluster moves to extended support at six times the hourly price. Sources: EKS user guide, "Understand the
 * Kubernetes version lifecycle on EKS", release calendar (1.32–1.34; standard support lasts 14 months from the
 * EKS release); 1.35 (EKS release 2026-01-27/28, end 2027-03-27) from endoflife.date "Amazon EKS", which
 * tracks that calendar. EKS also lists 1.36 in standard support ("Kubernetes versions standard support").
 */
export const EKS_STANDARD_SUPPORT_ENDS: Readonly<Record<string, string>> = {
  "1.32": "2026-03-23",
  "1.33": "2026-07-29",
  "1.34": "2026-12-02",
  "1.35": "2027-03-27",
};

/**
 * How EKS moves an existing cluster between Kubernetes minors. `UpdateClusterVersion` takes the next minor
 * only ("Upgrades of more than one Kubernetes version are not supported": EKS user guide, "Update existing
 * cluster to new Kubernetes version"; eksctl "Cluster upgrades": "the current version of the cluster or one
 * version higher"), and only while every managed node group runs the cluster's minor (EKS API reference,
 * UpdateClusterVersion: "all of your node groups' Kubernetes versions must match the cluster's Kubernetes
 * version"). An update never lowers the minor: EKS's version rollback ("Roll back a cluster to a previous
 * Kubernetes version") is its own operation, for the control plane alone, within 7 days of an upgrade, with
 * the node groups rolled back by their owner first; it is not a `version` change through `pulumi up`.
 */
export const EKS_VERSION_UPDATE = {
  /** Minors one update may move the control plane forward. */
  maxMinorStep: 1,
  /** Node groups must run the control plane's minor before it moves: the program's follow it (`version`). */
  nodeGroupsMatchControlPlane: true,
} as const;

// ---------------------------------------------------------------------------------------------------------
// The API server's endpoints, as a deployer meets them
// ---------------------------------------------------------------------------------------------------------

/**
 * What the cluster security group guards: the private endpoint's network interfaces and the kubelet API of
 * every node (and, here, every pod: the nodes' and pods' ENIs carry it). It does not affect the public
 * endpoint, which only `publicAccessCidrs` guards; those in turn do not affect the private endpoint. A network
 * connected to the VPC reaches a private endpoint only where this group admits TCP 443 from it. Source: EKS
 * user guide, "Cluster API server endpoint" ("Endpoint access controls"; "Accessing a private only API
 * server": the control plane security group must allow ingress on 443 from the connected network).
 * So a 443 rule for deployers opens 443 on every node and pod as well: nothing of ours listens there (the flow
 * verifier checks the ports that do).
 */
export const EKS_PRIVATE_ENDPOINT_GUARDED_BY = EKS_CLUSTER_SECURITY_GROUP;

/** The VPC attributes without which EKS's private hosted zone for the endpoint answers nothing. */
export interface VpcDnsAttributes {
  readonly enableDnsSupport: boolean;
  readonly enableDnsHostnames: boolean;
}

/**
 * Where a client resolves the API server's name. EKS puts the private endpoint's addresses in a Route 53
 * private hosted zone associated with the cluster's VPC only, which answers only with `enableDnsSupport` and
 * `enableDnsHostnames` on (and AmazonProvidedDNS in the DHCP options, the default): EKS user guide, "Cluster
 * API server endpoint" ("Cluster private endpoint"). That zone cannot be associated with another VPC
 * (aws/containers-roadmap#221). With the public endpoint off, EKS also publishes the private addresses under
 * the public name, so a peered VPC or a site resolves them with any resolver (AWS Knowledge Center, "Connect to
 * a private Amazon EKS cluster endpoint from outside the VPC"); with it on, everyone outside the VPC resolves
 * the public endpoint and reaches it from their public (NAT) address.
 */
export function eksApiNameResolvesTo(options: {
  readonly publicEndpoint: boolean;
  readonly clientInClusterVpc: boolean;
  readonly vpcDns: VpcDnsAttributes;
}): { readonly endpoint: "private" | "public"; readonly why: string } {
  const zoneAnswers = options.vpcDns.enableDnsSupport && options.vpcDns.enableDnsHostnames;
  if (options.clientInClusterVpc && zoneAnswers) {
    return { endpoint: "private", why: "EKS's private hosted zone of the cluster VPC" };
  }
  if (!options.publicEndpoint) {
    return {
      endpoint: "private",
      why: "public DNS: a private-only endpoint's name carries its private addresses",
    };
  }
  return {
    endpoint: "public",
    why: "public DNS: with the public endpoint on, the name resolves to it outside the cluster VPC",
  };
}

/**
 * Outbound rules of a security group the program does not manage (a management VPC's runners): a new security
 * group allows all outbound traffic until someone removes that rule, and a VPC's default network ACL allows all
 * traffic both ways. Source: Amazon VPC user guide, "Security group rules" (a security group you create has an
 * outbound rule allowing all traffic) and "Default network ACL". Where the owner narrows them, the runners
 * need TCP 443 to the cluster VPCs (docs/deployer-path.md says so).
 */
export const UNMANAGED_SECURITY_GROUP_EGRESS = "default outbound rule: all traffic to 0.0.0.0/0";
