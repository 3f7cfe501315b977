/**
 * Custom resources served by the test's API server: a CustomResourceDefinition per CRD fixture of the
 * repository (tests/fixtures/crds, the schemas of the pinned releases), and the stack whose render holds the
 * custom objects the program registers for ingress. Pure.
 */
import { pluralOf } from "./kube";
import { E2E_CLUSTER } from "./stack";

export interface CrdFixture {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly scope: "Namespaced" | "Cluster";
  /** The CRD's own annotations upstream that the API server requires (api-approved.kubernetes.io). */
  readonly annotations?: Readonly<Record<string, string>>;
  readonly schema: object;
}

/**
 * The CustomResourceDefinition that serves a fixture's kind, named `<plural>.<group>` as the API server
 * requires (apiextensions.k8s.io/v1 API reference: metadata.name must be spec.names.plural + "." +
 * spec.group), its one version served and stored with the fixture's schema, CEL rules included.
 */
export function crdFromFixture(f: CrdFixture) {
  const plural = pluralOf(f.kind);
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    // A CRD of a *.k8s.io group without the api-approved.kubernetes.io annotation is refused (KEP-1111).
    metadata: {
      name: `${plural}.${f.group}`,
      ...(f.annotations ? { annotations: { ...f.annotations } } : {}),
    },
    spec: {
      group: f.group,
      scope: f.scope,
      names: { kind: f.kind, listKind: `${f.kind}List`, plural, singular: f.kind.toLowerCase() },
      versions: [{ name: f.version, served: true, storage: true, schema: { openAPIV3Schema: f.schema } }],
    },
  };
}

/** Whether the API server serves a CRD: its `Established` condition is True. */
export function established(crd: { status?: { conditions?: readonly { type: string; status: string }[] } }) {
  return crd.status?.conditions?.some((c) => c.type === "Established" && c.status === "True") ?? false;
}

/** Resource types of rendered custom objects whose CRDs come from fixtures. */
export function isCustomType(type: string, fixtures: readonly CrdFixture[]): boolean {
  return fixtures.some((f) => type.startsWith(`kubernetes:${f.group}/${f.version}:${f.kind}`));
}

export const INGRESS_STACK = "e2e-ingress";

/**
 * A stack file (`Pulumi.e2e-ingress.yaml`) with published routes of every kind the e2e cluster can serve: an
 * API-key route with per-client limits, and a member's Tessera third-party API behind JWTs, certificates from
 * the network's CA. Its ingress needs the Envoy Gateway and cert-manager charts, so it is rendered, not
 * deployed; its custom objects go to the API server with dryRun=All.
 */
export function ingressStackFile(): object {
  const secure = { secure: "v1:e2e" };
  return {
    config: {
      "goquorum:network": { name: "e2e", chainId: 1337, monitoring: { enabled: false } },
      "goquorum:clusters": [
        {
          name: E2E_CLUSTER,
          provider: "local",
          nodes: { validators: 4, rpc: 1, members: 1 },
          ingress: {
            routes: [
              {
                kind: "rpc",
                hostname: "rpc.e2e.internal",
                auth: { apiKeys: ["alpha", "beta"] },
                rateLimit: { requestsPerSecond: 20, clients: { alpha: 50 } },
              },
              {
                kind: "tessera-third-party",
                hostname: "tessera.e2e.internal",
                member: "kwok-member-0",
                auth: {
                  jwt: {
                    issuer: "https://issuer.e2e.internal",
                    jwksUri: "https://issuer.e2e.internal/keys",
                    audiences: ["goquorum"],
                  },
                },
              },
            ],
            tls: { source: "ca" },
          },
        },
      ],
      "goquorum:ingressSecrets": {
        [E2E_CLUSTER]: {
          apiKeys: { alpha: secure, beta: secure },
          ca: { certificate: secure, privateKey: secure },
        },
      },
    },
  };
}

/** The Gateway API rule the negative control breaks (gateway.networking.k8s.io Gateway, spec.listeners). */
export const CONTROL_RULE_MESSAGE = "tls mode must be Terminate for protocol HTTPS";

/**
 * A copy of the first rendered Gateway whose HTTPS listeners pass TLS through: valid for the OpenAPI schema,
 * refused only by a CEL rule of the CRD. It shows that the API server evaluates the fixtures' rules.
 */
export function celControl<T extends { kind: string }>(objects: readonly T[]): T | undefined {
  const gateway = objects.find((o) => o.kind === "Gateway");
  if (!gateway) return undefined;
  const copy = structuredClone(gateway) as T & {
    spec: { listeners: { protocol: string; tls?: { mode?: string } }[] };
  };
  for (const l of copy.spec.listeners) if (l.protocol === "HTTPS") l.tls = { ...l.tls, mode: "Passthrough" };
  return copy;
}
