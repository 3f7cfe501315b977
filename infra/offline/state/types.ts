/** How the mock runtime stands in for providers: per resource type the outputs, per invoke token the result. */

export interface MockContext {
  readonly stack: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
  /** Reference (`<urn>::<id>`) of the explicit provider the resource was registered with, if any. */
  readonly provider?: string;
}

/** Outputs a provider would compute for a resource of one type, derived from its inputs (never constants). */
export type ComputedState = (context: MockContext) => Record<string, unknown>;

/** The result of an invoke (data source or function), derived from its inputs (and the stack's config). */
export type InvokeResult = (
  inputs: Record<string, unknown>,
  stack: string,
  config: Readonly<Record<string, string>>,
) => Record<string, unknown>;

export interface ProviderMocks {
  readonly resources: Readonly<Record<string, ComputedState>>;
  readonly invokes?: Readonly<Record<string, InvokeResult>>;
}
