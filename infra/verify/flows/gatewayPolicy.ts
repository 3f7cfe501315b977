/**
 * A published route as the gateway serves it: the client-range authorization of its SecurityPolicy,
 * evaluated as Envoy Gateway does: the rules in order, the first whose principal matches decides, and
 * `defaultAction` (Deny unless set) when none does (Envoy Gateway API reference, `Authorization`). The client is
 * the connection's address: our load balancers keep it (preserve_client_ip on AWS, floating IP and
 * externalTrafficPolicy Local on Azure).
 */
import type { CustomObject } from "../../ingress/objects";
import { inAnyPrefix } from "./addresses";

export interface RouteModel {
  /** The route's name (`rpc`, `grafana`, `tessera-<member>`). */
  readonly name: string;
  /** Its SecurityPolicy as the program registers it; none when the route has no credential or ranges. */
  readonly policy?: CustomObject;
}

interface AuthorizationRule {
  readonly name?: string;
  readonly action: "Allow" | "Deny";
  readonly principal: { readonly clientCIDRs?: readonly string[] };
}

interface Authorization {
  readonly defaultAction?: "Allow" | "Deny";
  readonly rules?: readonly AuthorizationRule[];
}

export function evaluateAuthorization(
  route: RouteModel,
  source: string,
): { readonly admitted: boolean; readonly rule: string } {
  const authorization = (route.policy?.spec as { authorization?: Authorization } | undefined)?.authorization;
  if (!authorization) return { admitted: true, rule: `${route.name}: no client-range authorization` };
  const match = (authorization.rules ?? []).find((r) => inAnyPrefix(source, r.principal.clientCIDRs ?? []));
  if (match) return { admitted: match.action === "Allow", rule: `${route.name}: ${match.name ?? "rule"}` };
  const action = authorization.defaultAction ?? "Deny";
  return { admitted: action === "Allow", rule: `${route.name}: default ${action}` };
}
