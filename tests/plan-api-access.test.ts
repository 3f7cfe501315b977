/** The deployer's path to every API server: the plan refuses clusters nobody can reach and lists the flows. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ConfigIssue } from "../infra/config/issue";
import { listStacks, parseStackConfig, readStackFile, stackFilePath } from "../infra/config/load";
import type { StackConfigInput } from "../infra/config/schema";
import { planNetwork } from "../infra/plan";
import { deployerPaths, isDocumentationRange } from "../infra/plan/apiAccess";
import { planRawConfig } from "../infra/stackPlan";
import { ADMIN_ROLE, awsCluster, azureCluster, DEPLOYER_RANGE, stackConfig } from "./helpers/config";

type ClusterInput = StackConfigInput["clusters"][number];
type NetworkInput = Parameters<typeof stackConfig>[1];

const AWS_MGMT = {
  name: "mgmt",
  provider: "aws" as const,
  region: "eu-west-1",
  vpcId: "vpc-0a1b2c3d4e5f60718",
  cidr: "10.250.0.0/24",
  routeTableIds: ["rtb-0a1b2c3d4e5f60718"],
};
const AZURE_MGMT = {
  name: "ops",
  provider: "azure" as const,
  virtualNetworkId:
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/ops-rg/providers/Microsoft.Network/virtualNetworks/ops",
  cidr: "10.251.0.0/24",
};
const SITE = {
  name: "office",
  publicIp: "81.2.69.1",
  asn: 65100,
  ranges: ["10.200.0.0/16"],
  terminatesIn: "aws" as const,
};

function issuesOf(clusters: ClusterInput[], network: NetworkInput = {}): ConfigIssue[] {
  return planNetwork(stackConfig(clusters, network)).issues;
}
const at = (issues: readonly ConfigIssue[], path: string) => issues.filter((i) => i.path === path);
const only = (issues: readonly ConfigIssue[], path: string, severity: "error" | "warning") => {
  const found = at(issues, path);
  assert.equal(found.length, 1, `one issue at ${path}, got ${JSON.stringify(issues, null, 1)}`);
  assert.equal(found[0]?.severity, severity);
  return found[0]?.message ?? "";
};
const withAccess = (apiAccess: { publicRanges?: string[]; privateRanges?: string[] }) => ({ apiAccess });

describe("a cluster no declared deployer can reach is refused", () => {
  for (const make of [awsCluster, azureCluster]) {
    it(`${make("x").provider}: no public and no private range is an error naming the key and both fixes`, () => {
      const message = only(issuesOf([make("c", withAccess({}))]), "clusters[0].apiAccess", "error");
      assert.match(message, /apiAccess\.publicRanges/);
      assert.match(message, /apiAccess\.privateRanges/);
      assert.match(message, /first Kubernetes object/);
    });
  }

  it("a private range in no connected network is an error naming managementNetworks and sites", () => {
    const message = only(
      issuesOf([awsCluster("c", withAccess({ privateRanges: ["10.250.0.0/24"] }))]),
      "clusters[0].apiAccess.privateRanges[0]",
      "error",
    );
    assert.match(message, /network\.connectivity\.managementNetworks/);
    assert.match(message, /network\.connectivity\.sites/);
  });

  it("a private range reaches the cluster only through a network of its own cloud, and only inside its range", () => {
    const issues = (range: string, network: NetworkInput) =>
      issuesOf([awsCluster("c", withAccess({ privateRanges: [range] }))], network).filter(
        (i) => i.severity === "error",
      );
    const aws = { connectivity: { managementNetworks: [AWS_MGMT] } };
    // The management network's own range is the last one accepted; one bit wider is refused.
    assert.deepEqual(issues("10.250.0.0/24", aws), []);
    assert.deepEqual(issues("10.250.0.128/25", aws), []);
    assert.equal(issues("10.250.0.0/23", aws)[0]?.path, "clusters[0].apiAccess.privateRanges[0]");
    // An Azure management VNet is peered with Azure clusters only.
    const azure = { connectivity: { managementNetworks: [{ ...AZURE_MGMT, cidr: "10.250.0.0/24" }] } };
    assert.equal(issues("10.250.0.0/24", azure)[0]?.path, "clusters[0].apiAccess.privateRanges[0]");
  });

  it("a private range behind a site of the cluster's cloud is a path, with a warning about the first deploy", () => {
    const network = { connectivity: { sites: [SITE] } };
    const clusters = [awsCluster("c", withAccess({ privateRanges: ["10.200.1.0/24"] }))];
    const message = only(issuesOf(clusters, network), "clusters[0].apiAccess.privateRanges[0]", "warning");
    assert.match(message, /site office/);
    assert.match(message, /first pulumi up/);
    assert.deepEqual(
      deployerPaths(stackConfig(clusters, network)).map((p) => [p.endpoint, p.route, p.admittedBy]),
      [["private", { kind: "site", site: "office" }, "eks-cluster-security-group"]],
    );
  });
});

describe("public ranges", () => {
  const publicIssues = (range: string) =>
    at(
      issuesOf([awsCluster("c", withAccess({ publicRanges: [range] }))]),
      "clusters[0].apiAccess.publicRanges[0]",
    );

  it("refuse every address, and addresses a public endpoint never sees, at their boundaries", () => {
    assert.match(publicIssues("0.0.0.0/0")[0]?.message ?? "", /every address/);
    assert.match(publicIssues("10.1.0.0/16")[0]?.message ?? "", /non-public range 10\.0\.0\.0\/8/);
    assert.match(publicIssues("100.64.0.0/32")[0]?.message ?? "", /100\.64\.0\.0\/10/);
    assert.deepEqual(publicIssues("100.63.255.255/32"), []);
    assert.match(publicIssues("172.31.255.0/24")[0]?.message ?? "", /172\.16\.0\.0\/12/);
    assert.deepEqual(publicIssues("172.32.0.0/24"), []);
  });

  it("warn on every plan while they are documentation ranges (RFC 5737, RFC 3849)", () => {
    for (const placeholder of ["192.0.2.255/32", "198.51.100.0/24", "203.0.113.10/32"]) {
      const [issue] = publicIssues(placeholder);
      assert.equal(issue?.severity, "warning", placeholder);
      assert.match(issue?.message ?? "", /documentation range/);
    }
    for (const real of ["192.0.3.0/32", "198.51.101.0/24", "203.0.112.255/32", DEPLOYER_RANGE]) {
      assert.deepEqual(publicIssues(real), [], real);
    }
    assert.equal(isDocumentationRange("2001:db8::/32"), true);
    assert.equal(isDocumentationRange("2001:db8:1::/48"), true);
    assert.equal(isDocumentationRange("2001:db8::/31"), false);
    assert.equal(isDocumentationRange("2001:db9::/32"), false);
  });
});

describe("both paths", () => {
  const network = {
    connectivity: { managementNetworks: [AWS_MGMT, { ...AZURE_MGMT, cidr: "10.251.0.0/24" }] },
  };

  it("AKS is public or private, never both: an error naming the fix", () => {
    const clusters = [
      azureCluster("c", withAccess({ publicRanges: [DEPLOYER_RANGE], privateRanges: ["10.251.0.0/24"] })),
    ];
    const message = only(issuesOf(clusters, network), "clusters[0].apiAccess.privateRanges", "error");
    assert.match(message, /never both/);
    assert.deepEqual(
      deployerPaths(stackConfig(clusters, network)).map((p) => p.endpoint),
      ["public"],
      "no private path on a public AKS API server",
    );
  });

  it("EKS takes both, warning that the name then resolves to the public endpoint outside the VPC", () => {
    const clusters = [
      awsCluster("c", withAccess({ publicRanges: [DEPLOYER_RANGE], privateRanges: ["10.250.0.0/24"] })),
    ];
    const message = only(issuesOf(clusters, network), "clusters[0].apiAccess.privateRanges", "warning");
    assert.match(message, /resolves to public addresses/);
    assert.deepEqual(
      deployerPaths(stackConfig(clusters, network)).map((p) => [p.source, p.endpoint, p.admittedBy]),
      [
        [DEPLOYER_RANGE, "public", "eks-public-access-cidrs"],
        ["10.250.0.0/24", "private", "eks-cluster-security-group"],
      ],
    );
  });

  it("lists a private AKS path through the management VNet as admitted by its private endpoint, on TCP 443", () => {
    const clusters = [azureCluster("c", withAccess({ privateRanges: ["10.251.0.0/25"] }))];
    assert.deepEqual(deployerPaths(stackConfig(clusters, network)), [
      {
        cluster: "c",
        provider: "azure",
        source: "10.251.0.0/25",
        endpoint: "private",
        route: { kind: "management-network", network: "ops", link: "vnet-peering" },
        protocol: "tcp",
        port: 443,
        admittedBy: "aks-private-endpoint",
      },
    ]);
  });
});

describe("management networks", () => {
  it("must not meet a cluster's ranges, must have unique names and peer with some cluster", () => {
    const clash = { ...AWS_MGMT, cidr: "10.64.0.0/24" };
    const issues = issuesOf([awsCluster("c", { cidr: "10.64.0.0/16" })], {
      connectivity: { managementNetworks: [clash, { ...AWS_MGMT, cidr: "10.250.1.0/24" }, AZURE_MGMT] },
    });
    assert.match(
      only(issues, "network.connectivity.managementNetworks[0].cidr", "error"),
      /meets 10\.64\.0\.0\/16/,
    );
    assert.match(only(issues, "network.connectivity.managementNetworks[1].name", "error"), /already used/);
    assert.match(only(issues, "network.connectivity.managementNetworks[2]", "warning"), /no azure cluster/);
  });
});

describe("the shipped stacks", () => {
  for (const stack of listStacks()) {
    it(`${stack}: every cloud cluster has a deployer path, and placeholders are warned about`, () => {
      const raw = readStackFile(stackFilePath(stack));
      const { config, plan, issues } = planRawConfig(raw);
      assert.ok(config && plan, `${stack} plans`);
      for (const cluster of config.clusters.filter((c) => c.provider !== "local")) {
        assert.ok(
          plan.deployerPaths.some((p) => p.cluster === cluster.name),
          `${stack}: ${cluster.name} is reachable`,
        );
        for (const range of "apiAccess" in cluster ? cluster.apiAccess.publicRanges : []) {
          if (isDocumentationRange(range)) {
            assert.ok(
              issues.some((i) => i.severity === "warning" && i.message.startsWith(range)),
              range,
            );
          }
        }
      }
    });
  }

  it("refuses the keys of earlier releases, naming the key that replaced each", () => {
    const issues = parseStackConfig({
      network: { name: "n", chainId: 1337 },
      clusters: [
        { ...awsCluster("a"), publicAccessCidrs: [DEPLOYER_RANGE] },
        { ...azureCluster("b"), privateCluster: true, deployerRanges: [DEPLOYER_RANGE] },
      ],
    }).issues;
    assert.match(
      only(issues, "clusters[0]", "error"),
      /"publicAccessCidrs" was replaced by apiAccess\.publicRanges/,
    );
    const azure = only(issues, "clusters[1]", "error");
    assert.match(azure, /"privateCluster" was replaced by apiAccess\.privateRanges/);
    assert.match(azure, /"deployerRanges" was replaced by apiAccess\.publicRanges/);
  });
});

describe("admins are named in config", () => {
  it("an AWS or Azure cluster without admins is refused, naming the key", () => {
    assert.match(
      only(issuesOf([awsCluster("a", { adminRoleArns: [] })]), "clusters[0].adminRoleArns", "error"),
      /nobody could create/,
    );
    assert.match(
      only(
        issuesOf([azureCluster("b", { adminGroupObjectIds: [] })]),
        "clusters[0].adminGroupObjectIds",
        "error",
      ),
      /Entra group/,
    );
  });

  it("an EKS role listed twice, even under another path or as a viewer, is refused (one access entry each)", () => {
    const issues = issuesOf([
      awsCluster("a", {
        adminRoleArns: [ADMIN_ROLE, "arn:aws:iam::210987654321:role/ops"],
        viewerRoleArns: ["arn:aws:iam::210987654321:role/ci/deploy", "arn:aws:iam::210987654322:role/ops"],
      }),
    ]);
    assert.match(
      only(issues, "clusters[0].viewerRoleArns[0]", "error"),
      /already listed at clusters\[0\]\.adminRoleArns\[0\]/,
    );
    assert.deepEqual(
      at(issues, "clusters[0].viewerRoleArns[1]"),
      [],
      "same name in another account is another role",
    );
  });

  it("warns while a role or an object id is a placeholder, and not a digit later", () => {
    const roles = issuesOf([
      awsCluster("a", {
        adminRoleArns: ["arn:aws:iam::111122223333:role/deploy"],
        viewerRoleArns: ["arn:aws:iam::111122223334:role/preview"],
      }),
    ]);
    assert.match(only(roles, "clusters[0].adminRoleArns[0]", "warning"), /example account/);
    assert.deepEqual(at(roles, "clusters[0].viewerRoleArns[0]"), []);
    const ids = issuesOf([
      azureCluster("b", {
        adminGroupObjectIds: ["00000000-0000-0000-0000-0000000000a1"],
        viewerPrincipals: [{ objectId: "00000000-0000-0000-0001-0000000000b1", type: "ServicePrincipal" }],
      }),
    ]);
    assert.match(only(ids, "clusters[0].adminGroupObjectIds[0]", "warning"), /placeholder/);
    assert.deepEqual(at(ids, "clusters[0].viewerPrincipals[0].objectId"), []);
  });
});
