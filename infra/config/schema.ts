/**
 * The stack configuration schema: the one place that defines every config key, its type, default and doc.
 * The configuration reference (docs/configuration.md) and `schema/stack-config.schema.json` are generated from it
 * (`npm run docs`), and a test fails when they drift.
 *
 * Shape checks live here; checks across keys (overlaps, capacity, fault tolerance) live in `validate.ts`.
 */
import { isIP } from "node:net";
import { z } from "zod";
import { parseEnode } from "./enode";
import { Ingress } from "./ingress";

/** The Pulumi project name, which is also the config namespace (`goquorum:network`, `goquorum:clusters`). */
export const PROJECT = "goquorum";

/**
 * Secret config key (outside the schema, never printed) holding keys a user brings:
 * `{ "<node>": { "nodeKey": "<64 hex>", "tesseraKey": "<base64 private key>" } }`.
 */
export const ADOPTED_KEYS_CONFIG_KEY = "nodeKeys";

/** Secret config key holding each alert receiver's credential: `{ "<receiver>": "<url, password or key>" }`. */
export const ALERTING_SECRETS_CONFIG_KEY = "alertingSecrets";
/** Key of cluster `cluster`'s heartbeat URL in `alertingSecrets`, and the name of its receiver. */
export const heartbeatSecretKey = (cluster: string): string => `heartbeat-${cluster}`;

/** Keys a user brings for a node instead of generated ones (one entry of `goquorum:nodeKeys`). */
export interface AdoptedKeys {
  readonly nodeKey: string;
  readonly tesseraKey?: string;
}

/**
 * Oldest Kubernetes minor the program supports, on every cluster (the docs say the same; a test checks):
 * Tessera runs as a native sidecar (on by default from 1.29), the pinned Secrets Store CSI driver chart needs
 * 1.30, and neither EKS nor AKS creates 1.29 clusters outside extended support. Services target numbered
 * ports, so their endpoints do not depend on 1.32's named sidecar ports (`infra/kubernetes/behaviour.ts`).
 */
export const MIN_KUBERNETES_MINOR = 30;

/**
 * The default Kubernetes minor of a cloud cluster: one that EKS keeps in standard support and AKS supports on
 * the day the calendars were read (2026-12-06, `infra/verify/kubernetesVersions.ts`), and that the pinned
 * Envoy Gateway runs on. 1.35: EKS standard support until 2027-03-27, AKS until 2027-03-31 (sources in
 * `infra/aws/behaviour.ts` and `infra/azure/behaviour.ts`); 1.34 left EKS standard support on 2026-12-02.
 */
export const DEFAULT_KUBERNETES_VERSION = "1.35";

const dnsLabel = (max: number) =>
  z
    .string()
    .regex(
      /^[a-z]([a-z0-9-]*[a-z0-9])?$/,
      "must be lowercase letters, digits and '-', starting with a letter",
    )
    .max(max);

/**
 * Retention periods CloudWatch Logs accepts (PutRetentionPolicy; the @pulumi/aws `cloudwatch.LogGroup`
 * `retentionInDays` doc lists the same), without 0, which keeps logs forever.
 */
const CLOUDWATCH_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const cidr = z.string().describe("IPv4 CIDR, e.g. 10.10.0.0/16");

const count = (max: number) => z.number().int().min(0).max(max);

const NodeCounts = z
  .strictObject({
    validators: count(64).default(0).describe("QBFT validators hosted by this cluster (they run `--mine`)."),
    rpc: count(32).default(0).describe("RPC nodes: full nodes that serve JSON-RPC to configured clients."),
    members: count(64)
      .default(0)
      .describe("Member nodes: full nodes with a Tessera private transaction manager, serving JSON-RPC."),
  })
  .describe("How many GoQuorum nodes of each role this cluster hosts.");

/** Node counts every pool has, in either cloud. */
const poolSize = {
  count: z.number().int().min(1).max(1000).describe("Desired (and minimum) number of nodes."),
  maxCount: z
    .number()
    .int()
    .min(1)
    .max(1000)
    .optional()
    .describe("Upper bound for the autoscaler; capacity is planned for it. Defaults to `count`."),
  maxSurge: z
    .number()
    .int()
    .min(0)
    .max(100)
    .default(1)
    .describe(
      "Extra nodes that exist during a rolling upgrade (max surge); their addresses are planned too.",
    ),
};

const AwsNodePool = z.strictObject({
  name: dnsLabel(32).describe("Node group name, unique within the cluster."),
  instanceType: z
    .string()
    .describe("EC2 instance type, e.g. m6i.xlarge (checked against the shipped EKS instance data)."),
  ...poolSize,
  rootVolumeGiB: z
    .number()
    .int()
    .min(20)
    .max(16384)
    .default(50)
    .describe(
      "Size of each node's encrypted gp3 root volume (images, logs, emptyDirs); chain data lives on its own volumes.",
    ),
});

const AzureNodePool = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z][a-z0-9]{0,11}$/, "must be 1-12 lowercase letters and digits, starting with a letter")
    .describe("Agent pool name (AKS: 1-12 lowercase alphanumerics), unique within the cluster."),
  vmSize: z
    .string()
    .describe("Azure VM size, e.g. Standard_D4s_v5 (checked against the shipped VM size list)."),
  ...poolSize,
  maxPods: z
    .number()
    .int()
    .min(10)
    .max(250)
    .optional()
    .describe(
      "Pods per node. Defaults to 30 (node-subnet), 110 (pod-subnet) or 250 (overlay). Fixed at pool creation.",
    ),
});

