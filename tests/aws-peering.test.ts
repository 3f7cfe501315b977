/** The peering mesh between AWS clusters, its security group rules, and the IAM/KMS documents (pure). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { accessEntries, deployerRoleIssues, endpointAccess, withoutCreatorAdmin } from "../infra/aws/eks";
import {
  clusterKeyPolicy,
  loadBalancerControllerPolicy,
  type PolicyStatement,
  serviceAccountTrustPolicy,
} from "../infra/aws/iam";
import { awsNetworkLayout } from "../infra/aws/network";
import { peerIngressRules, peeringRoutes } from "../infra/aws/peering";
import { AwsCluster } from "../infra/config/schema";
import { planNetwork } from "../infra/plan";
import { planConnectivity } from "../infra/plan/connectivity";
import { PEERINGS_PER_VPC, peeringConnections, peeringMeshSize } from "../infra/plan/peering";
import type { ClusterPlan, NetworkPlan } from "../infra/plan/types";
import { peerRanges } from "../infra/quorum/peers";
import { awsCluster, azureCluster, stackConfig } from "./helpers/config";

const REGIONS = ["eu-west-1", "us-east-1", "eu-central-1"];

function meshPlan(count: number, withAzure = false) {
  const clusters = Array.from({ length: count }, (_, i) =>
    awsCluster(`c${i}`, {
      region: REGIONS[i % REGIONS.length],
      cni: { mode: i % 2 === 0 ? "custom-networking" : "secondary-ip" },
    }),
  );
  const config = stackConfig(withAzure ? [...clusters, azureCluster("z")] : clusters);
  const { plan, issues } = planNetwork(config);
  assert.ok(plan, JSON.stringify(issues));
  return plan;
}

const connectionsOf = (plan: NetworkPlan) => peeringConnections(plan.connectivity.links, plan.clusters);

/** The connectivity planning of n AWS clusters in one region, without planning their addresses. */
function connectivityOf(n: number, podCidr?: string) {
  const config = stackConfig(
    Array.from({ length: n }, (_, i) =>
      awsCluster(`c${i}`, podCidr ? { cni: { mode: "custom-networking" } } : {}),
    ),
  );
  const clusters = config.clusters.map((c) => ({
    name: c.name,
    provider: c.provider,
    cidr: "10.0.0.0/16",
    ...(podCidr ? { podCidr } : {}),
    zones: [],
  }));
  return planConnectivity(config, clusters);
}

describe("the peering plan", () => {
  it("has one connection per pair of AWS clusters, n(n-1)/2, requested by the one listed first", () => {
    for (const n of [1, 2, 3, 4]) {
      const plan = meshPlan(n, true);
      const connections = connectionsOf(plan);
      assert.equal(connections.length, (n * (n - 1)) / 2);
      assert.equal(peeringMeshSize(plan.connectivity.links).connections, connections.length);
      assert.equal(peeringMeshSize(plan.connectivity.links).perVpc, n - 1);
      const pairs = connections.map((c) => [c.requester, c.accepter].join(">"));
      assert.equal(new Set(pairs).size, pairs.length);
      for (const c of connections) {
        assert.ok(Number(c.requester.slice(1)) < Number(c.accepter.slice(1)));
        assert.ok(!c.requester.startsWith("z") && !c.accepter.startsWith("z"), "Azure clusters do not peer");
      }
    }
  });

  it("marks pairs in different regions as cross-region", () => {
    const plan = meshPlan(3);
    for (const c of connectionsOf(plan)) {
      const region = (name: string) => plan.clusters.find((x) => x.name === name)?.region;
      assert.equal(c.crossRegion, region(c.requester) !== region(c.accepter));
    }
  });

  it("warns past the default quota that a Transit Gateway would serve better, and refuses past AWS's limit", () => {
    assert.deepEqual(
      connectivityOf(PEERINGS_PER_VPC.defaultQuota + 1).issues.filter((i) => i.severity !== "warning"),
      [],
    );
    const quota = connectivityOf(PEERINGS_PER_VPC.defaultQuota + 2).issues;
    assert.ok(
      quota.some(
        (i) =>
          i.severity === "warning" &&
          i.path === "clusters" &&
          /52 AWS clusters need 51 peering connections per VPC/.test(i.message) &&
          /Transit Gateway/.test(i.message),
      ),
    );
    const limit = connectivityOf(PEERINGS_PER_VPC.limit + 2).issues;
    assert.ok(limit.some((i) => i.severity === "error" && i.path === "clusters" && /125/.test(i.message)));
    assert.deepEqual(connectivityOf(5).issues, []);
  });

  it("warns when the peer routes outgrow a route table's default quota", () => {
    const { connectivity, issues } = connectivityOf(30, "100.64.0.0/16");
    assert.equal(peeringMeshSize(connectivity.links).routesPerTable, 29 * 2);
    assert.ok(
      issues.some((i) => i.path === "clusters" && /58 peer routes .* routes per table/.test(i.message)),
    );
    assert.deepEqual(
      connectivityOf(24, "100.64.0.0/16").issues,
      [],
      "23 peers x 2 ranges + the default route fit",
    );
  });
});

