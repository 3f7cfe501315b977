/**
 * Monitoring values as pure functions: every node is selected by a PodMonitor the chart's Prometheus loads,
 * every dashboard query parses as PromQL, thresholds follow the network's config, receivers carry their
 * credentials only in Alertmanager's configuration, and no Service is public.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { parser } from "@prometheus-io/lezer-promql";
import { clientNodeManifests } from "../infra/besu/manifests/node";
import { DEFAULT_RUNBOOK_URL, runbookUrlFromRepository } from "../infra/config/runbook";
import { alertmanagerConfig, NULL_RECEIVER, WATCHDOG } from "../infra/monitoring/alertmanager";
import { chartValues, needsTesseraClientCertificate } from "../infra/monitoring/chartValues";
import { dashboardQueries, dashboards } from "../infra/monitoring/dashboards";
import {
  GOQUORUM_METRICS_PATH,
  NODE_METRICS_PATHS,
  type PodMetricsEndpoint,
  type PodMonitorValues,
  podLabelMeta,
} from "../infra/monitoring/monitors";
import {
  METRICS,
  NODE_CONTAINERS,
  RECORDED,
  RELEASE_NAME,
  TESSERA_CLIENT_TLS_SECRET,
} from "../infra/monitoring/names";
import {
  ALERT_NAMES,
  clusterRuleGroups,
  networkRuleGroups,
  recordingRuleGroups,
} from "../infra/monitoring/rules";
import { thresholds } from "../infra/monitoring/thresholds";
import { federationMatch, federationService, remotePrometheuses } from "../infra/monitoring/topology";
import { planNetwork } from "../infra/plan";
import { besuImage } from "../infra/plan/besuImage";
import { endpointCapacity, monitoringEndpointIp, planNodes } from "../infra/plan/nodes";
import type { ClusterPlan, NetworkPlan, NodePlan } from "../infra/plan/types";
import { nodeManifests } from "../infra/quorum/manifests";
import { disruptionGate } from "../infra/quorum/manifests/disruptionGate";
import { GATE_CONTAINER } from "../infra/quorum/manifests/gateScripts";
import { LABELS } from "../infra/quorum/manifests/labels";
import { PORT_NAMES } from "../infra/quorum/manifests/names";
import { networkPolicies } from "../infra/quorum/manifests/networkPolicies";
import { PORTS } from "../infra/quorum/ports";
import { tesseraCertificatePlan } from "../infra/quorum/tesseraTls";
import { planRawConfig } from "../infra/stackPlan";
import { awsCluster, localCluster, stackConfig, withoutUnmaintained } from "./helpers/config";
import { chartObjectLabels, effectiveSelector, podMonitorLabels } from "./helpers/kubePrometheusStack";
import { anchors } from "./helpers/markdown";
import { needs, run } from "./helpers/prometheusTools";

type Config = ReturnType<typeof stackConfig>;
const planOf = (config: Config): NetworkPlan => {
  const { plan, issues } = planNetwork(config);
  assert.ok(plan, JSON.stringify(issues));
  return plan;
};

const local = stackConfig([localCluster("a", { nodes: { validators: 4, rpc: 1, members: 2 } })]);
const localPlan = planOf(local);
const multi = stackConfig(
  [
    awsCluster("east", { nodes: { validators: 2, rpc: 1, members: 1 } }),
    awsCluster("west", { nodes: { validators: 2, members: 1 } }),
  ],
  { monitoring: { centralCluster: "west" } },
);
const multiPlan = planOf(multi);
const strict = stackConfig([localCluster("a", { nodes: { validators: 4, rpc: 1, members: 2 } })], {
  workloads: { tessera: { tls: "strict" } },
});
const strictPlan = planOf(strict);

/** Start offsets of the parser's error nodes in `query` (none for valid PromQL). */
function parseErrors(query: string): number[] {
  const errors: number[] = [];
  parser.parse(query).iterate({
    enter: (n) => {
      if (n.type.isError) errors.push(n.from);
    },
  });
  return errors;
}

/** Metric names a query selects by name. */
function metricNames(query: string): string[] {
  const names: string[] = [];
  parser.parse(query).iterate({
    enter: (n) => {
      if (n.name === "Identifier" && n.node.parent?.name === "VectorSelector")
        names.push(query.slice(n.from, n.to));
    },
  });
  return names;
}

/** Port number of a named container port. */
const portNumber = (name: string): number => {
  const key = (Object.keys(PORT_NAMES) as (keyof typeof PORTS)[]).find((k) => PORT_NAMES[k] === name);
  assert.ok(key, name);
  return PORTS[key];
};

/** Ports of a pod with `podLabels` that the cluster's NetworkPolicies open to the monitoring namespace. */
function admitted(config: Config, cluster: ClusterPlan, podLabels: Record<string, string>): number[] {
  const monitoringNamespace = config.network.workloads.monitoringNamespace;
  return networkPolicies({
    network: config.network,
    cluster,
    genesisJson: "",
    staticNodes: [],
    permissionedNodes: [],
    peerCidrs: [],
  })
    .filter((p) => selects(p.spec?.podSelector?.matchLabels ?? {}, podLabels))
    .flatMap((p) => p.spec?.ingress ?? [])
    .filter((rule) =>
      (rule.from ?? []).some(
        (peer) =>
          peer.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"] === monitoringNamespace,
      ),
    )
    .flatMap((rule) => (rule.ports ?? []).map((p) => Number(p.port)));
}

/** Whether every label of `selector` is on `labels`. */
const selects = (
  selector: Readonly<Record<string, string>>,
  labels: Readonly<Record<string, string>>,
): boolean => Object.entries(selector).every(([k, v]) => labels[k] === v);

