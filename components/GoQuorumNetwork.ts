import * as pulumi from "@pulumi/pulumi";
import type { UpgradePlan } from "../infra/besu/rollingUpgrade";
import type { IngressSecrets } from "../infra/config/ingress";
import type { AdoptedKeys, StackConfig } from "../infra/config/schema";
import { kubePrometheusGrafana } from "../infra/ingress";
import { networkNeedsTesseraClientCertificate } from "../infra/monitoring/chartValues";
import type { SiteOutput } from "../infra/plan/siteOutputs";
import type { NetworkPlan, NodePlan } from "../infra/plan/types";
import { buildGenesis, genesisJson } from "../infra/quorum/genesis";
import { type NetworkDocument, networkDocument, type PublicIdentity } from "../infra/quorum/identities";
import { type JoinDocument, joinDocument } from "../infra/quorum/join";
import { nodeRunsTessera } from "../infra/quorum/manifests/roles";
import { nodeServiceHost } from "../infra/quorum/peers";
import { PORTS } from "../infra/quorum/ports";
import type { ClusterKubernetesVersions } from "../infra/verify/kubernetesUpgrade";
import { ClusterIngress, type PublishedEndpoint } from "./ingress/ClusterIngress";
import { keysOf, type NetworkKeys, NodeKeys } from "./keys/NodeKeys";
import { TesseraTls } from "./keys/TesseraTls";
import { ClusterMonitoring } from "./monitoring/ClusterMonitoring";
import { createClusterTargets } from "./targets";
import { ClusterWorkloads } from "./workloads/ClusterWorkloads";
import { RolloutChain } from "./workloads/RolloutChain";

export interface GoQuorumNetworkArgs {
  readonly config: StackConfig;
  readonly plan: NetworkPlan;
  /** Keys the user brings, by node name (secret). Required for every node in `network.adoptKeysFor`. */
  readonly adoptedKeys?: pulumi.Output<Record<string, AdoptedKeys>>;
  /** Validators the stack's previous deployment created; only they roll out one at a time. @default none */
  readonly previouslyDeployed?: ReadonlySet<string>;
  /** The genesis the running network was initialised from, kept byte for byte. @default built from the config */
  readonly deployedGenesisJson?: string;
  /** What this update does to running nodes: the legacy QBFT flag, which nodes sync. @default none */
  readonly upgrade?: Pick<UpgradePlan, "legacyBftEncoding" | "syncingNodes">;
  /** Alert receiver credentials by receiver name (secret). Required when `network.monitoring.receivers` is set. */
  readonly alertingSecrets?: pulumi.Output<Record<string, string>>;
  /** Ingress credentials by cluster name (secret config `goquorum:ingressSecrets`). */
  readonly ingressSecrets?: pulumi.Output<Record<string, IngressSecrets>>;
}

/**
 * The whole network: one identity per node, one genesis, and the workloads on every cluster that the
 * program can reach. Cloud clusters get their own cluster and vault components; see docs/design.md.
 */
export class GoQuorumNetwork extends pulumi.ComponentResource {
  /** The genesis every node receives, byte for byte. */
  readonly genesisJson: pulumi.Output<string>;
  /** Public identities and addresses of every node (`network.json`). */
  readonly document: pulumi.Output<NetworkDocument>;
  /** What each on-premise site's operator configures, by site name (secret, one per site); none without sites. */
  readonly siteOutputs: Readonly<Record<string, pulumi.Output<SiteOutput>>>;
  /** What another party needs to join (`join.json`): genesis, our nodes' addresses, ranges, ports. */
  readonly joinDocument: pulumi.Output<JoinDocument>;
  /**
   * With strict Tessera TLS: the network CA's certificate and the certificates it signed for external
   * parties, by peer name (public; also in the join document).
   */
  readonly tesseraCertificates?: pulumi.Output<{ ca: string; externalPeers: Record<string, string> }>;
  /** In-cluster JSON-RPC endpoints of the RPC and member nodes, by node name. */
  readonly rpcEndpoints: Record<string, string>;
  /** Validators whose StatefulSets this deployment manages, in rollout order. */
  readonly deployedValidators: readonly string[];
  /** What each cloud cluster's control plane and node pools run, by cluster name (`kubernetesVersions`). */
  readonly kubernetesVersions: pulumi.Output<Record<string, ClusterKubernetesVersions>>;
  /** Endpoints published outside their cluster (`clusters[].ingress.routes`), by cluster name. */
  readonly publishedEndpoints: Record<string, PublishedEndpoint[]> = {};

