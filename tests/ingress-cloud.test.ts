/**
 * The cloud side of published routes as pure values: the gateway's load balancer annotations per exposure,
 * and cert-manager's DNS-01 identity on each cloud, allowed into the configured zone only.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { serviceAccountTrustPolicy } from "../infra/aws/iam";
import { awsGatewayServiceAnnotations, dnsSolverPolicy } from "../infra/aws/ingress";
import { awsSubnetName } from "../infra/aws/names";
import {
  azureGatewayServiceAnnotations,
  DNS_ZONE_CONTRIBUTOR_ROLE,
  dnsSolverIdentityPlan,
  dnsZoneScope,
} from "../infra/azure/ingress";
import { clusterGrants } from "../infra/azure/roles";
import type { AzureClusterConfig } from "../infra/config/schema";
import { awsIngressConfig, azureIngressConfig, onlyCluster } from "./fixtures/ingress";

const CERT_MANAGER_SA = { namespace: "cert-manager", name: "cert-manager" };
const ZONE = {
  subscriptionId: "00000000-0000-4000-8000-000000000000",
  resourceGroup: "dns",
  zoneName: "dev.example.net",
};

describe("the gateway's load balancer on AWS", () => {
  const cluster = onlyCluster(awsIngressConfig());
  const names = (purpose: string) =>
    cluster.subnets.filter((s) => s.purpose === purpose).map((s) => awsSubnetName(cluster, s));

  it("public: an internet-facing NLB in exactly the public subnets, by the Name tags the VPC gives them", () => {
    const a = awsGatewayServiceAnnotations(cluster, "public");
    assert.equal(a["service.beta.kubernetes.io/aws-load-balancer-scheme"], "internet-facing");
    assert.deepEqual(a["service.beta.kubernetes.io/aws-load-balancer-subnets"].split(","), names("public"));
    assert.equal(names("public").length, cluster.zones.length);
  });

  it("internal: an internal NLB in the private subnets, never in a public one", () => {
    const a = awsGatewayServiceAnnotations(cluster, "internal");
    assert.equal(a["service.beta.kubernetes.io/aws-load-balancer-scheme"], "internal");
    const subnets = a["service.beta.kubernetes.io/aws-load-balancer-subnets"].split(",");
    assert.deepEqual(subnets, names("private"));
    for (const s of names("public")) assert.ok(!subnets.includes(s));
  });
});

describe("cert-manager's Route 53 identity", () => {
  it("changes only TXT records, and lists records, of the configured hosted zone, in the account's partition", () => {
    for (const partition of ["aws", "aws-cn", "aws-us-gov"]) {
      const policy = dnsSolverPolicy(partition, "Z0123456789ABC");
      const zone = `arn:${partition}:route53:::hostedzone/Z0123456789ABC`;
      assert.deepEqual(
        policy.Statement.map((s) => [s.Action, s.Resource]),
        [
          ["route53:ChangeResourceRecordSets", zone],
          ["route53:ListResourceRecordSets", zone],
          ["route53:GetChange", `arn:${partition}:route53:::change/*`],
          ["route53:ListHostedZonesByName", "*"],
        ],
      );
      assert.deepEqual(policy.Statement[0].Condition, {
        "ForAllValues:StringEquals": { "route53:ChangeResourceRecordSetsRecordTypes": ["TXT"] },
      });
      assert.ok(policy.Statement.every((s) => s.Effect === "Allow" && !String(s.Action).includes("*")));
    }
  });

  it("is assumed only by cert-manager's ServiceAccount, through the cluster's OIDC provider, for STS", () => {
    const issuer = "oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF";
    const provider = `arn:aws:iam::111122223333:oidc-provider/${issuer}`;
    const trust = serviceAccountTrustPolicy(
      {
        oidcProviderArn: provider,
        oidcIssuer: issuer,
        namespace: "cert-manager",
        serviceAccount: "cert-manager",
      },
      "OnlyCertManager",
    );
    assert.deepEqual(trust.Statement, [
      {
        Sid: "OnlyCertManager",
        Effect: "Allow",
        Principal: { Federated: provider },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            [`${issuer}:sub`]: "system:serviceaccount:cert-manager:cert-manager",
            [`${issuer}:aud`]: "sts.amazonaws.com",
          },
        },
      },
    ]);
    assert.throws(
      () =>
        serviceAccountTrustPolicy({
          oidcProviderArn: provider.replace("0123", "9999"),
          oidcIssuer: issuer,
          namespace: "cert-manager",
          serviceAccount: "cert-manager",
        }),
      /is not the provider of issuer/,
    );
  });
});

describe("the gateway's load balancer on Azure", () => {
  const cluster = onlyCluster(azureIngressConfig());

  it("internal: a frontend in the node subnet, which the cluster identity may join (Network Contributor)", () => {
    const a = azureGatewayServiceAnnotations(cluster, "internal");
    const subnet = a["service.beta.kubernetes.io/azure-load-balancer-internal-subnet"];
    assert.equal(a["service.beta.kubernetes.io/azure-load-balancer-internal"], "true");
    assert.equal(subnet, cluster.subnets.find((s) => s.purpose === "private")?.name);
    const config = azureIngressConfig().clusters[0] as AzureClusterConfig;
    const grant = clusterGrants(cluster, config).find(
      (g) => g.scope.kind === "subnet" && g.scope.subnet === subnet,
    );
    assert.deepEqual([grant?.principal, grant?.role], [{ kind: "clusterIdentity" }, "networkContributor"]);
  });

  it("public: the cluster's public load balancer, no subnet", () => {
    assert.deepEqual(azureGatewayServiceAnnotations(cluster, "public"), {
      "service.beta.kubernetes.io/azure-load-balancer-internal": "false",
    });
  });
});

describe("cert-manager's Azure DNS identity", () => {
  it("is federated with cert-manager's ServiceAccount only and granted DNS Zone Contributor on the zone only", () => {
    const plan = dnsSolverIdentityPlan({ name: "weu" }, CERT_MANAGER_SA, ZONE);
    assert.deepEqual(plan, {
      identityName: "weu-cert-manager-dns",
      federatedCredential: {
        name: "serviceaccount-cert-manager-cert-manager",
        subject: "system:serviceaccount:cert-manager:cert-manager",
        audiences: ["api://AzureADTokenExchange"],
      },
      scope:
        "/subscriptions/00000000-0000-4000-8000-000000000000/resourceGroups/dns/providers/Microsoft.Network/dnszones/dev.example.net",
      roleDefinitionId: `/subscriptions/00000000-0000-4000-8000-000000000000/providers/Microsoft.Authorization/roleDefinitions/${DNS_ZONE_CONTRIBUTOR_ROLE}`,
    });
    assert.equal(DNS_ZONE_CONTRIBUTOR_ROLE, "befefa01-2a29-4197-83a8-272ff33ce314");
  });

  it("scopes to the zone's own subscription and resource group", () => {
    const other = { ...ZONE, subscriptionId: "11111111-1111-4111-8111-111111111111", resourceGroup: "edge" };
    assert.match(
      dnsZoneScope(other),
      /^\/subscriptions\/11111111-[^/]+\/resourceGroups\/edge\/providers\/Microsoft\.Network\/dnszones\/dev\.example\.net$/,
    );
    assert.match(
      dnsSolverIdentityPlan({ name: "weu" }, CERT_MANAGER_SA, other).roleDefinitionId,
      /^\/subscriptions\/11111111-/,
    );
  });
});