describe("peering routes", () => {
  it("go to the peer's VPC and pod ranges from every route table of both sides, once each", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 4 }), (n) => {
        const plan = meshPlan(n);
        const tables = (c: ClusterPlan) => awsNetworkLayout(c, c.name, "one-per-zone").routeTables;
        for (const connection of connectionsOf(plan)) {
          const routes = peeringRoutes(connection, plan.clusters, tables);
          const keys = routes.map((r) => `${r.cluster}|${r.routeTable}|${r.destination}`);
          assert.equal(new Set(keys).size, keys.length, "no duplicate route");
          for (const [self, peer] of [
            [connection.requester, connection.accepter],
            [connection.accepter, connection.requester],
          ]) {
            const selfPlan = plan.clusters.find((c) => c.name === self) as ClusterPlan;
            const peerPlan = plan.clusters.find((c) => c.name === peer) as ClusterPlan;
            const routed = plan.connectivity.routedRanges[peer];
            const expected = tables(selfPlan).flatMap((t) => routed.map((d) => `${self}|${t.key}|${d}`));
            assert.deepEqual(keys.filter((k) => k.startsWith(`${self}|`)).sort(), expected.sort());
            assert.ok(routed.includes(peerPlan.cidr as string));
            // Custom networking (every other cluster here) gives a pod range, routed like the VPC range.
            assert.equal(peerPlan.podCidr !== undefined, Number(peer.slice(1)) % 2 === 0);
            if (peerPlan.podCidr) assert.ok(routed.includes(peerPlan.podCidr));
          }
        }
      }),
      { numRuns: 6 },
    );
  });
});

describe("peer security group rules", () => {
  it("admit only TCP 30303 and TCP 9000, from exactly the peer ranges the NLBs and NetworkPolicies use", () => {
    const plan = meshPlan(3, true);
    for (const cluster of plan.clusters.filter((c) => c.provider === "aws")) {
      const rules = peerIngressRules(cluster, plan);
      assert.deepEqual(
        [...new Set(rules.map((r) => r.port))].sort((a, b) => a - b),
        [9000, 30303],
      );
      assert.deepEqual([...new Set(rules.map((r) => r.cidr))].sort(), peerRanges(cluster, plan).sort());
      assert.equal(rules.length, 2 * peerRanges(cluster, plan).length);
      assert.ok(!rules.some((r) => r.cidr === cluster.cidr || r.cidr === "0.0.0.0/0"));
      assert.equal(new Set(rules.map((r) => r.key)).size, rules.length);
    }
  });
});