/**
 * A Kubernetes label selector's verdict on `labels`: every `matchLabels` entry and every requirement; `NotIn`
 * also holds where the label is absent (apimachinery `labels.Requirement.Matches`).
 */
function podSelected(
  selector: PodMonitorValues["selector"],
  labels: Readonly<Record<string, string>>,
): boolean {
  return (
    selects(selector.matchLabels, labels) &&
    (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
      const value = labels[key];
      if (operator === "Exists") return value !== undefined;
      if (operator === "DoesNotExist") return value === undefined;
      if (operator === "In") return value !== undefined && values.includes(value);
      return value === undefined || !values.includes(value);
    })
  );
}

describe("every node is scraped by a monitor the chart loads", () => {
  for (const [config, plan] of [
    [local, localPlan],
    [multi, multiPlan],
    [strict, strictPlan],
  ] as const) {
    for (const cluster of plan.clusters) {
      it(`${cluster.name}: each node's pod matches a loaded PodMonitor on a port its containers expose`, () => {
        const values = chartValues({ network: config.network, plan, cluster });
        const loaded = effectiveSelector(values.prometheus.prometheusSpec, "podMonitor", RELEASE_NAME);
        assert.deepEqual(loaded, { release: RELEASE_NAME });
        // The rules come through the same release, so the rule selector loads them too.
        const rules = effectiveSelector(values.prometheus.prometheusSpec, "rule", RELEASE_NAME);
        assert.ok(selects(rules, chartObjectLabels(RELEASE_NAME)));
        assert.ok(values.additionalPrometheusRulesMap.goquorum.groups.length > 0);
        const monitors = values.prometheus.additionalPodMonitors;
        assert.ok(monitors.length > 0);
        // Each monitor as the chart labels it, its own additionalLabels included, is one Prometheus loads.
        for (const monitor of monitors)
          assert.ok(selects(loaded, podMonitorLabels(monitor, RELEASE_NAME)), monitor.name);
        assert.ok(
          !selects(loaded, podMonitorLabels({ additionalLabels: { release: "other" } }, RELEASE_NAME)),
        );
        for (const node of cluster.nodes) {
          const sts = nodeManifests({
            network: config.network,
            cluster,
            node,
            totalNodes: plan.clusters.flatMap((c) => c.nodes).length,
            genesisValidators: plan.network.genesisValidators,
            keys: {
              kind: "secret",
              keysSecret: `${node.name}-keys`,
              ...(node.role === "member" && config.network.workloads.tessera.tls === "strict"
                ? { tlsSecret: `${node.name}-tls` }
                : {}),
            },
            ...(node.role === "member" ? { tesseraConfigJson: "{}" } : {}),
            peerCidrs: [],
            ...(node.endpointIp ? { loadBalancerAnnotations: {} } : {}),
          }).statefulSet;
          const pod = sts.spec?.template;
          const podLabels = (pod?.metadata?.labels ?? {}) as Record<string, string>;
          const ports = [...(pod?.spec?.containers ?? []), ...(pod?.spec?.initContainers ?? [])].flatMap(
            (c) => c.ports?.map((p) => p.name) ?? [],
          );
          const scraping = monitors.filter(
            (m) =>
              m.namespaceSelector.matchNames.includes(cluster.namespace) &&
              podSelected(m.selector, podLabels),
          );
          const endpoints = scraping.flatMap((m) => m.podMetricsEndpoints);
          const goquorum = endpoints.find((e) => e.path === GOQUORUM_METRICS_PATH);
          assert.ok(goquorum, `${node.name} has a GoQuorum scrape endpoint`);
          for (const e of endpoints) assert.ok(ports.includes(e.port), `${node.name} exposes port ${e.port}`);
          assert.equal(endpoints.filter((e) => e.path === "/metrics").length > 0, node.role === "member");
          // Every series gets network, cluster, node and role, from the pod's own labels.
          const targets = goquorum.relabelings.map((r) => r.targetLabel);
          for (const label of ["job", "network", "cluster", "node", "role"])
            assert.ok(targets.includes(label));
          const nodeSource = goquorum.relabelings.find((r) => r.targetLabel === "node")?.sourceLabels?.[0];
          assert.equal(nodeSource, podLabelMeta("app.kubernetes.io/instance"));
          assert.equal(podLabels["app.kubernetes.io/instance"], node.name);
          // The namespace's deny-by-default policies let the monitoring namespace reach each scraped port.
          for (const e of endpoints) {
            assert.ok(
              admitted(config, cluster, podLabels).includes(portNumber(e.port)),
              `${node.name}: port ${e.port} admitted from the monitoring namespace`,
            );
          }
        }
      });
    }
  }
});

/** One cluster in migration: a validator, the RPC node and a member on Besu (private transactions stopped). */
const mixed = stackConfig(
  [
    localCluster("a", {
      nodes: { validators: 4, rpc: 1, members: 2 },
      nodeClients: { "a-validator-3": "besu", "a-rpc-0": "besu", "a-member-1": "besu" },
    }),
  ],
  { privateTransactions: "stopped" },
);
const mixedPlan = planOf(mixed);

