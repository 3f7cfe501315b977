import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { stringify } from "yaml";
import { heartbeatSecretKey, type NetworkConfig } from "../../infra/config/schema";
import { grafanaOidcSecret } from "../../infra/ingress";
import { alertmanagerConfig } from "../../infra/monitoring/alertmanager";
import {
  chartValues,
  GRAFANA_ADMIN_USER,
  GRAFANA_SECRET_KEYS,
  isCentral,
  needsTesseraClientCertificate,
} from "../../infra/monitoring/chartValues";
import { dashboards } from "../../infra/monitoring/dashboards";
import {
  ALERTMANAGER_CONFIG_SECRET,
  DASHBOARD_LABEL,
  GRAFANA_ADMIN_SECRET,
  RELEASE_NAME,
  TESSERA_CLIENT_TLS_SECRET,
  TLS_SECRET_KEYS,
} from "../../infra/monitoring/names";
import { federationService, monitoringEndpointPlacement } from "../../infra/monitoring/topology";
import { secretKeyPath } from "../../infra/plan/ingressSecrets";
import type { ClusterPlan, NetworkPlan } from "../../infra/plan/types";
import { clusterLabels } from "../../infra/quorum/manifests/labels";
import type { TesseraTls } from "../keys/TesseraTls";
import type { ClusterTarget } from "../targets/ClusterTarget";

/** Chart repository of kube-prometheus-stack. */
const CHART_REPO = "https://prometheus-community.github.io/helm-charts";

export interface ClusterMonitoringArgs {
  readonly network: NetworkConfig;
  readonly plan: NetworkPlan;
  readonly cluster: ClusterPlan;
  /** The cluster's provider side: Kubernetes provider, StorageClass, load balancer annotations. */
  readonly target: ClusterTarget;
  /** Receiver credentials by receiver name (`goquorum:alertingSecrets`, secret). Required with receivers. */
  readonly alertingSecrets?: pulumi.Output<Record<string, string>>;
  /**
   * The network's Tessera certificates, Prometheus' client certificate included; required with
   * `tessera.tls: strict` and members to scrape.
   */
  readonly tesseraTls?: TesseraTls;
  /**
   * Grafana's OIDC client secret (`ingressSecrets.<cluster>.grafanaClientSecret`, secret). Required when the
   * cluster publishes Grafana (a `grafana` route): Grafana reads it from a Secret created before the release.
   */
  readonly grafanaClientSecret?: pulumi.Output<string | undefined>;
}

/**
 * Prometheus, Alertmanager and (in the central cluster) Grafana for one cluster: kube-prometheus-stack with
 * the network's PodMonitors and alert rules in its values, Alertmanager's configuration and Grafana's admin
 * password as Secrets, dashboards as sidecar ConfigMaps, and in the other cloud clusters the internal load
 * balancer the central Prometheus federates through. Values and objects come from infra/monitoring.
 */
