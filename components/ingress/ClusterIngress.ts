import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { IngressSecrets } from "../../infra/config/ingress";
import {
  apiKeysSecret,
  CERT_MANAGER,
  type CustomObject,
  caSecret,
  certManagerValues,
  ENVOY_GATEWAY,
  ENVOY_GATEWAY_CRDS,
  envoyGatewayCrdsValues,
  envoyGatewayValues,
  type GrafanaBackend,
  type IngressInput,
  ingressManifests,
  suppliedCertificateSecret,
} from "../../infra/ingress";
import { secretKeyPath } from "../../infra/plan/ingressSecrets";
import type { IngressPlan, PublishedRoute } from "../../infra/plan/ingressTypes";
import type { ClusterPlan } from "../../infra/plan/types";
import type { ClusterTarget, DnsSolverIdentity } from "../targets/ClusterTarget";

export interface ClusterIngressArgs {
  readonly networkName: string;
  readonly cluster: ClusterPlan;
  /** The cluster's planned routes (the component is created only when there are some). */
  readonly ingress: IngressPlan;
  /** Whether the nodes serve JSON-RPC over WebSocket (`network.workloads.rpc.websocket`). */
  readonly rpcWebsocket: boolean;
  readonly target: ClusterTarget;
  /** This cluster's entry of the secret config `goquorum:ingressSecrets`. */
  readonly secrets?: pulumi.Output<IngressSecrets | undefined>;
  /** Where Grafana listens; the monitoring release's Grafana Service. */
  readonly grafana: GrafanaBackend;
  /** Route objects wait for these (the GoQuorum namespace and its Services). */
  readonly dependsOn?: readonly pulumi.Resource[];
}

/** A published endpoint, as the stack outputs list it. */
export interface PublishedEndpoint {
  readonly route: string;
  readonly url: string;
  readonly exposure: string;
  readonly allowedCidrs: readonly string[];
}

/**
 * A cluster's published endpoints: Envoy Gateway and cert-manager (pinned Helm releases), the Gateways and
 * routes with TLS, authentication and rate limits, and their secrets (API keys, certificates) as Pulumi
 * secrets only; Grafana's OIDC client secret is created by the monitoring component, before Grafana starts. Objects come from the pure builders in `infra/ingress`.
 */
export class ClusterIngress extends pulumi.ComponentResource {
  readonly endpoints: PublishedEndpoint[];

