/**
 * The cluster add-ons the node pods need, as plain values: the encrypted gp3 StorageClass of the chain data
 * and the AWS Load Balancer Controller's release (pinned chart, its own role, region and VPC given
 * explicitly: with an IMDS hop limit of 1 the controller cannot ask instance metadata for them).
 */
import type { IStorageClass } from "kubernetes-models/storage.k8s.io/v1/StorageClass";
import { IRSA_ROLE_ANNOTATION } from "./iam";

/** The StorageClass of an AWS cluster when `clusters[].storageClass` names none. */
export const DEFAULT_AWS_STORAGE_CLASS = "gp3";

/** Encrypted gp3 volumes, bound where the pod lands (its zone), kept when the claim goes. */
export function gp3StorageClass(name: string): IStorageClass {
  return {
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: { name },
    provisioner: "ebs.csi.aws.com",
    parameters: { type: "gp3", encrypted: "true", "csi.storage.k8s.io/fstype": "ext4" },
    volumeBindingMode: "WaitForFirstConsumer",
    reclaimPolicy: "Retain",
    allowVolumeExpansion: true,
  };
}

/** Where controllers run and which service accounts their roles trust. */
export const KUBE_SYSTEM = "kube-system";
export const EBS_CSI_SERVICE_ACCOUNT = "ebs-csi-controller-sa";
export const VPC_CNI_SERVICE_ACCOUNT = "aws-node";
export const LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT = "aws-load-balancer-controller";

/** The AWS Load Balancer Controller chart, pinned (app v2.17.1). */
export const LOAD_BALANCER_CONTROLLER_CHART = {
  chart: "aws-load-balancer-controller",
  version: "1.17.1",
  repo: "https://aws.github.io/eks-charts",
} as const;

export interface LoadBalancerControllerInputs<T> {
  readonly eksClusterName: string;
  readonly region: string;
  readonly vpcId: T;
  readonly roleArn: T;
}

export function loadBalancerControllerValues<T>(inputs: LoadBalancerControllerInputs<T>) {
  return {
    clusterName: inputs.eksClusterName,
    region: inputs.region,
    vpcId: inputs.vpcId,
    replicaCount: 2,
    serviceAccount: {
      create: true,
      name: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT,
      annotations: { [IRSA_ROLE_ANNOTATION]: inputs.roleArn },
    },
    // Service load balancers only: the program's NLBs; no Ingress class is installed as default.
    createIngressClassResource: false,
    enableServiceMutatorWebhook: false,
  };
}