const AwsCni = z
  .strictObject({
    mode: z
      .enum(["secondary-ip", "prefix-delegation", "custom-networking"])
      .default("secondary-ip")
      .describe(
        "AWS VPC CNI mode: one secondary IP per pod, /28 prefixes per ENI slot (Nitro only), or pods in separate pod subnets (ENIConfig).",
      ),
    warmEniTarget: z
      .number()
      .int()
      .min(0)
      .max(15)
      .default(1)
      .describe("WARM_ENI_TARGET: spare ENIs kept attached per node."),
    warmIpTarget: z
      .number()
      .int()
      .min(0)
      .max(250)
      .optional()
      .describe("WARM_IP_TARGET: spare IPs per node (overrides WARM_ENI_TARGET)."),
    minimumIpTarget: z
      .number()
      .int()
      .min(0)
      .max(250)
      .optional()
      .describe("MINIMUM_IP_TARGET: IPs held per node from boot."),
    warmPrefixTarget: z
      .number()
      .int()
      .min(0)
      .max(16)
      .default(1)
      .describe("WARM_PREFIX_TARGET (prefix delegation): spare /28s per node."),
  })
  .prefault({});

const AzureCni = z
  .strictObject({
    mode: z
      .enum(["node-subnet", "pod-subnet", "overlay"])
      .default("pod-subnet")
      .describe(
        "Azure CNI mode: pods take node-subnet addresses (reserved per node), pods take addresses from a pod subnet, or pods live on a private overlay CIDR.",
      ),
  })
  .prefault({});

/** The Ethereum clients a node may run: GoQuorum (archived upstream) or Hyperledger Besu. */
export const NODE_CLIENTS = ["goquorum", "besu"] as const;
export type NodeClient = (typeof NODE_CLIENTS)[number];
const Client = z.enum(NODE_CLIENTS);

const clusterCommon = {
  name: dnsLabel(20).describe("Unique cluster name; prefixes every cloud resource of the cluster."),
  nodes: NodeCounts.prefault({}),
  client: Client.default("goquorum").describe(
    "Client the cluster's nodes run: goquorum (archived by ConsenSys in June 2026, no further fixes) or besu (Hyperledger Besu, maintained). A node keeps its key, enode and validator address whatever its client (docs/besu.md).",
  ),
  nodeClients: z
    .record(z.string(), Client)
    .default({})
    .describe(
      'Per-node override of `client`, keyed by node name (`<cluster>-<role>-<index>`, e.g. `{ "eu-validator-0": "besu" }`): a migration moves one node at a time (docs/operations/migrate-to-besu.md).',
    ),
  namespace: dnsLabel(40).default("goquorum").describe("Kubernetes namespace of the GoQuorum workloads."),
  storageClass: z
    .string()
    .optional()
    .describe(
      "StorageClass for node volumes (block storage). Defaults to gp3 (AWS), goquorum-premium-ssd (Azure: Premium SSD, Retain, created by the program), the cluster default (local).",
    ),
  ingress: Ingress,
};

const cloudCommon = {
  cidr: cidr
    .optional()
    .describe("VPC/VNet range. Allocated from `network.addressing.supernet` when omitted."),
  serviceCidr: cidr
    .optional()
    .describe("Kubernetes service range. Allocated from `network.addressing.serviceSupernet` when omitted."),
  podCidr: cidr
    .optional()
    .describe(
      "Pod range for modes that keep pods off the node subnets (AWS custom-networking, Azure pod-subnet and overlay). Allocated from `network.addressing.podSupernet` when omitted.",
    ),
  zones: z
    .number()
    .int()
    .min(1)
    .max(6)
    .default(3)
    .describe("How many availability zones to spread subnets and nodes over."),
  kubernetesVersion: z
    .string()
    .regex(/^1\.\d{2}$/, `must look like ${DEFAULT_KUBERNETES_VERSION}`)
    .refine(
      (v) => Number(v.split(".")[1]) >= MIN_KUBERNETES_MINOR,
      `must be 1.${MIN_KUBERNETES_MINOR} or later (native sidecar containers; the Secrets Store CSI driver)`,
    )
    .default(DEFAULT_KUBERNETES_VERSION)
    .describe(
      `Kubernetes minor version (1.${MIN_KUBERNETES_MINOR} or later). The default was in standard support on both EKS and AKS when it was chosen (docs/deployer-path.md, "Kubernetes version"); every plan warns about a minor its cloud no longer supports.`,
    ),
  vault: z
    .enum(["cloud", "kubernetes"])
    .default("cloud")
    .describe(
      "Where node keys live: `cloud` is the cloud's vault (AWS Secrets Manager with KMS, Azure Key Vault) mounted through the Secrets Store CSI driver with one identity per node; `kubernetes` keeps them in Kubernetes Secrets (a dev tier).",
    ),
};

/**
 * Where `pulumi up`, previews and people reach a cloud cluster's API server from: the same key on both clouds.
 * Checked by the plan (`infra/plan/apiAccess.ts`), opened by the program, explained in docs/deployer-path.md.
 */
const ApiAccess = z
  .strictObject({
    publicRanges: z
      .array(cidr)
      .default([])
      .describe(
        "Public IPv4 ranges that reach the API server over the Internet: a laptop's egress /32, a runner's NAT address. AWS: the EKS public endpoint admits only these (none: no public endpoint). Azure: the AKS authorized IP ranges, and the node key vault's firewall.",
      ),
    privateRanges: z
      .array(cidr)
      .default([])
      .describe(
        "Ranges of runners that reach the API server's private endpoint: each must lie in a `network.connectivity.managementNetworks` entry of the cluster's cloud (peered with the cluster) or in a site's ranges. AWS: the cluster security group admits TCP 443 from each. Azure: the API server is private (Private Link) and its DNS zone is linked to the management networks; not combined with `publicRanges`.",
      ),
  })
  .prefault({})
  .describe(
    "Who reaches the API server, and from where: `publicRanges` or `privateRanges` (not both: outside the VPC an EKS API name resolves to the public endpoint once it is on, and AKS authorized ranges apply only to a public API server). The plan refuses a cluster no range reaches. See docs/deployer-path.md.",
  );

/**
 * Keys of earlier releases, refused with the key that replaced them (the schema's strict objects would
 * otherwise only say "unknown key").
 */
