/**
 * Strict Tessera TLS with one member on Besu: Besu runs no Tessera (removed in 25.6.0), so the network CA issues
 * it no certificate and no vault stores one for it, while the GoQuorum member keeps its own. The Besu member
 * keeps its Tessera keys (stored by role), so switching it back keeps its Tessera identity. One render.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { nodeSecrets } from "../infra/azure/vault";
import { readStackFile, stackFilePath } from "../infra/config/load";
import { type RenderResult, renderProgram } from "../infra/offline/render";
import type { NodePlan } from "../infra/plan/types";
import { program } from "../infra/program";
import { nodeKeyFiles, nodeTesseraTls } from "../infra/quorum/manifests";

const CERT = "tls:index/locallySignedCert:LocallySignedCert";
const SECRET = "kubernetes:core/v1:Secret";

describe("Tessera TLS certificates only for members that run Tessera", () => {
  it("a node's TLS mode: strict only for a GoQuorum member of a strict network", () => {
    const table = [
      [{ role: "member", client: "goquorum" }, "strict", "strict"],
      [{ role: "member", client: "besu" }, "strict", "off"],
      [{ role: "member", client: "goquorum" }, "off", "off"],
      [{ role: "validator", client: "goquorum" }, "strict", "off"],
    ] as const;
    for (const [node, tls, want] of table)
      assert.equal(nodeTesseraTls(node, tls), want, JSON.stringify(node));
  });
  it("a Besu member's vault files: its node key and Tessera keys, no TLS file", () => {
    const node = { name: "a-member-0", role: "member", client: "besu" } as NodePlan;
    const names = nodeSecrets(node, "strict").map((s) => s.file.name);
    const keys = nodeKeyFiles("member", "off").map((f) => f.name);
    assert.deepEqual(names, keys);
    assert.ok(names.length === 3, "node key and both Tessera keys kept");
  });

  let result: RenderResult;
  before(async () => {
    const raw = readStackFile(stackFilePath("local")) as Record<string, Record<string, unknown>[]> & {
      "goquorum:network": Record<string, unknown> & { workloads: Record<string, unknown> };
    };
    const net = raw["goquorum:network"];
    raw["goquorum:network"] = {
      ...net,
      privateTransactions: "stopped",
      workloads: { ...net.workloads, tessera: { tls: "strict" } },
    };
    const [cluster] = raw["goquorum:clusters"];
    raw["goquorum:clusters"] = [{ ...cluster, nodeClients: { "kind-member-0": "besu" } }];
    result = await renderProgram("local", raw, program);
  });
  it("issues a certificate to the GoQuorum member and none to the Besu member", () => {
    const certs = result.resources.filter((r) => r.type === CERT).map((r) => r.name);
    assert.ok(certs.includes("kind-member-1-tessera-tls"), certs.join(", "));
    assert.ok(!certs.some((c) => c.startsWith("kind-member-0")), certs.join(", "));
  });
  it("stores a TLS Secret for the GoQuorum member only", () => {
    const secrets = result.resources.filter((r) => r.type === SECRET).map((r) => r.name);
    assert.ok(
      secrets.some((s) => s.startsWith("kind-member-1") && s.includes("tls")),
      secrets.join(", "),
    );
    assert.ok(!secrets.some((s) => s.startsWith("kind-member-0") && s.includes("tls")), secrets.join(", "));
  });
});
