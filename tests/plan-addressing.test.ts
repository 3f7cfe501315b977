import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { StackConfig, StackConfigInput } from "../infra/config/schema";
import { assignRanges, type ClusterRanges, preferredSlot, type RangeKind } from "../infra/plan/addressing";
import { type Cidr, cidr, cidrContains, cidrsOverlap, formatCidr, nthSubnet } from "../infra/plan/cidr";
import { awsCluster, azureCluster, stackConfig } from "./helpers/config";

type ClusterInput = StackConfigInput["clusters"][number];
const KINDS: readonly RangeKind[] = ["cidr", "serviceCidr", "podCidr"];
const SUPERNETS: Readonly<Record<RangeKind, { supernet: Cidr; prefix: number }>> = {
  cidr: { supernet: cidr("10.64.0.0/10"), prefix: 16 },
  serviceCidr: { supernet: cidr("172.16.0.0/13"), prefix: 20 },
  podCidr: { supernet: cidr("100.64.0.0/10"), prefix: 16 },
};

/** A cloud cluster in any CNI mode, sometimes with given ranges (inside or outside the supernets). */
const clusterArb = (name: string): fc.Arbitrary<ClusterInput> =>
  fc
    .record({
      aws: fc.boolean(),
      awsMode: fc.constantFrom("secondary-ip", "prefix-delegation", "custom-networking"),
      azureMode: fc.constantFrom("node-subnet", "pod-subnet", "overlay"),
      cidr: fc.option(fc.integer({ min: 0, max: 127 }), { freq: 3 }),
      serviceCidr: fc.option(fc.integer({ min: 0, max: 255 }), { freq: 4 }),
    })
    .map(({ aws, awsMode, azureMode, cidr: vpc, serviceCidr }) => {
      const given = {
        ...(vpc === null ? {} : { cidr: formatCidr(nthSubnet(cidr("10.0.0.0/9"), 16, vpc)) }),
        ...(serviceCidr === null
          ? {}
          : { serviceCidr: formatCidr(nthSubnet(cidr("172.16.0.0/12"), 20, serviceCidr)) }),
      };
      return aws
        ? awsCluster(name, { ...given, cni: { mode: awsMode as "secondary-ip" } })
        : azureCluster(name, { ...given, cni: { mode: azureMode as "overlay" } });
    });

const namesArb = (min: number, max: number) =>
  fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9]{0,9}$/), { minLength: min, maxLength: max });

const clustersArb = (min: number, max: number) =>
  namesArb(min, max).chain((names) => fc.tuple(...names.map(clusterArb)));

const rangesByName = (config: StackConfig) => {
  const { ranges } = assignRanges(config);
  return new Map(config.clusters.map((c, i) => [c.name, ranges[i]]));
};

const everyRange = (ranges: readonly ClusterRanges[]) =>
  ranges.flatMap((r, i) =>
    KINDS.flatMap((kind) => (r[kind] ? [{ i, kind, ...(r[kind] as object) }] : [])),
  ) as {
    i: number;
    kind: RangeKind;
    cidr: Cidr;
    allocated: boolean;
  }[];