export class ClusterMonitoring extends pulumi.ComponentResource {
  constructor(name: string, args: ClusterMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super("goquorum:k8s:ClusterMonitoring", name, {}, opts);
    const { network, plan, cluster, target } = args;
    const monitoring = network.monitoring;
    if ((monitoring.receivers.length > 0 || monitoring.heartbeat) && !args.alertingSecrets) {
      const [key, setting] = monitoring.heartbeat
        ? [heartbeatSecretKey(cluster.name), "network.monitoring.heartbeat"]
        : [monitoring.receivers[0]?.name, "network.monitoring.receivers"];
      throw new pulumi.RunError(
        `${setting} is set, but the secret config goquorum:alertingSecrets is not ` +
          `(pulumi config set --secret --path 'alertingSecrets.${key}' <value>)`,
      );
    }
    const namespaceName = network.workloads.monitoringNamespace;
    const labels = clusterLabels(network.name, cluster.name);
    const k8sOpts = { parent: this, provider: target.kubernetes };

    const namespace = new k8s.core.v1.Namespace(
      `${name}-monitoring-namespace`,
      { metadata: { name: namespaceName, labels } },
      { ...k8sOpts, dependsOn: [...target.prerequisites] },
    );
    const inNamespace = { ...k8sOpts, dependsOn: [namespace] };

    const credentials = args.alertingSecrets ?? pulumi.output({});
    const alertmanagerSecret = new k8s.core.v1.Secret(
      `${name}-alertmanager-config`,
      {
        metadata: { name: ALERTMANAGER_CONFIG_SECRET, namespace: namespaceName, labels },
        stringData: pulumi.secret(
          credentials.apply((c) => ({
            "alertmanager.yaml": stringify(alertmanagerConfig(monitoring, cluster.name, c)),
          })),
        ),
      },
      inNamespace,
    );
    const releaseDependencies: pulumi.Resource[] = [namespace, alertmanagerSecret];

    if (needsTesseraClientCertificate(network, plan, cluster)) {
      const monitoringClient = args.tesseraTls?.monitoringClient;
      if (!args.tesseraTls || !monitoringClient) {
        throw new pulumi.RunError(
          `network.workloads.tessera.tls is strict, but cluster ${cluster.name}'s monitoring has no Tessera client certificate`,
        );
      }
      const { caCertificatePem } = args.tesseraTls;
      releaseDependencies.push(
        new k8s.core.v1.Secret(
          `${name}-tessera-monitoring-tls`,
          {
            metadata: { name: TESSERA_CLIENT_TLS_SECRET, namespace: namespaceName, labels },
            type: "kubernetes.io/tls",
            stringData: pulumi.secret(
              pulumi
                .all([monitoringClient.certificatePem, monitoringClient.privateKeyPem, caCertificatePem])
                .apply(([certificate, key, ca]) => ({
                  [TLS_SECRET_KEYS.certificate]: certificate,
                  [TLS_SECRET_KEYS.key]: key,
                  [TLS_SECRET_KEYS.ca]: ca,
                })),
            ),
          },
          inNamespace,
        ),
      );
    }

    const central = isCentral(network, plan, cluster);
    if (central) {
      const password = new random.RandomPassword(
        `${name}-grafana-admin`,
        { length: 32, special: false },
        { parent: this },
      );
      releaseDependencies.push(
        new k8s.core.v1.Secret(
          `${name}-grafana-admin`,
          {
            metadata: { name: GRAFANA_ADMIN_SECRET, namespace: namespaceName, labels },
            stringData: pulumi.secret(
              password.result.apply((p) => ({
                [GRAFANA_SECRET_KEYS.user]: GRAFANA_ADMIN_USER,
                [GRAFANA_SECRET_KEYS.password]: p,
              })),
            ),
          },
          inNamespace,
        ),
      );
      if (cluster.ingress?.routes.some((r) => r.kind === "grafana")) {
        // Grafana's pod does not start without the Secret its envFromSecret names: it comes first.
        releaseDependencies.push(this.grafanaOidcSecret(name, namespaceName, args, inNamespace));
      }
      for (const [slug, dashboard] of Object.entries(dashboards(network, plan))) {
        new k8s.core.v1.ConfigMap(
          `${name}-dashboard-${slug}`,
          {
            metadata: {
              name: `goquorum-dashboard-${slug}`,
              namespace: namespaceName,
              labels: { ...labels, ...DASHBOARD_LABEL },
            },
            data: { [`goquorum-${slug}.json`]: JSON.stringify(dashboard, null, 2) },
          },
          inNamespace,
        );
      }
    }

    new k8s.helm.v3.Release(
      `${name}-monitoring`,
      {
        name: RELEASE_NAME,
        namespace: namespaceName,
        chart: "kube-prometheus-stack",
        version: monitoring.chartVersion,
        repositoryOpts: { repo: CHART_REPO },
        values: chartValues({ network, plan, cluster, storageClass: target.storageClass }),
        // A first install creates the CRDs and runs the admission webhook jobs: more than Helm's 300 s default.
        timeout: 900,
      },
      { ...k8sOpts, dependsOn: releaseDependencies },
    );

    const federation = federationService(network, cluster, plan);
    const placement = monitoringEndpointPlacement(cluster);
    if (federation && placement && target.loadBalancerAnnotations) {
      new k8s.core.v1.Service(
        `${name}-prometheus-federation`,
        {
          ...federation,
          metadata: { ...federation.metadata, annotations: target.loadBalancerAnnotations(placement) },
        },
        inNamespace,
      );
    }
    this.registerOutputs({});
  }

  /** The Secret with Grafana's OIDC client secret, a Pulumi secret only. */
  private grafanaOidcSecret(
    name: string,
    namespace: string,
    { cluster, grafanaClientSecret }: ClusterMonitoringArgs,
    opts: pulumi.CustomResourceOptions,
  ): k8s.core.v1.Secret {
    const path = secretKeyPath(cluster.name, ["grafanaClientSecret"]);
    const missing = () =>
      new pulumi.RunError(`${path} is not set: pulumi config set --secret --path '${path}' <value>`);
    if (!grafanaClientSecret) throw missing();
    const value = grafanaClientSecret.apply((v) => {
      if (v === undefined) throw missing();
      return v;
    });
    const obj = grafanaOidcSecret(namespace, value);
    return new k8s.core.v1.Secret(
      `${name}-grafana-oidc`,
      { ...obj, metadata: { ...obj.metadata }, stringData: pulumi.secret(pulumi.output(obj.stringData)) },
      opts,
    );
  }
}