describe("GoQuorum and Besu nodes side by side", () => {
  const [cluster] = mixedPlan.clusters;
  assert.ok(cluster);
  const monitors = chartValues({ network: mixed.network, plan: mixedPlan, cluster }).prometheus
    .additionalPodMonitors;
  /** A node's pod as its client's workload defines it (`clientNodeManifests`: GoQuorum's or Besu's). */
  const podOf = (node: NodePlan) => {
    const pod = clientNodeManifests({
      network: mixed.network,
      cluster,
      node,
      totalNodes: cluster.nodes.length,
      genesisValidators: mixedPlan.network.genesisValidators,
      keys: { kind: "secret", keysSecret: `${node.name}-keys` },
      ...(node.role === "member" && node.client === "goquorum" ? { tesseraConfigJson: "{}" } : {}),
      peerCidrs: [],
      disruptionGate: disruptionGate(mixedPlan.faultTolerance),
      besuImage: besuImage(mixed.network.workloads.images, mixedPlan).image,
      nodeAllowlist: true,
    }).statefulSet.spec?.template;
    assert.ok(pod?.spec);
    return { labels: (pod.metadata?.labels ?? {}) as Record<string, string>, spec: pod.spec };
  };
  const podLabelsOf = (node: NodePlan): Record<string, string> => podOf(node).labels;
  const nodeEndpoints = (labels: Record<string, string>) =>
    monitors
      .filter(
        (m) => m.namespaceSelector.matchNames.includes(cluster.namespace) && podSelected(m.selector, labels),
      )
      .flatMap((m) => m.podMetricsEndpoints);
  const relabel = (e: PodMetricsEndpoint, label: string) =>
    e.relabelings.find((r) => r.targetLabel === label);

  it("scrapes each node's pod once, by its own client's monitor, at that client's path, job and client label", () => {
    assert.deepEqual(
      cluster.nodes.map((n) => n.client),
      ["goquorum", "goquorum", "goquorum", "besu", "besu", "goquorum", "besu"],
    );
    for (const node of cluster.nodes) {
      const endpoints = nodeEndpoints(podLabelsOf(node));
      const metrics = endpoints.filter((e) => e.port === PORT_NAMES.metrics);
      assert.equal(metrics.length, 1, node.name);
      const [e] = metrics;
      assert.equal(e.path, NODE_METRICS_PATHS[node.client], node.name);
      assert.equal(relabel(e, "job")?.replacement, node.client);
      assert.equal(relabel(e, "client")?.replacement, node.client);
      // The pod serves that port, from the container the rules call the node's (QbftValidatorSeesQuorum),
      // and the namespace's policies let the monitoring namespace reach it.
      const { spec, labels } = podOf(node);
      const own = spec.containers.find((c) => c.name === NODE_CONTAINERS[node.client]);
      assert.ok(
        own?.ports?.some((p) => p.name === e.port),
        `${node.name}: ${e.port} on ${own?.name}`,
      );
      assert.ok(
        admitted(mixed, cluster, labels).includes(portNumber(e.port)),
        `${node.name}: ${e.port} admitted`,
      );
      if (node.role === "validator")
        assert.ok(
          spec.containers.some((c) => c.name === GATE_CONTAINER),
          node.name,
        );
      // Tessera is scraped only where it runs: GoQuorum's members (Besu removed Tessera privacy).
      assert.equal(
        endpoints.some((x) => x.port !== PORT_NAMES.metrics),
        node.role === "member" && node.client === "goquorum",
        node.name,
      );
    }
    assert.equal(NODE_METRICS_PATHS.besu, "/metrics");
  });

  it("gives both clients' series the same network, cluster, node and role labels, from the same pod labels", () => {
    const [goquorum, besu] = (["goquorum", "besu"] as const).map((client) => {
      const node = cluster.nodes.find((n) => n.client === client);
      assert.ok(node);
      return nodeEndpoints(podLabelsOf(node)).find((e) => e.port === PORT_NAMES.metrics);
    });
    assert.ok(goquorum && besu);
    const shared = (e: PodMetricsEndpoint) =>
      e.relabelings.filter((r) => !["job", "client"].includes(r.targetLabel ?? ""));
    assert.deepEqual(shared(besu), shared(goquorum));
    assert.deepEqual(
      shared(besu).map((r) => r.targetLabel),
      ["network", "cluster", "node", "role"],
    );
    assert.equal(besu.port, goquorum.port);
    assert.equal(besu.interval, goquorum.interval);
  });

  it("keeps a GoQuorum pod without the client label (deployed before it), or labelled goquorum, on GoQuorum's path", () => {
    const node = cluster.nodes.find((n) => n.client === "goquorum");
    assert.ok(node);
    const unlabelled = podLabelsOf(node);
    assert.equal(unlabelled[LABELS.client], undefined);
    for (const labels of [unlabelled, { ...unlabelled, [LABELS.client]: "goquorum" }]) {
      const paths = nodeEndpoints(labels)
        .filter((e) => e.port === PORT_NAMES.metrics)
        .map((e) => e.path);
      assert.deepEqual(paths, [GOQUORUM_METRICS_PATH]);
    }
  });

  it("adds no Besu monitor to a cluster without Besu nodes, GoQuorum's keeps its name; a Besu cluster has Besu's only", () => {
    const values = chartValues({ network: local.network, plan: localPlan, cluster: localPlan.clusters[0] });
    assert.deepEqual(
      values.prometheus.additionalPodMonitors.map((m) => m.name),
      ["goquorum-a", "tessera-a"],
    );
    assert.deepEqual(
      monitors.map((m) => m.name),
      ["goquorum-a", "besu-a", "tessera-a"],
    );
    // A network on Besu alone: Besu's monitor, and a target count for Besu only.
    const besu = stackConfig([
      localCluster("a", { nodes: { validators: 4, rpc: 1, members: 1 }, client: "besu" }),
    ]);
    const besuPlan = planOf(besu);
    const [besuCluster] = besuPlan.clusters;
    assert.deepEqual(
      chartValues({
        network: besu.network,
        plan: besuPlan,
        cluster: besuCluster,
      }).prometheus.additionalPodMonitors.map((m) => m.name),
      ["besu-a"],
    );
    const targetRules = clusterRuleGroups(besu.network, besuPlan, besuCluster)
      .flatMap((g) => g.rules)
      .filter((r) => r.alert === "MonitoringTargetsMissing");
    assert.deepEqual(
      targetRules.map((r) => r.expr),
      ['(count(up{job="besu",network="testnet",cluster="a"}) or vector(0)) < 6'],
    );
  });

  it("federates the Besu job's series to the central cluster", () => {
    assert.match(federationMatch(mixed.network), /job=~"[^"]*\bbesu\b/);
  });
});