  constructor(name: string, args: GoQuorumNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("goquorum:index:Network", name, {}, opts);
    const { config, plan } = args;
    const nodes = plan.clusters.flatMap((c) => c.nodes);
    const keys = new Map(nodes.map((node) => [node.name, this.nodeKeys(node, args)]));

    this.genesisJson = args.deployedGenesisJson
      ? pulumi.output(args.deployedGenesisJson)
      : this.newGenesis(args, keys);

    const identities = pulumi.all(
      nodes.map((n) => {
        const k = keysOf(keys, n.name);
        return pulumi
          .all([k.address, k.publicKey, k.tesseraPublicKey])
          .apply(([address, publicKey, tesseraPublicKey]): [string, PublicIdentity] => [
            n.name,
            { address, publicKey, ...(tesseraPublicKey ? { tesseraPublicKey } : {}) },
          ]);
      }),
    );
    this.document = identities.apply((entries) => networkDocument(plan, new Map(entries)));
    const tesseraTls = this.tesseraTls(name, args);
    this.tesseraCertificates = tesseraTls
      ? pulumi
          .all([tesseraTls.caCertificatePem, pulumi.all(Object.fromEntries(tesseraTls.externalCertificates))])
          .apply(([ca, externalPeers]) => ({ ca, externalPeers }))
      : undefined;
    this.joinDocument = pulumi
      .all([identities, this.genesisJson, this.tesseraCertificates])
      .apply(([entries, genesis, certificates]) =>
        joinDocument({
          plan,
          sites: config.network.connectivity.sites,
          identities: new Map(entries),
          genesisJson: genesis,
          tesseraTls: config.network.workloads.tessera.tls,
          ...(certificates
            ? {
                tesseraCertificates: {
                  ca: certificates.ca,
                  externalPeers: new Map(Object.entries(certificates.externalPeers)),
                },
              }
            : {}),
        }),
      );

    const rollout = config.network.workloads.validatorRollout;
    const validatorRollout = new RolloutChain(plan, rollout, args.previouslyDeployed ?? new Set());
    const { targets, vpn } = createClusterTargets(config, plan, { parent: this });
    this.siteOutputs = vpn?.siteOutputs ?? {};
    this.kubernetesVersions = pulumi.all(
      Object.fromEntries(
        [...targets].flatMap(([cluster, target]) =>
          target.kubernetesVersions ? [[cluster, target.kubernetesVersions]] : [],
        ),
      ),
    );
    for (const cluster of plan.clusters) {
      const target = targets.get(cluster.name);
      if (!target) throw new Error(`cluster ${cluster.name} has no cluster target`);
      const workloads = new ClusterWorkloads(
        cluster.name,
        {
          network: config.network,
          plan,
          cluster,
          keys,
          tesseraTls,
          genesisJson: this.genesisJson,
          target,
          validatorRollout,
          ...(args.upgrade ? { upgrade: args.upgrade } : {}),
        },
        { parent: this },
      );
      const monitoring = config.network.monitoring.enabled
        ? new ClusterMonitoring(
            cluster.name,
            {
              network: config.network,
              plan,
              cluster,
              target,
              alertingSecrets: args.alertingSecrets,
              tesseraTls,
              grafanaClientSecret: args.ingressSecrets?.apply(
                (all) => all[cluster.name]?.grafanaClientSecret,
              ),
            },
            { parent: this },
          )
        : undefined;
      if (cluster.ingress) {
        const ingress = new ClusterIngress(
          cluster.name,
          {
            networkName: config.network.name,
            cluster,
            ingress: cluster.ingress,
            rpcWebsocket: config.network.workloads.rpc.websocket,
            target,
            secrets: args.ingressSecrets?.apply((all) => all[cluster.name]),
            grafana: kubePrometheusGrafana(config.network.workloads.monitoringNamespace),
            dependsOn: [workloads, ...(monitoring ? [monitoring] : [])],
          },
          { parent: this },
        );
        this.publishedEndpoints[cluster.name] = ingress.endpoints;
      }
    }

    this.deployedValidators = validatorRollout.validators();
    this.rpcEndpoints = Object.fromEntries(
      plan.clusters.flatMap((c) =>
        c.nodes
          .filter((n) => n.role !== "validator")
          .map((n) => [n.name, `http://${nodeServiceHost(n, c.namespace)}:${PORTS.rpcHttp}`]),
      ),
    );
    this.registerOutputs({
      genesisJson: this.genesisJson,
      document: this.document,
      joinDocument: this.joinDocument,
      tesseraCertificates: this.tesseraCertificates,
      siteOutputs: this.siteOutputs,
      rpcEndpoints: this.rpcEndpoints,
      publishedEndpoints: this.publishedEndpoints,
    });
  }

