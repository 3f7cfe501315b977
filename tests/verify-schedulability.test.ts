/**
 * The schedulability check: every pod the program creates fits a node the plan will have, as each cloud
 * labels and taints it, and it catches the pods that would stay Pending.
 */
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { describe, it } from "node:test";
import type { INodeSelectorRequirement } from "kubernetes-models/v1/NodeSelectorRequirement";
import type { StackConfig } from "../infra/config/schema";
import { planNetwork } from "../infra/plan";
import type { ClusterPlan, NetworkPlan } from "../infra/plan/types";
import { planRawConfig, planStackFile } from "../infra/stackPlan";
import { aksNodeGroups, eksNodeGroups } from "../infra/verify/nodeGroups";
import { type NodeGroup, unmetOn } from "../infra/verify/placement";
import { plannedWorkloads } from "../infra/verify/pods";
import { checkPods, checkSchedulability, programStorageClasses } from "../infra/verify/schedulability";
import { awsIngressConfig, azureIngressConfig } from "./fixtures/ingress";
import { awsCluster, azureCluster, localCluster, stackConfig } from "./helpers/config";

const STACKS = readdirSync("stacks")
  .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
  .filter((s): s is string => s !== undefined);

const planned = (config: StackConfig): NetworkPlan => {
  const { plan, issues } = planNetwork(config);
  assert.ok(plan, JSON.stringify(issues));
  return plan;
};

describe("schedulability of the stacks", () => {
  for (const stack of STACKS) {
    it(`${stack}: every pod fits a planned node, each GoQuorum pod exactly its zone's`, () => {
      const { config, plan } = planStackFile(stack);
      assert.ok(config && plan);
      const { report, issues } = checkSchedulability(config, plan);
      assert.deepEqual(issues, []);
      for (const cluster of report.clusters) {
        const clusterPlan: ClusterPlan | undefined = plan.clusters.find((c) => c.name === cluster.cluster);
        const local: boolean = clusterPlan?.provider === "local";
        for (const pod of cluster.pods) {
          assert.equal(pod.verdict, local ? "unchecked" : "schedulable", `${cluster.cluster} ${pod.pod}`);
        }
        for (const node of clusterPlan?.nodes ?? []) {
          const verdict = cluster.pods.find((p) => p.pod.endsWith(`/${node.name}`));
          assert.ok(verdict, node.name);
          if (!local) {
            assert.ok(verdict.fits.length > 0);
            for (const group of verdict.fits)
              assert.ok(group.endsWith(`/${node.zone}`), `${node.name} on ${group}`);
          }
        }
      }
    });
  }
});

describe("schedulability in the stack plan", () => {
  it("runs after planning, carries its report, and its errors stop the plan", () => {
    const raw = {
      "goquorum:network": {
        name: "n",
        chainId: 7,
        workloads: { scheduling: { nodeSelector: { "kubernetes.io/arch": "arm64" } } },
      },
      "goquorum:clusters": [awsCluster("euw1")],
    };
    const refused = planRawConfig(raw);
    assert.equal(refused.plan, undefined);
    assert.ok(refused.schedulability);
    assert.ok(
      refused.issues.some(
        (i) => i.path === "clusters[0]" && /nodeSelector kubernetes\.io\/arch=arm64/.test(i.message),
      ),
    );
    const fine = planRawConfig({ ...raw, "goquorum:network": { name: "n", chainId: 7 } });
    assert.ok(fine.plan);
    assert.equal(fine.schedulability?.clusters[0]?.cluster, "euw1");
    // A plan with errors is not verified.
    const broken = planRawConfig({
      ...raw,
      "goquorum:clusters": [awsCluster("euw1", { cidr: "10.0.0.0/8" })],
    });
    assert.equal(broken.schedulability, undefined);
  });
});