describe("Tessera P2P metrics under strict TLS", () => {
  const [cluster] = strictPlan.clusters;
  assert.ok(cluster);
  const members = cluster.nodes.filter((n) => n.role === "member");
  const p2pEndpoints = (config: Config, plan: NetworkPlan) =>
    chartValues({ network: config.network, plan, cluster })
      .prometheus.additionalPodMonitors.flatMap((m) => m.podMetricsEndpoints)
      .filter((e) => e.port === PORT_NAMES.tesseraP2p);

  it("scrapes each member over HTTPS with Prometheus' client certificate from the monitoring Secret", () => {
    const endpoints = p2pEndpoints(strict, strictPlan);
    assert.equal(endpoints.length, members.length);
    for (const e of endpoints) {
      assert.equal(e.scheme, "https");
      assert.deepEqual(e.tlsConfig && [e.tlsConfig.ca, e.tlsConfig.cert, e.tlsConfig.keySecret], [
        { secret: { name: TESSERA_CLIENT_TLS_SECRET, key: "ca.crt" } },
        { secret: { name: TESSERA_CLIENT_TLS_SECRET, key: "tls.crt" } },
        { name: TESSERA_CLIENT_TLS_SECRET, key: "tls.key" },
      ]);
      assert.equal(e.tlsConfig?.insecureSkipVerify, false);
    }
  });

  it("keeps one member per endpoint and verifies a name in that member's certificate", () => {
    const endpoints = p2pEndpoints(strict, strictPlan);
    for (const node of members) {
      const own = endpoints.filter((e) =>
        e.relabelings.some(
          (r) =>
            r.action === "keep" &&
            r.sourceLabels?.[0] === podLabelMeta("app.kubernetes.io/instance") &&
            r.regex === node.name,
        ),
      );
      assert.equal(own.length, 1, node.name);
      const serverName = own[0]?.tlsConfig?.serverName ?? "";
      assert.ok(tesseraCertificatePlan(node, cluster.namespace).dnsNames.includes(serverName), serverName);
      assert.equal(serverName, `${node.name}.${cluster.namespace}.svc.cluster.local`);
    }
  });

  it("alerts on unreachable Tessera peers in both TLS modes", () => {
    for (const [config, plan] of [
      [strict, strictPlan],
      [local, localPlan],
    ] as const) {
      const names = clusterRuleGroups(config.network, plan, cluster).flatMap((g) =>
        g.rules.map((r) => r.alert),
      );
      assert.ok(names.includes("TesseraPeersUnreachable"), config.network.workloads.tessera.tls);
    }
  });

  it("scrapes P2P over plain HTTP, without client certificate, with TLS off", () => {
    const endpoints = p2pEndpoints(local, localPlan);
    assert.equal(endpoints.length, 1);
    assert.deepEqual([endpoints[0]?.scheme, endpoints[0]?.tlsConfig], [undefined, undefined]);
  });

  it("needs the client certificate only with strict TLS", () => {
    assert.equal(needsTesseraClientCertificate(strict.network, strictPlan, cluster), true);
    assert.equal(needsTesseraClientCertificate(local.network, localPlan, cluster), false);
    const unmonitored = structuredClone(strict);
    unmonitored.network.monitoring.enabled = false;
    assert.equal(needsTesseraClientCertificate(unmonitored.network, strictPlan, cluster), false);
  });
});

const rules = [
  ...clusterRuleGroups(local.network, localPlan, localPlan.clusters[0]),
  ...clusterRuleGroups(mixed.network, mixedPlan, mixedPlan.clusters[0]),
  ...networkRuleGroups(local.network, localPlan),
].flatMap((g) => g.rules);
/** The recording rules of both clients, which the alerts and dashboards read. */
const records = recordingRuleGroups(mixed.network, mixedPlan.clusters[0]).flatMap((g) => g.rules);

describe("dashboards", () => {
  for (const [slug, dashboard] of Object.entries(dashboards(local.network, localPlan))) {
    it(`${slug}: every query parses as PromQL`, () => {
      const queries = dashboardQueries(dashboard);
      assert.ok(queries.length > 0);
      for (const query of queries) assert.deepEqual(parseErrors(query), [], `${slug}: ${query}`);
    });
  }

  it("every alert and recording rule expression parses as PromQL too", () => {
    for (const r of [...rules, ...records]) assert.deepEqual(parseErrors(r.expr), [], r.expr);
  });

  it("the parser catches a broken query (the check can fail)", () => {
    assert.notDeepEqual(parseErrors("sum by (node) (rate(up[5m])"), []);
  });

  it("docs/monitoring.md lists every metric the rules and dashboards select; docs/alerts.md has every alert", () => {
    const monitoring = readFileSync("docs/monitoring.md", "utf8");
    const table = monitoring.slice(monitoring.indexOf("### Metrics used"));
    const queries = [
      ...rules.map((r) => r.expr),
      ...records.map((r) => r.expr),
      ...Object.values(dashboards(local.network, localPlan)).flatMap(dashboardQueries),
    ];
    const names = new Set(queries.flatMap(metricNames));
    for (const name of ["chain_head_block", "ethereum_peer_count", "kubelet_volume_stats_available_bytes"])
      assert.ok(names.has(name), name);
    for (const record of Object.values(RECORDED)) assert.ok(names.has(record), record);
    for (const name of names)
      assert.ok(table.includes(name), `docs/monitoring.md's metrics table lists ${name}`);
    assert.ok(table.includes(METRICS.tesseraPartyInfoReceived.replace(".*", "*")));
    const runbook = readFileSync("docs/alerts.md", "utf8");
    for (const alert of ALERT_NAMES) assert.ok(runbook.includes(`#### \`${alert}\``), `runbook: ${alert}`);
  });

  it("the overview colours live validators by the network's own quorum", () => {
    const overview = dashboards(local.network, localPlan)["network-overview"];
    const steps = overview.panels[0].fieldConfig.defaults.thresholds?.steps.map((s) => s.value);
    assert.deepEqual(steps, [null, 3, 4]);
  });
});