export const RETIRED_KEYS: Readonly<Record<string, string>> = {
  publicAccessCidrs: "apiAccess.publicRanges",
  deployerRanges: "apiAccess.publicRanges",
  privateCluster: "apiAccess.privateRanges (a cluster with only private ranges gets a private API server)",
};

const iamRoleArn = z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, "must be an IAM role ARN");

const entraObjectId = z
  .string()
  .regex(/^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/, "must be an Entra object id (a GUID)");

export const AwsCluster = z.strictObject({
  ...clusterCommon,
  ...cloudCommon,
  provider: z.literal("aws"),
  region: z.string().describe("AWS region, e.g. eu-west-1."),
  nodePools: z.array(AwsNodePool).min(1).describe("EKS managed node groups."),
  cni: AwsCni,
  natGateways: z
    .enum(["one-per-zone", "single"])
    .default("one-per-zone")
    .describe(
      "NAT gateways for the private subnets' outbound traffic: one per zone (survives a zone loss), or a single one in the first zone (cheaper, for dev stacks).",
    ),
  adminRoleArns: z
    .array(iamRoleArn)
    .default([])
    .describe(
      "IAM roles given cluster-admin through EKS access entries: the role `pulumi up` runs as (the deploy workflow's) and your operators'. They are the only admins: whoever creates the cluster gets no access of its own. Required.",
    ),
  viewerRoleArns: z
    .array(iamRoleArn)
    .default([])
    .describe(
      "IAM roles given read-only access (EKS access policy AmazonEKSViewPolicy, no Secrets): the preview workflow's role, auditors.",
    ),
  supportType: z
    .enum(["STANDARD", "EXTENDED"])
    .default("STANDARD")
    .describe(
      'EKS upgradePolicy.supportType. STANDARD: EKS upgrades the control plane when its version leaves standard support. EXTENDED: the version stays another 12 months at 0.60 USD per cluster-hour instead of 0.10 (EKS user guide, "Kubernetes version lifecycle").',
    ),
  controlPlaneLogRetentionDays: z
    .literal(CLOUDWATCH_RETENTION_DAYS)
    .default(90)
    .describe(
      "Days CloudWatch keeps the control-plane logs (group `/aws/eks/<network>-<cluster>/cluster`, created by the program so EKS does not create it without expiry).",
    ),
  apiAccess: ApiAccess,
});

export const AzureCluster = z.strictObject({
  ...clusterCommon,
  ...cloudCommon,
  provider: z.literal("azure"),
  region: z.string().describe("Azure region, e.g. westeurope."),
  nodePools: z.array(AzureNodePool).min(1).describe("AKS agent pools; the first one is the System pool."),
  cni: AzureCni,
  apiAccess: ApiAccess,
  adminGroupObjectIds: z
    .array(entraObjectId)
    .default([])
    .describe(
      "Entra groups whose members administer the cluster: Azure Kubernetes Service RBAC Cluster Admin and Cluster User Role on the cluster, Key Vault Secrets Officer on the node key vault. Put the deploy workflow's service principal and your operators in one. They are the only admins, whoever runs `pulumi up`. Required.",
    ),
  viewerPrincipals: z
    .array(
      z.strictObject({
        objectId: entraObjectId.describe("The principal's object id."),
        type: z
          .enum(["ServicePrincipal", "Group", "User"])
          .describe("What it is (the role assignment's principalType)."),
      }),
    )
    .default([])
    .describe(
      "Entra principals given read-only access: Azure Kubernetes Service RBAC Reader (no Secrets) and Cluster User Role (to fetch the kubeconfig). The preview workflow's service principal, auditors.",
    ),
  autoUpgrade: z
    .strictObject({
      channel: z
        .enum(["none", "patch", "stable", "rapid"])
        .default("patch")
        .describe(
          "AKS upgradeChannel: Kubernetes versions AKS applies on its own. `patch` keeps `kubernetesVersion`'s minor and takes its patches; `none` leaves every upgrade to you.",
        ),
      nodeOs: z
        .enum(["None", "Unmanaged", "SecurityPatch", "NodeImage"])
        .default("NodeImage")
        .describe(
          "AKS nodeOSUpgradeChannel. NodeImage reimages nodes weekly (drained one at a time, within the PodDisruptionBudgets); SecurityPatch patches in place; None leaves node images to you.",
        ),
    })
    .prefault({})
    .describe("Upgrades AKS makes without a `pulumi up`."),
});

export const LocalCluster = z.strictObject({
  ...clusterCommon,
  provider: z.literal("local"),
  context: z
    .string()
    .optional()
    .describe("kubeconfig context to deploy to. Defaults to the current context."),
  zones: z
    .number()
    .int()
    .min(1)
    .max(6)
    .default(1)
    .describe("Zones the existing cluster's nodes span (for placement verdicts)."),
  enforcesNetworkPolicies: z
    .boolean()
    .default(false)
    .describe(
      "Whether the existing cluster's CNI enforces NetworkPolicies (kind v0.24.0 and later does by default; check yours). The program cannot see it: while false, the plan warns that any pod of the cluster can reach JSON-RPC and Tessera.",
    ),
});

export const Cluster = z.discriminatedUnion("provider", [AwsCluster, AzureCluster, LocalCluster]);

const Addressing = z
  .strictObject({
    supernet: cidr.default("10.64.0.0/10").describe("Range that cluster VPC/VNet CIDRs are allocated from."),
    clusterPrefixLength: z
      .number()
      .int()
      .min(16)
      .max(24)
      .default(16)
      .describe("Size of an allocated VPC/VNet range."),
    serviceSupernet: cidr
      .default("172.16.0.0/13")
      .describe("Range that Kubernetes service CIDRs are allocated from (must not meet any routed range)."),
    servicePrefixLength: z
      .number()
      .int()
      .min(16)
      .max(24)
      .default(20)
      .describe("Size of an allocated service range."),
    podSupernet: cidr
      .default("100.64.0.0/10")
      .describe("Range that pod CIDRs (custom networking, pod subnets, overlay) come from."),
    podPrefixLength: z.number().int().min(14).max(22).default(16).describe("Size of an allocated pod range."),
  })
  .prefault({});

