import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatIssues } from "../infra/config/errors";
import { parseStackConfig, projectKeys } from "../infra/config/load";

const validNetwork = { name: "net", chainId: 1337 };
const localCluster = { name: "kind", provider: "local", nodes: { validators: 4 } };

/** Issues for a `{ network, clusters }` config, as `npm run plan` and `pulumi up` report them. */
function issuesOf(values: Record<string, unknown>) {
  return parseStackConfig(values).issues;
}

function issueAt(values: Record<string, unknown>, path: string) {
  const issues = issuesOf(values);
  const found = issues.find((i) => i.path === path);
  assert.ok(found, `expected an issue at ${path}, got:\n${formatIssues(issues)}`);
  assert.equal(found.severity, "error");
  return found;
}

describe("schema errors name the key, the bad value and what is valid", () => {
  it("a chain id of 1 is refused with the reason", () => {
    const issue = issueAt(
      { network: { ...validNetwork, chainId: 1 }, clusters: [localCluster] },
      "network.chainId",
    );
    assert.match(issue.message, /^1 is too small: must be at least 2/);
    assert.match(issue.message, /mainnet/);
  });

  it("an EKS log retention CloudWatch does not offer, or none at all (0), is refused", () => {
    const aws = {
      name: "a",
      provider: "aws",
      region: "eu-west-1",
      nodePools: [{ name: "p", instanceType: "m6i.large", count: 2 }],
    };
    for (const days of [0, 10, 3654]) {
      const issue = issueAt(
        { network: validNetwork, clusters: [{ ...aws, controlPlaneLogRetentionDays: days }] },
        "clusters[0].controlPlaneLogRetentionDays",
      );
      assert.match(issue.message, new RegExp(`^${days} is not valid: expected one of 1, 3, .*, 3653$`));
    }
    for (const days of [1, 3653])
      assert.deepEqual(
        issuesOf({ network: validNetwork, clusters: [{ ...aws, controlPlaneLogRetentionDays: days }] }),
        [],
      );
  });

  it("a block period of 0 is refused", () => {
    const issue = issueAt(
      { network: { ...validNetwork, blockPeriodSeconds: 0 }, clusters: [localCluster] },
      "network.blockPeriodSeconds",
    );
    assert.match(issue.message, /^0 is too small: must be at least 1/);
  });

  it("negative and absurd node counts are refused", () => {
    const values = {
      network: validNetwork,
      clusters: [{ ...localCluster, nodes: { validators: -1, rpc: 1000 } }],
    };
    assert.match(
      issueAt(values, "clusters[0].nodes.validators").message,
      /^-1 is too small: must be at least 0/,
    );
    assert.match(issueAt(values, "clusters[0].nodes.rpc").message, /^1000 is too big: must be at most 32/);
  });

  it("an unknown provider lists the valid ones", () => {
    const issue = issueAt(
      { network: validNetwork, clusters: [{ name: "g", provider: "gcp" }] },
      "clusters[0].provider",
    );
    assert.match(issue.message, /"gcp"/);
    assert.match(issue.message, /aws/);
    assert.match(issue.message, /azure/);
    assert.match(issue.message, /local/);
  });

  it("a misspelt key is reported, not ignored", () => {
    const issue = issueAt(
      { network: { ...validNetwork, blockPeriod: 2 }, clusters: [localCluster] },
      "network",
    );
    assert.match(issue.message, /unknown key "blockPeriod"/);
  });

  it("a misspelt nested key is reported wherever it is", () => {
    const issue = issueAt(
      {
        network: { ...validNetwork, workloads: { rpc: { api: ["eth"] } } },
        clusters: [{ ...localCluster, nodes: { validator: 4 } }],
      },
      "network.workloads.rpc",
    );
    assert.match(issue.message, /unknown key "api"/);
    assert.match(
      issueAt(
        { network: validNetwork, clusters: [{ ...localCluster, nodes: { validator: 4 } }] },
        "clusters[0].nodes",
      ).message,
      /unknown key "validator"/,
    );
  });

  it("a misspelt key gets the closest keys allowed where it stands, for the cluster's provider", () => {
    const aws = {
      name: "a",
      provider: "aws",
      region: "eu-west-1",
      natGateway: "single",
      nodePools: [{ name: "p", instanceType: "m6i.large", count: 2, rootVolumeGib: 50 }],
    };
    const azure = {
      name: "b",
      provider: "azure",
      region: "westeurope",
      deployerRanges: ["198.51.100.0/24"],
      nodePools: [{ name: "p", vmSize: "Standard_D4s_v5", count: 2 }],
    };
    const values = {
      network: { ...validNetwork, blockPeriodSecond: 2, workloads: { storagesize: "10Gi" } },
      clusters: [aws, azure],
    };
    const expected: [string, string][] = [
      ["network", 'unknown key "blockPeriodSecond". Did you mean blockPeriodSeconds?'],
      ["network.workloads", 'unknown key "storagesize". Did you mean storageSize?'],
      ["clusters[0]", 'unknown key "natGateway". Did you mean natGateways?'],
      ["clusters[0].nodePools[0]", 'unknown key "rootVolumeGib". Did you mean rootVolumeGiB?'],
      ["clusters[1]", '"deployerRanges" was replaced by apiAccess.publicRanges: see docs/deployer-path.md'],
    ];
    for (const [path, message] of expected) assert.equal(issueAt(values, path).message, message);
    // Nothing close: no guess.
    assert.equal(
      issueAt({ network: { ...validNetwork, zzz: 1 }, clusters: [localCluster] }, "network").message,
      'unknown key "zzz".',
    );
    assert.match(
      projectKeys({ "goquorum:netwrok": {} }).issues[0]?.message ?? "",
      /^unknown config key\. Did you mean goquorum:network\? The program reads goquorum:network, /,
    );
  });

  it("a Kubernetes version without native sidecars or the CSI driver is refused", () => {
    const aws = {
      name: "a",
      provider: "aws",
      region: "eu-west-1",
      kubernetesVersion: "1.28",
      nodePools: [{ name: "p", instanceType: "m6i.large", count: 2 }],
    };
    const issue = issueAt({ network: validNetwork, clusters: [aws] }, "clusters[0].kubernetesVersion");
    assert.match(issue.message, /"1\.28".*1\.30 or later/);
    const at29 = issueAt(
      { network: validNetwork, clusters: [{ ...aws, kubernetesVersion: "1.29" }] },
      "clusters[0].kubernetesVersion",
    );
    assert.match(at29.message, /1\.30 or later.*Secrets Store CSI driver/);
  });

  it("a malformed cluster name shows the value and the rule", () => {
    const issue = issueAt(
      { network: validNetwork, clusters: [{ ...localCluster, name: "Prod_1" }] },
      "clusters[0].name",
    );
    assert.match(issue.message, /"Prod_1"/);
    assert.match(issue.message, /lowercase/);
  });

  it("a missing required key says so", () => {
    const issue = issueAt({ network: { name: "net" }, clusters: [localCluster] }, "network.chainId");
    assert.match(issue.message, /is required/);
  });

  it("reports every problem at once", () => {
    const issues = issuesOf({
      network: { ...validNetwork, chainId: 1, blockPeriodSeconds: 0 },
      clusters: [
        { ...localCluster, nodes: { validators: -2 } },
        { name: "x", provider: "gcp" },
      ],
    });
    assert.deepEqual(issues.map((i) => i.path).sort(), [
      "clusters[0].nodes.validators",
      "clusters[1].provider",
      "network.blockPeriodSeconds",
      "network.chainId",
    ]);
  });

  it("fills defaults so a minimal config is complete", () => {
    const parsed = parseStackConfig({ network: validNetwork, clusters: [localCluster] });
    assert.ok(parsed.config);
    assert.equal(parsed.config.network.consensus, "qbft");
    assert.equal(parsed.config.network.blockPeriodSeconds, 5);
    assert.deepEqual(parsed.config.network.workloads.rpc.apis, ["eth", "net", "web3", "txpool", "istanbul"]);
    assert.equal(parsed.config.clusters[0].namespace, "goquorum");
  });
});

describe("stack file keys", () => {
  it("ignores other namespaces and strips the project prefix", () => {
    const { values, issues } = projectKeys({ "aws:region": "eu-west-1", "goquorum:network": validNetwork });
    assert.deepEqual(issues, []);
    assert.deepEqual(values, { network: validNetwork });
  });

  it("refuses unknown goquorum keys", () => {
    const { issues } = projectKeys({ "goquorum:netwrk": {} });
    assert.equal(issues[0].path, "goquorum:netwrk");
    assert.match(issues[0].message, /goquorum:network/);
  });

  it("refuses a secret where the plan must print the value", () => {
    const { issues } = projectKeys({ "goquorum:network": { name: "n", chainId: { secure: "AAAA" } } });
    assert.equal(issues[0].path, "network");
    assert.match(issues[0].message, /must not be a secret/);
  });

  it("accepts the secret adopted-keys object", () => {
    assert.deepEqual(projectKeys({ "goquorum:nodeKeys": { secure: "AAAA" } }).issues, []);
  });
});
