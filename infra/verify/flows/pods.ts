/** Pods as the flows see them: labels, namespace, ports and probes from the manifests; representative addresses. */
import type { IContainer } from "kubernetes-models/v1/Container";
import { vpcCniSourceAddress } from "../../aws/behaviour";
import { vpcCniConfiguration } from "../../aws/cni";
import { aksPodLeavesAs } from "../../azure/behaviour";
import type { ClusterConfig } from "../../config/schema";
import { NAMESPACE_NAME_LABEL } from "../../kubernetes/behaviour";
import { addressAt, cidr } from "../../plan/cidr";
import type { ClusterPlan, SubnetPlan } from "../../plan/types";
import { inAnyPrefix } from "./addresses";

export type Labels = Readonly<Record<string, string>>;

export interface PodModel {
  /** The flow endpoint's name: the node's name, or `<cluster>/<role>`. */
  readonly id: string;
  readonly cluster: string;
  readonly namespace: string;
  readonly namespaceLabels: Labels;
  readonly labels: Labels;
  /** A representative address in the subnet (or pod range) its pods take addresses from; none on `local`. */
  readonly address?: string;
  /** Its node's address; none on `local`. */
  readonly nodeAddress?: string;
  readonly namedPorts: Readonly<Record<string, number>>;
  /** Ports the kubelet probes (tcpSocket and httpGet probes of every container). */
  readonly probePorts: readonly number[];
}

/** A namespace no policy of the program names. */
export const STRANGER_NAMESPACE = "default";

export const namespaceLabels = (name: string, labels: Labels = {}): Labels => ({
  ...labels,
  [NAMESPACE_NAME_LABEL]: name,
});

export function subnetIn(
  cluster: ClusterPlan,
  purpose: SubnetPlan["purpose"],
  zone?: string,
): SubnetPlan | undefined {
  const all = cluster.subnets.filter((s) => s.purpose === purpose);
  return all.find((s) => s.zone === zone) ?? all[0];
}

export const hostAt = (range: string | undefined, offset: number) =>
  range ? addressAt(cidr(range), offset) : undefined;

/** Representative addresses: a node at offset 4 of its private subnet, a pod at 5 (or 4 of its own range). */
export function addressesOf(cluster: ClusterPlan, config: ClusterConfig) {
  const node = (zone?: string) => hostAt(subnetIn(cluster, "private", zone)?.cidr, 4);
  const pod = (zone?: string): string | undefined => {
    if (config.provider === "aws") {
      return config.cni.mode === "custom-networking"
        ? hostAt(subnetIn(cluster, "pods", zone)?.cidr, 4)
        : hostAt(subnetIn(cluster, "private", zone)?.cidr, 5);
    }
    if (config.provider === "azure") {
      if (config.cni.mode === "pod-subnet") return hostAt(subnetIn(cluster, "pods")?.cidr, 4);
      if (config.cni.mode === "overlay") return hostAt(cluster.podCidr, 4);
      return hostAt(subnetIn(cluster, "private")?.cidr, 5);
    }
    return undefined;
  };
  return { node, pod };
}

export function sourceAddressOf(cluster: ClusterPlan, config: ClusterConfig) {
  return (pod: PodModel, destination: string): string | undefined => {
    if (!pod.address || !pod.nodeAddress) return undefined;
    if (config.provider === "aws") {
      return vpcCniSourceAddress({
        env: vpcCniConfiguration(config.cni).env,
        destinationInVpc: inAnyPrefix(
          destination,
          [cluster.cidr ?? "", cluster.podCidr ?? ""].filter(Boolean),
        ),
        podAddress: pod.address,
        nodeAddress: pod.nodeAddress,
      });
    }
    if (config.provider === "azure" && aksPodLeavesAs(config.cni.mode) === "node") {
      return cluster.podCidr && inAnyPrefix(destination, [cluster.podCidr]) ? pod.address : pod.nodeAddress;
    }
    return pod.address;
  };
}

/** Container ports by name and the ports probes use, over every container of a pod template. */
export function portsOf(containers: readonly IContainer[]) {
  const namedPorts: Record<string, number> = {};
  for (const c of containers) for (const p of c.ports ?? []) if (p.name) namedPorts[p.name] = p.containerPort;
  const resolve = (port: number | string | undefined) => (typeof port === "string" ? namedPorts[port] : port);
  const probePorts = containers.flatMap((c) =>
    [c.startupProbe, c.readinessProbe, c.livenessProbe].flatMap((probe) => {
      const port = resolve(probe?.tcpSocket?.port ?? probe?.httpGet?.port);
      return port === undefined ? [] : [port];
    }),
  );
  return { namedPorts, probePorts: [...new Set(probePorts)] };
}
