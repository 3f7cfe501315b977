/**
 * AWS clusters under the mock runtime: the rendered VPC, EKS cluster, node groups, add-ons and peering mesh
 * carry the plan's values, and the workloads on an AWS cluster differ from those on `local` only where the
 * cluster target decides.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsClusterTarget } from "../components/aws/AwsClusterTarget";
import { LocalCluster } from "../components/local/LocalCluster";
import type { ClusterTarget } from "../components/targets";
import { ClusterWorkloads } from "../components/workloads/ClusterWorkloads";
import { awsSubnetName } from "../infra/aws/names";
import { awsNetworkLayout } from "../infra/aws/network";
import { readStackFile, stackFilePath } from "../infra/config/load";
import type { AwsClusterConfig, LocalClusterConfig } from "../infra/config/schema";
import {
  type RenderedResource,
  type RenderResult,
  renderProgram,
  renderStack,
} from "../infra/offline/render";
import { peeringConnections } from "../infra/plan/peering";
import type { ClusterPlan, NetworkPlan } from "../infra/plan/types";
import { program } from "../infra/program";
import { peerRanges } from "../infra/quorum/peers";
import { planRawConfig } from "../infra/stackPlan";
import { clusterKeys } from "./helpers/keys";

type Inputs = Record<string, unknown>;
const ofType = (r: RenderResult, type: string) => r.resources.filter((x) => x.type === type);
const inputs = (r: RenderedResource) => r.inputs as Inputs;
const one = (r: RenderResult, type: string, name: string): RenderedResource => {
  const found = r.resources.find((x) => x.type === type && x.name === name);
  assert.ok(found, `${type}::${name}`);
  return found;
};
/** The id the mock runtime gives a resource: its name + `-id`. */
const idOf = (name: string) => `${name}-id`;

function planOf(stack: string): NetworkPlan {
  const { plan } = planRawConfig(readStackFile(stackFilePath(stack)));
  assert.ok(plan);
  return plan;
}

