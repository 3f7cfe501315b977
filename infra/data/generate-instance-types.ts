/**
 * Regenerates `aws-instance-types.json` from the EKS AMI's `instance-info.jsonl`
 * (awslabs/amazon-eks-ami, nodeadm/internal/kubelet/instance-info.jsonl):
 *
 *   npx tsx infra/data/generate-instance-types.ts ../shared/data/eks-instance-info.jsonl
 *
 * The jsonl gives ENIs and IPv4 addresses per ENI. It has no vCPU count, which the
 * prefix-delegation pod cap needs (110 up to 30 vCPUs, 250 above), so vCPUs are derived from the
 * size name by the rule in `vcpusOf`. The rule was checked against EC2's DescribeInstanceTypes
 * data for every type both lists share; where it is wrong the tables below say so.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

interface EksInstanceInfo {
  instanceType: string;
  defaultMaxENIs: number;
  ipv4AddressesPerInterface: number;
}

/** Families on the Xen hypervisor (all previous generation); every other family is built on Nitro. */
const XEN_FAMILIES = new Set([
  "c1",
  "c3",
  "c4",
  "cr1",
  "d2",
  "h1",
  "hs1",
  "i2",
  "i3",
  "m1",
  "m2",
  "m3",
  "m4",
  "r3",
  "r4",
  "t1",
  "t2",
  "x1",
  "x1e",
]);

/** Types whose hypervisor EC2 does not publish: no Nitro flag and no vCPU count is recorded. */
const UNKNOWN_TYPES = new Set(["bmn-sf1.metal"]);

/** Families that run one vCPU per physical core (SMT off), so every size has half the usual count. */
const ONE_THREAD_PER_CORE_FAMILIES = new Set(["hpc6a", "hpc6id", "hpc7a", "hpc8a", "m2"]);

/** Sizes that break the naming rule outright. */
const VCPU_EXCEPTIONS: Readonly<Record<string, number>> = {
  "c1.xlarge": 8,
  "c4.8xlarge": 36,
  "d2.8xlarge": 36,
  "hs1.8xlarge": 16,
};

/** `<family>.metal` carries no size in its name: vCPUs per family, from EC2's instance type data. */
const METAL_VCPUS: Readonly<Record<string, number>> = {
  a1: 16,
  c5: 96,
  c5a: 96,
  c5ad: 96,
  c5d: 96,
  c5n: 72,
  c6a: 192,
  c6g: 64,
  c6gd: 64,
  c6i: 128,
  c6id: 128,
  c6in: 128,
  c7g: 64,
  c7gd: 64,
  c7gn: 64,
  g4dn: 96,
  g5g: 64,
  i3en: 96,
  i4i: 128,
  m5: 96,
  m5d: 96,
  m5dn: 96,
  m5n: 96,
  m5zn: 48,
  m6a: 192,
  m6g: 64,
  m6gd: 64,
  m6i: 128,
  m6id: 128,
  m6idn: 128,
  m6in: 128,
  m7g: 64,
  m7gd: 64,
  "mac-m3ultra": 28,
  "mac-m4": 10,
  "mac-m4max": 16,
  "mac-m4pro": 14,
  mac1: 12,
  "mac2-m1ultra": 20,
  "mac2-m2": 8,
  "mac2-m2pro": 12,
  mac2: 8,
  r5: 96,
  r5b: 96,
  r5d: 96,
  r5dn: 96,
  r5n: 96,
  r6a: 192,
  r6g: 64,
  r6gd: 64,
  r6i: 128,
  r6id: 128,
  r6idn: 128,
  r6in: 128,
  r7g: 64,
  r7gd: 64,
  "u-12tb1": 448,
  "u-18tb1": 448,
  "u-24tb1": 448,
  "u-6tb1": 448,
  "u-9tb1": 448,
  x2gd: 64,
  x2idn: 128,
  x2iedn: 128,
  x2iezn: 48,
  z1d: 48,
};

/** Families whose nano/micro/small sizes have 2 vCPUs (t1, t2 and m1 have 1). */
const TWO_VCPU_SMALL = new Set(["t3", "t3a", "t4g"]);
/** Families whose medium size has 2 vCPUs (every other medium has 1). */
const TWO_VCPU_MEDIUM = new Set(["t2", "t3", "t3a", "t4g", "c1"]);

/**
 * vCPUs from the size name: nano/micro/small are 1 vCPU on t1/t2/m1 and 2 on t3/t3a/t4g;
 * medium is 2 on t2/t3/t3a/t4g/c1 and 1 elsewhere (Graviton and single-thread AMD cores);
 * large is 2; xlarge is 4 and Nxlarge 4N; metal-Nxl is 4N; plain metal comes from METAL_VCPUS.
 */
function vcpusOf(instanceType: string): number {
  const [family, size] = instanceType.split(".", 2);
  const exception = VCPU_EXCEPTIONS[instanceType];
  if (exception !== undefined) return exception;
  const scale = ONE_THREAD_PER_CORE_FAMILIES.has(family) ? 0.5 : 1;
  const xlarge = /^(\d*)xlarge$/.exec(size);
  if (xlarge) return 4 * Number(xlarge[1] || 1) * scale;
  const sizedMetal = /^metal-(\d+)xl$/.exec(size);
  if (sizedMetal) return 4 * Number(sizedMetal[1]);
  switch (size) {
    case "nano":
    case "micro":
    case "small":
      return TWO_VCPU_SMALL.has(family) ? 2 : 1;
    case "medium":
      return TWO_VCPU_MEDIUM.has(family) ? 2 : 1;
    case "large":
      return 2;
    case "metal": {
      const metal = METAL_VCPUS[family];
      if (metal === undefined)
        throw new Error(`add ${family} to METAL_VCPUS: ${instanceType} has no size in its name`);
      return metal;
    }
    default:
      throw new Error(`no vCPU rule for size "${size}" of ${instanceType}`);
  }
}

function entry(info: EksInstanceInfo): string {
  const { instanceType } = info;
  const fields: Record<string, unknown> = {
    instanceType,
    enis: info.defaultMaxENIs,
    ipsPerEni: info.ipv4AddressesPerInterface,
  };
  if (!UNKNOWN_TYPES.has(instanceType)) {
    fields.vcpus = vcpusOf(instanceType);
    fields.nitro = !XEN_FAMILIES.has(instanceType.split(".")[0]);
  }
  const body = Object.entries(fields)
    .map(([k, v]) => `"${k}": ${JSON.stringify(v)}`)
    .join(", ");
  return `  { ${body} }`;
}

function main(): void {
  const source = process.argv[2];
  if (!source) throw new Error("usage: tsx infra/data/generate-instance-types.ts <instance-info.jsonl>");
  const infos = readFileSync(source, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as EksInstanceInfo)
    .sort((a, b) => (a.instanceType < b.instanceType ? -1 : a.instanceType > b.instanceType ? 1 : 0));
  // One object per line, the layout biome keeps, so regenerating gives a reviewable diff.
  writeFileSync(join(__dirname, "aws-instance-types.json"), `[\n${infos.map(entry).join(",\n")}\n]\n`);
  console.log(`wrote ${infos.length} instance types`);
}

main();
