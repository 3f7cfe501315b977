import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { besuGenesisFromGoQuorum, besuGenesisJson } from "../../infra/besu/genesis";
import {
  BESU_FILES,
  BESU_PEERS_DIGEST_ANNOTATION,
  besuClusterManifests,
  clientNodeManifests,
} from "../../infra/besu/manifests";
import {
  besuNodeAllowlistEnabled,
  besuNodesAllowlist,
  besuStaticNodesFor,
  nodeAddressesFile,
  permissionsConfigToml,
} from "../../infra/besu/peers";
import { syncCustomTimeouts, type UpgradePlan } from "../../infra/besu/rollingUpgrade";
import type { NetworkConfig } from "../../infra/config/schema";
import { routedSources } from "../../infra/ingress";
import { besuImage } from "../../infra/plan/besuImage";
import type { ClusterPlan, NetworkPlan, NodePlan } from "../../infra/plan/types";
import {
  clusterManifests,
  disruptionGate,
  FILES,
  GENESIS_DIGEST_ANNOTATION,
  listObjects,
  type NodeManifests,
  TESSERA_TLS_CERTIFICATE_ANNOTATION,
} from "../../infra/quorum/manifests";
import { nodeRunsTessera } from "../../infra/quorum/manifests/roles";
import {
  peerRanges,
  permissionedNodes,
  staticNodesFor,
  tesseraConfig,
  tesseraPeerUrls,
} from "../../infra/quorum/peers";
import { keysOf, type NetworkKeys } from "../keys/NodeKeys";
import type { TesseraTls } from "../keys/TesseraTls";
import type { ClusterTarget, NodeBinding } from "../targets/ClusterTarget";
import { createObject, type RegistrableObject } from "./kubernetesObject";
import type { RolloutChain } from "./RolloutChain";

export interface ClusterWorkloadsArgs {
  readonly network: NetworkConfig;
  readonly plan: NetworkPlan;
  readonly cluster: ClusterPlan;
  readonly keys: NetworkKeys;
  /** The network's Tessera certificates; exactly when `workloads.tessera.tls` is strict. */
  readonly tesseraTls?: TesseraTls;
  /** The network's genesis (one for every cluster). */
  readonly genesisJson: pulumi.Output<string>;
  /** The cluster's provider side: Kubernetes provider, StorageClass, vault, load balancers. */
  readonly target: ClusterTarget;
  /** Chains validator StatefulSets across the network (`workloads.validatorRollout: one-at-a-time`). */
  readonly validatorRollout?: RolloutChain;
  /** What this update does to running nodes (`infra/besu/rollingUpgrade.ts` planUpgrade). @default none */
  readonly upgrade?: Pick<UpgradePlan, "legacyBftEncoding" | "syncingNodes">;
}

/** Placeholder for data known only once keys exist; replaced by the real Output before registration. */
const LATER = "";

/**
 * Everything GoQuorum runs on one cluster: namespace, policies, the key vault, and per node its Services,
 * Tessera config and StatefulSet, or the Besu StatefulSet of a node whose client is Besu (with the cluster's
 * Besu genesis and peer files). Objects come from the pure manifest builders; this component only
 * registers them, filling in the data that depends on keys (genesis, peer list).
 */
