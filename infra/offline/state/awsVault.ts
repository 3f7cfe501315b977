/**
 * Stand-ins for the AWS vault's resources: the names Pulumi would give them (logical name plus a suffix)
 * and the ARNs AWS would, in the resource's region, so the IAM documents and SecretProviderClasses the
 * render shows name real-looking, distinct ARNs.
 */
import { throwawayBytes } from "./throwaway";
import type { MockContext, ProviderMocks } from "./types";

/** The account every mock ARN is in. */
export const MOCK_AWS_ACCOUNT = "123456789012";

/** Pulumi's auto-name: the logical name and 7 hex characters. */
const autoName = ({ stack, name }: MockContext) =>
  `${name}-${throwawayBytes(`autoname:${stack}:${name}`, 4).toString("hex").slice(0, 7)}`;

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** Secrets Manager appends a dash and 6 random letters or digits to a secret's name in its ARN. */
const secretArnSuffix = ({ stack, name }: MockContext) =>
  [...throwawayBytes(`secret-arn:${stack}:${name}`, 6)]
    .map((b) => ALPHANUMERIC[b % ALPHANUMERIC.length])
    .join("");

function regionOf({ inputs, name }: MockContext): string {
  if (typeof inputs.region !== "string")
    throw new Error(`mock ${name}: a regional resource needs its region`);
  return inputs.region;
}

export const awsVaultMocks: ProviderMocks = {
  resources: {
    "aws:secretsmanager/secret:Secret": (context) => {
      const name = typeof context.inputs.name === "string" ? context.inputs.name : autoName(context);
      const arn = `arn:aws:secretsmanager:${regionOf(context)}:${MOCK_AWS_ACCOUNT}:secret:${name}-${secretArnSuffix(context)}`;
      return { name, arn };
    },
    "aws:secretsmanager/secretVersion:SecretVersion": (context) => ({
      arn: context.inputs.secretId,
      versionId: throwawayBytes(`secret-version:${context.stack}:${context.name}`, 16).toString("hex"),
      versionStages: ["AWSCURRENT"],
    }),
    "aws:iam/role:Role": (context) => {
      const name = typeof context.inputs.name === "string" ? context.inputs.name : autoName(context);
      return {
        name,
        arn: `arn:aws:iam::${MOCK_AWS_ACCOUNT}:role${context.inputs.path ?? "/"}${name}`,
        uniqueId: `AROA${throwawayBytes(`role-id:${context.stack}:${context.name}`, 8).toString("hex").toUpperCase()}`,
      };
    },
  },
};
