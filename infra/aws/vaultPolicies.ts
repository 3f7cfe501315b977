/**
 * IAM documents of the AWS vault. Each node has its own role: only that node's Kubernetes ServiceAccount
 * can assume it (IRSA), and it may read only that node's secret and decrypt only that secret, through
 * Secrets Manager, with the cluster's key. No document names two nodes' secrets or service accounts.
 */
import { endpointSuffix, parseArn } from "./arn";
import { type PolicyDocument, type ServiceAccountTrust, serviceAccountTrustPolicy } from "./iam";

/** Who may assume a node's role: a token of exactly the node's ServiceAccount, issued by its cluster for STS. */
export const nodeKeysRoleTrustPolicy = (trust: ServiceAccountTrust): PolicyDocument =>
  serviceAccountTrustPolicy(trust, "OnlyTheNodeServiceAccount");

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
