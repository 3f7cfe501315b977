/**
 * Kubernetes NetworkPolicies (ingress), evaluated as the API defines them: a pod selected by no policy
 * admits everything; a selected pod admits what at least one rule of one selecting policy admits (rules
 * only allow; an empty `from` or `ports` matches all). Peers: `podSelector` alone means pods of the
 * policy's namespace, `namespaceSelector` pods of matching namespaces, both together pods matching both,
 * `ipBlock` a range (less `except`). Kubernetes docs, "Network Policies".
 */
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { INetworkPolicyPeer } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer";
import { NODE_TRAFFIC_ALWAYS_ALLOWED } from "../../kubernetes/behaviour";
import { inPrefix } from "./addresses";

type LabelSelector = NonNullable<INetworkPolicyPeer["podSelector"]>;
type Labels = Readonly<Record<string, string>>;

export interface PolicyTarget {
  readonly namespace: string;
  readonly labels: Labels;
  /** Its container ports by name, for policies that name ports. */
  readonly namedPorts: Readonly<Record<string, number>>;
}

export type PolicySource =
  | {
      readonly kind: "pod";
      readonly namespace: string;
      readonly namespaceLabels: Labels;
      readonly labels: Labels;
      /** The pod's address, when it is known (ipBlocks match it too). */
      readonly address?: string;
    }
  | { readonly kind: "address"; readonly address: string }
  | { readonly kind: "node" };

export interface PolicyVerdict {
  readonly admitted: boolean;
  readonly rule: string;
}

export function selectorMatches(selector: LabelSelector | undefined, labels: Labels): boolean {
  if (!selector) return true;
  const byLabel = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const byExpression = (selector.matchExpressions ?? []).every((e) => {
    const value = labels[e.key];
    switch (e.operator) {
      case "In":
        return value !== undefined && (e.values ?? []).includes(value);
      case "NotIn":
        return value === undefined || !(e.values ?? []).includes(value);
      case "Exists":
        return value !== undefined;
      case "DoesNotExist":
        return value === undefined;
      default:
        return false;
    }
  });
  return byLabel && byExpression;
}

function peerMatches(peer: INetworkPolicyPeer, policyNamespace: string, source: PolicySource): boolean {
  if (peer.ipBlock) {
    const address = source.kind === "node" ? undefined : source.address;
    return (
      address !== undefined &&
      inPrefix(address, peer.ipBlock.cidr) &&
      !(peer.ipBlock.except ?? []).some((e) => inPrefix(address, e))
    );
  }
  if (source.kind !== "pod") return false;
  const namespaceOk = peer.namespaceSelector
    ? selectorMatches(peer.namespaceSelector, source.namespaceLabels)
    : source.namespace === policyNamespace;
  return namespaceOk && selectorMatches(peer.podSelector, source.labels);
}

function portMatches(
  ports: NonNullable<NonNullable<INetworkPolicy["spec"]>["ingress"]>[number]["ports"],
  port: number,
  target: PolicyTarget,
): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((p) => {
    if ((p.protocol ?? "TCP") !== "TCP") return false;
    if (p.port === undefined) return true;
    const first = typeof p.port === "number" ? p.port : target.namedPorts[p.port];
    if (first === undefined) return false;
    return port >= first && port <= (p.endPort ?? first);
  });
}

const isIngressPolicy = (p: INetworkPolicy) =>
  p.spec?.policyTypes ? p.spec.policyTypes.includes("Ingress") : true;

export function evaluateNetworkPolicies(
  policies: readonly INetworkPolicy[],
  target: PolicyTarget,
  port: number,
  source: PolicySource,
): PolicyVerdict {
  if (source.kind === "node") return { admitted: true, rule: NODE_TRAFFIC_ALWAYS_ALLOWED };
  const selecting = policies.filter(
    (p) =>
      p.metadata?.namespace === target.namespace &&
      isIngressPolicy(p) &&
      selectorMatches(p.spec?.podSelector, target.labels),
  );
  if (selecting.length === 0) return { admitted: true, rule: "no NetworkPolicy selects the pod" };
  const admitting = selecting.find((p) =>
    (p.spec?.ingress ?? []).some(
      (rule) =>
        portMatches(rule.ports, port, target) &&
        (!rule.from ||
          rule.from.length === 0 ||
          rule.from.some((peer) => peerMatches(peer, target.namespace, source))),
    ),
  );
  if (admitting) return { admitted: true, rule: admitting.metadata?.name ?? "(unnamed)" };
  // Name the policy that isolates the pod (a default deny, no ingress rule) when there is one.
  const isolating = selecting.find((p) => (p.spec?.ingress ?? []).length === 0) ?? selecting[0];
  return {
    admitted: false,
    rule: `${isolating?.metadata?.name}: no policy selecting the pod admits it`,
  };
}