describe("thresholds follow the network's config", () => {
  it("4 validators, block period 5 s: quorum 3, stall after 60 s, lag 8 blocks", () => {
    const t = thresholds(local.network, localPlan);
    assert.deepEqual(
      [t.validators, t.quorum, t.chainStallSeconds, t.lagBlocks, t.expectedPeers],
      [4, 3, 60, 8, 6],
    );
  });

  it("another stack gets other thresholds, in the rules themselves", () => {
    const config = stackConfig([localCluster("b", { nodes: { validators: 7, rpc: 2 } })], {
      blockPeriodSeconds: 2,
      emptyBlockPeriodSeconds: 30,
    });
    const plan = planOf(config);
    const t = thresholds(config.network, plan);
    assert.deepEqual(
      [t.validators, t.quorum, t.blockIntervalSeconds, t.chainStallSeconds, t.lagBlocks, t.expectedPeers],
      [7, 5, 30, 90, 17, 8],
    );
    const rules = Object.fromEntries(
      networkRuleGroups(config.network, plan)[0].rules.map((r) => [r.alert, r]),
    );
    assert.match(rules.QbftValidatorsAtQuorum.expr, / == 5$/);
    assert.match(rules.QbftValidatorsBelowQuorum.expr, / < 5$/);
    assert.match(rules.GoQuorumChainNotAdvancing.expr, /offset 90s\)$/);
    assert.match(rules.GoQuorumNodeLagging.expr, / > 17$/);
    const cluster = clusterRuleGroups(config.network, plan, plan.clusters[0])[0].rules;
    assert.match(cluster.find((r) => r.alert === "GoQuorumPeersBelowExpected")?.expr ?? "", / < 8$/);
  });

  it("no at-quorum alert where the network has no spare validator", () => {
    const config = stackConfig([localCluster("c", { nodes: { validators: 2 } })]);
    const names = networkRuleGroups(config.network, planOf(config))[0].rules.map((r) => r.alert);
    assert.ok(!names.includes("QbftValidatorsAtQuorum"));
    assert.ok(names.includes("QbftValidatorsBelowQuorum"));
  });
});

describe("one view across clusters", () => {
  it("the central cluster federates every other cloud cluster at its planned monitoring address", () => {
    const west = multiPlan.clusters.find((c) => c.name === "west");
    const east = multiPlan.clusters.find((c) => c.name === "east");
    assert.ok(west && east);
    assert.ok(east.monitoringEndpointIp);
    const endpoints = east.subnets.filter((s) => s.purpose === "endpoints");
    assert.ok(!east.nodes.some((n) => n.endpointIp === east.monitoringEndpointIp), "not a node's address");
    assert.deepEqual(remotePrometheuses("west", multiPlan), [
      { cluster: "east", address: `${east.monitoringEndpointIp}:9090` },
    ]);
    assert.ok(endpoints.length > 0);
    const values = chartValues({ network: multi.network, plan: multiPlan, cluster: west });
    const [federate] = values.prometheus.prometheusSpec.additionalScrapeConfigs;
    assert.deepEqual(federate.static_configs[0].targets, [`${east.monitoringEndpointIp}:9090`]);
    assert.equal(federate.honor_labels, true);
    assert.equal(values.grafana.enabled, true);
    assert.equal(
      chartValues({ network: multi.network, plan: multiPlan, cluster: east }).grafana.enabled,
      false,
    );
    // Network-wide rules only where every validator is visible.
    const groups = (c: typeof west) =>
      chartValues({ network: multi.network, plan: multiPlan, cluster: c }).additionalPrometheusRulesMap
        .goquorum.groups;
    assert.ok(groups(west).some((g) => g.name === "goquorum-network"));
    assert.ok(!groups(east).some((g) => g.name === "goquorum-network"));
  });

  it("the federation endpoint admits only the central cluster's ranges, on an internal load balancer", () => {
    const east = multiPlan.clusters.find((c) => c.name === "east");
    const west = multiPlan.clusters.find((c) => c.name === "west");
    assert.ok(east && west);
    const service = federationService(multi.network, east, multiPlan);
    assert.ok(service);
    assert.deepEqual(service.spec?.loadBalancerSourceRanges, [west.cidr, west.podCidr].filter(Boolean));
    assert.equal(federationService(multi.network, west, multiPlan), undefined);
  });

  it("no node endpoint can take the monitoring endpoint, even in a full endpoints subnet", () => {
    const endpoints = {
      name: "endpoints",
      purpose: "endpoints" as const,
      cidr: "10.90.0.16/28",
      usableAddresses: 11,
    };
    const full = [0, 1, 2].map((role) => endpointCapacity(16, role));
    const [cluster] = stackConfig([
      awsCluster("small", { zones: 1, nodes: { validators: full[0], rpc: full[1], members: full[2] } }),
    ]).clusters;
    const { nodes, issues } = planNodes(cluster, "clusters[0]", ["eu-west-1a"], [endpoints]);
    assert.deepEqual(issues, []);
    const nodeAddresses = nodes.map((n) => n.endpointIp);
    assert.equal(new Set(nodeAddresses).size, full[0] + full[1] + full[2]);
    // The last address but one of the subnet (the last is the cloud's), and no node's.
    const monitoring = monitoringEndpointIp([endpoints]);
    assert.equal(monitoring, "10.90.0.30");
    assert.ok(!nodeAddresses.includes(monitoring));
  });

  it("a central cluster that does not exist is a config error", () => {
    const { issues } = planNetwork(
      stackConfig([localCluster("a")], { monitoring: { centralCluster: "nope" } }),
    );
    assert.ok(issues.some((i) => i.severity === "error" && i.path === "network.monitoring.centralCluster"));
  });
});