describe("schedulability of published routes", () => {
  for (const [cloud, config] of [
    ["AWS", awsIngressConfig()],
    ["Azure", azureIngressConfig()],
  ] as const) {
    it(`${cloud}: the gateway's controller and proxies and cert-manager fit the planned nodes`, () => {
      const { report, issues } = checkSchedulability(config, planned(config));
      assert.deepEqual(issues, []);
      const pods = report.clusters[0]?.pods ?? [];
      const names = pods.map((p) => p.pod).filter((n) => /envoy|cert-manager/.test(n));
      assert.deepEqual(names.slice(0, 1), ["envoy-gateway controller"]);
      assert.ok(names.some((n) => n.startsWith("envoy proxy ")));
      assert.ok(names.includes("cert-manager webhook"));
      for (const pod of pods) assert.equal(pod.verdict, "schedulable", pod.pod);
    });
  }
});

describe("schedulability: AKS zones", () => {
  const config = stackConfig([azureCluster("weu", { zones: 3, nodes: { validators: 3 } })]);
  const plan = planned(config);
  const [cluster] = plan.clusters;
  const clusterConfig = config.clusters[0];
  assert.ok(cluster && clusterConfig?.provider === "azure");
  const groups = aksNodeGroups(cluster, clusterConfig, config.network);
  const { pods, daemons } = plannedWorkloads(config.network, plan, cluster, clusterConfig);
  const services = { storageClasses: programStorageClasses(clusterConfig), daemons };

  it("labels AKS nodes with the zone as `<region>-<n>` and the pool, while ARM's zone stays the number", () => {
    assert.deepEqual(
      groups.map((g) => [
        g.zone,
        g.labels["topology.kubernetes.io/zone"],
        g.labels["kubernetes.azure.com/agentpool"],
      ]),
      [
        ["1", "westeurope-1", "system"],
        ["2", "westeurope-2", "system"],
        ["3", "westeurope-3", "system"],
      ],
    );
  });

  it("refuses the old bare-number zone affinity, naming the pod and the unmet term", () => {
    const pod = pods.find((p) => p.name === "StatefulSet goquorum/weu-validator-0");
    assert.ok(pod);
    assert.equal(checkPods([pod], groups, services).verdicts[0]?.verdict, "schedulable");
    // What the manifests rendered before AKS's label form was modelled: ARM's zone number.
    const old = {
      ...pod,
      placement: {
        ...pod.placement,
        affinity: {
          ...pod.placement.affinity,
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                {
                  matchExpressions: [
                    { key: "topology.kubernetes.io/zone", operator: "In" as const, values: ["1"] },
                  ],
                },
              ],
            },
          },
        },
      },
    };
    const [verdict] = checkPods([old], groups, services).verdicts;
    assert.equal(verdict?.verdict, "unschedulable");
    assert.deepEqual(verdict?.fits, []);
    assert.match(
      verdict?.unmet?.join() ?? "",
      /system\/1: node affinity topology\.kubernetes\.io\/zone In \[1\] \(the nodes carry westeurope-1\)/,
    );
  });
});