const FaultTolerance = z
  .strictObject({
    requireSurviveClusterLoss: z
      .boolean()
      .default(false)
      .describe("Fail the plan unless consensus survives the loss of any one cluster."),
    requireSurviveZoneLoss: z
      .boolean()
      .default(false)
      .describe("Fail the plan unless consensus survives the loss of any one availability zone."),
  })
  .prefault({});

const hexQuantity = z.string().regex(/^(0x[0-9a-fA-F]+|[0-9]+)$/, "must be a 0x-hex or decimal string");

const Resources = z.strictObject({
  cpuRequest: z.string().describe("CPU request, e.g. 500m."),
  memoryRequest: z.string().describe("Memory request, e.g. 2Gi."),
  cpuLimit: z
    .string()
    .optional()
    .describe("CPU limit; unset means no CPU limit (avoids throttling block production)."),
  memoryLimit: z.string().describe("Memory limit."),
});

/** Tessera P2P TLS modes: `off`, or `strict` (mutual TLS with the network CA). */
export const TESSERA_TLS_MODES = ["off", "strict"] as const;
export type TesseraTlsMode = (typeof TESSERA_TLS_MODES)[number];

const Workloads = z
  .strictObject({
    images: z
      .strictObject({
        goquorum: z
          .string()
          .default("quorumengineering/quorum:24.4.1")
          .describe("GoQuorum image, pinned by exact tag or digest."),
        tessera: z
          .string()
          .default("quorumengineering/tessera:24.4.2")
          .describe("Tessera image, pinned by exact tag or digest."),
        besu: z
          .string()
          .default("hyperledger/besu:26.8.0")
          .describe(
            "Besu image of a network without GoQuorum nodes: the current release, `hyperledger/besu:<version>[@sha256:<digest>]` (the plan reads the version from the tag).",
          ),
        besuInterop: z
          .string()
          .default("hyperledger/besu:25.7.0")
          .describe(
            "Besu image while any GoQuorum node is left in the network (a migration): a release that still speaks eth/66, GoQuorum's newest protocol (docs/besu.md).",
          ),
      })
      .prefault({})
      .describe(
        "Container images. GoQuorum and Tessera are archived upstream: theirs are the last releases.",
      ),
    storageSize: z
      .string()
      .regex(/^[0-9]+(Gi|Ti)$/, "must look like 100Gi")
      .default("100Gi")
      .describe("Volume size per node."),
    syncTimeoutMinutes: z
      .number()
      .int()
      .min(10)
      .max(10080)
      .default(720)
      .describe(
        "How long `pulumi up` waits for a node that starts on an empty volume in a running network (its client switched, or it is new) to be Ready, which a node is only once in sync with the chain. Pulumi's own limit for a StatefulSet is 10 minutes; a validator's rollout chain waits for it, so the next validator is not touched while this one syncs (docs/besu.md, \"Upgrading Besu and sync time\").",
      ),
    retainVolumesOnDelete: z
      .boolean()
      .default(true)
      .describe(
        "Keep node volumes when a StatefulSet is deleted or scaled down (chain data and Tessera DB survive `pulumi destroy`).",
      ),
    logVerbosity: z
      .number()
      .int()
      .min(0)
      .max(5)
      .default(3)
      .describe("geth --verbosity (0 silent .. 5 detail)."),
    goquorumResources: Resources.default({
      cpuRequest: "500m",
      memoryRequest: "2Gi",
      memoryLimit: "4Gi",
    }).describe("GoQuorum container resources."),
    tesseraResources: Resources.default({
      cpuRequest: "250m",
      memoryRequest: "1Gi",
      memoryLimit: "2Gi",
    }).describe("Tessera container resources."),
    rpc: z
      .strictObject({
        apis: z
          .array(
            z.enum([
              "eth",
              "net",
              "web3",
              "txpool",
              "istanbul",
              "quorumExtension",
              "quorumPermission",
              "admin",
              "debug",
              "personal",
              "miner",
            ]),
          )
          .default(["eth", "net", "web3", "txpool", "istanbul"])
          .describe(
            "JSON-RPC namespaces served by RPC and member nodes. admin, debug, personal and miner need `allowUnsafeApis`.",
          ),
        allowUnsafeApis: z
          .boolean()
          .default(false)
          .describe("Allow admin/debug/personal/miner in `apis` (never on a reachable node)."),
        archive: z
          .boolean()
          .default(false)
          .describe(
            "Run RPC and member nodes as archive nodes (`--gcmode archive`): every historical state, more disk.",
          ),
        websocket: z.boolean().default(false).describe("Also serve the same namespaces over WebSocket."),
        allowedCidrs: z
          .array(cidr)
          .default([])
          .describe(
            "Client ranges allowed to reach RPC (NetworkPolicy). Empty: only pods in the same namespace.",
          ),
        vhosts: z
          .array(z.string())
          .default([])
          .describe("Extra --http.vhosts beyond the node's own service names."),
        corsOrigins: z
          .array(z.string())
          .default([])
          .describe("--http.corsdomain / --ws.origins; empty disables CORS."),
      })
      .prefault({}),
    tessera: z
      .strictObject({
        tls: z
          .enum(TESSERA_TLS_MODES)
          .optional()
          .describe(
            "Tessera P2P TLS: strict = mutual TLS, every member and external party holding a certificate of the network CA. Default: strict when the network has more than one cluster or any external peer (its P2P traffic crosses networks the stack does not own), off for a single cluster without external peers. Off in such a network is a plan warning.",
          ),
        thirdPartyAllowedCidrs: z
          .array(cidr)
          .default([])
          .describe("Ranges allowed to reach Tessera's third-party API (port 9080)."),
      })
      .prefault({}),
    validatorRollout: z
      .enum(["one-at-a-time", "all-at-once"])
      .default("one-at-a-time")
      .describe(
        "How changes to validator pods roll out. one-at-a-time: each validator's StatefulSet waits until the previous one is ready (peered, in sync, in the validator set), network-wide, so an upgrade never takes down more than one validator and a bad image stops at the first; validators the stack has not deployed yet (all of them on the first deployment) start in parallel. all-at-once is faster but halts consensus while validators restart.",
      ),
    scheduling: z
      .strictObject({
        nodeSelector: z
          .record(z.string(), z.string())
          .default({})
          .describe("Node labels GoQuorum pods must run on, e.g. a dedicated node pool."),
        tolerations: z
          .array(
            z.strictObject({
              key: z.string().optional(),
              operator: z.enum(["Equal", "Exists"]).default("Equal"),
              value: z.string().optional(),
              effect: z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"]).optional(),
              tolerationSeconds: z.number().int().min(0).optional(),
            }),
          )
          .default([])
          .describe("Taints GoQuorum pods tolerate, e.g. the taint of a dedicated node pool."),
      })
      .prefault({})
      .describe("Where GoQuorum pods may run, on top of the zone pinning and spreading the planner decides."),
    monitoringNamespace: dnsLabel(40)
      .default("monitoring")
      .describe("Namespace whose pods may scrape metrics (NetworkPolicy)."),
  })
  .prefault({});