describe("the prod stack's AWS footprint", () => {
  let result: RenderResult;
  let plan: NetworkPlan;
  let awsClusters: ClusterPlan[];
  before(async () => {
    result = await renderStack("prod", program);
    plan = planOf("prod");
    awsClusters = plan.clusters.filter((c) => c.provider === "aws");
  });

  it("builds one VPC per AWS cluster on the plan's CIDR, with exactly the plan's subnets", () => {
    assert.equal(ofType(result, "aws:ec2/vpc:Vpc").length, awsClusters.length);
    for (const cluster of awsClusters) {
      assert.equal(inputs(one(result, "aws:ec2/vpc:Vpc", `${cluster.name}-vpc`)).cidrBlock, cluster.cidr);
      const subnets = ofType(result, "aws:ec2/subnet:Subnet").filter(
        (s) => inputs(s).vpcId === idOf(`${cluster.name}-vpc`),
      );
      assert.deepEqual(
        subnets
          .map((s) => [(inputs(s).tags as Inputs).Name, inputs(s).cidrBlock, inputs(s).availabilityZone])
          .sort(),
        cluster.subnets.map((s) => [awsSubnetName(cluster, s), s.cidr, s.zone]).sort(),
      );
    }
  });

  it("runs EKS with a private endpoint only, API access entries, every log, OIDC, and no default node group", () => {
    for (const cluster of awsClusters) {
      const eks = inputs(one(result, "eks:index:Cluster", cluster.name));
      assert.equal(eks.endpointPrivateAccess, true);
      assert.equal(eks.endpointPublicAccess, false);
      assert.equal(eks.publicAccessCidrs, undefined);
      assert.equal(eks.authenticationMode, "API");
      assert.deepEqual(eks.enabledClusterLogTypes, [
        "api",
        "audit",
        "authenticator",
        "controllerManager",
        "scheduler",
      ]);
      assert.equal(eks.createOidcProvider, true);
      assert.equal(eks.skipDefaultNodeGroup, true);
      assert.equal(eks.version, "1.35");
      assert.equal(eks.kubernetesServiceIpAddressRange, cluster.serviceCidr);
      assert.deepEqual(
        eks.privateSubnetIds,
        cluster.subnets.filter((s) => s.purpose === "private").map((s) => idOf(awsSubnetName(cluster, s))),
      );
      assert.equal(eks.vpcId, idOf(`${cluster.name}-vpc`));
    }
  });

  it("stays on standard support and logs into its own log group with a 90-day retention, created first", () => {
    for (const cluster of awsClusters) {
      const eks = one(result, "eks:index:Cluster", cluster.name);
      assert.deepEqual(inputs(eks).upgradePolicy, { supportType: "STANDARD" });
      const logGroup = one(result, "aws:cloudwatch/logGroup:LogGroup", `${cluster.name}-control-plane-logs`);
      // EKS's own name for the group, `/aws/eks/<cluster name in EKS>/cluster`: any other name would be ignored.
      assert.equal(inputs(logGroup).name, `/aws/eks/${inputs(eks).name}/cluster`);
      assert.equal(inputs(eks).name, `prod-${cluster.name}`);
      assert.equal(inputs(logGroup).retentionInDays, 90);
      assert.ok(eks.options?.dependsOn?.includes(`aws:cloudwatch/logGroup:LogGroup::${logGroup.name}`));
    }
  });

  it("envelope-encrypts Secrets with the cluster's own rotating, protected KMS key", () => {
    for (const cluster of awsClusters) {
      const key = one(result, "aws:kms/key:Key", `${cluster.name}-key`);
      assert.deepEqual(
        [inputs(key).enableKeyRotation, inputs(key).deletionWindowInDays, key.options?.protect],
        [true, 30, true],
      );
      assert.equal(key.provider, `aws-${cluster.region}`);
      const arn = inputs(one(result, "eks:index:Cluster", cluster.name)).encryptionConfigKeyArn;
      assert.match(String(arn), new RegExp(`^arn:aws:kms:${cluster.region}:\\d{12}:key/[0-9a-f-]{36}$`));
      const grant = JSON.parse(
        String(inputs(one(result, "aws:iam/rolePolicy:RolePolicy", `${cluster.name}-cluster-key`)).policy),
      );
      assert.deepEqual(
        grant.Statement.map((st: { Resource: string }) => st.Resource),
        [arn],
      );
      const eks = inputs(one(result, "eks:index:Cluster", cluster.name));
      assert.deepEqual(eks.serviceRole, { resource: `aws:iam/role:Role::${cluster.name}-cluster` });
    }
    const arns = awsClusters.map(
      (c) => inputs(one(result, "eks:index:Cluster", c.name)).encryptionConfigKeyArn,
    );
    assert.equal(new Set(arns).size, arns.length, "one key per cluster");
  });

  it("keeps the kubeconfig of every cluster secret in its Kubernetes provider", () => {
    for (const cluster of awsClusters) {
      const provider = inputs(one(result, "pulumi:providers:kubernetes", `${cluster.name}-k8s`));
      assert.equal(provider.kubeconfig, "[secret]");
      assert.equal(provider.clusterIdentifier, `prod-${cluster.name}`);
    }
  });

  it("gives node groups private subnets, the planned sizes, IMDSv2 with one hop and encrypted root volumes", () => {
    for (const cluster of awsClusters) {
      const group = inputs(one(result, "aws:eks/nodeGroup:NodeGroup", `${cluster.name}-quorum`));
      assert.deepEqual(group.scalingConfig, { minSize: 3, desiredSize: 3, maxSize: 6 });
      assert.deepEqual(group.updateConfig, { maxUnavailable: 1 });
      assert.equal(group.forceUpdateVersion, false, "a forced update evicts past the validators' budget");
      assert.equal(group.version, "1.35", "node groups follow the control plane's minor");
      assert.deepEqual(
        group.subnetIds,
        cluster.subnets.filter((s) => s.purpose === "private").map((s) => idOf(awsSubnetName(cluster, s))),
      );
      assert.deepEqual(group.launchTemplate, { id: idOf(`${cluster.name}-quorum`), version: "1" });
      const template = inputs(one(result, "aws:ec2/launchTemplate:LaunchTemplate", `${cluster.name}-quorum`));
      assert.deepEqual(template.metadataOptions, {
        httpEndpoint: "enabled",
        httpTokens: "required",
        httpPutResponseHopLimit: 1,
      });
      assert.deepEqual(template.blockDeviceMappings, [
        {
          deviceName: "/dev/xvda",
          ebs: { deleteOnTermination: "true", encrypted: "true", volumeSize: 50, volumeType: "gp3" },
        },
      ]);
      const userData = Buffer.from(String(template.userData), "base64").toString();
      assert.match(String(template.description), new RegExp(`maxPods ${cluster.capacity?.podsPerNode} `));
      assert.ok(userData.includes(`maxPods: ${cluster.capacity?.podsPerNode}\n`), userData);
      for (const subnet of ofType(result, "aws:ec2/subnet:Subnet")) {
        const purpose = cluster.subnets.find((s) => awsSubnetName(cluster, s) === subnet.name)?.purpose;
        if (purpose) assert.equal(inputs(subnet).mapPublicIpOnLaunch, purpose === "public", subnet.name);
      }
    }
  });

  it("configures the VPC CNI add-on as planned, enforcing NetworkPolicies, with its own role, before any node boots", () => {
    const addon = (name: string) => inputs(one(result, "aws:eks/addon:Addon", `${name}-vpc-cni`));
    const env = (name: string) => JSON.parse(String(addon(name).configurationValues)).env;
    assert.equal(env("aws-use1").ENABLE_PREFIX_DELEGATION, "true");
    assert.equal(env("aws-use1").WARM_PREFIX_TARGET, "1");
    assert.equal(env("aws-euw1").ENABLE_PREFIX_DELEGATION, "false");
    assert.equal(env("aws-euw1").WARM_ENI_TARGET, "1");
    for (const cluster of awsClusters) {
      assert.equal(addon(cluster.name).addonName, "vpc-cni");
      // Off by default: without it every NetworkPolicy of the cluster is inert (issue 14, defect 3).
      assert.equal(JSON.parse(String(addon(cluster.name).configurationValues)).enableNetworkPolicy, "true");
      assert.equal(inputs(one(result, "eks:index:Cluster", cluster.name)).useDefaultVpcCni, true);
      const trust = JSON.parse(
        String(inputs(one(result, "aws:iam/role:Role", `${cluster.name}-vpc-cni`)).assumeRolePolicy),
      );
      assert.ok(
        Object.entries(trust.Statement[0].Condition.StringEquals).some(
          ([k, v]) => k.endsWith(":sub") && v === "system:serviceaccount:kube-system:aws-node",
        ),
      );
      const group = one(result, "aws:eks/nodeGroup:NodeGroup", `${cluster.name}-quorum`);
      assert.ok(group.options?.dependsOn?.includes(`aws:eks/addon:Addon::${cluster.name}-vpc-cni`));
      // The node role joins the cluster and pulls images; the CNI's policy is on the CNI's role only.
      const nodePolicies = ofType(result, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
        .filter((a) => a.name.startsWith(`${cluster.name}-node-`))
        .map((a) => String(inputs(a).policyArn));
      assert.deepEqual(nodePolicies.sort(), [
        "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
        "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
      ]);
      assert.equal(
        inputs(one(result, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", `${cluster.name}-vpc-cni`))
          .policyArn,
        "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
      );
    }
  });

  it("installs the EBS CSI driver and the load balancer controller with their own roles, and a gp3 StorageClass", () => {
    for (const cluster of awsClusters) {
      const ebs = inputs(one(result, "aws:eks/addon:Addon", `${cluster.name}-ebs-csi`));
      assert.equal(ebs.addonName, "aws-ebs-csi-driver");
      assert.match(String(ebs.serviceAccountRoleArn), /:role\/aws-\w+-ebs-csi-/);
      const trust = JSON.parse(
        String(inputs(one(result, "aws:iam/role:Role", `${cluster.name}-ebs-csi`)).assumeRolePolicy),
      );
      const sub = Object.entries(trust.Statement[0].Condition.StringEquals).find(([k]) => k.endsWith(":sub"));
      assert.deepEqual(sub?.[1], "system:serviceaccount:kube-system:ebs-csi-controller-sa");
      assert.ok(String(sub?.[0]).startsWith(`oidc.eks.${cluster.region}.amazonaws.com/id/`));

      const release = inputs(one(result, "kubernetes:helm.sh/v3:Release", `${cluster.name}-lb-controller`));
      assert.equal(release.version, "1.17.1");
      const values = release.values as Inputs;
      assert.deepEqual(
        [values.region, values.vpcId, values.clusterName],
        [cluster.region, idOf(`${cluster.name}-vpc`), `prod-${cluster.name}`],
      );
      assert.match(
        String(((values.serviceAccount as Inputs).annotations as Inputs)["eks.amazonaws.com/role-arn"]),
        /lb-controller/,
      );

      const sc = inputs(one(result, "kubernetes:storage.k8s.io/v1:StorageClass", `${cluster.name}-gp3`));
      assert.deepEqual(
        [sc.volumeBindingMode, sc.reclaimPolicy, (sc.parameters as Inputs).encrypted],
        ["WaitForFirstConsumer", "Retain", "true"],
      );
    }
    const stsOf = (cluster: string) =>
      ofType(result, "kubernetes:apps/v1:StatefulSet").filter(
        (s) => s.parent === `goquorum:k8s:ClusterWorkloads::${cluster}`,
      );
    for (const cluster of awsClusters) {
      assert.ok(stsOf(cluster.name).length > 0);
      for (const sts of stsOf(cluster.name)) {
        const claims = (inputs(sts).spec as { volumeClaimTemplates: { spec: Inputs }[] })
          .volumeClaimTemplates;
        assert.ok(
          claims.every((c) => c.spec.storageClassName === "gp3"),
          sts.name,
        );
        assert.ok(
          sts.options?.dependsOn?.includes(`kubernetes:helm.sh/v3:Release::${cluster.name}-lb-controller`),
        );
      }
    }
  });

  /** The cluster mesh's peerings, not the management VPC's. */
  const meshPeerings = () =>
    ofType(result, "aws:ec2/vpcPeeringConnection:VpcPeeringConnection").filter((p) =>
      p.name.startsWith("aws-peering-"),
    );

  it("peers each pair of AWS clusters once, across regions through an accepter in the peer's region", () => {
    const peerings = meshPeerings();
    assert.equal(peerings.length, peeringConnections(plan.connectivity.links, plan.clusters).length);
    assert.equal(peerings.length, (awsClusters.length * (awsClusters.length - 1)) / 2);
    const [peering] = peerings;
    assert.deepEqual(inputs(peering).vpcId, idOf("aws-euw1-vpc"));
    assert.deepEqual(inputs(peering).peerVpcId, idOf("aws-use1-vpc"));
    assert.equal(inputs(peering).peerRegion, "us-east-1");
    assert.equal(peering.provider, "aws-eu-west-1");
    const accepter = one(
      result,
      "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter",
      peering.name,
    );
    assert.equal(accepter.provider, "aws-us-east-1");
    assert.equal(inputs(accepter).vpcPeeringConnectionId, idOf(peering.name));
  });

  it("routes every route table of both sides to the peer's VPC and pod ranges", () => {
    const mesh = new Set(meshPeerings().map((p) => idOf(p.name)));
    const routes = ofType(result, "aws:ec2/route:Route").filter((r) =>
      mesh.has(String(inputs(r).vpcPeeringConnectionId)),
    );
    for (const cluster of awsClusters) {
      const peers = awsClusters.filter((c) => c !== cluster);
      const tables = awsNetworkLayout(cluster, "x", "one-per-zone").routeTables;
      const expected = tables.flatMap((t) =>
        peers.flatMap((p) =>
          plan.connectivity.routedRanges[p.name].map((d) => `${idOf(`${cluster.name}-rt-${t.key}`)} ${d}`),
        ),
      );
      const rendered = routes
        .filter((r) => String(inputs(r).routeTableId).startsWith(`${cluster.name}-rt-`))
        .map((r) => `${inputs(r).routeTableId} ${inputs(r).destinationCidrBlock}`);
      assert.deepEqual(rendered.sort(), expected.sort());
      assert.equal(
        ofType(result, "aws:ec2/routeTable:RouteTable").filter(
          (t) => inputs(t).vpcId === idOf(`${cluster.name}-vpc`),
        ).length,
        tables.length,
      );
    }
  });

  it("peers the management VPC with every AWS cluster, routes both ways, and opens only 443 to its runners", () => {
    const mgmt = plan.deployerPaths.filter((p) => p.route.kind === "management-network");
    assert.deepEqual(
      mgmt.map((p) => [p.cluster, p.source, p.endpoint, p.admittedBy]),
      awsClusters.map((c) => [c.name, "10.250.0.0/24", "private", "eks-cluster-security-group"]),
    );
    for (const cluster of awsClusters) {
      const name = `${cluster.name}-mgmt`;
      const peering = one(result, "aws:ec2/vpcPeeringConnection:VpcPeeringConnection", name);
      assert.deepEqual(
        [inputs(peering).vpcId, inputs(peering).peerVpcId, peering.provider],
        [idOf(`${cluster.name}-vpc`), "vpc-0a1b2c3d4e5f60718", `aws-${cluster.region}`],
      );
      const crossRegion = cluster.region !== "eu-west-1";
      assert.equal(inputs(peering).peerRegion, crossRegion ? "eu-west-1" : undefined);
      const accepter = result.resources.find(
        (r) =>
          r.type === "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter" && r.name === name,
      );
      assert.equal(accepter?.provider, crossRegion ? "aws-eu-west-1" : undefined);
      const routes = ofType(result, "aws:ec2/route:Route")
        .filter((r) => inputs(r).vpcPeeringConnectionId === idOf(name))
        .map((r) => `${inputs(r).routeTableId} ${inputs(r).destinationCidrBlock}`);
      const tables = awsNetworkLayout(cluster, "x", "one-per-zone").routeTables;
      assert.deepEqual(
        routes.sort(),
        [
          ...tables.map((t) => `${idOf(`${cluster.name}-rt-${t.key}`)} 10.250.0.0/24`),
          `rtb-0a1b2c3d4e5f60718 ${cluster.cidr}`,
        ].sort(),
      );
      const api = one(
        result,
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        `${cluster.name}-api-10-250-0-0-24`,
      );
      assert.deepEqual(
        [inputs(api).ipProtocol, inputs(api).fromPort, inputs(api).toPort, inputs(api).cidrIpv4],
        ["tcp", 443, 443, "10.250.0.0/24"],
      );
      // The first Kubernetes object waits for the runner's whole path: its rule, the peering and both sides' routes.
      const provider = one(result, "pulumi:providers:kubernetes", `${cluster.name}-k8s`);
      for (const dependency of [
        `aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule::${cluster.name}-api-10-250-0-0-24`,
        `aws:ec2/route:Route::${name}-rtb-0a1b2c3d4e5f60718-${cluster.cidr?.replace(/[./]/g, "-")}`,
      ]) {
        assert.ok(provider.options?.dependsOn?.includes(dependency), dependency);
      }
    }
  });

  it("opens the cluster security group to TCP 30303 and 9000 from the peer ranges, and nothing else", () => {
    const rules = ofType(result, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter(
      (r) => !r.name.includes("-api-"),
    );
    for (const cluster of awsClusters) {
      const mine = rules.filter((r) => r.provider === `aws-${cluster.region}`).map(inputs);
      assert.equal(new Set(mine.map((r) => r.securityGroupId)).size, 1);
      assert.deepEqual(
        mine.map((r) => `${r.ipProtocol} ${r.fromPort}-${r.toPort} ${r.cidrIpv4}`).sort(),
        peerRanges(cluster, plan)
          .flatMap((cidr) => [`tcp 30303-30303 ${cidr}`, `tcp 9000-9000 ${cidr}`])
          .sort(),
      );
    }
  });

  it("puts every node's NLB in a subnet the VPC has, by its Name tag", () => {
    const names = new Set(
      ofType(result, "aws:ec2/subnet:Subnet").map((s) => (inputs(s).tags as Inputs).Name),
    );
    const annotated = ofType(result, "kubernetes:core/v1:Service")
      .map((s) => inputs(s).metadata as { namespace: string; annotations?: Inputs })
      .filter((m) => m.annotations?.["service.beta.kubernetes.io/aws-load-balancer-subnets"] !== undefined);
    // One NLB per node, plus the federation endpoint of each AWS cluster's Prometheus that is not central.
    const nodeBalancers = annotated.filter((m) => m.namespace === "goquorum");
    assert.equal(nodeBalancers.length, awsClusters.flatMap((c) => c.nodes).length);
    assert.ok(annotated.every((m) => ["goquorum", "monitoring"].includes(m.namespace)));
    for (const { annotations: a = {} } of annotated)
      assert.ok(names.has(a["service.beta.kubernetes.io/aws-load-balancer-subnets"]));
  });
});

const awsConfig = (overrides: Partial<Record<string, unknown>> = {}) => ({
  "goquorum:network": { name: "t", chainId: 4242 },
  "goquorum:clusters": [
    {
      name: "c1",
      provider: "aws",
      region: "eu-west-1",
      nodePools: [{ name: "q", instanceType: "m6i.xlarge", count: 3 }],
      nodes: { validators: 2, rpc: 1, members: 1 },
      apiAccess: { publicRanges: ["81.2.69.160/28"] },
      adminRoleArns: ["arn:aws:iam::210987654321:role/deploy"],
      ...overrides,
    },
  ],
});

describe("AWS cluster options", () => {
  it("records the control plane's minor and each node group's, and refuses a two-minor step before any resource", async () => {
    const deployed = await renderProgram(
      "t",
      awsConfig({ vault: "kubernetes", kubernetesVersion: "1.34" }),
      program,
    );
    assert.deepEqual(deployed.outputs.kubernetesVersions, {
      c1: { controlPlane: "1.34", nodePools: { "c1-q": "1.34" } },
    });
    const next = await renderProgram(
      "t",
      awsConfig({ vault: "kubernetes", kubernetesVersion: "1.35" }),
      program,
      {
        previousOutputs: deployed.outputs,
      },
    );
    assert.deepEqual(next.outputs.kubernetesVersions, {
      c1: { controlPlane: "1.35", nodePools: { "c1-q": "1.35" } },
    });
    const refused = await renderProgram(
      "t",
      awsConfig({ vault: "kubernetes", kubernetesVersion: "1.36" }),
      program,
      {
        previousOutputs: deployed.outputs,
      },
    ).then(
      (r) => r.resources.length,
      (e: unknown) => String(e),
    );
    assert.match(
      String(refused),
      /clusters\[0\]\.kubernetesVersion: is 1\.36, 2 minors above 1\.34.*to 1\.35 and run pulumi up/,
    );
  });

  it("gives configured admin roles access entries and opens the public endpoint only to configured ranges", async () => {
    const result = await renderProgram(
      "t",
      awsConfig({
        vault: "kubernetes",
        adminRoleArns: ["arn:aws:iam::210987654321:role/platform-admin"],
        viewerRoleArns: ["arn:aws:iam::210987654321:role/preview"],
        apiAccess: { publicRanges: ["203.0.113.0/24"] },
        natGateways: "single",
      }),
      program,
    );
    const eks = inputs(one(result, "eks:index:Cluster", "c1"));
    assert.deepEqual([eks.endpointPublicAccess, eks.publicAccessCidrs], [true, ["203.0.113.0/24"]]);
    assert.deepEqual(
      Object.entries(
        eks.accessEntries as Record<string, { principalArn: string; accessPolicies: Inputs }>,
      ).map(([key, e]) => [key, e.principalArn, Object.keys(e.accessPolicies)]),
      [
        ["admin-0", "arn:aws:iam::210987654321:role/platform-admin", ["clusterAdmin"]],
        ["viewer-0", "arn:aws:iam::210987654321:role/preview", ["view"]],
      ],
    );
    assert.equal(ofType(result, "aws:ec2/natGateway:NatGateway").length, 1);
    assert.equal(ofType(result, "aws:ec2/vpcPeeringConnection:VpcPeeringConnection").length, 0);
  });

  it("stops before creating anything when the identity running it administers not every AWS cluster", async () => {
    const raw = awsConfig({ vault: "kubernetes" });
    const clusters = raw["goquorum:clusters"];
    const other = {
      ...clusters[0],
      name: "c2",
      region: "us-east-1",
      adminRoleArns: ["arn:aws:iam::210987654321:role/someone-else"],
    };
    // The offline runtime runs as the first listed admin (deploy): an admin of c1, not of c2.
    const failed = await renderProgram(
      "t",
      { ...raw, "goquorum:clusters": [...clusters, other] },
      program,
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.match(
      String(failed),
      /clusters\[1\]\.adminRoleArns: this update runs as role deploy of account 210987654321/,
    );
  });

  it("takes extended support and a log retention from the cluster's config", async () => {
    const result = await renderProgram(
      "t",
      awsConfig({ vault: "kubernetes", supportType: "EXTENDED", controlPlaneLogRetentionDays: 365 }),
      program,
    );
    assert.deepEqual(inputs(one(result, "eks:index:Cluster", "c1")).upgradePolicy, {
      supportType: "EXTENDED",
    });
    const logGroup = one(result, "aws:cloudwatch/logGroup:LogGroup", "c1-control-plane-logs");
    assert.deepEqual(
      [inputs(logGroup).name, inputs(logGroup).retentionInDays],
      ["/aws/eks/t-c1/cluster", 365],
    );
  });

  it("with custom networking, adds the pod range to the VPC and one ENIConfig per zone before the nodes boot", async () => {
    const raw = awsConfig({ vault: "kubernetes", cni: { mode: "custom-networking" } });
    const { plan } = planRawConfig(raw);
    assert.ok(plan);
    const cluster = plan.clusters[0];
    const result = await renderProgram("t", raw, program);
    const association = inputs(
      one(result, "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation", "c1-cidr-1"),
    );
    assert.deepEqual([association.vpcId, association.cidrBlock], [idOf("c1-vpc"), cluster.podCidr]);
    const eniConfigs = ofType(result, "kubernetes:crd.k8s.amazonaws.com/v1alpha1:ENIConfig");
    assert.deepEqual(
      eniConfigs.map((e) => [(inputs(e).metadata as Inputs).name, (inputs(e).spec as Inputs).subnet]),
      cluster.zones.map((zone) => [zone, idOf(`c1-pods-${zone}`)]),
    );
    for (const e of eniConfigs)
      assert.match(String(((inputs(e).spec as Inputs).securityGroups as string[])[0]), /^sg-/);
    const group = one(result, "aws:eks/nodeGroup:NodeGroup", "c1-q");
    for (const e of eniConfigs) assert.ok(group.options?.dependsOn?.includes(`${e.type}::${e.name}`), e.name);
    for (const zone of cluster.zones) {
      const subnet = one(result, "aws:ec2/subnet:Subnet", `c1-pods-${zone}`);
      assert.deepEqual(subnet.options?.dependsOn, [
        "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation::c1-cidr-1",
      ]);
    }
  });

  it("keeps the keys in Secrets Manager under the cluster's KMS key, read through one IRSA role per node", async () => {
    const result = await renderProgram("t", awsConfig(), program);
    const { plan } = planRawConfig(awsConfig());
    assert.ok(plan);
    const nodes = plan.clusters[0].nodes;
    const eks = inputs(one(result, "eks:index:Cluster", "c1"));
    const secrets = ofType(result, "aws:secretsmanager/secret:Secret");
    const roles = ofType(result, "aws:iam/role:Role").filter((r) => r.name.endsWith("-keys-reader"));
    const classes = ofType(result, "kubernetes:secrets-store.csi.x-k8s.io/v1:SecretProviderClass");
    assert.deepEqual(
      [secrets.length, roles.length, classes.length],
      [nodes.length, nodes.length, nodes.length],
    );
    for (const secret of secrets) {
      assert.equal(inputs(secret).kmsKeyId, eks.encryptionConfigKeyArn);
      assert.equal(inputs(secret).region, "eu-west-1");
      assert.deepEqual(secret.options, { protect: true, retainOnDelete: true });
    }
    for (const node of nodes) {
      const role = roles.find((r) => r.name === `${node.name}-keys-reader`);
      assert.ok(role, node.name);
      const trust = JSON.parse(String(inputs(role).assumeRolePolicy));
      const [statement] = trust.Statement;
      assert.match(
        statement.Principal.Federated,
        /:oidc-provider\/oidc\.eks\.eu-west-1\.amazonaws\.com\/id\//,
      );
      assert.deepEqual(Object.values(statement.Condition.StringEquals).sort(), [
        "sts.amazonaws.com",
        `system:serviceaccount:goquorum:${node.name}`,
      ]);
    }
    const keySecrets = ofType(result, "kubernetes:core/v1:Secret").filter(
      (r) => (inputs(r).metadata as { namespace?: string }).namespace === "goquorum",
    );
    assert.deepEqual(keySecrets, []);
  });
});

describe("workloads on an AWS cluster and on local", () => {
  /** Renders one cluster's workloads for the same plan through a given target. */
  async function workloads(makeTarget: (plan: ClusterPlan) => ClusterTarget): Promise<RenderedResource[]> {
    const raw = awsConfig({ vault: "kubernetes" });
    const { config, plan } = planRawConfig(raw);
    assert.ok(config && plan);
    const cluster = plan.clusters[0];
    const result = await renderProgram("t", raw, async () => {
      const keys = clusterKeys(cluster);
      new ClusterWorkloads("c1", {
        network: config.network,
        plan,
        cluster,
        keys,
        genesisJson: pulumi.output("{}"),
        target: makeTarget(cluster),
      });
      return {};
    });
    return result.resources.filter(
      (r) => r.type.startsWith("kubernetes:") && r.parent?.startsWith("goquorum:k8s:ClusterWorkloads"),
    );
  }

  it("differ only in the provider, storage class, load balancer annotations and add-on dependencies", async () => {
    const raw = awsConfig({ vault: "kubernetes" });
    const { config } = planRawConfig(raw);
    assert.ok(config);
    // The local target, given the one thing a plan with endpoint addresses asks of every target: LB annotations (none).
    const local = await workloads(() => {
      const cluster = {
        name: "c1",
        provider: "local",
        namespace: "goquorum",
        enforcesNetworkPolicies: true,
      } as LocalClusterConfig;
      const target = new LocalCluster("c1", { cluster });
      return {
        kubernetes: target.kubernetes,
        crdKubernetes: target.crdKubernetes,
        enforcesNetworkPolicies: target.enforcesNetworkPolicies,
        storageClass: target.storageClass,
        prerequisites: target.prerequisites,
        loadBalancerAnnotations: () => ({}),
        createVault: (name, args, opts) => target.createVault(name, args, opts),
      };
    });
    const onAws = await workloads(
      (plan) =>
        new AwsClusterTarget("c1", {
          config: config.clusters[0] as AwsClusterConfig,
          network: config.network,
          plan,
          provider: new aws.Provider("aws-eu-west-1", { region: "eu-west-1" }),
          providerFor: () => {
            throw new Error("no management network in this stack");
          },
          deployerPaths: [],
        }),
    );
    assert.deepEqual(
      onAws.map((r) => `${r.type}::${r.name}`),
      local.map((r) => `${r.type}::${r.name}`),
    );
    const allowed = [
      /^provider$/,
      /^options\.dependsOn/,
      /^inputs\.spec\.volumeClaimTemplates\.\d+\.spec\.storageClassName$/,
      /^inputs\.metadata\.annotations\.service\.beta\.kubernetes\.io\/aws-load-balancer-[a-z0-9-]+$/,
    ];
    const differences = new Set<string>();
    onAws.forEach((aws, i) => {
      const a = flatten({ provider: aws.provider, options: aws.options, inputs: aws.inputs });
      const b = flatten({ provider: local[i].provider, options: local[i].options, inputs: local[i].inputs });
      for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
        if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) differences.add(key);
      }
    });
    assert.ok(differences.size > 0);
    for (const key of differences)
      assert.ok(
        allowed.some((re) => re.test(key)),
        `unexpected difference at ${key}`,
      );
    assert.ok([...differences].some((k) => k.includes("storageClassName")));
    assert.ok([...differences].some((k) => k.includes("aws-load-balancer-private-ipv4-addresses")));
  });
});

function flatten(value: unknown, path = "", out: Record<string, unknown> = {}): Record<string, unknown> {
  if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) flatten(v, path ? `${path}.${k}` : k, out);
  } else out[path] = value;
  return out;
}
