/**
 * Which input changes make a provider replace a resource (delete and create again) instead of updating it,
 * and which changes the cloud never applies in place, for every resource type the program registers whose
 * replacement or loss matters. One table, each row with the upstream source it was read from:
 *
 * | provider            | source (read at)                                                                                 |
 * |---------------------|--------------------------------------------------------------------------------------------------|
 * | kubernetes          | pulumi/pulumi-kubernetes `provider/pkg/provider/diff.go` (forceNew, forceNewProperties) and      |
 * |                     | `provider.go` (Diff: `.metadata.name/.namespace`; DiffConfig: `clusterIdentifier`), @94977969    |
 * | aws (TF-bridged)    | hashicorp/terraform-provider-aws `internal/service/{eks,kms,secretsmanager,ec2}` ForceNew, @5f2286d6 |
 * | eks component       | pulumi/pulumi-eks `nodejs/eks/cluster.ts` (createCore: which aws.eks.Cluster input each arg sets) |
 * | azure-native        | pulumi/pulumi-azure-native `provider/pkg/gen/replacement.go` (forceNewMap); a resource's ARM id is |
 * |                     | built from its group and name, which Azure cannot rename                                         |
 * | azure (API)         | @pulumi/azure-native 3.28.0 ManagedCluster doc (agentPoolProfiles not updatable); Key Vault REST |
 * |                     | "Keys - Create If Not Exist" (never updates an existing key)                                     |
 * | random, tls         | hashicorp/terraform-provider-random @e1092b0, terraform-provider-tls @d044ca7 (RequiresReplace)  |
 * | engine              | pulumi/pulumi `pkg/resource/deploy/step_generator.go` (providerChanged: a resource whose provider |
 * |                     | is replaced is replaced)                                                                         |
 */

type Inputs = Readonly<Record<string, unknown>>;

/** One resource across the two renders, and the inputs of its explicit provider in the new one. */
export interface RuleInput {
  readonly before: Inputs;
  readonly after: Inputs;
  readonly provider?: Inputs;
}

export interface ReplacementRule {
  /** Replacing or deleting it loses data, keys, identities or addresses that nodes or other parties rely on. */
  readonly stateful: boolean;
  /** Input paths whose change replaces the resource; `*` stands for every input. */
  readonly replaceOnChange: (input: RuleInput) => readonly string[];
  /** Input paths the cloud never changes in place (the update does nothing, or fails), with why. */
  readonly notAppliedInPlace?: (input: RuleInput) => Readonly<Record<string, string>>;
}

/** Every input replaces the resource. */
export const ANY_INPUT = "*";

const rule = (stateful: boolean, replaceOnChange: readonly string[]): ReplacementRule => ({
  stateful,
  replaceOnChange: () => replaceOnChange,
});

// kubernetes: `.metadata.name` and `.metadata.namespace` of every kind (metadataForceNewProperties).
const K8S_IDENTITY = ["metadata.name", "metadata.namespace"];
const k8s = (stateful: boolean, ...extra: string[]) => rule(stateful, [...K8S_IDENTITY, ...extra]);
const providerFlag = (provider: Inputs | undefined, flag: string) => String(provider?.[flag]) === "true";
const immutable = (inputs: Inputs) => inputs.immutable === true;

/** Every kubernetes kind without a row of its own: only its identity replaces it. */
export const KUBERNETES_DEFAULT_RULE = k8s(false);

// azure-native: the group and name form the ARM id; Azure renames nothing, so a new one is a new resource.
const arm = (stateful: boolean, nameInput: string, ...extra: string[]) =>
  rule(stateful, ["resourceGroupName", nameInput, ...extra]);

