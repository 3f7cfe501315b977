/**
 * How a node's keys travel from AWS Secrets Manager into its pod: one secret per node holding a JSON
 * document (one field per key file), and the Secrets Store CSI driver with the AWS provider (ASCP) cutting
 * that document into the node's key files by JMESPath. The pod mounts them exactly as on `local`.
 */
import { stringify } from "yaml";
import type { ClusterPlan, NodePlan } from "../plan/types";
import { CSI_KEY_FILE_PERMISSION, type KeyFile } from "../quorum/manifests";
import { parseArn } from "./arn";
import { IRSA_AUDIENCE } from "./iam";

export interface HelmChart {
  readonly chart: string;
  readonly version: string;
  readonly repo: string;
}

/**
 * Pinned charts. The driver chart 1.6.0 needs Kubernetes 1.30 or later, which every EKS version that can
 * still be created meets.
 */
export const SECRETS_STORE_CHARTS = {
  driver: {
    chart: "secrets-store-csi-driver",
    version: "1.6.0",
    repo: "https://kubernetes-sigs.github.io/secrets-store-csi-driver/charts",
  },
  awsProvider: {
    chart: "secrets-store-csi-driver-provider-aws",
    version: "3.1.1",
    repo: "https://aws.github.io/secrets-store-csi-driver-provider-aws",
  },
} as const satisfies Record<string, HelmChart>;

/** Both node daemons live with the cluster's other add-ons. */
export const SECRETS_STORE_NAMESPACE = "kube-system";

/** A node cannot start without them: they are scheduled before ordinary pods and evicted last. */
const NODE_CRITICAL = "system-node-critical";

/**
 * The driver: mounts only, never copies a vault secret into a Kubernetes Secret (no `syncSecret`), and no
 * rotation polling: node keys never change, and a renewed Tessera certificate rolls the pod (whose new
 * mount reads the new secret version), so polling would only add API calls. Each mount hands the provider
 * a token of the pod's own ServiceAccount for STS: that is how the pod's role is assumed. It runs on every
 * node, tainted ones included: the chart tolerates no taint by default, and a GoQuorum pod on a dedicated
 * (tainted) pool could not mount its keys without it.
 */
export function csiDriverValues() {
  return {
    syncSecret: { enabled: false },
    enableSecretRotation: false,
    tokenRequests: [{ audience: IRSA_AUDIENCE }],
    linux: { priorityClassName: NODE_CRITICAL, tolerations: [{ operator: "Exists" }] },
  };
}

/**
 * The AWS provider, without its bundled copy of the driver (installed above, pinned on its own). With the
 * region given it needs no read access to pods and nodes. It runs on every node the driver runs on,
 * tainted ones included, or mounts there would fail.
 */
export function awsProviderValues(region: string) {
  return {
    awsRegion: region,
    "secrets-store-csi-driver": { install: false },
    priorityClassName: NODE_CRITICAL,
    tolerations: [{ operator: "Exists" }],
  };
}

/**
 * The file the provider also writes for the whole document (it always writes the object itself besides
 * its JMESPath parts). No container mounts it, and only root may read it.
 */
export const KEY_DOCUMENT_FILE = "keys.json";

const KEY_DOCUMENT_PERMISSION = "0400";

/** The secret's value: one field per key file, named as the file. Throws on a missing or empty file. */
export function nodeKeyDocument(
  files: readonly KeyFile[],
  contents: Readonly<Record<string, string>>,
): string {
  const extra = Object.keys(contents).filter((name) => !files.some((f) => f.name === name));
  if (extra.length > 0) throw new Error(`not key files of the node: ${extra.join(", ")}`);
  return JSON.stringify(
    Object.fromEntries(
      files.map((file) => {
        const content = contents[file.name];
        if (!content) throw new Error(`no content for key file ${file.name}`);
        return [file.name, content];
      }),
    ),
  );
}

export interface ProviderObjectSpec {
  readonly region: string;
  readonly secretArn: string;
  readonly files: readonly KeyFile[];
}

/** What a SecretProviderClass's `objects` parameter lists: the secret, cut into one file per key file. */
export interface AscpObject {
  readonly objectName: string;
  readonly objectType: "secretsmanager";
  readonly objectAlias: string;
  readonly filePermission: string;
  readonly jmesPath: readonly {
    readonly path: string;
    readonly objectAlias: string;
    readonly filePermission: string;
  }[];
}

export function ascpObjects({ region, secretArn, files }: ProviderObjectSpec): AscpObject[] {
  // The provider refuses an ARN of another region; say so at preview instead of at the pod's mount.
  const arn = parseArn(secretArn, "secretsmanager", "the node's secret ARN");
  if (arn.region !== region) throw new Error(`secret ${secretArn} is not in the cluster's region ${region}`);
  for (const file of files) {
    if (file.name.includes("/") || file.name === KEY_DOCUMENT_FILE) {
      throw new Error(`key file name ${file.name} cannot be a file of the CSI volume`);
    }
  }
  return [
    {
      objectName: secretArn,
      objectType: "secretsmanager",
      objectAlias: KEY_DOCUMENT_FILE,
      filePermission: KEY_DOCUMENT_PERMISSION,
      // A quoted JMESPath identifier: file names like `tm.key` would otherwise read as a nested path.
      jmesPath: files.map((file) => ({
        path: JSON.stringify(file.name),
        objectAlias: file.name,
        filePermission: CSI_KEY_FILE_PERMISSION,
      })),
    },
  ];
}

/** The spec of a node's SecretProviderClass (secrets-store.csi.x-k8s.io/v1). Never `secretObjects`. */
export function secretProviderClassSpec(spec: ProviderObjectSpec) {
  return {
    provider: "aws",
    parameters: {
      region: spec.region,
      // IRSA: the role comes from the pod's ServiceAccount annotation.
      usePodIdentity: "false",
      objects: stringify(ascpObjects(spec)),
    },
  };
}

/** Tags of a node's AWS resources: what a person browsing the console needs to know. */
export function nodeVaultTags(
  cluster: Pick<ClusterPlan, "name" | "namespace">,
  node: Pick<NodePlan, "name">,
) {
  return {
    "goquorum:cluster": cluster.name,
    "goquorum:namespace": cluster.namespace,
    "goquorum:node": node.name,
    "managed-by": "pulumi",
  };
}
