/**
 * One step of a migration to Besu as the offline update preview shows it (docs/operations/migrate-to-besu.md):
 * switching one validator's client keeps its key, enode and address, and replaces exactly its workload.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { readStackFile, stackFilePath } from "../infra/config/load";
import { type RenderResult, redeploymentOutputs, renderProgram } from "../infra/offline/render";
import { previewUpdate, type UpdatePreview } from "../infra/offline/updatePreview";
import { program } from "../infra/program";
import type { NetworkDocumentNode } from "../infra/quorum/identities";

const SWITCHED = "kind-validator-1";

/** The local stack with one validator on Besu; its GoQuorum members' private transactions have stopped. */
function switchedToBesu(raw: Record<string, unknown>): Record<string, unknown> {
  const [cluster, ...rest] = raw["goquorum:clusters"] as Record<string, unknown>[];
  const network = raw["goquorum:network"] as Record<string, unknown>;
  return {
    ...raw,
    "goquorum:network": { ...network, privateTransactions: "stopped" },
    "goquorum:clusters": [{ ...cluster, nodeClients: { [SWITCHED]: "besu" } }, ...rest],
  };
}

const nodesOf = (r: RenderResult) => r.outputs.nodes as NetworkDocumentNode[];
const identity = (r: RenderResult, name: string) => {
  const node = nodesOf(r).find((n) => n.name === name);
  assert.ok(node, name);
  return { address: node.address, enodeId: node.enodeId, enodeUrl: node.enodeUrl };
};

describe(`switching ${SWITCHED} to Besu in the offline update preview`, () => {
  let deployed: RenderResult;
  let switched: RenderResult;
  let preview: UpdatePreview;
  before(async () => {
    const raw = readStackFile(stackFilePath("local"));
    // The running network, then the step rendered as an update of it (`npm run render -- --previous`).
    deployed = await renderProgram("local", raw, program, { previousOutputs: redeploymentOutputs(raw) });
    switched = await renderProgram("local", switchedToBesu(raw), program, {
      previousOutputs: deployed.outputs,
    });
    preview = previewUpdate(deployed.resources, switched.resources);
  });

  it("keeps its address, enode id and enode URL, and every other node's", () => {
    for (const node of nodesOf(deployed)) {
      assert.deepEqual(identity(switched, node.name), identity(deployed, node.name), node.name);
    }
  });

  it("leaves its key untouched: no step for its key material or its vault entry", () => {
    const keySteps = preview.steps.filter(
      (s) => s.name.includes(SWITCHED) && (s.type.startsWith("random:") || s.type.includes("Secret")),
    );
    assert.deepEqual(keySteps, []);
  });

  it("replaces exactly its StatefulSet, for a new volume, and no other node's workload", () => {
    const STS = "kubernetes:apps/v1:StatefulSet";
    const name = `kind-statefulset-goquorum-${SWITCHED}`;
    const replacedOrDeleted = preview.steps.filter((s) => s.action === "replace" || s.action === "delete");
    assert.deepEqual(
      replacedOrDeleted.map((s) => [s.action, s.type, s.name, s.stateful]),
      [["replace", STS, name, true]],
    );
    // The volume claim template is renamed (Besu cannot read GoQuorum's database): a new, empty volume, and
    // GoQuorum's claim left to the retention policy for a rollback.
    assert.ok(replacedOrDeleted[0]?.replaceBecause?.includes("spec.volumeClaimTemplates[0].metadata.name"));
    const claim = (r: RenderResult) => {
      const sts = r.resources.find((x) => x.type === STS && x.name === name);
      assert.ok(sts, name);
      const { spec } = sts.inputs as { spec: { volumeClaimTemplates: { metadata: { name: string } }[] } };
      return spec.volumeClaimTemplates[0].metadata.name;
    };
    assert.deepEqual([claim(deployed), claim(switched)], ["data", "besu-data"]);
    const otherWorkloads = preview.steps.filter((s) => s.type === STS && s.name !== name);
    assert.deepEqual(otherWorkloads, [], "no other node restarts");
    assert.deepEqual(preview.flags, [
      `replace (stateful) ${STS} ${name}: spec.volumeClaimTemplates[0].metadata.name cannot change in place`,
    ]);
  });

  it("keeps the deployed genesis byte for byte", () => {
    assert.equal(switched.outputs.genesisJson, deployed.outputs.genesisJson);
  });
});