/** BGP ASNs AWS accepts for a virtual private gateway's Amazon side: the private ranges. */
const isAwsGatewayAsn = (asn: number) =>
  (asn >= 64512 && asn <= 65534) || (asn >= 4_200_000_000 && asn <= 4_294_967_294);
/** Private 16-bit ASNs without the ones Azure keeps for itself (65515-65520). */
const isAzureGatewayAsn = (asn: number) => asn >= 64512 && asn <= 65534 && (asn < 65515 || asn > 65520);

const ExternalPeer = z.strictObject({
  name: dnsLabel(40).describe("Unique name of the peer, e.g. the party and its node."),
  enode: z
    .string()
    .superRefine((text, ctx) => {
      const parsed = parseEnode(text);
      if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.reason });
    })
    .describe("The peer's enode URL, enode://<128 hex>@<host>:<port>, as our nodes dial it."),
  tesseraUrl: z
    .string()
    .regex(/^https?:\/\/[^/:]+:[0-9]{1,5}$/, "must look like https://<host>:<port>")
    .optional()
    .describe("The peer's Tessera P2P URL, when it runs Tessera; joins every member's peer list."),
  tesseraPublicKey: z
    .string()
    .regex(/^[A-Za-z0-9+/]{43}=$/, "must be a base64 32-byte key")
    .optional()
    .describe("The peer's Tessera public key (base64), published in the join document."),
  tesseraCsr: z
    .string()
    .optional()
    .describe(
      "PEM certificate signing request for the peer's Tessera P2P TLS key (with `tessera.tls: strict`): the network CA signs it, and the certificate and the CA certificate are published in the join document. RSA of 2048 to 8192 bits (Tessera reads PEM TLS keys as RSA) or ECDSA P-256/P-384, signed with SHA-256 or stronger; its only subject alternative name is the host of `tesseraUrl`, and its common name, if any, that host or the peer's `name`.",
    ),
  range: cidr.describe(
    "The range the peer connects from and is reached at: admitted on p2p and Tessera P2P ports, checked against every other range.",
  ),
  client: Client.default("goquorum").describe(
    "Client the peer runs: it decides which Besu release our Besu nodes need (one that still speaks GoQuorum's eth/66 while any GoQuorum node is left) and whether a Besu node may join beside it.",
  ),
  besuRelease: z
    .string()
    .regex(/^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/, "must be a Besu release such as 26.8.0")
    .optional()
    .describe(
      'The Besu release the peer runs (`client: besu`), as the other party states it. While it is before 26.1.0, or not stated, our Besu nodes on 26.6.0 or later keep `--Xbft-legacy-protocol-encoding` so the peer can read their QBFT messages (docs/besu.md, "Upgrading Besu and sync time"): state it once the peer runs 26.6.0 or later.',
    ),
  validatorAddress: z
    .string()
    .regex(/^0x[0-9a-fA-F]{40}$/, "must be a 0x-prefixed 20-byte address")
    .optional()
    .describe(
      "The peer's validator address when it runs a validator: it counts in the genesis (unless `genesisValidators` is pinned) and in the fault-tolerance verdicts.",
    ),
});

const Site = z.strictObject({
  name: dnsLabel(40).describe("Unique name of the site."),
  publicIp: z
    .string()
    .refine((ip) => isIP(ip) === 4, "must be an IPv4 address")
    .describe("Public IPv4 address of the site's VPN device."),
  asn: z.number().int().min(1).max(4_294_967_294).describe("BGP ASN of the site's VPN device."),
  ranges: z.array(cidr).min(1).describe("Ranges behind the site, routed to the clusters over the VPN."),
  terminatesIn: z
    .enum(["aws", "azure"])
    .describe(
      "Which cloud's clusters the site connects to: `aws` (a customer gateway and a VPN connection per AWS cluster) or `azure` (a local network gateway and a connection per Azure cluster).",
    ),
  bgpPeerAddress: z
    .string()
    .refine((ip) => isIP(ip) === 4, "must be an IPv4 address")
    .optional()
    .describe(
      "BGP address of the site's device, which the Azure gateways peer with (required with `terminatesIn: azure`; on AWS the tunnels' inside addresses are planned).",
    ),
});

const managementNetworkCommon = {
  name: dnsLabel(40).describe("Unique name of the management network (not a cluster's or a site's)."),
  cidr: cidr.describe(
    "The management network's range: runners in it reach the clusters' private API endpoints (`apiAccess.privateRanges` inside it). Must not meet any cluster range.",
  ),
};

/**
 * A network the deploy runners live in, created outside the stack (docs/deployer-path.md), peered by the
 * program with every cluster of its cloud: no transit, so it reaches that cloud's clusters only.
 */
