/**
 * The flow verifier: every flow the network needs and every flow that must stay closed (`flowSpecs`), each
 * evaluated through every layer the program configures and the cloud's defaults (`evaluatePath`). A needed
 * flow denied, or a closed flow admitted, is a plan issue naming the layer and the rule that decided it.
 */
import type { ConfigIssue } from "../../config/issue";
import type { StackConfig } from "../../config/schema";
import { error, warning } from "../../plan/issues";
import type { NetworkPlan } from "../../plan/types";
import { evaluateApiRoute } from "./apiServer";
import { flowSpecs } from "./catalog";
import { decide, evaluateOutbound, evaluatePath, type Layer, NOT_ENFORCED } from "./evaluate";
import type { FlowSpec } from "./flowSpec";
import { hairpinWarnings } from "./hairpin";
import { type NetworkModel, networkModel } from "./model";

export interface Flow {
  readonly from: string;
  readonly to: string;
  readonly port: number;
  readonly protocol: "tcp";
  readonly required: boolean;
  readonly verdict: "admitted" | "denied";
  /** The layer and rule that decided: the first that denied, else the last that admitted. */
  readonly layer?: Layer;
  readonly rule?: string;
}

export interface FlowReport {
  readonly flows: readonly Flow[];
  readonly issues: readonly ConfigIssue[];
}

function evaluate(model: NetworkModel, spec: FlowSpec): Flow {
  const layers =
    "api" in spec.route
      ? evaluateApiRoute(model, spec.route)
      : "outbound" in spec.route
        ? evaluateOutbound(
            model,
            spec.route.outbound.pod,
            spec.route.outbound.peer,
            spec.route.outbound.address,
            spec.port,
          )
        : evaluatePath(model, spec.route.origin, spec.route.target);
  const decided = decide(layers);
  return {
    from: spec.from,
    to: spec.to,
    port: spec.port,
    protocol: "tcp",
    required: spec.required,
    verdict: decided.admitted ? "admitted" : "denied",
    ...(decided.layer ? { layer: decided.layer } : {}),
    ...(decided.rule ? { rule: decided.rule } : {}),
  };
}

const wrong = (flow: Flow) => flow.required !== (flow.verdict === "admitted");

/** One issue per key, layer and rule: a broken rule usually breaks many flows the same way. */
function issuesOf(specs: readonly FlowSpec[], flows: readonly Flow[]): ConfigIssue[] {
  const groups = new Map<string, { spec: FlowSpec; flows: Flow[] }>();
  flows.forEach((flow, i) => {
    const spec = specs[i] as FlowSpec;
    // On `local`, a CNI that ignores the policies is the enforcement warning's news, not each flow's.
    if (!wrong(flow) || (spec.local && flow.rule === NOT_ENFORCED)) return;
    const key = [spec.path, flow.required, flow.layer, flow.rule].join("\u0000");
    const group = groups.get(key) ?? { spec, flows: [] };
    group.flows.push(flow);
    groups.set(key, group);
  });
  return [...groups.values()].map(({ spec, flows: group }) => {
    const [first] = group as [Flow];
    const example = `${first.from} → ${first.to} tcp/${first.port}`;
    const more = group.length > 1 ? ` (and ${group.length - 1} more like it)` : "";
    const message = first.required
      ? `needed flow ${example}${more} is denied by ${first.layer} rule "${first.rule}"`
      : `closed flow ${example}${more} is admitted by ${first.layer} rule "${first.rule}"`;
    return (spec.local ? warning : error)(
      spec.path,
      `${message}: change that rule, or the value it is derived from.`,
    );
  });
}

export function verifyModel(model: NetworkModel): FlowReport {
  const specs = flowSpecs(model);
  const flows = specs.map((spec) => evaluate(model, spec));
  return { flows, issues: [...issuesOf(specs, flows), ...hairpinWarnings(model)] };
}

export function verifyFlows(config: StackConfig, plan: NetworkPlan): FlowReport {
  return verifyModel(networkModel(config, plan));
}

export { type NetworkModel, networkModel } from "./model";
