/**
 * What the program actually registers, checked against the Kubernetes schemas and the secrecy rules:
 * the objects in a render are the manifests with the key-dependent data (genesis, peers) filled in.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { StatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import { Job } from "kubernetes-models/batch/v1/Job";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { Role } from "kubernetes-models/rbac.authorization.k8s.io/v1/Role";
import { RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { Secret } from "kubernetes-models/v1/Secret";
import { Service } from "kubernetes-models/v1/Service";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { NodeKeys } from "../components/keys/NodeKeys";
import { readStackFile, stackFilePath } from "../infra/config/load";
import {
  offlineConfig,
  type RenderResult,
  renderProgram,
  renderStack,
  SECRET_PLACEHOLDER,
} from "../infra/offline/render";
import { program } from "../infra/program";

const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  "kubernetes:core/v1:Namespace": Namespace,
  "kubernetes:core/v1:ConfigMap": ConfigMap,
  "kubernetes:core/v1:Service": Service,
  "kubernetes:core/v1:ServiceAccount": ServiceAccount,
  "kubernetes:core/v1:Secret": Secret,
  "kubernetes:apps/v1:StatefulSet": StatefulSet,
  "kubernetes:policy/v1:PodDisruptionBudget": PodDisruptionBudget,
  "kubernetes:networking.k8s.io/v1:NetworkPolicy": NetworkPolicy,
  "kubernetes:rbac.authorization.k8s.io/v1:Role": Role,
  "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding": RoleBinding,
  "kubernetes:batch/v1:Job": Job,
};

describe("rendered Kubernetes objects", () => {
  let result: RenderResult;
  before(async () => {
    result = await renderStack("local", program);
  });

  it("are all of known kinds and valid against the Kubernetes schemas", () => {
    const objects = result.resources.filter(
      (r) => r.type.startsWith("kubernetes:") && !r.type.startsWith("kubernetes:helm"),
    );
    assert.ok(objects.length > 40);
    for (const r of objects) {
      const Model = MODELS[r.type];
      assert.ok(Model, `no schema for ${r.type}`);
      // Secret values are masked in a render; validate the object around them.
      const inputs = r.type.endsWith(":Secret") ? { ...(r.inputs as object), stringData: {} } : r.inputs;
      assert.doesNotThrow(() => new Model(inputs as never).validate(), `${r.type} ${r.name}`);
    }
  });

  it("never put key material into ConfigMaps, env vars or args", () => {
    const pods = result.resources.filter((r) => r.type === "kubernetes:apps/v1:StatefulSet");
    for (const sts of pods) {
      const spec = (
        sts.inputs as { spec: { template: { spec: { containers: unknown[]; initContainers?: unknown[] } } } }
      ).spec.template.spec;
      for (const c of [...spec.containers, ...(spec.initContainers ?? [])] as {
        env?: { name: string; valueFrom?: object }[];
        args?: string[];
      }[]) {
        for (const e of c.env ?? [])
          assert.equal(e.valueFrom, undefined, `${sts.name} env ${e.name} reads a secret`);
        assert.ok(
          !(c.args ?? []).some((a) => a.includes("nodekeyhex")),
          `${sts.name} passes a key on the command line`,
        );
      }
    }
  });
});

describe("node keys", () => {
  it("keep private values secret and public values plain", async () => {
    let keys: NodeKeys | undefined;
    await renderProgram("keys", readStackFile(stackFilePath("local")), async () => {
      keys = new NodeKeys("n-member-0", {
        node: { name: "n-member-0", cluster: "n", role: "member", index: 0, client: "goquorum" },
        tessera: true,
      });
      return {};
    });
    assert.ok(keys?.tesseraPrivateKeyJson && keys.tesseraPublicKey);
    assert.equal(await pulumi.isSecret(keys.nodeKey), true);
    assert.equal(await pulumi.isSecret(keys.tesseraPrivateKeyJson), true);
    assert.equal(await pulumi.isSecret(keys.address), false);
    assert.equal(await pulumi.isSecret(keys.publicKey), false);
    assert.equal(await pulumi.isSecret(keys.tesseraPublicKey), false);
  });

  it("adopt keys a user brings instead of generating them", async () => {
    const raw = readStackFile(stackFilePath("local"));
    const network = {
      ...(raw["goquorum:network"] as object),
      adoptKeysFor: ["kind-validator-0", "kind-member-0"],
    };
    const rendered = await renderProgram("adopt", { ...raw, "goquorum:network": network }, program);
    const randomNames = rendered.resources.filter((r) => r.type.startsWith("random:")).map((r) => r.name);
    assert.ok(!randomNames.some((n) => n.startsWith("kind-validator-0-") || n.startsWith("kind-member-0-")));
    assert.ok(randomNames.includes("kind-validator-1-nodekey"));
    // The render's stand-in for the adopted key is derived from the node name, like every throwaway key.
    const nodes = rendered.outputs.nodes as { name: string; address: string }[];
    assert.match(nodes.find((n) => n.name === "kind-validator-0")?.address ?? "", /^0x[0-9a-fA-F]{40}$/);
  });

  it("refuse to deploy a node listed for adoption when no keys are configured", async () => {
    const raw = readStackFile(stackFilePath("local"));
    const network = { ...(raw["goquorum:network"] as object), adoptKeysFor: ["kind-validator-0"] };
    await assert.rejects(
      renderProgram("adopt", { ...raw, "goquorum:network": network }, async () => {
        const { program: run } = await import("../infra/program");
        pulumi.runtime.setAllConfig({
          ...Object.fromEntries(
            Object.entries(pulumi.runtime.allConfig()).filter(([k]) => k !== "goquorum:nodeKeys"),
          ),
        });
        return run();
      }),
      /network\.adoptKeysFor lists kind-validator-0, but the secret config goquorum:nodeKeys is not set/,
    );
  });
});

describe("offline config", () => {
  it("replaces encrypted values with placeholders and marks them secret", () => {
    const { config, secretKeys } = offlineConfig({
      "aws:region": { secure: "v1:AAAA" },
      "kubernetes:context": "kind-kind",
      "goquorum:network": { name: "n", chainId: 7 },
    });
    assert.equal(JSON.parse(config["aws:region"]), SECRET_PLACEHOLDER);
    assert.deepEqual(secretKeys, ["aws:region"]);
    assert.equal(config["kubernetes:context"], "kind-kind");
    assert.deepEqual(JSON.parse(config["goquorum:network"]), { name: "n", chainId: 7 });
  });

  it("never passes the user's own keys to a render", () => {
    const { config } = offlineConfig({
      "goquorum:network": { name: "n", chainId: 7 },
      "goquorum:nodeKeys": { secure: "v1:AAAA" },
    });
    assert.equal(config["goquorum:nodeKeys"], undefined);
  });
});