export class ClusterWorkloads extends pulumi.ComponentResource {
  constructor(name: string, args: ClusterWorkloadsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("goquorum:k8s:ClusterWorkloads", name, {}, opts);
    const { network, plan, cluster } = args;
    refuseInertPolicies(cluster, args.target);
    const allNodes = plan.clusters.flatMap((c) => c.nodes);
    const peerCidrs = peerRanges(cluster, plan);
    const tls = network.workloads.tessera.tls;
    const gate = disruptionGate(plan.faultTolerance);

    const publicKeys = pulumi
      .all(allNodes.map((n) => pulumi.all([n.name, keysOf(args.keys, n.name).publicKey])))
      .apply((entries) => new Map(entries.map(([node, publicKey]) => [node, { publicKey }])));
    const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
    const staticNodesJson = publicKeys.apply((keys) =>
      json(staticNodesFor(cluster, allNodes, keys, plan.externalPeers)),
    );
    const permissionedNodesJson = publicKeys.apply((keys) =>
      json(permissionedNodes(keys, plan.externalPeers)),
    );

    const shared = clusterManifests({
      network,
      cluster,
      genesisJson: LATER,
      staticNodes: [],
      permissionedNodes: [],
      peerCidrs,
      // The ingress gateway's proxies reach the nodes its routes publish.
      routedSources: routedSources(cluster.ingress),
      disruptionGate: gate,
    });
    const { target } = args;
    const opts0 = { parent: this, provider: target.kubernetes };
    const register = <T extends RegistrableObject>(obj: T, dependsOn: pulumi.Resource[]) =>
      createObject(cluster.name, obj, { ...opts0, dependsOn });

    // Deleting a namespace deletes its volume claims: with retained volumes, `pulumi destroy` leaves the
    // namespace (and so every node's chain data and Tessera database) in the cluster.
    const namespace = createObject(cluster.name, shared.namespace, {
      ...opts0,
      retainOnDelete: network.workloads.retainVolumesOnDelete,
    });
    const inNamespace = [namespace, ...target.prerequisites];
    const configMaps = [
      register({ ...shared.genesis, data: { [FILES.genesis]: args.genesisJson } }, inNamespace),
      register(
        {
          ...shared.staticNodes,
          data: { [FILES.staticNodes]: staticNodesJson, [FILES.permissionedNodes]: permissionedNodesJson },
        },
        inNamespace,
      ),
    ];
    const rest = listObjects({ ...shared, namespace: undefined, genesis: undefined, staticNodes: undefined });
    const services = rest.map((obj) => register(obj, inNamespace));
    const besu = this.besuFiles(args, allNodes, register, inNamespace);

    const vault = target.createVault(
      `${cluster.name}-vault`,
      { cluster, keys: args.keys, tesseraTls: args.tesseraTls, dependsOn: inNamespace },
      { parent: this },
    );

    for (const node of cluster.nodes) {
      const member = nodeRunsTessera(node);
      const tesseraConfigJson = member
        ? `${JSON.stringify(tesseraConfig(node, cluster.namespace, tesseraPeerUrls(node, plan.clusters, tls, plan.externalPeers), tls), null, 2)}\n`
        : undefined;
      const certificate = member ? args.tesseraTls?.certificates.get(node.name) : undefined;
      const binding = vault.binding(node);
      const loadBalancerAnnotations =
        node.endpointIp === undefined ? undefined : target.loadBalancerAnnotations?.(node);
      const objects = clientNodeManifests({
        network,
        cluster,
        node,
        totalNodes: allNodes.length,
        genesisValidators: plan.network.genesisValidators,
        keys: binding.keys,
        tesseraConfigJson,
        ...(loadBalancerAnnotations ? { loadBalancerAnnotations } : {}),
        ...(binding.podLabels ? { podLabels: binding.podLabels } : {}),
        peerCidrs,
        storageClass: target.storageClass,
        disruptionGate: gate,
        besuImage: besu.image,
        nodeAllowlist: besu.nodeAllowlist,
        legacyBftEncoding: args.upgrade?.legacyBftEncoding === true,
      });
      const { statefulSet, serviceAccount, rolloutGate, ...supporting } = objects;
      const support = [
        register(boundServiceAccount(serviceAccount, binding), inNamespace),
        ...listObjects(supporting).map((obj) => register(obj, inNamespace)),
      ];
      // Files a container reads only at start: their digests on the pod template restart the pod on a change.
      // Besu reads its genesis, static nodes and allowlist only at start (it has no peer-sync).
      const files: Record<string, pulumi.Output<string>> = node.client === "besu" && besu.files
        ? {
            [GENESIS_DIGEST_ANNOTATION]: besu.files.genesisJson,
            [BESU_PEERS_DIGEST_ANNOTATION]: besu.files.peers,
          }
        : {
            [GENESIS_DIGEST_ANNOTATION]: args.genesisJson,
            ...(certificate ? { [TESSERA_TLS_CERTIFICATE_ANNOTATION]: certificate.certificatePem } : {}),
          };
      const pod = withFileDigests(statefulSet, files);
      const chain = node.role === "validator" ? args.validatorRollout : undefined;
      const previous = chain?.previous(node.name) ?? [];
      // The rollout gate runs after the previous validator of the chain is back, and before this one changes;
      // the same digests on its pod template replace it whenever they change the StatefulSet. Its name is
      // fixed, so the old Job goes before the new one is created.
      const gateJob = rolloutGate
        ? [
            createObject(cluster.name, withFileDigests(rolloutGate, files), {
              ...opts0,
              dependsOn: [...inNamespace, ...services, ...previous],
              deleteBeforeReplace: true,
            }),
          ]
        : [];
      // The pod starts only once its Services, configs, keys and certificates (all in the vault) exist:
      // geth resolves peers at start.
      // A node that starts empty in a running network is Ready only once in sync: wait that long for it.
      const syncing = args.upgrade?.syncingNodes.includes(node.name) === true;
      const timeouts = syncing
        ? { customTimeouts: syncCustomTimeouts(network.workloads.syncTimeoutMinutes) }
        : {};
      const sts = createObject(cluster.name, pod, {
        ...opts0,
        ...timeouts,
        dependsOn: [
          ...inNamespace,
          ...configMaps,
          ...besu.configMaps,
          ...services,
          ...support,
          vault.resource,
          ...(gateJob.length > 0 ? gateJob : previous),
        ],
      });
      chain?.append(node.name, sts);
    }
    this.registerOutputs({});
  }