describe("nothing public by default", () => {
  it("Prometheus, Alertmanager and Grafana are ClusterIP Services", () => {
    const values = chartValues({ network: local.network, plan: localPlan, cluster: localPlan.clusters[0] });
    assert.equal(values.prometheus.service.type, "ClusterIP");
    assert.equal(values.alertmanager.service.type, "ClusterIP");
    assert.ok(
      "service" in values.grafana && values.grafana.enabled && values.grafana.service.type === "ClusterIP",
    );
  });

  it("scrapes no control-plane component, whose default alerts would fire forever on managed clusters", () => {
    const values = chartValues({ network: local.network, plan: localPlan, cluster: localPlan.clusters[0] });
    const { kubeControllerManager, kubeScheduler, kubeEtcd, kubeProxy } = values;
    for (const component of [kubeControllerManager, kubeScheduler, kubeEtcd, kubeProxy])
      assert.equal(component.enabled, false);
  });
});

describe("alert receivers", () => {
  const receivers = [
    { name: "ops-hook", type: "webhook" as const },
    { name: "ops-slack", type: "slack" as const, channel: "#alerts" },
    {
      name: "ops-mail",
      type: "email" as const,
      to: "a@b.c",
      from: "q@b.c",
      smarthost: "smtp:587",
      username: "q",
    },
    { name: "ops-pd", type: "pagerduty" as const },
  ];
  const credentials = {
    "ops-hook": "https://hooks.example.org/alerts",
    "ops-slack": "https://hooks.slack.example.org/services/T0/B0/X",
    "ops-mail": "smtp-password",
    "ops-pd": "pagerduty-routing-key",
  };

  it("puts each credential in its receiver and routes every alert to every receiver", () => {
    const config = alertmanagerConfig({ receivers }, "a", credentials) as {
      route: { receiver: string; routes: { receiver: string; continue?: boolean; matchers?: string[] }[] };
      receivers: Record<string, { [k: string]: unknown }[]>[];
    };
    assert.equal(config.route.receiver, NULL_RECEIVER);
    assert.deepEqual(
      config.route.routes.map((r) => [r.receiver, r.continue]),
      [[NULL_RECEIVER, undefined], ...receivers.map((r) => [r.name, true])],
    );
    assert.deepEqual(config.route.routes[0].matchers, ['alertname=~"Watchdog|InfoInhibitor"']);
    const text = JSON.stringify(config.receivers);
    assert.ok(text.includes('"url":"https://hooks.example.org/alerts"'));
    assert.ok(text.includes('"api_url":"https://hooks.slack.example.org/services/T0/B0/X"'));
    assert.ok(text.includes('"auth_password":"smtp-password"'));
    assert.ok(text.includes('"routing_key":"pagerduty-routing-key"'));
  });

  it("is a configuration Alertmanager accepts (amtool check-config)", needs("amtool"), () => {
    for (const config of [
      alertmanagerConfig({ receivers }, "a", credentials),
      alertmanagerConfig({ receivers: [] }, "a", {}),
    ]) {
      const result = run("amtool", ["check-config", "alertmanager.yaml"], { "alertmanager.yaml": config });
      assert.equal(result.status, 0, result.output);
    }
  });

  it("refuses a receiver without its secret credential, naming the key", () => {
    assert.throws(() => alertmanagerConfig({ receivers }, "a", {}), /alertingSecrets\.ops-hook/);
  });

  it("refuses a webhook or Slack credential that is not an http(s) URL", () => {
    assert.throws(
      () => alertmanagerConfig({ receivers }, "a", { ...credentials, "ops-slack": "xoxb-token" }),
      /alertingSecrets\.ops-slack must be an http\(s\) URL/,
    );
  });

  it("with no receiver, alerts go to the null receiver", () => {
    assert.deepEqual(alertmanagerConfig({ receivers: [] }, "a", {}), {
      route: {
        receiver: NULL_RECEIVER,
        group_by: ["alertname", "network", "cluster"],
        group_wait: "30s",
        group_interval: "5m",
        repeat_interval: "4h",
        routes: [{ receiver: NULL_RECEIVER, matchers: ['alertname=~"Watchdog|InfoInhibitor"'] }],
      },
      receivers: [{ name: NULL_RECEIVER }],
    });
  });
});