describe("EKS access", () => {
  it("keeps the public endpoint off unless public ranges are configured, and the private one always on", () => {
    const access = (publicRanges: string[]) => ({ apiAccess: { publicRanges, privateRanges: [] } });
    assert.deepEqual(endpointAccess(access([])), {
      endpointPrivateAccess: true,
      endpointPublicAccess: false,
    });
    assert.deepEqual(endpointAccess(access(["81.2.69.160/28"])), {
      endpointPrivateAccess: true,
      endpointPublicAccess: true,
      publicAccessCidrs: ["81.2.69.160/28"],
    });
    assert.throws(() => endpointAccess(access(["0.0.0.0/0"])));
  });

  it("refuses an admin that is not an IAM role", () => {
    const base = {
      name: "a",
      provider: "aws",
      region: "eu-west-1",
      nodePools: [{ name: "p", instanceType: "m6i.large", count: 1 }],
    };
    assert.equal(
      AwsCluster.safeParse({ ...base, adminRoleArns: ["arn:aws:iam::123456789012:user/x"] }).success,
      false,
    );
  });

  it("gives each admin role cluster-admin and each viewer role the view policy, over the whole cluster", () => {
    const entries = accessEntries({
      adminRoleArns: ["arn:aws:iam::123456789012:role/ops", "arn:aws-cn:iam::123456789012:role/cn"],
      viewerRoleArns: ["arn:aws:iam::123456789012:role/preview"],
    });
    assert.deepEqual(entries["admin-0"], {
      principalArn: "arn:aws:iam::123456789012:role/ops",
      accessPolicies: {
        clusterAdmin: {
          policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
          accessScope: { type: "cluster" },
        },
      },
    });
    assert.match(entries["admin-1"]?.accessPolicies.clusterAdmin?.policyArn ?? "", /^arn:aws-cn:eks::aws:/);
    assert.deepEqual(entries["viewer-0"], {
      principalArn: "arn:aws:iam::123456789012:role/preview",
      accessPolicies: {
        view: {
          policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy",
          accessScope: { type: "cluster" },
        },
      },
    });
    assert.deepEqual(Object.keys(entries), ["admin-0", "admin-1", "viewer-0"]);
  });

  it("turns off the creator's implicit admin on the EKS cluster inside eks.Cluster, and touches nothing else", () => {
    const props = {
      name: "c",
      accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true },
    };
    assert.deepEqual(withoutCreatorAdmin("aws:eks/cluster:Cluster", props), {
      name: "c",
      accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
    });
    assert.equal(
      props.accessConfig.bootstrapClusterCreatorAdminPermissions,
      true,
      "the input is not mutated",
    );
    assert.equal(withoutCreatorAdmin("aws:eks/accessEntry:AccessEntry", props), undefined);
    assert.equal(withoutCreatorAdmin("eks:index:Cluster", props), undefined);
  });

  describe("the identity running the program", () => {
    const lists = [
      {
        path: "clusters[0]",
        adminRoleArns: ["arn:aws:iam::210987654321:role/platform/deploy"],
        viewerRoleArns: ["arn:aws:iam::210987654321:role/preview"],
      },
    ];
    const session = (account: string, role: string) => `arn:aws:sts::${account}:assumed-role/${role}/gha`;

    it("an admin role passes updates and previews, whatever its path", () => {
      assert.deepEqual(deployerRoleIssues(session("210987654321", "deploy"), lists, false), []);
      assert.deepEqual(deployerRoleIssues(session("210987654321", "deploy"), lists, true), []);
    });

    it("a viewer role passes previews only; the update stops before anything is created", () => {
      assert.deepEqual(deployerRoleIssues(session("210987654321", "preview"), lists, true), []);
      const [issue] = deployerRoleIssues(session("210987654321", "preview"), lists, false);
      assert.equal(issue?.path, "clusters[0].adminRoleArns");
      assert.match(
        issue?.message ?? "",
        /role preview of account 210987654321, which is not in adminRoleArns/,
      );
    });

    it("the same role name in another account, another role, or a user is refused", () => {
      assert.equal(deployerRoleIssues(session("111111111111", "deploy"), lists, false).length, 1);
      assert.equal(deployerRoleIssues(session("210987654321", "deploy-old"), lists, false).length, 1);
      const [user] = deployerRoleIssues("arn:aws:iam::210987654321:user/alice", lists, true);
      assert.match(user?.message ?? "", /not an assumed IAM role/);
    });
  });
});