export const REPLACEMENT_RULES: Readonly<Record<string, ReplacementRule>> = {
  // kubernetes (diff.go `statefulSet`): the StatefulSet controller refuses these changes, so the provider
  // deletes and recreates the set (and, being named, deletes first).
  "kubernetes:apps/v1:StatefulSet": k8s(
    true,
    "spec.podManagementPolicy",
    "spec.revisionHistoryLimit",
    "spec.selector",
    "spec.serviceName",
    "spec.volumeClaimTemplates",
  ),
  "kubernetes:core/v1:PersistentVolumeClaim": k8s(
    true,
    "spec.accessModes",
    "spec.selector",
    "spec.storageClassName",
    "spec.volumeName",
  ),
  // Deleting a namespace deletes every claim in it.
  "kubernetes:core/v1:Namespace": k8s(true),
  "kubernetes:core/v1:Service": k8s(false, "spec.clusterIP"),
  "kubernetes:storage.k8s.io/v1:StorageClass": k8s(false, "parameters", "provisioner"),
  // An immutable ConfigMap, or any ConfigMap under a provider without enableConfigMapMutable, is replaced
  // when its data changes. The provider reads only the new inputs (provider.go Diff:
  // `forceNewProperties(newInputs)`), so a ConfigMap that was immutable and no longer is gets an in-place
  // patch, which the API server refuses (kubernetes `pkg/apis/core/validation` ValidateConfigMapUpdate:
  // "field is immutable when `immutable` is set"): only a new name replaces it.
  "kubernetes:core/v1:ConfigMap": {
    stateful: false,
    replaceOnChange: ({ after, provider }) => [
      ...K8S_IDENTITY,
      ...(immutable(after) || !providerFlag(provider, "enableConfigMapMutable")
        ? ["data", "binaryData"]
        : []),
    ],
    notAppliedInPlace: ({ before }): Record<string, string> => {
      if (!immutable(before)) return {};
      const why = "the API server refuses any change to an immutable ConfigMap: give it a new name";
      return { data: why, binaryData: why, immutable: why };
    },
  },
  // Secrets likewise with enableSecretMutable; their type always. The local vault keeps node keys in them.
  "kubernetes:core/v1:Secret": {
    stateful: true,
    replaceOnChange: ({ after, provider }) => [
      ...K8S_IDENTITY,
      "type",
      ...(immutable(after) || !providerFlag(provider, "enableSecretMutable") ? ["data", "stringData"] : []),
    ],
  },
  // helm_release.go: a release is replaced when its name or namespace changes.
  "kubernetes:helm.sh/v3:Release": rule(false, ["name", "namespace"]),
  // DiffConfig: a set clusterIdentifier decides alone; without one, the kubeconfig's active cluster does.
  // Every resource of a replaced provider is replaced with it (step_generator.go).
  "pulumi:providers:kubernetes": {
    stateful: false,
    replaceOnChange: ({ after }) =>
      after.clusterIdentifier === undefined ? ["kubeconfig", "context", "cluster"] : ["clusterIdentifier"],
  },

  // aws (ForceNew in terraform-provider-aws).
  "aws:ec2/vpc:Vpc": rule(true, ["cidrBlock", "ipv4IpamPoolId", "ipv4NetmaskLength"]),
  "aws:ec2/subnet:Subnet": rule(true, [
    "availabilityZone",
    "availabilityZoneId",
    "cidrBlock",
    "outpostArn",
    "vpcId",
  ]),
  "aws:ec2/routeTable:RouteTable": rule(false, ["vpcId"]),
  "aws:kms/key:Key": rule(true, [
    "customKeyStoreId",
    "customerMasterKeySpec",
    "keyUsage",
    "multiRegion",
    "xksKeyId",
  ]),
  "aws:secretsmanager/secret:Secret": rule(true, ["name", "namePrefix"]),
  // A new secretString is a new version of the same secret, in place.
  "aws:secretsmanager/secretVersion:SecretVersion": rule(false, ["secretBinary", "secretId"]),
  "aws:eks/nodeGroup:NodeGroup": rule(false, [
    "amiType",
    "capacityType",
    "clusterName",
    "diskSize",
    "instanceTypes",
    "launchTemplate.id",
    "launchTemplate.name",
    "nodeGroupName",
    "nodeGroupNamePrefix",
    "nodeRoleArn",
    "remoteAccess",
    "subnetIds",
  ]),
  "aws:eks/addon:Addon": rule(false, ["addonName", "clusterName", "namespaceConfig"]),
  // The eks component's own cluster: name → name, serviceRole → roleArn, kubernetesServiceIpAddressRange and
  // ipFamily → kubernetesNetworkConfig, all ForceNew. Envelope encryption cannot be turned off (ForceNewIfChange
  // from one config to none) and the provider only ever associates a first one, so another key is never applied.
  "eks:index:Cluster": {
    stateful: true,
    replaceOnChange: ({ before, after }) => [
      "name",
      "serviceRole",
      "kubernetesServiceIpAddressRange",
      "ipFamily",
      ...(before.encryptionConfigKeyArn !== undefined && after.encryptionConfigKeyArn === undefined
        ? ["encryptionConfigKeyArn"]
        : []),
    ],
    notAppliedInPlace: ({ before, after }): Record<string, string> =>
      before.encryptionConfigKeyArn !== undefined && after.encryptionConfigKeyArn !== undefined
        ? { encryptionConfigKeyArn: "EKS keeps the first encryption key of a cluster" }
        : {},
  },

  // azure-native (forceNewMap, plus the ARM id).
  "azure-native:resources:ResourceGroup": rule(true, ["resourceGroupName", "location"]),
  "azure-native:network:VirtualNetwork": arm(true, "virtualNetworkName", "location"),
  "azure-native:network:Subnet": arm(true, "subnetName", "virtualNetworkName"),
  "azure-native:network:PublicIPAddress": arm(
    true,
    "publicIpAddressName",
    "location",
    "publicIPAddressVersion",
    "publicIPPrefix",
    "sku",
  ),
  "azure-native:containerservice:ManagedCluster": {
    ...arm(
      true,
      "resourceName",
      "location",
      "diskEncryptionSetID",
      "dnsPrefix",
      "fqdnSubdomain",
      "linuxProfile",
      "nodeResourceGroup",
      "windowsProfile",
      ...[
        "dnsServiceIP",
        "networkDataplane",
        "networkMode",
        "networkPlugin",
        "networkPluginMode",
        "networkPolicy",
        "outboundType",
        "podCidr",
        "serviceCidr",
        "serviceCidrs",
      ].map((leaf) => `networkProfile.${leaf}`),
    ),
    notAppliedInPlace: () => ({
      agentPoolProfiles:
        "the AKS API does not update a cluster's inline agent pools (standalone AgentPool resources do)",
    }),
  },
  "azure-native:managedidentity:UserAssignedIdentity": arm(true, "resourceName", "location"),
  "azure-native:containerservice:MaintenanceConfiguration": arm(false, "resourceName", "configName"),
  "azure-native:authorization:RoleAssignment": rule(false, ["principalId", "roleAssignmentName", "scope"]),
  "azure-native:keyvault:Vault": arm(true, "vaultName", "location"),
  "azure-native:keyvault:Secret": arm(true, "secretName", "vaultName"),
  "azure-native:keyvault:Key": {
    ...arm(true, "keyName", "vaultName"),
    notAppliedInPlace: () => ({
      properties: "Key Vault never updates an existing key through ARM (Keys - Create If Not Exist)",
    }),
  },

  // random and tls (RequiresReplace): key material, generated once.
  "random:index/randomBytes:RandomBytes": rule(true, [ANY_INPUT]),
  "random:index/randomPassword:RandomPassword": rule(true, [ANY_INPUT]),
  "random:index/randomString:RandomString": rule(true, [ANY_INPUT]),
  "tls:index/privateKey:PrivateKey": rule(true, ["algorithm", "ecdsaCurve", "rsaBits"]),
  "tls:index/selfSignedCert:SelfSignedCert": rule(true, [ANY_INPUT]),
  "tls:index/certRequest:CertRequest": rule(false, [ANY_INPUT]),
  "tls:index/locallySignedCert:LocallySignedCert": rule(false, [ANY_INPUT]),
};

/** The rule of a type: its own row, the kubernetes default for other kinds, or none (not modelled). */
export function replacementRule(type: string): ReplacementRule | undefined {
  const own = REPLACEMENT_RULES[type];
  if (own) return own;
  return type.startsWith("kubernetes:") && !type.startsWith("kubernetes:helm.sh/")
    ? KUBERNETES_DEFAULT_RULE
    : undefined;
}

/** Whether a changed input path falls under a rule path (the path itself, or anything inside it). */
export function underPath(changed: string, rulePath: string): boolean {
  return (
    rulePath === ANY_INPUT ||
    changed === rulePath ||
    changed.startsWith(`${rulePath}.`) ||
    changed.startsWith(`${rulePath}[`)
  );
}