describe("range allocation", () => {
  it("allocates inside the supernets, never meeting any other range", () => {
    fc.assert(
      fc.property(clustersArb(1, 12), (clusters) => {
        const config = stackConfig(clusters);
        const { ranges } = assignRanges(config);
        const all = everyRange(ranges);
        for (const a of all.filter((r) => r.allocated)) {
          const { supernet, prefix } = SUPERNETS[a.kind];
          assert.equal(a.cidr.prefix, prefix);
          assert.ok(cidrContains(supernet, a.cidr));
          for (const b of all) {
            if (b !== a)
              assert.ok(!cidrsOverlap(a.cidr, b.cidr), `${formatCidr(a.cidr)} meets ${formatCidr(b.cidr)}`);
          }
        }
      }),
    );
  });

  it("gives every cluster the ranges its CNI mode needs", () => {
    const config = stackConfig([
      awsCluster("sec"),
      awsCluster("custom", { cni: { mode: "custom-networking" } }),
      azureCluster("legacy", { cni: { mode: "node-subnet" } }),
      azureCluster("overlay", { cni: { mode: "overlay" } }),
    ]);
    const { ranges, issues } = assignRanges(config);
    assert.deepEqual(issues, []);
    assert.deepEqual(
      ranges.map((r) => KINDS.filter((k) => r[k])),
      [["cidr", "serviceCidr"], KINDS, ["cidr", "serviceCidr"], KINDS],
    );
  });

  it("starts at the block the cluster name hashes to", () => {
    const config = stackConfig([awsCluster("alpha")]);
    const [alpha] = assignRanges(config).ranges;
    assert.deepEqual(alpha.cidr?.cidr, nthSubnet(SUPERNETS.cidr.supernet, 16, preferredSlot("alpha", 64)));
  });

  it("never moves an existing allocation when a cluster is appended", () => {
    fc.assert(
      fc.property(clustersArb(1, 10), namesArb(1, 1), (clusters, [extra]) => {
        fc.pre(!clusters.some((c) => c.name === extra));
        const before = rangesByName(stackConfig(clusters));
        const after = rangesByName(
          stackConfig([...clusters, azureCluster(extra, { cni: { mode: "pod-subnet" } })]),
        );
        for (const [name, ranges] of before) assert.deepEqual(after.get(name), ranges);
      }),
    );
  });

  it("never moves an existing allocation when a cluster whose ranges are free is inserted anywhere", () => {
    fc.assert(
      fc.property(clustersArb(1, 10), clusterArb("newcomer"), fc.nat(), (clusters, extra, at) => {
        fc.pre(!clusters.some((c) => c.name === extra.name));
        const position = at % (clusters.length + 1);
        const withExtra = [...clusters.slice(0, position), extra, ...clusters.slice(position)];
        const before = rangesByName(stackConfig(clusters));
        const after = rangesByName(stackConfig(withExtra));
        const added = everyRange([after.get(extra.name) as ClusterRanges]);
        const old = everyRange([...before.values()]);
        fc.pre(added.every((a) => old.every((o) => !cidrsOverlap(a.cidr, o.cidr))));
        for (const [name, ranges] of before) assert.deepEqual(after.get(name), ranges);
      }),
    );
  });

  it("warns, with the value that pins it, when a cluster's preferred block is taken", () => {
    const preferred = formatCidr(nthSubnet(SUPERNETS.cidr.supernet, 16, preferredSlot("beta", 64)));
    const config = stackConfig([awsCluster("alpha", { cidr: preferred }), awsCluster("beta")]);
    const { ranges, issues } = assignRanges(config);
    const beta = formatCidr(ranges[1].cidr?.cidr as Cidr);
    assert.notEqual(beta, preferred);
    const issue = issues.find((i) => i.path === "clusters[1].cidr");
    assert.equal(issue?.severity, "warning");
    assert.match(
      issue?.message ?? "",
      new RegExp(`prefers, ${preferred}, meets clusters\\[0\\]\\.cidr.*Set cidr: ${beta}`),
    );
  });

  it("keeps Azure clusters' allocations clear of Azure's reserved ranges", () => {
    const names = ["a", "b", "c", "d", "e", "f", "g", "h"];
    const config = stackConfig(
      names.map((n) => azureCluster(n)),
      { addressing: { serviceSupernet: "172.28.0.0/14" } },
    );
    const { ranges, issues } = assignRanges(config);
    assert.deepEqual(
      issues.filter((i) => i.severity === "error"),
      [],
    );
    for (const r of ranges) assert.ok(!cidrsOverlap(r.serviceCidr?.cidr as Cidr, cidr("172.30.0.0/15")));
  });

  it("reports an exhausted supernet", () => {
    const names = ["a", "b", "c", "d", "e"];
    const config = stackConfig(
      names.map((n) => awsCluster(n)),
      { addressing: { supernet: "10.64.0.0/14" } },
    );
    const issue = assignRanges(config).issues.find((i) => i.path === "network.addressing.supernet");
    assert.equal(issue?.severity, "error");
    assert.match(issue?.message ?? "", /no free \/16 block left in 10\.64\.0\.0\/14/);
  });
});
