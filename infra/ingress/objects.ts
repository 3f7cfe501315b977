/** The shape of every custom object the ingress builders return; each is checked against its CRD in tests. */

export interface CustomObject<Spec = Record<string, unknown>> {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
  };
  readonly spec: Spec;
}

/** A reference to a Gateway API object by group, kind and name (policy targets, parents). */
export const ref = (group: string, kind: string, name: string, namespace?: string) => ({
  group,
  kind,
  name,
  ...(namespace ? { namespace } : {}),
});