  /** The genesis of a new network: the planner's genesis set (every validator, ours and external, unless pinned). */
  private newGenesis({ config, plan }: GoQuorumNetworkArgs, keys: NetworkKeys): pulumi.Output<string> {
    const external = new Map(plan.externalPeers.map((p) => [p.name, p.validatorAddress]));
    const validatorAddresses = plan.network.genesisValidators.map(
      (name) => external.get(name) ?? keysOf(keys, name).address,
    );
    return pulumi
      .all(validatorAddresses)
      .apply((addresses) => genesisJson(buildGenesis(config.network, addresses)));
  }

  /**
   * One CA for the whole network, so members in different clusters and external parties trust each other;
   * none without members or external parties' requests.
   */
  private tesseraTls(name: string, { config, plan }: GoQuorumNetworkArgs): TesseraTls | undefined {
    const members = plan.clusters.flatMap((c) =>
      // Members that run Tessera: a Besu member runs none, so it gets no certificate.
      c.nodes.filter(nodeRunsTessera).map((node) => ({ node, namespace: c.namespace })),
    );
    const externalParties = plan.externalPeers.flatMap((p) =>
      p.tesseraCsr ? [{ name: p.name, certRequestPem: p.tesseraCsr }] : [],
    );
    if (config.network.workloads.tessera.tls !== "strict") return undefined;
    if (members.length === 0 && externalParties.length === 0) return undefined;
    return new TesseraTls(
      `${name}-tessera-tls`,
      {
        networkName: config.network.name,
        members,
        protect: config.network.protectKeys,
        monitoringClient: networkNeedsTesseraClientCertificate(config.network, plan),
        externalParties,
      },
      { parent: this },
    );
  }

  private nodeKeys(node: NodePlan, args: GoQuorumNetworkArgs): NodeKeys {
    const adopt = args.config.network.adoptKeysFor.includes(node.name);
    if (adopt && !args.adoptedKeys) {
      throw new pulumi.RunError(
        `network.adoptKeysFor lists ${node.name}, but the secret config goquorum:nodeKeys is not set ` +
          `(pulumi config set --secret --path 'nodeKeys.${node.name}.nodeKey' <hex>)`,
      );
    }
    const adopted = adopt
      ? args.adoptedKeys?.apply((all) => {
          const k = all[node.name];
          if (!k?.nodeKey) throw new Error(`goquorum:nodeKeys.${node.name}.nodeKey is not set`);
          return k;
        })
      : undefined;
    return new NodeKeys(
      node.name,
      { node, tessera: node.role === "member", adopted, protect: args.config.network.protectKeys },
      { parent: this },
    );
  }
}