const ManagementNetwork = z.discriminatedUnion("provider", [
  z.strictObject({
    ...managementNetworkCommon,
    provider: z.literal("aws"),
    region: z.string().describe("Region of the management VPC (same account as the clusters)."),
    vpcId: z
      .string()
      .regex(/^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/, "must be a VPC id, e.g. vpc-0a1b2c3d4e5f60718")
      .describe("The management VPC, peered with every AWS cluster's VPC."),
    routeTableIds: z
      .array(z.string().regex(/^rtb-([0-9a-f]{8}|[0-9a-f]{17})$/, "must be a route table id"))
      .min(1)
      .describe(
        "Route tables of the management VPC's runner subnets: each gets a route to every AWS cluster's VPC range through its peering.",
      ),
  }),
  z.strictObject({
    ...managementNetworkCommon,
    provider: z.literal("azure"),
    virtualNetworkId: z
      .string()
      .regex(
        /^\/subscriptions\/[0-9a-fA-F-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+$/,
        "must be a VNet resource id: /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.Network/virtualNetworks/<name>",
      )
      .describe(
        "The management VNet (same tenant), peered with every Azure cluster's VNet; the private API servers' DNS zones are linked to it.",
      ),
  }),
]);

const Connectivity = z
  .strictObject({
    vpn: z
      .strictObject({
        awsAsn: z
          .number()
          .int()
          .refine(isAwsGatewayAsn, "must be a private ASN AWS accepts: 64512-65534 or 4200000000-4294967294")
          .default(64512)
          .describe("BGP ASN of the AWS virtual private gateways."),
        azureAsn: z
          .number()
          .int()
          .refine(
            isAzureGatewayAsn,
            "must be a private ASN 64512-65534 outside 65515-65520, which Azure reserves",
          )
          .default(65010)
          .describe("BGP ASN of the Azure VPN gateways."),
        gatewaySku: z
          .enum(["VpnGw1AZ", "VpnGw2AZ", "VpnGw3AZ", "VpnGw4AZ", "VpnGw5AZ"])
          .default("VpnGw2AZ")
          .describe("SKU of the Azure VPN gateways (zone-redundant); sets their bandwidth and hourly price."),
        insideCidrs: z
          .record(z.string(), cidr)
          .default({})
          .describe(
            "Pinned tunnel inside /30s by tunnel name (as `npm run plan` lists them), from 169.254.21.0-169.254.22.255. The plan warns with the value to pin when a tunnel's /30 depends on another tunnel.",
          ),
      })
      .refine((vpn) => vpn.awsAsn !== vpn.azureAsn, {
        message: "awsAsn and azureAsn must differ: BGP drops routes that carry its own ASN",
        path: ["azureAsn"],
      })
      .prefault({})
      .describe("Site-to-site VPN between AWS and Azure clusters (and sites): BGP and gateway size."),
    externalPeers: z
      .array(ExternalPeer)
      .default([])
      .describe(
        "Nodes outside the stack (GoQuorum or Besu) that join the network (other parties, other clouds).",
      ),
    sites: z
      .array(Site)
      .default([])
      .describe("On-premise or other networks joined by site-to-site VPN with BGP."),
    managementNetworks: z
      .array(ManagementNetwork)
      .default([])
      .describe(
        "Networks of the deploy runners (a small VPC or VNet made once, outside the stack), peered with every cluster of their cloud so runners reach private API servers. See docs/deployer-path.md.",
      ),
  })
  .prefault({});

/** Alert receivers; each one's credential is a secret config value (`goquorum:alertingSecrets.<name>`). */
const receiverName = dnsLabel(40).describe(
  "Receiver name; also the key of its credential in `goquorum:alertingSecrets`.",
);
const AlertReceiver = z.discriminatedUnion("type", [
  z.strictObject({
    name: receiverName,
    type: z.literal("webhook").describe("HTTP webhook; the credential is the URL."),
  }),
  z.strictObject({
    name: receiverName,
    type: z.literal("slack").describe("Slack incoming webhook; the credential is the webhook URL."),
    channel: z.string().describe("Slack channel, e.g. #goquorum-alerts."),
  }),
  z.strictObject({
    name: receiverName,
    type: z.literal("email").describe("Email through an SMTP relay; the credential is the SMTP password."),
    to: z.string().describe("Recipient address."),
    from: z.string().describe("Sender address."),
    smarthost: z.string().describe("SMTP relay as host:port, e.g. smtp.example.com:587."),
    username: z.string().describe("SMTP user name."),
  }),
  z.strictObject({
    name: receiverName,
    type: z.literal("pagerduty").describe("PagerDuty Events API v2; the credential is the routing key."),
  }),
]);

/** The dead man's switch: each cluster's Alertmanager pings its own heartbeat URL with the Watchdog alert. */
const Heartbeat = z.strictObject({
  repeatInterval: z
    .string()
    .regex(/^[1-9][0-9]{0,2}m$/, "must be whole minutes, 1m to 999m, such as 5m")
    .default("5m")
    .describe(
      "How often each cluster's Alertmanager pings its heartbeat URL; set the heartbeat check's period to this, with a grace of a few minutes.",
    ),
});

const Monitoring = z
  .strictObject({
    enabled: z
      .boolean()
      .default(true)
      .describe("Prometheus, Alertmanager and Grafana on every cluster (kube-prometheus-stack)."),
    chartVersion: z
      .string()
      .regex(/^\d+\.\d+\.\d+$/, "must be an exact chart version, e.g. 88.5.3")
      .default("88.5.3")
      .describe("kube-prometheus-stack chart version (exact)."),
    retention: z
      .string()
      .regex(/^[0-9]+(h|d|w|y)$/, "must look like 15d")
      .default("15d")
      .describe("How long each cluster's Prometheus keeps metrics."),
    storageSize: z
      .string()
      .regex(/^[0-9]+(Gi|Ti)$/, "must look like 50Gi")
      .default("50Gi")
      .describe("Prometheus volume per cluster."),
    grafanaStorageSize: z
      .string()
      .regex(/^[0-9]+(Gi|Ti)$/, "must look like 10Gi")
      .default("10Gi")
      .describe("Grafana volume (central cluster only)."),
    centralCluster: z
      .string()
      .optional()
      .describe(
        "Cluster that runs the one Grafana and evaluates the network-wide alerts (quorum, chain stall, lag) over every cluster's metrics. Defaults to the first cluster.",
      ),
    volumeFullWithinDays: z
      .number()
      .int()
      .min(1)
      .max(60)
      .default(4)
      .describe("Alert when a node volume is predicted to fill up within this many days."),
    receivers: z
      .array(AlertReceiver)
      .default([])
      .describe(
        "Where Alertmanager sends every alert: `{ name, type }` with type webhook, slack (adds `channel`), email (adds `to`, `from`, `smarthost`, `username`) or pagerduty; each one's credential is the secret `goquorum:alertingSecrets.<name>`. Empty: alerts are only visible in Alertmanager and Grafana (the plan warns).",
      ),
    runbookUrl: z
      .string()
      .regex(
        /^https?:\/\/[^\s#]+$/,
        "must be an absolute http(s) URL without a #fragment, e.g. https://github.com/<owner>/<repo>/blob/main/docs/alerts.md",
      )
      .optional()
      .describe(
        "Absolute URL of the alert runbook (docs/alerts.md) as on-call reads it; each alert's `runbook_url` annotation is this URL with the alert's #anchor. Defaults to docs/alerts.md on the `main` branch of package.json's `repository` on GitHub; while package.json names no repository, set it (without either, alerts carry no runbook link and the plan warns).",
      ),
    heartbeat: Heartbeat.optional().describe(
      "Dead man's switch: every cluster's Alertmanager sends the always-firing `Watchdog` alert to its own heartbeat URL (healthchecks.io, Dead Man's Snitch and the like), the secret `goquorum:alertingSecrets.heartbeat-<cluster>`, every `repeatInterval`; the heartbeat service alerts when the pings stop. Unset: a dead Prometheus or Alertmanager goes unnoticed (the plan warns when receivers are set).",
    ),
  })
  .prefault({});

/**
 * One entry of GoQuorum's `config.transitions` (v24.4.1 `params/config.go` `Transition`, JSON names as geth
 * reads them). Only round-timer keys: they decide how long a validator waits in a round, never whether a block
 * is valid, so a node that applies one late or early disagrees with no one about the chain.
 */
/** QBFT's round-0 timer (`requesttimeoutseconds`), and the cap on its doubling (`maxRequestTimeoutSeconds`). */
const roundTimerSeconds = z.number().int().min(1).max(600);
const roundTimerCapSeconds = z.number().int().min(1).max(86400);

const Transition = z
  .strictObject({
    block: z
      .number()
      .int()
      .min(1, "block 0 is the genesis: set the value itself (e.g. `maxRequestTimeoutSeconds`) instead")
      .max(2 ** 53 - 1)
      .describe("First block the entry applies to."),
    maxRequestTimeoutSeconds: roundTimerCapSeconds
      .optional()
      .describe("Cap on the QBFT round timer from this block on."),
    requesttimeoutseconds: roundTimerSeconds
      .optional()
      .describe("Round 0's timer from this block on (seconds)."),
  })
  .refine((t) => t.maxRequestTimeoutSeconds !== undefined || t.requesttimeoutseconds !== undefined, {
    message: "a transition changes something: set maxRequestTimeoutSeconds or requesttimeoutseconds",
  });

export const WEEK_DAYS = [
  "Monday",
  "Tuesday",
  "Wednesday",
  "Thursday",
  "Friday",
  "Saturday",
  "Sunday",
] as const;

const Maintenance = z
  .strictObject({
    startDay: z.enum(WEEK_DAYS).default("Saturday").describe("Day (UTC) the first maintenance window opens."),
    startTime: z
      .string()
      .regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, "must be HH:MM, 00:00 to 23:59")
      .default("00:00")
      .describe("Time (UTC) the first maintenance window opens."),
    windowHours: z
      .number()
      .int()
      .min(4, "AKS maintenance windows last 4 to 24 hours")
      .max(24, "AKS maintenance windows last 4 to 24 hours")
      .default(4)
      .describe("Length of each window (AKS takes 4 to 24 hours)."),
  })
  .prefault({});

export const Network = z.strictObject({
  name: dnsLabel(24).describe("Network name; used in resource names and labels."),
  chainId: z
    .number()
    .int()
    .min(2, "1 is Ethereum mainnet, which GoQuorum refuses; 0 is not a chain id")
    .max(2 ** 53 - 1)
    .describe("Chain id (and network id). 1 is Ethereum mainnet and is refused by GoQuorum."),
  consensus: z.enum(["qbft", "ibft"]).default("qbft").describe("Consensus engine: QBFT, or legacy IBFT."),
  privateTransactions: z
    .enum(["enabled", "stopped"])
    .default("enabled")
    .describe(
      "Whether the network still uses Tessera private transactions. Besu cannot hold private state and rejects blocks carrying GoQuorum private transactions, so the plan refuses Besu nodes beside Tessera members until this says `stopped`: the consortium has stopped sending them and no block a Besu node will import carries one (docs/besu.md).",
    ),
  blockPeriodSeconds: z
    .number()
    .int()
    .min(1, "a block period of 0 would make blocks without pause")
    .max(600)
    .default(5)
    .describe("Seconds between blocks."),
  emptyBlockPeriodSeconds: z
    .number()
    .int()
    .min(1)
    .max(86400)
    .optional()
    .describe("Seconds between blocks when there are no transactions (QBFT). Defaults to the block period."),
  epochLength: z
    .number()
    .int()
    .min(1)
    .max(10_000_000)
    .default(30000)
    .describe("Blocks per epoch (vote reset)."),
  requestTimeoutSeconds: roundTimerSeconds
    .default(10)
    .describe(
      "QBFT round timeout in seconds: round 0's timer; QBFT doubles it every round up to `maxRequestTimeoutSeconds`.",
    ),
  maxRequestTimeoutSeconds: roundTimerCapSeconds
    .optional()
    .describe(
      "Cap on QBFT's round timer (GoQuorum `maxRequestTimeoutSeconds`), written into the genesis of a new network. Defaults to 8 × `requestTimeoutSeconds` (three doublings): without a cap the timer doubles every round, so after a 20-minute stall validators wait ~20 minutes in a round long after the fault is gone. At least `requestTimeoutSeconds`; QBFT only (IBFT ignores it). A running network gets it through `transitions`.",
    ),
  transitions: z
    .array(Transition)
    .default([])
    .describe(
      'Changes of the round timer from a block on, in GoQuorum\'s genesis `config.transitions` shape, blocks ascending: how a running network gets `maxRequestTimeoutSeconds` (README, "Changing the round timer of a running network"). Entries already deployed never change; new ones go after them at a block still in the future.',
    ),
  gasLimit: hexQuantity.default("0xE0000000").describe("Genesis gas limit."),
  txnSizeLimit: z
    .number()
    .int()
    .min(32)
    .max(128)
    .default(64)
    .describe("Max transaction size in KB (GoQuorum: 32-128)."),
  alloc: z
    .record(
      z.string().regex(/^0x[0-9a-fA-F]{40}$/, "must be a 0x-prefixed 20-byte address"),
      z.strictObject({ balance: hexQuantity.describe("Balance in wei, decimal or 0x-hex string.") }),
    )
    .prefault({})
    .describe("Pre-funded accounts in the genesis block."),
  addressing: Addressing.describe("Where CIDRs come from when a cluster does not give one."),
  connectivity: Connectivity.describe(
    "How clusters, external nodes and sites connect: VPN settings, external peers, on-premise sites.",
  ),
  faultTolerance: FaultTolerance.describe("Placement requirements checked by the planner."),
  maintenance: Maintenance.describe(
    "When AKS may upgrade each Azure cluster on its own (Kubernetes versions, node images): weekly windows spread evenly over the week from `startDay` `startTime`, one per cluster and kind, so no two clusters of the network are under maintenance at once (`npm run plan` lists them). Overruns are caught by the disruption gate.",
  ),
  workloads: Workloads.describe("How GoQuorum and Tessera run on every cluster."),
  monitoring: Monitoring.describe(
    "Metrics, dashboards and alerts on every cluster; see docs/monitoring.md and the runbook, docs/alerts.md.",
  ),
  genesisValidators: z
    .array(z.string())
    .optional()
    .describe(
      "Validators written into the genesis block, by node name. Defaults to every validator. The genesis of a running network never changes: an update keeps the deployed genesis and refuses a set that differs from it, naming the pin to write. Pin it before adding validators; they join by `istanbul.propose` votes (docs/operations/add-a-validator.md).",
    ),
  protectKeys: z
    .boolean()
    .default(true)
    .describe(
      "Protect generated keys in Pulumi state, so `pulumi destroy` cannot lose a node's identity unless you unprotect it first. It does not stop the destroy: the engine deletes every resource the keys do not depend on (workloads, services, the nodes' other objects), then fails on the keys (seen in `npm run test:e2e`).",
    ),
  retainSecretsOnDelete: z
    .boolean()
    .default(true)
    .describe(
      "Keep a node's secret in the cloud vault when the node is removed or the stack destroyed (the vault's soft delete still applies once you delete it yourself).",
    ),
  adoptKeysFor: z
    .array(z.string())
    .default([])
    .describe(
      "Nodes that keep keys you bring (to adopt a running network) instead of generated ones; the keys are read from the secret config object `goquorum:nodeKeys`.",
    ),
});

/**
 * Whether Tessera P2P leaves the one cluster the stack runs in: with a second cluster or an external party, member
 * traffic crosses peerings, VPNs or a party's own network, where an admitted range is no proof of identity.
 */
export function tesseraP2pCrossesNetworks(config: {
  readonly clusters: readonly unknown[];
  readonly network: { readonly connectivity: { readonly externalPeers: readonly unknown[] } };
}): boolean {
  return config.clusters.length > 1 || config.network.connectivity.externalPeers.length > 0;
}

const StackConfigKeys = z.strictObject({
  network: Network,
  clusters: z.array(Cluster).min(1).describe("The clusters of the network, in any mix of providers."),
});

/**
 * The parsed stack config with the defaults that depend on the topology filled in (see each key's
 * description), so every reader sees the effective value.
 */
export const StackConfig = StackConfigKeys.transform((config) => {
  const { tessera } = config.network.workloads;
  const tls: TesseraTlsMode = tessera.tls ?? (tesseraP2pCrossesNetworks(config) ? "strict" : "off");
  return {
    ...config,
    network: { ...config.network, workloads: { ...config.network.workloads, tessera: { ...tessera, tls } } },
  };
});

export type StackConfigInput = z.input<typeof StackConfig>;
export type StackConfig = z.output<typeof StackConfig>;
export type NetworkConfig = StackConfig["network"];
export type ClusterConfig = z.output<typeof Cluster>;
export type AwsClusterConfig = z.output<typeof AwsCluster>;
export type AzureClusterConfig = z.output<typeof AzureCluster>;
export type LocalClusterConfig = z.output<typeof LocalCluster>;
export type CloudClusterConfig = AwsClusterConfig | AzureClusterConfig;
export type ConnectivityConfig = NetworkConfig["connectivity"];
export type ExternalPeerConfig = ConnectivityConfig["externalPeers"][number];
export type SiteConfig = ConnectivityConfig["sites"][number];
export type ManagementNetworkConfig = ConnectivityConfig["managementNetworks"][number];
export type NodeRole = "validator" | "rpc" | "member";
export type MonitoringConfig = NetworkConfig["monitoring"];
export type AlertReceiverConfig = MonitoringConfig["receivers"][number];
export type TransitionConfig = NetworkConfig["transitions"][number];
