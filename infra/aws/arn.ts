/** Amazon Resource Names, as the vault's IAM documents check and compare them. */

export interface Arn {
  readonly partition: string;
  readonly service: string;
  /** Empty for global services (IAM). */
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}

const ARN = /^arn:(aws|aws-cn|aws-us-gov):([a-z0-9-]+):([a-z0-9-]*):(\d{12}):(.+)$/;

/** Parses `arn` and checks it belongs to `service`; `what` names the value in the error. */
export function parseArn(arn: string, service: string, what: string): Arn {
  const m = ARN.exec(arn);
  if (!m) throw new Error(`${what} is not an ARN: ${JSON.stringify(arn)}`);
  const [, partition, parsedService, region, account, resource] = m;
  if (parsedService !== service) throw new Error(`${what} must be a ${service} ARN, got ${arn}`);
  return { partition, service, region, account, resource };
}

/** DNS suffix of the partition's service endpoints (what `kms:ViaService` names). */
export function endpointSuffix(partition: string): string {
  return partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";
}