  constructor(name: string, args: ClusterIngressArgs, opts?: pulumi.ComponentResourceOptions) {
    super("goquorum:k8s:ClusterIngress", name, {}, opts);
    const { cluster, ingress, target } = args;
    if (cluster.provider !== "local" && !target.gatewayServiceAnnotations) {
      // Without them the gateway's Service would silently stay ClusterIP: nothing would be reachable.
      throw new pulumi.RunError(
        `cluster ${cluster.name}: the ${cluster.provider} target must provide gatewayServiceAnnotations to publish routes`,
      );
    }
    const k8sOpts = { parent: this, provider: target.kubernetes };
    const input: IngressInput = {
      networkName: args.networkName,
      cluster,
      ingress,
      rpcWebsocket: args.rpcWebsocket,
      grafana: args.grafana,
      ...(target.gatewayServiceAnnotations ? { serviceAnnotations: target.gatewayServiceAnnotations } : {}),
    };
    const secret: SecretReader = (key, pick) => {
      if (!args.secrets) throw missingSecret(cluster.name, key);
      return pulumi.secret(
        args.secrets.apply((s) => {
          const value = s ? pick(s) : undefined;
          if (value === undefined) throw missingSecret(cluster.name, key);
          return value;
        }),
      );
    };

    const namespace = new k8s.core.v1.Namespace(
      `${cluster.name}-ingress-namespace`,
      { metadata: { name: ingress.namespace } },
      k8sOpts,
    );
    // The Gateway API and Envoy Gateway CRDs, rendered here and applied object by object (ENVOY_GATEWAY_CRDS
    // says why not with the controller's release), through the provider that adopts the CRDs an older
    // release installed. Kept when ingress is removed: the Gateway API CRDs are the cluster's, and deleting a
    // CRD deletes every object of its kind. It also disarms the hazard of an upserting provider: a renamed
    // resource is created (applied over the same object) and then deleted (provider.d.ts,
    // `upsertExistingObjects`). The engine may not pass `retainOnDelete` on to a chart's objects
    // (pulumi/pulumi-kubernetes#3065, closed "won't fix"; pulumi/pulumi#19654 reports the opposite), so a
    // transform sets it on each.
    const crds = new k8s.helm.v4.Chart(
      `${cluster.name}-envoy-gateway-crds`,
      {
        chart: ENVOY_GATEWAY_CRDS.chart,
        version: ENVOY_GATEWAY_CRDS.version,
        values: envoyGatewayCrdsValues(),
      },
      {
        parent: this,
        provider: target.crdKubernetes(),
        dependsOn: [...target.prerequisites],
        retainOnDelete: true,
        transforms: [retainOnDelete],
      },
    );
    const envoyGateway = new k8s.helm.v3.Release(
      `${cluster.name}-envoy-gateway`,
      {
        // Fixed release names: the charts name their Deployments, webhooks and RBAC after them.
        name: ENVOY_GATEWAY.releaseName,
        chart: ENVOY_GATEWAY.chart,
        version: ENVOY_GATEWAY.version,
        namespace: ENVOY_GATEWAY.namespace,
        createNamespace: true,
        // The CRDs come from the chart above, at the same version; Helm would only ever install its own once.
        skipCrds: true,
        values: envoyGatewayValues(),
      },
      { ...k8sOpts, dependsOn: [...target.prerequisites, crds] },
    );

    const identity = this.dnsIdentity(args);
    const certManager =
      ingress.tls.source === "secret"
        ? undefined
        : new k8s.helm.v3.Release(
            `${cluster.name}-cert-manager`,
            {
              name: CERT_MANAGER.releaseName,
              chart: CERT_MANAGER.chart,
              repositoryOpts: { repo: CERT_MANAGER.repository },
              version: CERT_MANAGER.version,
              namespace: CERT_MANAGER.namespace,
              createNamespace: true,
              values: certManagerValues(identity),
            },
            { ...k8sOpts, dependsOn: [...target.prerequisites, ...(identity?.dependsOn ?? [])] },
          );

    const manifests = ingressManifests(
      input,
      identity?.azureClientId !== undefined ? { clientId: identity.azureClientId } : undefined,
    );
    const register = (obj: CustomObject, dependsOn: pulumi.Resource[]) =>
      new k8s.apiextensions.CustomResource(
        [cluster.name, obj.kind.toLowerCase(), obj.metadata.namespace, obj.metadata.name]
          .filter(Boolean)
          .join("-"),
        { apiVersion: obj.apiVersion, kind: obj.kind, metadata: obj.metadata, spec: obj.spec },
        { ...k8sOpts, dependsOn },
      );
    const secretObject = (obj: SecretObject, dependsOn: pulumi.Resource[]) =>
      this.secretObject(cluster.name, obj, { ...k8sOpts, dependsOn });

    // Certificates: from cert-manager (ACME or the stack's CA) or supplied by the user.
    const tlsReady: pulumi.Resource[] = [];
    if (certManager) {
      const ca =
        ingress.tls.source === "ca"
          ? [
              secretObject(
                caSecret(input, {
                  certificate: secret(["ca", "certificate"], (s) => s.ca?.certificate),
                  privateKey: secret(["ca", "privateKey"], (s) => s.ca?.privateKey),
                }),
                [certManager],
              ),
            ]
          : [];
      const issuers = manifests.clusterScoped
        .filter((o) => o.kind === "ClusterIssuer")
        .map((o) => register(o, [certManager, ...ca]));
      tlsReady.push(...manifests.certificates.map((o) => register(o, [certManager, namespace, ...issuers])));
    } else {
      for (const route of ingress.routes) {
        const pem = (part: "certificate" | "privateKey") =>
          secret(["certificates", route.hostname, part], (s) => s.certificates?.[route.hostname]?.[part]);
        tlsReady.push(
          secretObject(
            suppliedCertificateSecret(input, route, {
              certificate: pem("certificate"),
              privateKey: pem("privateKey"),
            }),
            [namespace],
          ),
        );
      }
    }

    const gatewayClass = manifests.clusterScoped
      .filter((o) => o.kind === "GatewayClass")
      .map((o) => register(o, [envoyGateway]));
    const gateways = manifests.gateways.map((o) =>
      register(o, [envoyGateway, namespace, ...gatewayClass, ...tlsReady]),
    );

    const routeSecrets = ingress.routes.flatMap((route) => this.routeSecrets(input, route, secret, args));
    const routeServices = manifests.routeServices.map(
      (obj) =>
        new k8s.core.v1.Service(
          `${cluster.name}-service-${obj.metadata.namespace}-${obj.metadata.name}`,
          obj,
          {
            ...k8sOpts,
            dependsOn: [...(args.dependsOn ?? [])],
          },
        ),
    );
    for (const obj of manifests.routes) {
      register(obj, [
        envoyGateway,
        ...gateways,
        ...routeSecrets,
        ...routeServices,
        ...(args.dependsOn ?? []),
      ]);
    }

    this.endpoints = ingress.routes.map((r) => ({
      route: r.name,
      url: `https://${r.hostname}/`,
      exposure: r.exposure,
      allowedCidrs: r.allowedCidrs,
    }));
    this.registerOutputs({ endpoints: this.endpoints });
  }