describe("IAM and KMS documents", () => {
  it("lets only one service account assume a controller role", () => {
    const issuer = "oidc.eks.eu-west-1.amazonaws.com/id/ABC";
    const doc = serviceAccountTrustPolicy({
      oidcProviderArn: `arn:aws:iam::111122223333:oidc-provider/${issuer}`,
      oidcIssuer: issuer,
      namespace: "kube-system",
      serviceAccount: "sa",
    });
    assert.equal(doc.Statement.length, 1);
    assert.deepEqual(doc.Statement[0].Condition, {
      StringEquals: {
        [`${issuer}:sub`]: "system:serviceaccount:kube-system:sa",
        [`${issuer}:aud`]: "sts.amazonaws.com",
      },
    });
  });

  it("lets the cluster key encrypt and decrypt only through EKS and Secrets Manager, for this account", () => {
    const policy = clusterKeyPolicy({ partition: "aws", accountId: "123456789012", region: "eu-west-1" });
    const actions = (s: PolicyStatement) => ([] as string[]).concat(s.Action);
    const use = policy.Statement.filter((s) =>
      actions(s).some((a) => /Decrypt|Encrypt|GenerateDataKey/.test(a)),
    );
    assert.equal(use.length, 1);
    assert.deepEqual(use[0].Condition, {
      StringEquals: {
        "kms:CallerAccount": "123456789012",
        "kms:ViaService": ["eks.eu-west-1.amazonaws.com", "secretsmanager.eu-west-1.amazonaws.com"],
      },
    });
    for (const s of policy.Statement) {
      assert.deepEqual(s.Principal, { AWS: "arn:aws:iam::123456789012:root" });
      assert.ok(!actions(s).includes("kms:*"));
    }
  });

  it("grants kms:CreateGrant on the cluster key only through EKS and Secrets Manager", () => {
    const policy = clusterKeyPolicy({ partition: "aws", accountId: "123456789012", region: "eu-west-1" });
    // IAM action patterns: `*` matches any run of characters, case-insensitively.
    const matches = (pattern: string, action: string) =>
      new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`, "i").test(action);
    const granting = (action: string) =>
      policy.Statement.filter((s) => ([] as string[]).concat(s.Action).some((p) => matches(p, action)));
    // A grant lets its grantee decrypt without kms:ViaService: only the conditioned statement may allow it.
    const grants = granting("kms:CreateGrant");
    assert.deepEqual(
      grants.map((s) => s.Sid),
      ["UseOnlyThroughEksAndSecretsManager"],
    );
    assert.ok(grants.every((s) => JSON.stringify(s.Condition).includes("kms:ViaService")));
    // The account still administers the key: it names its alias.
    assert.deepEqual(
      granting("kms:CreateAlias").map((s) => s.Sid),
      ["AccountAdministersTheKey"],
    );
  });

  it("conditions every load balancer controller statement that creates, tags, modifies or sets on its cluster tag", () => {
    const TAG = "elbv2.k8s.aws/cluster";
    const onCreate = { Null: { [`aws:RequestTag/${TAG}`]: "false" } };
    const onExisting = { Null: { [`aws:ResourceTag/${TAG}`]: "false" } };
    // Statements the upstream policy leaves without the tag, each for a reason the tag cannot express.
    const UNTAGGED: Record<string, string> = {
      ElbServiceLinkedRole: "an IAM role, conditioned on the service it is for",
      SecurityGroups:
        "creates a group (tagged in the same call, TagNewSecurityGroups) and edits node groups' rules",
      TagListeners: "listeners of its own load balancers, which carry no tag of their own",
      ListenersAndTargets: "listeners and targets of its own load balancers",
    };
    const CREATES = /^(elasticloadbalancing:Create(LoadBalancer|TargetGroup)|ec2:CreateTags)$/;
    const changing = loadBalancerControllerPolicy("aws").Statement.filter((s) =>
      ([] as string[]).concat(s.Action).some((a) => /:(Create|AddTags|Modify|Set|Delete|RemoveTags)/.test(a)),
    );
    const conditioned = changing.filter((s) => !(String(s.Sid) in UNTAGGED));
    assert.deepEqual(
      changing.filter((s) => String(s.Sid) in UNTAGGED).map((s) => s.Sid),
      Object.keys(UNTAGGED),
    );
    assert.deepEqual(
      conditioned.map((s) => s.Sid),
      ["TagNewSecurityGroups", "OwnSecurityGroups", "CreateTaggedLoadBalancers", "OwnLoadBalancers"],
    );
    for (const s of conditioned) {
      const actions = ([] as string[]).concat(s.Action);
      const creating = actions.some((a) => CREATES.test(a)) && !actions.some((a) => /:Delete/.test(a));
      // Creating: the request must carry the tag. Anything else: only resources that already carry it.
      const { Null, ...rest } = s.Condition ?? {};
      assert.deepEqual({ Null }, creating ? onCreate : onExisting, String(s.Sid));
      if (s.Sid === "TagNewSecurityGroups") {
        assert.deepEqual(rest, { StringEquals: { "ec2:CreateAction": "CreateSecurityGroup" } });
      } else {
        assert.deepEqual(rest, {}, String(s.Sid));
      }
    }
  });

  it("never grants the load balancer controller a wildcard action, and changes only what it tagged", () => {
    const policy = loadBalancerControllerPolicy("aws");
    for (const s of policy.Statement) {
      for (const a of ([] as string[]).concat(s.Action)) assert.ok(!a.endsWith(":*") && a !== "*", a);
    }
    const deletes = policy.Statement.filter((s) =>
      ([] as string[])
        .concat(s.Action)
        .some((a) => /Delete(LoadBalancer|SecurityGroup|TargetGroup)$/.test(a)),
    );
    assert.ok(deletes.length > 0);
    for (const s of deletes)
      assert.deepEqual(s.Condition, { Null: { "aws:ResourceTag/elbv2.k8s.aws/cluster": "false" } });
  });
});