describe("the dead man's switch", () => {
  const receivers = [
    { name: "ops-hook", type: "webhook" as const },
    { name: "ops-pd", type: "pagerduty" as const },
  ];
  const credentials = {
    "ops-hook": "https://hooks.example.org/alerts",
    "ops-pd": "pagerduty-routing-key",
    "heartbeat-a": "https://hc-ping.example.org/a-uuid",
    "heartbeat-b": "https://hc-ping.example.org/b-uuid",
  };
  const heartbeat = { repeatInterval: "7m" };
  type Route = {
    receiver: string;
    matchers?: string[];
    group_interval?: string;
    repeat_interval?: string;
    routes?: Route[];
  };
  type Config = {
    route: Route;
    receivers: { name: string; webhook_configs?: { url: string; send_resolved: boolean }[] }[];
  };
  const config = alertmanagerConfig({ receivers, heartbeat }, "a", credentials) as Config;
  /** amtool's routing of an alert with these labels: the receivers it reaches, in order. */
  const routed = (cfg: unknown, labels: readonly string[]) =>
    run("amtool", ["config", "routes", "test", "--config.file=alertmanager.yaml", ...labels], {
      "alertmanager.yaml": cfg,
    });
  const labelsOf = (alertname: string) => [`alertname=${alertname}`, "network=testnet", "cluster=a"];

  it("routes Watchdog to this cluster's heartbeat and nowhere else (amtool)", needs("amtool"), () => {
    const result = routed(config, labelsOf(WATCHDOG));
    assert.equal(result.status, 0, result.output);
    assert.equal(result.output.split("\n")[0], "heartbeat-a");
    assert.equal(
      run("amtool", ["check-config", "alertmanager.yaml"], { "alertmanager.yaml": config }).status,
      0,
    );
  });

  it("sends no other alert to the heartbeat (amtool)", needs("amtool"), () => {
    // Every alert of this project, the chart's inhibition helper and one of its default alerts.
    for (const alert of [...ALERT_NAMES, "InfoInhibitor", "KubePodCrashLooping"]) {
      const result = routed(config, labelsOf(alert));
      assert.equal(result.status, 0, result.output);
      const reached = result.output.split("\n")[0].split(",");
      assert.ok(!reached.includes("heartbeat-a"), `${alert}: ${reached}`);
      assert.deepEqual(reached, alert === "InfoInhibitor" ? [NULL_RECEIVER] : ["ops-hook", "ops-pd"], alert);
    }
  });

  it("pings every repeatInterval: the heartbeat route repeats at it and flushes every minute", () => {
    const routes = config.route.routes ?? [];
    const toHeartbeat = routes.filter((r) => r.receiver === "heartbeat-a");
    assert.equal(toHeartbeat.length, 1, "one route reaches the heartbeat");
    assert.deepEqual(toHeartbeat[0].matchers, [`alertname="${WATCHDOG}"`]);
    assert.deepEqual([toHeartbeat[0].repeat_interval, toHeartbeat[0].group_interval], ["7m", "1m"]);
    // Without its own timers the route would inherit the root's 4-hour repeat.
    assert.equal(config.route.repeat_interval, "4h");
  });

  it("pings the heartbeat URL of its own cluster, never a resolved notification", () => {
    const own = (cluster: string) =>
      (alertmanagerConfig({ receivers, heartbeat }, cluster, credentials) as Config).receivers.filter((r) =>
        r.name.startsWith("heartbeat-"),
      );
    assert.deepEqual(own("a"), [
      { name: "heartbeat-a", webhook_configs: [{ url: credentials["heartbeat-a"], send_resolved: false }] },
    ]);
    assert.deepEqual(own("b")[0]?.webhook_configs?.[0]?.url, credentials["heartbeat-b"]);
  });

  it("without a heartbeat, Watchdog goes to the null receiver as before (amtool)", needs("amtool"), () => {
    const result = routed(alertmanagerConfig({ receivers }, "a", credentials), labelsOf(WATCHDOG));
    assert.equal(result.output.split("\n")[0], NULL_RECEIVER);
  });

  it("refuses a heartbeat without its secret URL, or one that is not a URL, naming the key", () => {
    const { "heartbeat-a": _, ...withoutA } = credentials;
    assert.throws(
      () => alertmanagerConfig({ receivers, heartbeat }, "a", withoutA),
      /alertingSecrets\.heartbeat-a is not .*--path 'alertingSecrets\.heartbeat-a'/,
    );
    assert.throws(
      () => alertmanagerConfig({ receivers, heartbeat }, "a", { ...credentials, "heartbeat-a": "hc-uuid" }),
      /alertingSecrets\.heartbeat-a must be an http\(s\) URL/,
    );
  });

  it("accepts whole minutes from 1m as the repeat interval and refuses the rest", () => {
    const parse = (repeatInterval: string) =>
      planRawConfig({
        "goquorum:network": { name: "testnet", chainId: 1337, monitoring: { heartbeat: { repeatInterval } } },
        "goquorum:clusters": [{ name: "a", provider: "local", nodes: { validators: 1 } }],
      }).issues.filter((i) => i.path === "network.monitoring.heartbeat.repeatInterval");
    for (const ok of ["1m", "999m"]) assert.deepEqual(parse(ok), [], ok);
    for (const bad of ["0m", "1000m", "90s", "1h"]) assert.equal(parse(bad).length, 1, bad);
  });
});

