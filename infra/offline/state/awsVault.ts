/**
 * Stand-ins for the AWS vault's secrets: the names Pulumi would give them (logical name plus a suffix)
 * and the ARNs AWS would (IAM roles: `aws.ts`). A secret lives in its own region and in the account and partition of the KMS key
 * that encrypts it, so the IAM documents and SecretProviderClasses the render shows name consistent ARNs.
 */
import { throwawayBytes } from "./throwaway";
import type { MockContext, ProviderMocks } from "./types";

/** Pulumi's auto-name: the logical name and 7 hex characters. */
const autoName = ({ stack, name, inputs }: MockContext) =>
  typeof inputs.name === "string"
    ? inputs.name
    : `${name}-${throwawayBytes(`autoname:${stack}:${name}`, 4).toString("hex").slice(0, 7)}`;

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** Secrets Manager appends a dash and 6 random letters or digits to a secret's name in its ARN. */
const secretArnSuffix = ({ stack, name }: MockContext) =>
  [...throwawayBytes(`secret-arn:${stack}:${name}`, 6)]
    .map((b) => ALPHANUMERIC[b % ALPHANUMERIC.length])
    .join("");

function secretArn(context: MockContext): string {
  const { region, kmsKeyId } = context.inputs;
  const key = typeof kmsKeyId === "string" ? /^arn:([^:]+):kms:[^:]*:(\d{12}):/.exec(kmsKeyId) : null;
  if (typeof region !== "string" || !key) {
    throw new Error(`mock secret ${context.name} needs its region and the ARN of its KMS key`);
  }
  const [, partition, account] = key;
  return `arn:${partition}:secretsmanager:${region}:${account}:secret:${autoName(context)}-${secretArnSuffix(context)}`;
}

export const awsVaultMocks: ProviderMocks = {
  resources: {
    "aws:secretsmanager/secret:Secret": (context) => ({ name: autoName(context), arn: secretArn(context) }),
    "aws:secretsmanager/secretVersion:SecretVersion": (context) => ({
      arn: context.inputs.secretId,
      versionId: throwawayBytes(`secret-version:${context.stack}:${context.name}`, 16).toString("hex"),
      versionStages: ["AWSCURRENT"],
    }),
  },
};
