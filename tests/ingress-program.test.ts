/**
 * The whole program under the mock runtime with published routes on the `local` target: pinned Helm
 * releases, the custom objects registered as such, every credential a Pulumi secret, and nothing at all
 * without routes.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type RenderResult, renderProgram, SECRET_PLACEHOLDER } from "../infra/offline/render";
import { program } from "../infra/program";
import { crdErrors } from "./helpers/crds";
import type { Json } from "./helpers/json";

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
    assert.deepEqual(r.outputs.publishedEndpoints, {});
  });

  it("with an RPC route: pinned releases, Gateway API objects, policies and certificates, all through the cluster's provider", async () => {
    const r = await renderProgram("dev", stack(published, secrets), program);
    const releases = inputs(r, "kubernetes:helm.sh/v3:Release");
    assert.deepEqual(
      releases.map((x) => [x.name, x.chart, x.version, x.namespace]),
      [
        ["cert-manager", "cert-manager", "v1.21.1", "cert-manager"],
        ["envoy-gateway", "oci://docker.io/envoyproxy/gateway-helm", "v1.8.3", "envoy-gateway-system"],
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
    for (const x of ingressResources) {
      assert.equal(x.provider, "kind-k8s", `${x.type} ${x.name} uses the cluster's provider`);
    }
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
