/**
 * The pods the program creates on a cluster and where each may run: the GoQuorum and Besu StatefulSets from the pure
 * manifest builders (with placeholder keys, as `components/workloads/ClusterWorkloads.ts` builds them), and
 * the pods of the charts whose values the program sets, as far as those values decide their placement
 * (nodeSelector, affinity, tolerations; each chart's keys from its values.yaml). The node daemons a pod's
 * CSI volumes need come with them.
 */
import { DEFAULT_AWS_STORAGE_CLASS, loadBalancerControllerValues } from "../aws/addons";
import { awsProviderValues, csiDriverValues } from "../aws/secretsStore";
import { AZURE_STORAGE_CLASS_NAME } from "../azure/storageClass";
import { clientNodeManifests } from "../besu/manifests";
import type { ClusterConfig, NetworkConfig } from "../config/schema";
import { certManagerValues, envoyGatewayValues, kubePrometheusGrafana } from "../ingress";
import { envoyProxy, exposuresInUse } from "../ingress/gateway";
import { SECRETS_STORE_DRIVER_NODE_SELECTOR } from "../kubernetes/behaviour";
import { chartValues } from "../monitoring/chartValues";
import { besuImage } from "../plan/besuImage";
import type { ClusterPlan, NetworkPlan, NodePlan } from "../plan/types";
import {
  disruptionGate,
  type KeySource,
  keysSecretName,
  runsTessera,
  SECRETS_STORE_CSI_DRIVER,
  tesseraTlsSecretName,
} from "../quorum/manifests";
import { nodeRunsTessera } from "../quorum/manifests/roles";
import type { Placement } from "./placement";

export interface PlannedVolume {
  /** The claim (or chart volume) name, for messages. */
  readonly claim: string;
  /** Absent: the cluster's default StorageClass. */
  readonly storageClass?: string;
}

export interface PlannedPod {
  /** `StatefulSet <namespace>/<name>` or `<chart> <workload>`. */
  readonly name: string;
  readonly placement: Placement;
  readonly volumes: readonly PlannedVolume[];
  /** CSI drivers of the pod's inline volumes: their node plugin must run wherever the pod does. */
  readonly csiDrivers: readonly string[];
}

/** A DaemonSet that serves a CSI driver on the nodes it runs on. */
export interface NodeDaemon {
  readonly name: string;
  readonly csiDriver: string;
  readonly placement: Placement;
}

/** The StorageClass the cluster's node volumes use (as its target sets it: `components/<cloud>`). */
export function nodeStorageClass(config: ClusterConfig): string | undefined {
  if (config.provider === "aws") return config.storageClass ?? DEFAULT_AWS_STORAGE_CLASS;
  if (config.provider === "azure") return config.storageClass ?? AZURE_STORAGE_CLASS_NAME;
  return config.storageClass;
}

/** Whether node keys come through the Secrets Store CSI driver (a cloud vault) or Kubernetes Secrets. */
const usesCloudVault = (config: ClusterConfig): boolean =>
  config.provider !== "local" && config.vault === "cloud";

/** The key source the cluster's vault binds a node to (`components/vault`, `components/<cloud>`). */
function placeholderKeys(network: NetworkConfig, config: ClusterConfig, node: NodePlan): KeySource {
  if (usesCloudVault(config)) return { kind: "csi", secretProviderClass: keysSecretName(node) };
  const tls = network.workloads.tessera.tls === "strict" && runsTessera(node.role);
  return {
    kind: "secret",
    keysSecret: keysSecretName(node),
    ...(tls ? { tlsSecret: tesseraTlsSecretName(node) } : {}),
  };
}