describe("schedulability: selectors and taints", () => {
  it("refuses a user nodeSelector no planned pool carries, and admits it where a pool does", () => {
    const graviton = { workloads: { scheduling: { nodeSelector: { "kubernetes.io/arch": "arm64" } } } };
    const x86 = stackConfig([awsCluster("euw1")], graviton);
    const { issues } = checkSchedulability(x86, planned(x86));
    assert.ok(issues.length > 0);
    for (const issue of issues) {
      assert.equal(issue.path, "clusters[0]");
      assert.match(issue.message, /^StatefulSet goquorum\/euw1-\w+-0 fits no planned node of cluster euw1: /);
      assert.match(issue.message, /nodeSelector kubernetes\.io\/arch=arm64 \(the nodes carry amd64\)/);
    }
    const arm = stackConfig(
      [awsCluster("euw1", { nodePools: [{ name: "default", instanceType: "m7g.xlarge", count: 3 }] })],
      graviton,
    );
    assert.deepEqual(checkSchedulability(arm, planned(arm)).issues, []);
  });

  it("runs the Secrets Store CSI driver on a dedicated, tainted pool, where GoQuorum pods mount their keys", () => {
    const dedicated = stackConfig(
      [
        awsCluster("euw1", {
          nodePools: [
            { name: "system", instanceType: "m6i.large", count: 2 },
            { name: "quorum", instanceType: "m6i.xlarge", count: 3 },
          ],
        }),
      ],
      {
        workloads: {
          scheduling: {
            nodeSelector: { "goquorum.network/pool": "quorum" },
            tolerations: [{ key: "dedicated", value: "goquorum", effect: "NoSchedule" }],
          },
        },
      },
    );
    const { report, issues } = checkSchedulability(dedicated, planned(dedicated));
    assert.deepEqual(issues, []);
    const validator = report.clusters[0]?.pods.find((p) => p.pod === "StatefulSet goquorum/euw1-validator-0");
    assert.deepEqual(validator?.fits, ["euw1-quorum/eu-west-1a"]);
    // The charts stay on the untainted system pool.
    const prometheus = report.clusters[0]?.pods.find((p) => p.pod === "kube-prometheus-stack prometheus");
    assert.ok(prometheus?.fits.every((g) => g.startsWith("euw1-system/")));
  });

  const tainted: NodeGroup = {
    pool: "quorum",
    zone: "eu-west-1a",
    labels: { "goquorum.network/pool": "quorum", "topology.kubernetes.io/zone": "eu-west-1a" },
    taints: [{ key: "dedicated", value: "goquorum", effect: "NoSchedule" }],
  };

  it("refuses a pod on a tainted pool without its toleration; tolerates by key, value and effect", () => {
    const onQuorum = { nodeSelector: { "goquorum.network/pool": "quorum" } };
    assert.equal(unmetOn(onQuorum, tainted), "taint dedicated=goquorum:NoSchedule not tolerated");
    const toleration = {
      key: "dedicated",
      operator: "Equal",
      value: "goquorum",
      effect: "NoSchedule",
    } as const;
    assert.equal(unmetOn({ ...onQuorum, tolerations: [toleration] }, tainted), undefined);
    assert.ok(unmetOn({ ...onQuorum, tolerations: [{ ...toleration, value: "other" }] }, tainted));
    assert.ok(unmetOn({ ...onQuorum, tolerations: [{ ...toleration, effect: "NoExecute" }] }, tainted));
    assert.equal(
      unmetOn({ ...onQuorum, tolerations: [{ key: "dedicated", operator: "Exists" }] }, tainted),
      undefined,
    );
    assert.equal(unmetOn({ ...onQuorum, tolerations: [{ operator: "Exists" }] }, tainted), undefined);
    // PreferNoSchedule never keeps a pod off.
    assert.equal(
      unmetOn(onQuorum, { ...tainted, taints: [{ key: "x", effect: "PreferNoSchedule" }] }),
      undefined,
    );
  });

  it("matches node affinity as the scheduler does: any term, every expression of it", () => {
    const term = (key: string, operator: INodeSelectorRequirement["operator"], values?: string[]) => ({
      matchExpressions: [{ key, operator, ...(values ? { values } : {}) }],
    });
    const affinity = (...terms: ReturnType<typeof term>[]) => ({
      affinity: {
        nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } },
      },
      tolerations: [{ operator: "Exists" as const }],
    });
    const zone = "topology.kubernetes.io/zone";
    assert.equal(
      unmetOn(affinity(term(zone, "In", ["eu-west-1b"]), term(zone, "In", ["eu-west-1a"])), tainted),
      undefined,
    );
    assert.ok(unmetOn(affinity(term(zone, "NotIn", ["eu-west-1a"])), tainted));
    assert.equal(unmetOn(affinity(term(zone, "Exists")), tainted), undefined);
    assert.ok(unmetOn(affinity(term("gpu", "Exists")), tainted));
    assert.equal(unmetOn(affinity(term("gpu", "DoesNotExist")), tainted), undefined);
    // A hostname is known only once the node exists: a pin to one cannot be shown to hold.
    const withHost = { ...tainted, labels: { ...tainted.labels, "kubernetes.io/hostname": null } };
    assert.match(
      unmetOn(affinity(term("kubernetes.io/hostname", "In", ["ip-10-0-0-1"])), withHost) ?? "",
      /kubernetes\.io\/hostname In \[ip-10-0-0-1\] \(the nodes carry a value known only later\)/,
    );
  });
});

