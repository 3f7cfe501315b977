/**
 * The control plane of the end-to-end test, as data: each component's flags, the kubeconfig, the simulated
 * nodes and the volumes the test provisions. Pure; `controlPlane.ts` runs it. Loopback addresses only.
 */

export interface Pki {
  readonly caCert: string;
  readonly serverCert: string;
  readonly serverKey: string;
  /** Client certificate of the test's admin (O=system:masters): Pulumi, the controllers, kwok and the driver. */
  readonly adminCert: string;
  readonly adminKey: string;
  /** Service-account token signing pair. */
  readonly serviceAccountKey: string;
  readonly serviceAccountPub: string;
}

export interface Ports {
  readonly etcdClient: number;
  readonly etcdPeer: number;
  readonly apiserver: number;
}

export const LOOPBACK = "127.0.0.1";
export const SERVICE_CIDR = "10.96.0.0/16";
export const POD_CIDR = "10.244.0.0/16";
export const KUBECONFIG_CONTEXT = "e2e";

export function etcdArgs(dataDir: string, ports: Ports): string[] {
  const client = `http://${LOOPBACK}:${ports.etcdClient}`;
  const peer = `http://${LOOPBACK}:${ports.etcdPeer}`;
  return [
    "--name=e2e",
    `--data-dir=${dataDir}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=e2e=${peer}`,
    // A throwaway store: no fsync, so a loaded machine is not slowed further by disk flushes.
    "--unsafe-no-fsync",
    "--log-level=warn",
  ];
}

/**
 * kube-apiserver: the default admission plugins (PodSecurity, ServiceAccount, DefaultStorageClass ... are on
 * by default: kubernetes.io docs, "Admission Control", "Which plugins are enabled by default?"), RBAC, and
 * client certificates signed by the test's CA.
 */
export function apiserverArgs(pki: Pki, ports: Ports): string[] {
  return [
    `--etcd-servers=http://${LOOPBACK}:${ports.etcdClient}`,
    `--bind-address=${LOOPBACK}`,
    `--advertise-address=${LOOPBACK}`,
    `--secure-port=${ports.apiserver}`,
    `--tls-cert-file=${pki.serverCert}`,
    `--tls-private-key-file=${pki.serverKey}`,
    `--client-ca-file=${pki.caCert}`,
    `--service-account-key-file=${pki.serviceAccountPub}`,
    `--service-account-signing-key-file=${pki.serviceAccountKey}`,
    "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
    `--service-cluster-ip-range=${SERVICE_CIDR}`,
    "--authorization-mode=RBAC",
    // The `kubernetes` Service's endpoint must not be a loopback address, and nothing here reaches the API
    // server through it: no reconciler.
    "--endpoint-reconciler-type=none",
    "--v=1",
  ];
}

/** kube-controller-manager with its default controllers (StatefulSet, EndpointSlice, GC, PV binder, tokens). */
export function controllerManagerArgs(pki: Pki, kubeconfig: string): string[] {
  return [
    `--kubeconfig=${kubeconfig}`,
    "--leader-elect=false",
    `--bind-address=${LOOPBACK}`,
    "--secure-port=0",
    `--service-account-private-key-file=${pki.serviceAccountKey}`,
    `--root-ca-file=${pki.caCert}`,
    `--cluster-cidr=${POD_CIDR}`,
    `--service-cluster-ip-range=${SERVICE_CIDR}`,
    "--v=1",
  ];
}

export function schedulerArgs(kubeconfig: string): string[] {
  return [
    `--kubeconfig=${kubeconfig}`,
    "--leader-elect=false",
    `--bind-address=${LOOPBACK}`,
    "--secure-port=0",
    "--v=1",
  ];
}

/** kwok manages the nodes the test creates (labelled `type: kwok`) and moves their pods to Running and Ready. */
export const KWOK_NODE_LABEL = { key: "type", value: "kwok" } as const;

/**
 * kwok's own stage files, read from its module in the Go module cache (kustomize/stage/...): nodes become
 * Ready and keep a heartbeat; pods become Running and Ready, and are removed when deleted.
 */