  /** A Secret whose whole data is one Pulumi secret (masked in state, previews and the render). */
  private secretObject(
    cluster: string,
    obj: SecretObject,
    opts: pulumi.CustomResourceOptions,
  ): k8s.core.v1.Secret {
    return new k8s.core.v1.Secret(
      `${cluster}-secret-${obj.metadata.namespace}-${obj.metadata.name}`,
      { ...obj, stringData: pulumi.secret(pulumi.output(obj.stringData)) },
      opts,
    );
  }

  /** cert-manager's DNS identity from the target, required for ACME (the planner allows ACME on clouds only). */
  private dnsIdentity(args: ClusterIngressArgs): DnsSolverIdentity | undefined {
    const { tls } = args.ingress;
    if (tls.source !== "acme" || !tls.acme) return undefined;
    if (!args.target.createDnsSolverIdentity) {
      throw new pulumi.RunError(
        `ingress.tls.source of cluster ${args.cluster.name}: acme needs the cluster's DNS identity, which the ${args.cluster.provider} target does not provide yet; use source ca or secret`,
      );
    }
    return args.target.createDnsSolverIdentity(
      `${args.cluster.name}-cert-manager-dns`,
      {
        serviceAccount: { namespace: CERT_MANAGER.namespace, name: CERT_MANAGER.serviceAccount },
        acme: tls.acme,
      },
      { parent: this },
    );
  }

  /** The Secrets a route's policies read: its API keys (Grafana's OIDC client secret comes with its release). */
  private routeSecrets(
    input: IngressInput,
    route: PublishedRoute,
    secret: SecretReader,
    args: ClusterIngressArgs,
  ): pulumi.Resource[] {
    const opts = { parent: this, provider: args.target.kubernetes, dependsOn: [...(args.dependsOn ?? [])] };
    const clients = route.auth?.apiKeys;
    if (clients) {
      const keys = Object.fromEntries(
        clients.map((client) => [client, secret(["apiKeys", client], (s) => s.apiKeys?.[client])]),
      );
      return [this.secretObject(args.cluster.name, apiKeysSecret(input, route, keys), opts)];
    }
    return [];
  }
}

interface SecretObject {
  readonly apiVersion: "v1";
  readonly kind: "Secret";
  readonly metadata: {
    readonly name: string;
    readonly namespace: string;
    readonly labels?: Record<string, string>;
  };
  readonly type: string;
  readonly stringData: Readonly<Record<string, pulumi.Input<string>>>;
}

/** One value of the cluster's `goquorum:ingressSecrets` entry, by key path, as a Pulumi secret. */
type SecretReader = (key: string[], pick: (s: IngressSecrets) => string | undefined) => pulumi.Output<string>;

/** `program` checks every key up front (`missingIngressSecrets`); this guards direct uses of the component. */
function missingSecret(cluster: string, key: string[]): pulumi.RunError {
  const path = secretKeyPath(cluster, key);
  return new pulumi.RunError(`${path} is not set: pulumi config set --secret --path '${path}' <value>`);
}

/** Every object of a chart stays on the cluster when the program stops declaring it. */
const retainOnDelete: pulumi.ResourceTransform = ({ props, opts }) => ({
  props,
  opts: { ...opts, retainOnDelete: true },
});