function goquorumPods(
  network: NetworkConfig,
  plan: NetworkPlan,
  cluster: ClusterPlan,
  config: ClusterConfig,
) {
  const totalNodes = plan.clusters.reduce((sum, c) => sum + c.nodes.length, 0);
  const storageClass = nodeStorageClass(config);
  const gate = disruptionGate(plan.faultTolerance);
  return cluster.nodes.flatMap((node): PlannedPod[] => {
    const { statefulSet, rolloutGate } = clientNodeManifests({
      network,
      cluster,
      node,
      totalNodes,
      genesisValidators: plan.network.genesisValidators,
      keys: placeholderKeys(network, config, node),
      ...(nodeRunsTessera(node) ? { tesseraConfigJson: "{}" } : {}),
      ...(node.endpointIp !== undefined ? { loadBalancerAnnotations: {} } : {}),
      peerCidrs: [],
      ...(storageClass ? { storageClass } : {}),
      ...(gate ? { disruptionGate: gate } : {}),
      besuImage: besuImage(network.workloads.images, plan).image,
      nodeAllowlist: true,
    });
    const spec = statefulSet.spec?.template.spec;
    const pod: PlannedPod = {
      name: `StatefulSet ${cluster.namespace}/${statefulSet.metadata.name}`,
      placement: podPlacement(spec),
      volumes: (statefulSet.spec?.volumeClaimTemplates ?? []).map((claim) => ({
        claim: `${claim.metadata?.name}`,
        ...(claim.spec?.storageClassName ? { storageClass: claim.spec.storageClassName } : {}),
      })),
      csiDrivers: [...new Set((spec?.volumes ?? []).flatMap((v) => (v.csi ? [v.csi.driver] : [])))],
    };
    if (!rolloutGate) return [pod];
    const job: PlannedPod = {
      name: `Job ${cluster.namespace}/${rolloutGate.metadata.name}`,
      placement: podPlacement(rolloutGate.spec?.template.spec),
      volumes: [],
      csiDrivers: [],
    };
    return [pod, job];
  });
}

function podPlacement(spec: Placement | undefined): Placement {
  return {
    ...(spec?.nodeSelector ? { nodeSelector: spec.nodeSelector } : {}),
    ...(spec?.affinity ? { affinity: spec.affinity } : {}),
    ...(spec?.tolerations ? { tolerations: spec.tolerations } : {}),
  };
}

type Values = Record<string, unknown>;
const at = (values: Values, path: readonly string[]): Values =>
  path.reduce<Values>((node, key) => (node[key] ?? {}) as Values, values);

/** The placement a chart's values give one of its workloads, at the key path the chart reads it from. */
function placementAt(values: Values, path: readonly string[]): Placement {
  const node = at(values, path) as Placement;
  return {
    ...(node.nodeSelector ? { nodeSelector: node.nodeSelector } : {}),
    ...(node.affinity ? { affinity: node.affinity } : {}),
    ...(node.tolerations ? { tolerations: node.tolerations } : {}),
  };
}

const chartPod = (
  name: string,
  values: Values,
  path: readonly string[],
  volumes: PlannedVolume[] = [],
): PlannedPod => ({
  name,
  placement: placementAt(values, path),
  volumes,
  csiDrivers: [],
});

/** kube-prometheus-stack: placement keys per workload (its values.yaml and its subcharts'). */
function monitoringPods(
  network: NetworkConfig,
  plan: NetworkPlan,
  cluster: ClusterPlan,
  storageClass?: string,
) {
  const values = chartValues({ network, plan, cluster, storageClass }) as Values;
  const claimClass = (path: string[]) => at(values, path).storageClassName as string | undefined;
  const volume = (claim: string, cls: string | undefined): PlannedVolume => ({
    claim,
    ...(cls ? { storageClass: cls } : {}),
  });
  const grafana = at(values, ["grafana"]);
  return [
    chartPod(
      "kube-prometheus-stack prometheus",
      values,
      ["prometheus", "prometheusSpec"],
      [
        volume(
          "prometheus",
          claimClass(["prometheus", "prometheusSpec", "storageSpec", "volumeClaimTemplate", "spec"]),
        ),
      ],
    ),
    chartPod(
      "kube-prometheus-stack alertmanager",
      values,
      ["alertmanager", "alertmanagerSpec"],
      [
        volume(
          "alertmanager",
          claimClass(["alertmanager", "alertmanagerSpec", "storage", "volumeClaimTemplate", "spec"]),
        ),
      ],
    ),
    chartPod("kube-prometheus-stack operator", values, ["prometheusOperator"]),
    chartPod("kube-prometheus-stack kube-state-metrics", values, ["kube-state-metrics"]),
    ...(grafana.enabled
      ? [
          chartPod(
            "kube-prometheus-stack grafana",
            values,
            ["grafana"],
            at(grafana, ["persistence"]).enabled
              ? [volume("grafana", claimClass(["grafana", "persistence"]))]
              : [],
          ),
        ]
      : []),
  ];
}

