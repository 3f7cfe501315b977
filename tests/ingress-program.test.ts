/**
 * The whole program under the mock runtime with published routes on the `local` target: pinned Helm
 * releases, the custom objects registered as such, every credential a Pulumi secret, and nothing at all
 * without routes.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { type RenderResult, renderProgram, SECRET_PLACEHOLDER } from "../infra/offline/render";
import { program } from "../infra/program";
import { crdErrors } from "./helpers/crds";
import type { Json } from "./helpers/json";
import { allContainers, renderedPods, renderedServices, selects } from "./helpers/rendered";

// Ingress on its own: monitoring (its own release and objects) is tested elsewhere.
const network = { name: "dev", chainId: 1337, monitoring: { enabled: false } };
const secure = { secure: "v1:encrypted" };

function stack(
  ingress?: Record<string, unknown>,
  secrets?: Record<string, unknown>,
): Record<string, unknown> {
  return {
    "goquorum:network": network,
    "goquorum:clusters": [
      { name: "kind", provider: "local", nodes: { validators: 4, rpc: 1 }, ...(ingress ? { ingress } : {}) },
    ],
    ...(secrets ? { "goquorum:ingressSecrets": secrets } : {}),
  };
}

const published = {
  routes: [{ kind: "rpc", hostname: "rpc.kind.internal", auth: { apiKeys: ["dev"] } }],
  tls: { source: "ca" },
};
const secrets = { kind: { apiKeys: { dev: secure }, ca: { certificate: secure, privateKey: secure } } };

const ofType = (r: RenderResult, type: string) => r.resources.filter((x) => x.type === type);
const inputs = (r: RenderResult, type: string) => ofType(r, type).map((x) => x.inputs as Json);

describe("ingress under the mock runtime (local target)", () => {
  it("without routes: no gateway, no release, no certificate, no published endpoint", async () => {
    const r = await renderProgram("dev", stack(), program);
    assert.deepEqual(
      r.resources.filter((x) => /helm|gateway|cert-manager|ClusterIngress/.test(x.type)).map((x) => x.type),
      [],
    );
    // Nor the provider that adopts CRDs: a cluster without routes has nothing for it to touch.
    assert.deepEqual(
      r.resources.filter((x) => x.type === "pulumi:providers:kubernetes").map((x) => x.name),
      ["kind-k8s"],
    );
    assert.deepEqual(r.outputs.publishedEndpoints, {});
  });

  it("with an RPC route: pinned releases, Gateway API objects, policies and certificates, all through the cluster's provider", async () => {
    const r = await renderProgram("dev", stack(published, secrets), program);
    const releases = inputs(r, "kubernetes:helm.sh/v3:Release");
    assert.deepEqual(
      releases.map((x) => [x.name, x.chart, x.version, x.namespace]),
      [
        ["cert-manager", "cert-manager", "v1.21.1", "cert-manager"],
        ["envoy-gateway", "oci://docker.io/envoyproxy/gateway-helm", "v1.9.1", "envoy-gateway-system"],
      ],
    );
    const kinds = r.resources
      .filter((x) => x.type.startsWith("kubernetes:gateway") || x.type.startsWith("kubernetes:cert-manager"))
      .map((x) => x.type)
      .sort();
    assert.deepEqual(kinds, [
      "kubernetes:cert-manager.io/v1:Certificate",
      "kubernetes:cert-manager.io/v1:ClusterIssuer",
      "kubernetes:gateway.envoyproxy.io/v1alpha1:BackendTrafficPolicy",
      "kubernetes:gateway.envoyproxy.io/v1alpha1:ClientTrafficPolicy",
      "kubernetes:gateway.envoyproxy.io/v1alpha1:EnvoyProxy",
      "kubernetes:gateway.envoyproxy.io/v1alpha1:SecurityPolicy",
      "kubernetes:gateway.networking.k8s.io/v1:Gateway",
      "kubernetes:gateway.networking.k8s.io/v1:GatewayClass",
      "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute",
      "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute",
    ]);
    const clusterProvider = ofType(r, "kubernetes:core/v1:Namespace").find(
      (x) => x.name === "kind-namespace-goquorum",
    );
    assert.equal(clusterProvider?.provider, "kind-k8s");
    const ingressResources = r.resources.filter((x) => x.parent?.startsWith("goquorum:k8s:ClusterIngress::"));
    assert.ok(ingressResources.length > 0);
    // But the CRDs, applied through the provider that may adopt those an older chart installed.
    for (const x of ingressResources) {
      const crds = x.type === "kubernetes:helm.sh/v4:Chart";
      assert.equal(x.provider, crds ? "kind-k8s-crds" : "kind-k8s", `${x.type} ${x.name}`);
    }
    assert.deepEqual(
      ofType(r, "pulumi:providers:kubernetes")
        .filter((x) => x.name === "kind-k8s-crds")
        .map((x) => {
          const { upsertExistingObjects, enablePatchForce, enableConfigMapMutable } = x.inputs as Record<
            string,
            unknown
          >;
          return [upsertExistingObjects, enablePatchForce, enableConfigMapMutable];
        }),
      [["true", "true", undefined]],
    );
    assert.deepEqual(r.outputs.publishedEndpoints, {
      kind: [{ route: "rpc", url: "https://rpc.kind.internal/", exposure: "internal", allowedCidrs: [] }],
    });
  });

  it("every registered custom object validates against its CRD schema", async () => {
    const r = await renderProgram("dev", stack(published, secrets), program);
    const custom = r.resources.filter((x) => /^kubernetes:(gateway|cert-manager)/.test(x.type));
    assert.equal(custom.length, 10);
    for (const x of custom) assert.deepEqual(crdErrors(x.inputs as object), [], x.name);
  });

  it("API keys and the CA key pair reach the cluster only as Pulumi secrets", async () => {
    const r = await renderProgram("dev", stack(published, secrets), program);
    const ingressSecrets = ofType(r, "kubernetes:core/v1:Secret").filter((x) => /ingress/.test(x.name));
    assert.deepEqual(ingressSecrets.map((x) => x.name).sort(), [
      "kind-secret-cert-manager-dev-ingress-ca",
      "kind-secret-goquorum-ingress-rpc-api-keys",
    ]);
    for (const s of ingressSecrets)
      assert.equal((s.inputs as { stringData: unknown }).stringData, SECRET_PLACEHOLDER);
  });

  it("the RPC NetworkPolicy admits the gateway's proxies once the route exists", async () => {
    const r = await renderProgram("dev", stack(published, secrets), program);
    const rpc = inputs(r, "kubernetes:networking.k8s.io/v1:NetworkPolicy").find(
      (p) => p.metadata.name === "allow-rpc",
    );
    const from = rpc?.spec.ingress[0].from as Json[];
    assert.ok(
      from.some(
        (f) => f.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"] === "envoy-gateway-system",
      ),
    );
  });

  it("a missing credential stops the run before any resource, naming the secret config key", async () => {
    await assert.rejects(
      renderProgram("dev", stack(published, { kind: { ca: secrets.kind.ca } }), program),
      (e: Error) => {
        assert.match(e.message, /ingressSecrets\.kind\.apiKeys\.dev: the routes of cluster kind need it/);
        assert.doesNotMatch(e.message, /ca\.certificate/);
        return true;
      },
    );
  });
});

describe("route backends in a render (RPC with members, one member's Tessera)", () => {
  const routes = {
    routes: [
      { kind: "rpc", hostname: "rpc.kind.internal", includeMembers: true, auth: { apiKeys: ["dev"] } },
      { kind: "tessera-third-party", hostname: "tm.kind.internal", member: "kind-member-0" },
    ],
    tls: { source: "ca" },
  };
  const raw = {
    ...stack(routes, secrets),
    "goquorum:clusters": [
      { name: "kind", provider: "local", nodes: { validators: 4, rpc: 2, members: 2 }, ingress: routes },
    ],
  };
  /** What each route must reach: its planned nodes. */
  const expected: Record<string, string[]> = {
    "ingress-rpc": ["kind-member-0", "kind-member-1", "kind-rpc-0", "kind-rpc-1"],
    "ingress-tessera-kind-member-0": ["kind-member-0"],
  };
  let r: RenderResult;
  before(async () => {
    r = await renderProgram("dev", raw, program);
  });

  const matches = (selector: Json | undefined, labels: Record<string, string>) =>
    Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v) &&
    (selector?.matchExpressions ?? []).every(
      (e: Json) => e.operator === "In" && (e.values as string[]).includes(labels[e.key] ?? ""),
    );

  it("go to a Service of the route's nodes that holds only ready pods, on ports the gateway is admitted to", () => {
    const pods = renderedPods(r);
    const services = renderedServices(r);
    const policies = inputs(r, "kubernetes:networking.k8s.io/v1:NetworkPolicy");
    const httpRoutes = inputs(r, "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute").filter(
      (h) => h.metadata.namespace === "goquorum",
    );
    assert.deepEqual(httpRoutes.map((h) => h.metadata.name).sort(), Object.keys(expected).sort());
    for (const route of httpRoutes) {
      for (const ref of (route.spec.rules as Json[]).flatMap((rule) => rule.backendRefs as Json[])) {
        const service = services.find((s) => s.namespace === "goquorum" && s.name === ref.name);
        assert.ok(service, `${route.metadata.name}: no Service ${ref.name}`);
        assert.ok(!service.spec.publishNotReadyAddresses, `${ref.name} publishes pods that are not ready`);
        const selected = pods.filter((p) => selects(service, p));
        assert.deepEqual(selected.map((p) => p.name).sort(), expected[route.metadata.name]);
        const servicePort = service.spec.ports?.find((p) => p.port === ref.port);
        assert.ok(servicePort, `${ref.name} has no port ${ref.port}`);
        for (const pod of selected) {
          const target = servicePort.targetPort;
          assert.ok(
            allContainers(pod).some((c) => (c.ports ?? []).some((p) => p.containerPort === target)),
            `${pod.name} serves nothing on ${target}`,
          );
          const admitted = policies.some(
            (policy) =>
              matches(policy.spec.podSelector, pod.labels) &&
              (policy.spec.ingress ?? []).some(
                (rule: Json) =>
                  (rule.from as Json[]).some(
                    (f) =>
                      f.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"] ===
                      "envoy-gateway-system",
                  ) && (rule.ports as Json[]).some((p) => p.port === target),
              ),
          );
          assert.ok(admitted, `no NetworkPolicy admits the gateway to ${pod.name}:${target}`);
        }
      }
    }
  });
});
