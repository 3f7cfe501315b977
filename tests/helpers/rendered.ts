/**
 * The workloads of a render as a reviewer reads them: pod templates, Services and ConfigMaps, each with the
 * cluster it is applied to (clusters may share a namespace name), and which Service selects which pod.
 */
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import type { IServiceSpec } from "kubernetes-models/v1/ServiceSpec";
import type { RenderResult } from "../../infra/offline/render";
import { LABELS } from "../../infra/quorum/manifests/labels";

interface Placed {
  /** The cluster the object is applied to (its `goquorum.network/cluster` label). */
  readonly cluster: string;
  readonly namespace: string;
  readonly name: string;
}

export interface RenderedPod extends Placed {
  readonly labels: Readonly<Record<string, string>>;
  readonly spec: IPodSpec;
}

export interface RenderedService extends Placed {
  readonly spec: IServiceSpec;
}

export interface RenderedConfigMap extends Placed {
  readonly data: Readonly<Record<string, string>>;
}

interface Metadata {
  readonly name: string;
  readonly namespace?: string;
  readonly labels?: Record<string, string>;
}

const placed = (metadata: Metadata): Placed => ({
  cluster: metadata.labels?.[LABELS.cluster] ?? "",
  namespace: metadata.namespace ?? "",
  name: metadata.name,
});

const inputsOf = <T>(result: RenderResult, type: string): T[] =>
  result.resources.filter((r) => r.type === type).map((r) => r.inputs as T);

/** Every pod a StatefulSet of the render runs (its template). */
export function renderedPods(result: RenderResult): RenderedPod[] {
  type Sts = {
    metadata: Metadata;
    spec: { template: { metadata: { labels: Record<string, string> }; spec: IPodSpec } };
  };
  return inputsOf<Sts>(result, "kubernetes:apps/v1:StatefulSet").map((sts) => ({
    ...placed(sts.metadata),
    labels: sts.spec.template.metadata.labels,
    spec: sts.spec.template.spec,
  }));
}

export function renderedServices(result: RenderResult): RenderedService[] {
  return inputsOf<{ metadata: Metadata; spec: IServiceSpec }>(result, "kubernetes:core/v1:Service").map(
    (service) => ({ ...placed(service.metadata), spec: service.spec }),
  );
}

export function renderedConfigMaps(result: RenderResult): RenderedConfigMap[] {
  return inputsOf<{ metadata: Metadata; data?: Record<string, string> }>(
    result,
    "kubernetes:core/v1:ConfigMap",
  ).map((configMap) => ({ ...placed(configMap.metadata), data: configMap.data ?? {} }));
}

/** Whether `service` sends traffic to `pod`: same cluster and namespace, and its selector matches. */
export function selects(service: RenderedService, pod: RenderedPod): boolean {
  const selector = service.spec.selector;
  if (!selector || Object.keys(selector).length === 0) return false;
  return (
    service.cluster === pod.cluster &&
    service.namespace === pod.namespace &&
    Object.entries(selector).every(([key, value]) => pod.labels[key] === value)
  );
}

export const regularContainers = (pod: RenderedPod): IContainer[] => pod.spec.containers;

/** Init containers with `restartPolicy: Always`: native sidecars. */
export const sidecars = (pod: RenderedPod): IContainer[] =>
  (pod.spec.initContainers ?? []).filter((c) => c.restartPolicy === "Always");

export const allContainers = (pod: RenderedPod): IContainer[] => [
  ...(pod.spec.initContainers ?? []),
  ...pod.spec.containers,
];

export function containerNamed(pod: RenderedPod, name: string): IContainer {
  const container = allContainers(pod).find((c) => c.name === name);
  if (!container) throw new Error(`pod ${pod.name} has no container ${name}`);
  return container;
}

/** The container port a probe or Service port names (by number or by the container's port name). */
export function resolvePort(container: IContainer, port: number | string | undefined): number | undefined {
  if (typeof port === "number") return port;
  return container.ports?.find((p) => p.name === port)?.containerPort;
}