/** Envoy Gateway (controller and the proxies its EnvoyProxy resources make) and cert-manager. */
function ingressPods(network: NetworkConfig, cluster: ClusterPlan): PlannedPod[] {
  const ingress = cluster.ingress;
  if (!ingress) return [];
  const input = {
    networkName: network.name,
    cluster,
    ingress,
    rpcWebsocket: network.workloads.rpc.websocket,
    grafana: kubePrometheusGrafana(network.workloads.monitoringNamespace),
  };
  const proxies = exposuresInUse(input).map((exposure) => {
    const proxy = envoyProxy(input, exposure);
    return chartPod(`envoy proxy ${proxy.metadata.name}`, proxy.spec as Values, [
      "provider",
      "kubernetes",
      "envoyDeployment",
      "pod",
    ]);
  });
  const certManager = certManagerValues();
  return [
    chartPod("envoy-gateway controller", envoyGatewayValues(), ["deployment", "pod"]),
    ...proxies,
    ...(ingress.tls.source === "secret"
      ? []
      : [
          chartPod("cert-manager controller", certManager, []),
          chartPod("cert-manager webhook", certManager, ["webhook"]),
          chartPod("cert-manager cainjector", certManager, ["cainjector"]),
        ]),
  ];
}

export interface ClusterWorkloadPlacement {
  readonly pods: readonly PlannedPod[];
  /** Node daemons of the CSI drivers the program installs; a driver absent here is the cluster's own. */
  readonly daemons: readonly NodeDaemon[];
}

export function plannedWorkloads(
  network: NetworkConfig,
  plan: NetworkPlan,
  cluster: ClusterPlan,
  config: ClusterConfig,
): ClusterWorkloadPlacement {
  const storageClass = nodeStorageClass(config);
  const pods = [
    ...goquorumPods(network, plan, cluster, config),
    ...(network.monitoring.enabled ? monitoringPods(network, plan, cluster, storageClass) : []),
    ...ingressPods(network, cluster),
  ];
  if (config.provider !== "aws") return { pods, daemons: [] };
  const controller = loadBalancerControllerValues({
    eksClusterName: "",
    region: cluster.region,
    vpcId: "",
    roleArn: "",
  });
  const secretsStore = usesCloudVault(config)
    ? [
        {
          name: "secrets-store-csi-driver",
          csiDriver: SECRETS_STORE_CSI_DRIVER,
          placement: {
            ...placementAt(csiDriverValues(), ["linux"]),
            nodeSelector: {
              ...SECRETS_STORE_DRIVER_NODE_SELECTOR,
              ...placementAt(csiDriverValues(), ["linux"]).nodeSelector,
            },
          },
        },
        {
          name: "secrets-store-csi-driver-provider-aws",
          csiDriver: SECRETS_STORE_CSI_DRIVER,
          placement: placementAt(awsProviderValues(cluster.region), []),
        },
      ]
    : [];
  return {
    pods: [...pods, chartPod("aws-load-balancer-controller", controller as Values, [])],
    daemons: secretsStore,
  };
}
