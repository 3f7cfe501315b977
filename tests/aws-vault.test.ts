/** The AWS vault's pure values: IAM documents per node, the SecretProviderClass, the secret, Helm values. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { parse } from "yaml";
import { type PolicyDocument, serviceAccountSubject } from "../infra/aws/iam";
import {
  ascpObjects,
  awsProviderValues,
  csiDriverValues,
  KEY_DOCUMENT_FILE,
  nodeKeyDocument,
  SECRETS_STORE_CHARTS,
  secretProviderClassSpec,
} from "../infra/aws/secretsStore";
import { nodeKeysReadPolicy, nodeKeysRoleTrustPolicy } from "../infra/aws/vaultPolicies";
import type { NodeRole } from "../infra/config/schema";
import { planNetwork } from "../infra/plan";
import type { NodePlan } from "../infra/plan/types";
import { CSI_KEY_FILE_PERMISSION, nodeKeyFiles, serviceAccountName } from "../infra/quorum/manifests";
import { awsCluster, stackConfig } from "./helpers/config";

const ACCOUNT = "111122223333";
const ISSUER = "oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF";
const OIDC_PROVIDER = `arn:aws:iam::${ACCOUNT}:oidc-provider/${ISSUER}`;
const KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const secretArnOf = (node: Pick<NodePlan, "name">, region = "eu-west-1") =>
  `arn:aws:secretsmanager:${region}:${ACCOUNT}:secret:${node.name}-keys-1a2b3c4-AbCdEf`;

describe("a node role's trust policy", () => {
  it("admits only tokens of the node's ServiceAccount, issued by its cluster for STS", () => {
    assert.deepEqual(
      nodeKeysRoleTrustPolicy({
        oidcProviderArn: OIDC_PROVIDER,
        oidcIssuer: ISSUER,
        namespace: "goquorum",
        serviceAccount: "euw1-validator-0",
      }),
      {
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "OnlyTheNodeServiceAccount",
            Effect: "Allow",
            Principal: { Federated: OIDC_PROVIDER },
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: {
              StringEquals: {
                [`${ISSUER}:sub`]: "system:serviceaccount:goquorum:euw1-validator-0",
                [`${ISSUER}:aud`]: "sts.amazonaws.com",
              },
            },
          },
        ],
      },
    );
  });

  it("refuses an issuer with a scheme, or one that is not the provider's", () => {
    const trust = { oidcProviderArn: OIDC_PROVIDER, namespace: "goquorum", serviceAccount: "a" };
    assert.throws(() => nodeKeysRoleTrustPolicy({ ...trust, oidcIssuer: `https://${ISSUER}` }), /scheme/);
    assert.throws(
      () => nodeKeysRoleTrustPolicy({ ...trust, oidcIssuer: ISSUER.replace("0123", "9999") }),
      /is not the provider of issuer/,
    );
    assert.throws(
      () => nodeKeysRoleTrustPolicy({ ...trust, oidcProviderArn: KEY, oidcIssuer: ISSUER }),
      /must be a iam ARN/,
    );
  });
});

describe("a node role's policy", () => {
  it("reads the node's secret and decrypts it only through Secrets Manager, for that secret", () => {
    const secretArn = secretArnOf({ name: "euw1-member-0" });
    assert.deepEqual(nodeKeysReadPolicy({ secretArn, kmsKeyArn: KEY }), {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "ReadOwnSecret",
          Effect: "Allow",
          Action: ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"],
          Resource: secretArn,
        },
        {
          Sid: "DecryptOwnSecretThroughSecretsManager",
          Effect: "Allow",
          Action: "kms:Decrypt",
          Resource: KEY,
          Condition: {
            StringEquals: {
              "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com",
              "kms:EncryptionContext:SecretARN": secretArn,
            },
          },
        },
      ],
    });
  });

  it("names the partition's endpoints", () => {
    const secretArn = `arn:aws-cn:secretsmanager:cn-north-1:${ACCOUNT}:secret:n-keys-AbCdEf`;
    const kmsKeyArn = `arn:aws-cn:kms:cn-north-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const decrypt = nodeKeysReadPolicy({ secretArn, kmsKeyArn }).Statement[1];
    assert.equal(
      decrypt?.Condition?.StringEquals?.["kms:ViaService"],
      "secretsmanager.cn-north-1.amazonaws.com.cn",
    );
  });

  it("refuses a key the secret cannot use, an alias, or something that is not a secret", () => {
    const secretArn = secretArnOf({ name: "n" });
    assert.throws(
      () => nodeKeysReadPolicy({ secretArn, kmsKeyArn: KEY.replace("eu-west-1", "us-east-1") }),
      /not in the account and region/,
    );
    assert.throws(
      () => nodeKeysReadPolicy({ secretArn, kmsKeyArn: KEY.replace(":111122223333:", ":999988887777:") }),
      /not in the account and region/,
    );
    assert.throws(
      () => nodeKeysReadPolicy({ secretArn, kmsKeyArn: `arn:aws:kms:eu-west-1:${ACCOUNT}:alias/cluster` }),
      /aliases cannot be granted/,
    );
    assert.throws(
      () => nodeKeysReadPolicy({ secretArn: KEY, kmsKeyArn: KEY }),
      /must be a secretsmanager ARN/,
    );
    assert.throws(() => nodeKeysReadPolicy({ secretArn: "*", kmsKeyArn: KEY }), /is not an ARN/);
  });
});

describe("per node one role, over generated clusters", () => {
  const counts = fc.record({
    validators: fc.integer({ min: 1, max: 12 }),
    rpc: fc.integer({ min: 0, max: 3 }),
    members: fc.integer({ min: 0, max: 12 }),
  });
  const clusters = fc.array(counts, { minLength: 1, maxLength: 3 }).map((all) =>
    all.map((nodes, i) =>
      awsCluster(`c${i}`, {
        cidr: `10.${i + 1}.0.0/16`,
        region: i === 1 ? "us-east-1" : "eu-west-1",
        nodes,
      }),
    ),
  );

  it("each trust names only its node's ServiceAccount, each policy only its node's secret", () => {
    fc.assert(
      fc.property(clusters, (input) => {
        const { plan, issues } = planNetwork(stackConfig(input));
        assert.ok(plan, JSON.stringify(issues));
        const documents = plan.clusters.flatMap((cluster) =>
          cluster.nodes.map((node) => {
            const issuer = `oidc.eks.${cluster.region}.amazonaws.com/id/${cluster.name.toUpperCase()}`;
            const kmsKeyArn = `arn:aws:kms:${cluster.region}:${ACCOUNT}:key/${cluster.name}`;
            return {
              node,
              subject: serviceAccountSubject(cluster.namespace, serviceAccountName(node)),
              secretArn: secretArnOf(node, cluster.region),
              trust: nodeKeysRoleTrustPolicy({
                oidcProviderArn: `arn:aws:iam::${ACCOUNT}:oidc-provider/${issuer}`,
                oidcIssuer: issuer,
                namespace: cluster.namespace,
                serviceAccount: serviceAccountName(node),
              }),
              policy: nodeKeysReadPolicy({ secretArn: secretArnOf(node, cluster.region), kmsKeyArn }),
            };
          }),
        );
        const quoted = (doc: PolicyDocument) => JSON.stringify(doc);
        for (const own of documents) {
          assert.ok(!quoted(own.policy).includes("*"), "no wildcard in a node's policy");
          assert.ok(!quoted(own.trust).includes("*"), "no wildcard in a node's trust");
          const [read, decrypt] = own.policy.Statement;
          assert.equal(read?.Resource, own.secretArn);
          assert.equal(decrypt?.Condition?.StringEquals?.["kms:EncryptionContext:SecretARN"], own.secretArn);
          assert.deepEqual(
            Object.values(own.trust.Statement[0]?.Condition?.StringEquals ?? {}).filter((v) =>
              String(v).startsWith("system:serviceaccount:"),
            ),
            [own.subject],
          );
          for (const other of documents) {
            if (other === own) continue;
            assert.ok(
              !quoted(own.policy).includes(`"${other.secretArn}"`),
              `${own.node.name} names another secret`,
            );
            assert.ok(
              !quoted(own.trust).includes(`"${other.subject}"`),
              `${own.node.name} trusts another node`,
            );
          }
        }
        assert.equal(new Set(documents.map((d) => d.secretArn)).size, documents.length);
        assert.equal(new Set(documents.map((d) => d.subject)).size, documents.length);
      }),
      { numRuns: 60 },
    );
  });
});

describe("a node's SecretProviderClass", () => {
  const secretArn = secretArnOf({ name: "euw1-member-0" });

  for (const role of ["validator", "rpc", "member"] satisfies NodeRole[]) {
    for (const tls of ["off", "strict"] as const) {
      it(`${role}, Tessera TLS ${tls}: yields exactly the node's key files, read-only for its containers`, () => {
        const files = nodeKeyFiles(role, tls);
        const spec = secretProviderClassSpec({ region: "eu-west-1", secretArn, files });
        assert.equal(spec.provider, "aws");
        assert.equal(spec.parameters.region, "eu-west-1");
        assert.equal(spec.parameters.usePodIdentity, "false");
        assert.ok(!("secretObjects" in spec), "never synced into Kubernetes Secrets");
        const objects = parse(spec.parameters.objects) as ReturnType<typeof ascpObjects>;
        assert.deepEqual(objects, ascpObjects({ region: "eu-west-1", secretArn, files }));
        assert.equal(objects.length, 1);
        const [object] = objects;
        assert.equal(object?.objectName, secretArn);
        assert.equal(object?.objectType, "secretsmanager");
        assert.equal(object?.objectAlias, KEY_DOCUMENT_FILE);
        assert.equal(object?.filePermission, "0400");
        assert.deepEqual(
          object?.jmesPath.map((j) => j.objectAlias),
          files.map((f) => f.name),
        );
        for (const entry of object?.jmesPath ?? []) {
          // A quoted identifier selects the top-level field of that exact name, dots included.
          assert.equal(entry.path, `"${entry.objectAlias}"`);
          assert.equal(entry.filePermission, CSI_KEY_FILE_PERMISSION);
        }
        assert.ok(!files.some((f) => f.name === KEY_DOCUMENT_FILE));
      });
    }
  }

  it("refuses a secret of another region (the provider would fail the mount)", () => {
    assert.throws(
      () => ascpObjects({ region: "us-east-1", secretArn, files: nodeKeyFiles("validator", "off") }),
      /not in the cluster's region us-east-1/,
    );
  });

  it("gives the files their permissions: readable by uid 1000, writable by nobody", () => {
    assert.equal(Number.parseInt(CSI_KEY_FILE_PERMISSION, 8) & 0o222, 0);
    assert.equal(Number.parseInt(CSI_KEY_FILE_PERMISSION, 8) & 0o004, 0o004);
  });
});

describe("a node's secret value", () => {
  const files = nodeKeyFiles("member", "strict");
  const contents = Object.fromEntries(files.map((f) => [f.name, `content of ${f.name}`]));

  it("is one JSON field per key file, named as the file", () => {
    assert.deepEqual(JSON.parse(nodeKeyDocument(files, contents)), contents);
    assert.deepEqual(Object.keys(JSON.parse(nodeKeyDocument(files, contents))), [
      "nodekey",
      "tm.key",
      "tm.pub",
      "tls.key",
      "tls.crt",
      "ca.crt",
    ]);
  });

  it("refuses a missing, empty or foreign file", () => {
    const { "tm.key": _, ...missing } = contents;
    assert.throws(() => nodeKeyDocument(files, missing), /no content for key file tm\.key/);
    assert.throws(
      () => nodeKeyDocument(files, { ...contents, "tm.key": "" }),
      /no content for key file tm\.key/,
    );
    assert.throws(
      () => nodeKeyDocument(nodeKeyFiles("validator", "off"), contents),
      /not key files of the node/,
    );
  });
});

describe("the Secrets Store CSI driver and its AWS provider", () => {
  it("pins both charts to exact versions", () => {
    for (const chart of Object.values(SECRETS_STORE_CHARTS)) {
      assert.match(chart.version, /^\d+\.\d+\.\d+$/);
      assert.match(chart.repo, /^https:\/\//);
    }
  });

  it("never syncs secrets into Kubernetes, does not poll, and hands the provider a token for STS", () => {
    const values = csiDriverValues();
    assert.deepEqual(values.syncSecret, { enabled: false });
    assert.equal(values.enableSecretRotation, false);
    assert.deepEqual(values.tokenRequests, [{ audience: "sts.amazonaws.com" }]);
    // On every node, the tainted ones of a dedicated pool included, like the provider.
    assert.deepEqual(values.linux, {
      priorityClassName: "system-node-critical",
      tolerations: [{ operator: "Exists" }],
    });
  });

  it("installs the provider alone, for the cluster's region, on every node", () => {
    assert.deepEqual(awsProviderValues("ap-southeast-2"), {
      awsRegion: "ap-southeast-2",
      "secrets-store-csi-driver": { install: false },
      priorityClassName: "system-node-critical",
      tolerations: [{ operator: "Exists" }],
    });
  });
});
