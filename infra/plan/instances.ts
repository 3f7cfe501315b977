/** Lookups of the shipped machine facts: EC2 instance types (ENIs, IPs, vCPUs) and Azure VM sizes. */
import awsInstanceTypes from "../data/aws-instance-types.json";
import { AZURE_VM_SIZES } from "../data/azure-vm-sizes";

export interface AwsInstanceType {
  readonly instanceType: string;
  /** ENIs the VPC CNI may attach (network card 0). */
  readonly enis: number;
  /** IPv4 addresses per ENI, the ENI's own primary included. */
  readonly ipsPerEni: number;
  /** Absent when EC2 publishes no count for the type. */
  readonly vcpus?: number;
  /** Built on the Nitro system (prefix delegation needs it); absent when unknown. */
  readonly nitro?: boolean;
}

const AWS_BY_NAME: ReadonlyMap<string, AwsInstanceType> = new Map(
  (awsInstanceTypes as readonly AwsInstanceType[]).map((t) => [t.instanceType, t]),
);

export const awsInstanceType = (name: string): AwsInstanceType | undefined => AWS_BY_NAME.get(name);
export const awsInstanceTypeNames = (): Iterable<string> => AWS_BY_NAME.keys();

export const isAzureVmSize = (name: string): boolean => Object.hasOwn(AZURE_VM_SIZES, name);
/** vCPUs of a shipped Azure VM size. */
export const azureVmVcpus = (name: string): number | undefined =>
  isAzureVmSize(name) ? AZURE_VM_SIZES[name] : undefined;
export const azureVmSizeNames = (): Iterable<string> => Object.keys(AZURE_VM_SIZES);