  /**
   * The cluster's Besu files, registered beside (never instead of) GoQuorum's, only where a node of the cluster
   * runs Besu: Besu's genesis from the deployed GoQuorum genesis, and its peer files from the same peer list.
   */
  private besuFiles(
    args: ClusterWorkloadsArgs,
    allNodes: readonly NodePlan[],
    register: <T extends RegistrableObject>(obj: T, dependsOn: pulumi.Resource[]) => pulumi.Resource,
    inNamespace: pulumi.Resource[],
  ): BesuFiles {
    const { network, plan, cluster } = args;
    const image = besuImage(network.workloads.images, plan).image;
    const nodeAllowlist = besuNodeAllowlistEnabled(cluster, plan.clusters);
    const manifests = besuClusterManifests(network, cluster, {
      genesisJson: LATER,
      staticNodesJson: LATER,
      permissionsToml: LATER,
      nodeAddresses: LATER,
    });
    if (!manifests) return { image, nodeAllowlist, configMaps: [] };
    const identities = pulumi
      .all(
        allNodes.map((n) => {
          const keys = keysOf(args.keys, n.name);
          return pulumi.all([n.name, keys.publicKey, keys.address]);
        }),
      )
      .apply(
        (entries) => new Map(entries.map(([node, publicKey, address]) => [node, { publicKey, address }])),
      );
    const peerFiles = identities.apply((keys) => {
      const staticNodes = besuStaticNodesFor(cluster, allNodes, keys, plan.externalPeers);
      const allowlist = besuNodesAllowlist(cluster, allNodes, keys, staticNodes, plan.externalPeers);
      return {
        staticNodesJson: `${JSON.stringify(staticNodes, null, 2)}\n`,
        permissionsToml: permissionsConfigToml(allowlist),
      };
    });
    const staticNodesJson = peerFiles.apply((f) => f.staticNodesJson);
    const permissionsToml = peerFiles.apply((f) => f.permissionsToml);
    const genesisJson = args.genesisJson.apply((text) =>
      besuGenesisJson(besuGenesisFromGoQuorum(text).genesis),
    );
    const nodeAddresses = identities.apply((keys) => nodeAddressesFile(keys, plan.externalPeers));
    const configMaps = [
      register({ ...manifests.genesis, data: { [BESU_FILES.genesis]: genesisJson } }, inNamespace),
      register(
        {
          ...manifests.peers,
          data: {
            [BESU_FILES.staticNodes]: staticNodesJson,
            [BESU_FILES.permissions]: permissionsToml,
            [BESU_FILES.nodeAddresses]: nodeAddresses,
          },
        },
        inNamespace,
      ),
    ];
    // The node addresses change nothing Besu reads at start (only the gate reads them, live).
    const peers = pulumi.all([staticNodesJson, permissionsToml]).apply(([a, b]) => `${a}${b}`);
    return { image, nodeAllowlist, configMaps, files: { genesisJson, peers } };
  }
}

interface BesuFiles {
  readonly image: string;
  readonly nodeAllowlist: boolean;
  readonly configMaps: readonly pulumi.Resource[];
  /** Present where a node of the cluster runs Besu: what its pods read only at start. */
  readonly files?: { readonly genesisJson: pulumi.Output<string>; readonly peers: pulumi.Output<string> };
}

/**
 * Every isolation of the namespace is a NetworkPolicy: a cloud cluster whose CNI would not enforce them is
 * refused (the plan refuses it first); a `local` one is deployed under the plan's warning
 * (`infra/verify/policyEnforcement.ts`).
 */
function refuseInertPolicies(cluster: ClusterPlan, target: ClusterTarget): void {
  if (target.enforcesNetworkPolicies || cluster.provider === "local") return;
  throw new pulumi.RunError(
    `cluster ${cluster.name}: its CNI does not enforce NetworkPolicies, so any pod of the cluster can reach JSON-RPC and Tessera`,
  );
}

/** The node's ServiceAccount with the annotations that bind it to its cloud identity (Outputs allowed). */
function boundServiceAccount(serviceAccount: NodeManifests["serviceAccount"], binding: NodeBinding) {
  if (!binding.serviceAccountAnnotations) return serviceAccount;
  return {
    ...serviceAccount,
    metadata: { ...serviceAccount.metadata, annotations: { ...binding.serviceAccountAnnotations } },
  };
}

/**
 * The object (a StatefulSet, or the Job that guards one) with the sha256 of each file on its pod template,
 * by annotation: geth-init reads the genesis and Tessera its certificate only at start, so a new file must
 * restart the pod, and pass the rollout gate first.
 */
function withFileDigests<
  T extends { readonly spec?: { readonly template?: { readonly metadata?: object } } },
>(object: T, files: Readonly<Record<string, pulumi.Output<string>>>) {
  const template = object.spec?.template;
  const metadata = template?.metadata as { annotations?: Record<string, string> } | undefined;
  const digests = Object.fromEntries(
    Object.entries(files).map(([annotation, text]) => [
      annotation,
      text.apply((t) => createHash("sha256").update(t).digest("hex")),
    ]),
  );
  return {
    ...object,
    spec: {
      ...object.spec,
      template: {
        ...template,
        metadata: { ...metadata, annotations: { ...metadata?.annotations, ...digests } },
      },
    },
  };
}