describe("the plan says what monitoring will not do", () => {
  const runbookUrl = "https://git.example.org/ops/goquorum/-/blob/main/docs/alerts.md";
  const raw = (monitoring: object, clusters: object[]) => ({
    "goquorum:network": { name: "testnet", chainId: 1337, monitoring: { runbookUrl, ...monitoring } },
    "goquorum:clusters": clusters,
  });
  const warnings = (r: ReturnType<typeof planRawConfig>) =>
    withoutUnmaintained(r.issues)
      .filter((i) => i.severity === "warning")
      .map((i) => i.path);

  it("warns that alerts go nowhere without a receiver, and that a dead pipeline is silent without a heartbeat", () => {
    const cluster = { name: "a", provider: "local", nodes: { validators: 4 }, enforcesNetworkPolicies: true };
    assert.deepEqual(warnings(planRawConfig(raw({}, [cluster]))), ["network.monitoring.receivers"]);
    const receivers = [{ name: "ops", type: "webhook" }];
    assert.deepEqual(warnings(planRawConfig(raw({ receivers }, [cluster]))), [
      "network.monitoring.heartbeat",
    ]);
    const withHeartbeat = raw({ receivers, heartbeat: {} }, [cluster]);
    assert.deepEqual(warnings(planRawConfig(withHeartbeat)), []);
  });

  it("refuses a receiver named like a cluster's heartbeat, whose secret key it would share", () => {
    const clusters = ["a", "b"].map((name) => ({ name, provider: "local", nodes: { validators: 1 } }));
    const named = (name: string) =>
      planRawConfig(raw({ receivers: [{ name, type: "webhook" }] }, clusters)).issues.filter(
        (i) => i.severity === "error" && i.path === "network.monitoring.receivers[0].name",
      );
    assert.equal(named("heartbeat-b").length, 1);
    assert.deepEqual(named("heartbeat-c"), []);
  });

  it("refuses a receiver name used twice", () => {
    const twice = [
      { name: "ops", type: "webhook" },
      { name: "ops", type: "pagerduty" },
    ];
    const r = planRawConfig(
      raw({ receivers: twice }, [{ name: "a", provider: "local", nodes: { validators: 1 } }]),
    );
    assert.ok(
      r.issues.some((i) => i.severity === "error" && i.path === "network.monitoring.receivers[1].name"),
    );
  });
});

describe("alerts link to their runbook section by absolute URL", () => {
  const base = "https://git.example.org/ops/goquorum/-/blob/main/docs/alerts.md";
  // Two clusters with two members and spare validators: every alert the program defines is generated.
  const config = stackConfig(
    [
      awsCluster("east", { nodes: { validators: 2, members: 1 } }),
      awsCluster("west", { nodes: { validators: 2, members: 1 } }),
    ],
    { monitoring: { runbookUrl: base } },
  );
  const plan = planOf(config);
  const allRules = (c: Config, p: NetworkPlan) =>
    [
      ...p.clusters.flatMap((cluster) => clusterRuleGroups(c.network, p, cluster)),
      ...networkRuleGroups(c.network, p),
    ].flatMap((g) => g.rules);

  it("every alert's runbook_url is absolute and its anchor is a heading of docs/alerts.md", () => {
    const headings = anchors(readFileSync("docs/alerts.md", "utf8"));
    const rules = allRules(config, plan);
    assert.deepEqual(
      new Set(rules.map((r) => r.alert)),
      new Set(ALERT_NAMES),
      "every alert is generated here",
    );
    for (const r of rules) {
      const url = new URL(r.annotations.runbook_url ?? "");
      assert.equal(`${url.origin}${url.pathname}`, base, r.alert);
      assert.ok(headings.has(url.hash.slice(1)), `${r.alert}: docs/alerts.md has no heading ${url.hash}`);
    }
  });

  it("without a runbook URL in the config or package.json, alerts carry none and the plan says so", () => {
    const bare = stackConfig([localCluster("a", { nodes: { validators: 4 } })]);
    const rules = allRules(bare, planOf(bare));
    const warned = planRawConfig({
      "goquorum:network": { name: "testnet", chainId: 1337 },
      "goquorum:clusters": [{ name: "a", provider: "local", nodes: { validators: 4 } }],
    }).issues.filter((i) => i.path === "network.monitoring.runbookUrl");
    if (DEFAULT_RUNBOOK_URL === undefined) {
      assert.ok(rules.every((r) => r.annotations.runbook_url === undefined));
      assert.equal(warned.length, 1);
      assert.match(warned[0].message, /docs\/alerts\.md/);
    } else {
      assert.ok(rules.every((r) => r.annotations.runbook_url?.startsWith(`${DEFAULT_RUNBOOK_URL}#`)));
      assert.deepEqual(warned, []);
    }
  });

  it("builds the default from package.json's repository on GitHub, and from nothing else", () => {
    const url = "https://github.com/acme/quorum-net/blob/main/docs/alerts.md";
    for (const repository of [
      "acme/quorum-net",
      "github:acme/quorum-net",
      "https://github.com/acme/quorum-net",
      "git+https://github.com/acme/quorum-net.git",
      "git@github.com:acme/quorum-net.git",
      { type: "git", url: "git+ssh://git@github.com/acme/quorum-net.git" },
    ]) {
      assert.equal(runbookUrlFromRepository(repository), url, JSON.stringify(repository));
    }
    for (const repository of [
      undefined,
      42,
      {},
      "https://gitlab.com/acme/quorum-net",
      "gitlab:acme/quorum-net",
    ]) {
      assert.equal(runbookUrlFromRepository(repository), undefined, JSON.stringify(repository));
    }
  });

  it("refuses a runbook URL that is relative or carries its own #fragment", () => {
    const issues = (runbookUrl: string) =>
      planRawConfig({
        "goquorum:network": { name: "testnet", chainId: 1337, monitoring: { runbookUrl } },
        "goquorum:clusters": [{ name: "a", provider: "local", nodes: { validators: 1 } }],
      }).issues.filter((i) => i.severity === "error" && i.path === "network.monitoring.runbookUrl");
    assert.deepEqual(issues(base), []);
    for (const bad of ["docs/alerts.md", `${base}#runbook`, "ftp://example.org/alerts.md"]) {
      assert.equal(issues(bad).length, 1, bad);
    }
  });
});