describe("schedulability: volumes", () => {
  const config = stackConfig([awsCluster("euw1", { zones: 2, nodes: { validators: 2 } })]);
  const plan = planned(config);
  const [cluster] = plan.clusters;
  const clusterConfig = config.clusters[0];
  assert.ok(cluster && clusterConfig?.provider === "aws");
  const groups = eksNodeGroups(cluster, clusterConfig, config.network);
  const { pods, daemons } = plannedWorkloads(config.network, plan, cluster, clusterConfig);
  const validator = pods.find((p) => p.name === "StatefulSet goquorum/euw1-validator-0");
  assert.ok(validator);
  const gp3 = programStorageClasses(clusterConfig).get("gp3");
  assert.ok(gp3);

  it("binds the zonal gp3 volume where the pod lands (WaitForFirstConsumer), on nodes the EBS CSI driver labels", () => {
    assert.deepEqual(validator.volumes, [{ claim: "data", storageClass: "gp3" }]);
    assert.equal(gp3.volumeBindingMode, "WaitForFirstConsumer");
    const { verdicts } = checkPods([validator], groups, { storageClasses: new Map([["gp3", gp3]]), daemons });
    assert.equal(verdicts[0]?.verdict, "schedulable");
  });

  it("refuses a StorageClass that creates the disk first, in a zone the pinned pod cannot reach", () => {
    const immediate = { ...gp3, volumeBindingMode: "Immediate" as const };
    const [verdict] = checkPods([validator], groups, {
      storageClasses: new Map([["gp3", immediate]]),
      daemons,
    }).verdicts;
    assert.equal(verdict?.verdict, "unschedulable");
    assert.deepEqual(verdict?.unmet, [
      "volume data: StorageClass gp3 binds immediately and may create the disk in eu-west-1b, where the pod fits no node",
    ]);
    const elsewhere = {
      ...gp3,
      allowedTopologies: [
        { matchLabelExpressions: [{ key: "topology.ebs.csi.aws.com/zone", values: ["eu-west-1b"] }] },
      ],
    };
    assert.deepEqual(
      checkPods([validator], groups, { storageClasses: new Map([["gp3", elsewhere]]), daemons }).verdicts[0]
        ?.unmet,
      ["volume data: StorageClass gp3 allows no zone with a node the pod fits"],
    );
  });

  it("says when a volume's StorageClass is the cluster's own and so not checked", () => {
    const { notes } = checkPods([validator], groups, { storageClasses: new Map(), daemons });
    assert.deepEqual(notes, [
      "StatefulSet goquorum/euw1-validator-0: volume data uses StorageClass gp3, which is the cluster's own: its zones are not checked",
    ]);
  });
});

describe("schedulability: local clusters", () => {
  const config = stackConfig([localCluster("kind", { zones: 2 })]);
  const plan = planned(config);

  it("checks only what can be known of an existing cluster's nodes, and says so", () => {
    const { report, issues } = checkSchedulability(config, plan);
    assert.deepEqual(issues, []);
    const [kind] = report.clusters;
    assert.equal(kind?.checked, "unmanaged-nodes");
    assert.deepEqual(kind?.nodeGroups, []);
    assert.ok(kind?.pods.every((p) => p.verdict === "unchecked"));
    assert.match(
      kind?.notes.join() ?? "",
      /not the program's: only pins to the plan's placeholder zones are checked/,
    );
  });
});
