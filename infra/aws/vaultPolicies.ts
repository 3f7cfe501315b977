/**
 * IAM documents of the AWS vault. Each node has its own role: only that node's Kubernetes ServiceAccount
 * can assume it (IRSA), and it may read only that node's secret and decrypt only that secret, through
 * Secrets Manager, with the cluster's key. No document names two nodes' secrets or service accounts.
 */
import { endpointSuffix, parseArn } from "./arn";

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: "Allow";
  readonly Principal?: { readonly Federated: string };
  readonly Action: string | readonly string[];
  readonly Resource?: string;
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly PolicyStatement[];
}

/** The audience of the tokens the Secrets Store CSI driver requests for a pod, and STS expects. */
export const IRSA_AUDIENCE = "sts.amazonaws.com";

/** The `sub` claim of a ServiceAccount's token. */
export const serviceAccountSubject = (namespace: string, serviceAccount: string): string =>
  `system:serviceaccount:${namespace}:${serviceAccount}`;

export interface NodeRoleTrust {
  /** The cluster's IAM OIDC provider. */
  readonly oidcProviderArn: string;
  /** The cluster's OIDC issuer, without `https://` (as IAM condition keys spell it). */
  readonly oidcIssuer: string;
  readonly namespace: string;
  readonly serviceAccount: string;
}

/**
 * Who may assume a node's role: a token of exactly the node's ServiceAccount, issued by its cluster for STS.
 * The issuer must be the OIDC provider's own, or the conditions would never match.
 */
export function nodeKeysRoleTrustPolicy(trust: NodeRoleTrust): PolicyDocument {
  const provider = parseArn(trust.oidcProviderArn, "iam", "the OIDC provider ARN");
  if (trust.oidcIssuer.includes("://")) {
    throw new Error(
      `the OIDC issuer must not name a scheme (IAM condition keys omit it): ${trust.oidcIssuer}`,
    );
  }
  if (provider.resource !== `oidc-provider/${trust.oidcIssuer}`) {
    throw new Error(
      `OIDC provider ${trust.oidcProviderArn} is not the provider of issuer ${trust.oidcIssuer}`,
    );
  }
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "OnlyTheNodeServiceAccount",
        Effect: "Allow",
        Principal: { Federated: trust.oidcProviderArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            [`${trust.oidcIssuer}:sub`]: serviceAccountSubject(trust.namespace, trust.serviceAccount),
            [`${trust.oidcIssuer}:aud`]: IRSA_AUDIENCE,
          },
        },
      },
    ],
  };
}

export interface NodeKeysAccess {
  /** The node's secret. */
  readonly secretArn: string;
  /** The cluster's customer-managed key that encrypts it. */
  readonly kmsKeyArn: string;
}

/**
 * What a node's role may do: read its own secret (the CSI provider calls DescribeSecret, then
 * GetSecretValue) and have Secrets Manager decrypt it. Secrets Manager decrypts with the secret's ARN as
 * encryption context, so the key grant covers this one secret only, and only through Secrets Manager.
 */
export function nodeKeysReadPolicy(access: NodeKeysAccess): PolicyDocument {
  const secret = parseArn(access.secretArn, "secretsmanager", "the node's secret ARN");
  const key = parseArn(access.kmsKeyArn, "kms", "the cluster's KMS key ARN");
  if (!secret.resource.startsWith("secret:")) throw new Error(`not a secret: ${access.secretArn}`);
  if (!key.resource.startsWith("key/"))
    throw new Error(`not a KMS key (aliases cannot be granted): ${access.kmsKeyArn}`);
  if (key.region !== secret.region || key.account !== secret.account || key.partition !== secret.partition) {
    // Secrets Manager only uses a key of the secret's own account and region.
    throw new Error(`KMS key ${access.kmsKeyArn} is not in the account and region of ${access.secretArn}`);
  }
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ReadOwnSecret",
        Effect: "Allow",
        Action: ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"],
        Resource: access.secretArn,
      },
      {
        Sid: "DecryptOwnSecretThroughSecretsManager",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: access.kmsKeyArn,
        Condition: {
          StringEquals: {
            "kms:ViaService": `secretsmanager.${secret.region}.${endpointSuffix(secret.partition)}`,
            "kms:EncryptionContext:SecretARN": access.secretArn,
          },
        },
      },
    ],
  };
}