export const KWOK_STAGES = [
  "kustomize/stage/node/fast/node-initialize.yaml",
  "kustomize/stage/node/heartbeat/node-heartbeat.yaml",
  "kustomize/stage/pod/fast/pod-ready.yaml",
  "kustomize/stage/pod/fast/pod-complete.yaml",
  "kustomize/stage/pod/fast/pod-delete.yaml",
] as const;

export function kwokArgs(kubeconfig: string, kwokModuleDir: string): string[] {
  return [
    `--kubeconfig=${kubeconfig}`,
    ...KWOK_STAGES.map((stage) => `--config=${kwokModuleDir}/${stage}`),
    "--manage-all-nodes=false",
    `--manage-nodes-with-label-selector=${KWOK_NODE_LABEL.key}=${KWOK_NODE_LABEL.value}`,
    `--cidr=${POD_CIDR}`,
    `--node-ip=${LOOPBACK}`,
  ];
}

/** The admin kubeconfig, credentials embedded so the file alone is enough. */
export function kubeconfig(server: string, ca: string, cert: string, key: string): string {
  const b64 = (s: string) => Buffer.from(s).toString("base64");
  return `${JSON.stringify(
    {
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: KUBECONFIG_CONTEXT, cluster: { server, "certificate-authority-data": b64(ca) } }],
      users: [
        {
          name: KUBECONFIG_CONTEXT,
          user: { "client-certificate-data": b64(cert), "client-key-data": b64(key) },
        },
      ],
      contexts: [
        { name: KUBECONFIG_CONTEXT, context: { cluster: KUBECONFIG_CONTEXT, user: KUBECONFIG_CONTEXT } },
      ],
      "current-context": KUBECONFIG_CONTEXT,
    },
    null,
    2,
  )}\n`;
}

/** A simulated node: kwok keeps its status (Ready, heartbeats) and runs nothing on it. */
export function fakeNode(name: string) {
  const capacity = { cpu: "16", memory: "64Gi", pods: "110", "ephemeral-storage": "100Gi" };
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name,
      labels: {
        [KWOK_NODE_LABEL.key]: KWOK_NODE_LABEL.value,
        "kubernetes.io/hostname": name,
        "kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        "topology.kubernetes.io/zone": "e2e-a",
      },
      annotations: { "kwok.x-k8s.io/node": "fake" },
    },
    status: { capacity, allocatable: capacity },
  };
}

export interface Claim {
  readonly metadata: { readonly name: string; readonly namespace: string; readonly uid: string };
  readonly spec: {
    readonly accessModes?: readonly string[];
    readonly resources?: { readonly requests?: { readonly storage?: string } };
    readonly storageClassName?: string | null;
    readonly volumeName?: string;
    readonly volumeMode?: string;
  };
  readonly status?: { readonly phase?: string };
}

/** Whether the test's provisioner must make a volume for this claim: pending, unbound, and not ours yet. */
export function needsVolume(claim: Claim): boolean {
  return (claim.status?.phase ?? "Pending") === "Pending" && !claim.spec.volumeName;
}

/**
 * The volume a dynamic provisioner would make for a claim: its size, access modes and class, pre-bound to it by
 * claimRef (as external-provisioner does), so the PV controller binds exactly this pair. A hostPath nobody
 * mounts: kwok runs no containers. Retain, like the program's claims, so destroy leaves chain data alone.
 */
export function volumeForClaim(claim: Claim) {
  return {
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: {
      name: `e2e-${claim.metadata.uid}`,
      labels: { "e2e.goquorum/provisioned": "true" },
    },
    spec: {
      capacity: { storage: claim.spec.resources?.requests?.storage ?? "1Gi" },
      accessModes: claim.spec.accessModes ?? ["ReadWriteOnce"],
      volumeMode: claim.spec.volumeMode ?? "Filesystem",
      storageClassName: claim.spec.storageClassName ?? "",
      persistentVolumeReclaimPolicy: "Retain",
      hostPath: { path: `/var/e2e/${claim.metadata.namespace}/${claim.metadata.name}` },
      claimRef: {
        apiVersion: "v1",
        kind: "PersistentVolumeClaim",
        namespace: claim.metadata.namespace,
        name: claim.metadata.name,
        uid: claim.metadata.uid,
      },
    },
  };
}
