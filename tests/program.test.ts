/**
 * The real program under the mock runtime: every stack in stacks/ renders, and the rendered resources
 * carry the values that matter (secrets masked, genesis identical everywhere, peers complete, keys stable).
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readdirSync } from "node:fs";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import type { IContainer } from "kubernetes-models/v1/Container";
import { readStackFile, stackFilePath } from "../infra/config/load";
import { throwawayBytes } from "../infra/offline/mocks";
import {
  type RenderedResource,
  type RenderResult,
  redeploymentOutputs,
  renderProgram,
  renderStack,
  SECRET_PLACEHOLDER,
} from "../infra/offline/render";
import { program } from "../infra/program";
import { decodeQbftExtraData } from "../infra/quorum/genesis";
import type { NetworkDocumentNode } from "../infra/quorum/identities";
import { IN_VALIDATOR_SET, READINESS_SCRIPT } from "../infra/quorum/manifests/scripts";

const STACKS = readdirSync("stacks")
  .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
  .filter((s): s is string => s !== undefined);

const ofType = (r: RenderResult, type: string) => r.resources.filter((x) => x.type === type);
const nodesOf = (r: RenderResult) => r.outputs.nodes as NetworkDocumentNode[];
const configMapData = (r: RenderResult, name: string): Record<string, string> => {
  const cm = ofType(r, "kubernetes:core/v1:ConfigMap").find(
    (c) => (c.inputs as { metadata: { name: string } }).metadata.name === name,
  );
  assert.ok(cm, `ConfigMap ${name}`);
  return (cm.inputs as { data: Record<string, string> }).data;
};

/** The nodekey the mock runtime derives for a node (what RandomBytes would hold in state). */
function throwawayNodeKey(stack: string, node: string): string {
  return throwawayBytes(`${stack}:${node}-nodekey`).toString("hex");
}

describe("every stack renders under the mock runtime", () => {
  for (const stack of STACKS) {
    it(`${stack}: renders, with every secret masked and no private key anywhere`, async () => {
      const result = await renderStack(stack, program);
      assert.ok(result.resources.length > 0);
      // One entry per registration: resource references read back from outputs are not registrations.
      const keys = result.resources.map((r) => `${r.type}::${r.name}`);
      assert.deepEqual(
        keys.filter((k, i) => keys.indexOf(k) !== i),
        [],
      );
      const text = JSON.stringify(result);
      for (const node of nodesOf(result)) {
        assert.ok(!text.includes(throwawayNodeKey(stack, node.name)), `${node.name}'s node key leaked`);
      }
      for (const secret of ofType(result, "kubernetes:core/v1:Secret")) {
        assert.equal((secret.inputs as { stringData: unknown }).stringData, SECRET_PLACEHOLDER);
      }
      for (const rb of ofType(result, "random:index/randomBytes:RandomBytes")) {
        assert.deepEqual(rb.inputs, { length: 32 });
      }
    });
  }

  it("renders are deterministic", async () => {
    const a = await renderStack("prod", program);
    const b = await renderStack("prod", program);
    assert.deepEqual(a, b);
  });
});

describe("the local stack", () => {
  let result: RenderResult;
  let nodes: NetworkDocumentNode[];
  before(async () => {
    result = await renderStack("local", program);
    nodes = nodesOf(result);
  });

  it("gives every node a public identity in the outputs", () => {
    assert.equal(nodes.length, 7);
    for (const n of nodes) {
      assert.match(n.address, /^0x[0-9a-fA-F]{40}$/);
      assert.match(n.enodeId, /^[0-9a-f]{128}$/);
      assert.equal(n.enodeUrl, `enode://${n.enodeId}@${n.p2pHost}:30303?discport=0&raftport=53000`);
    }
    assert.equal(nodes.filter((n) => n.tesseraPublicKey !== undefined).length, 2);
  });

  it("ships one genesis whose extraData lists exactly the validators", () => {
    const genesis = configMapData(result, "goquorum-genesis-file")["genesis.json"];
    assert.equal(genesis, result.outputs.genesisJson);
    const validators = nodes.filter((n) => n.role === "validator").map((n) => n.address.toLowerCase());
    assert.deepEqual(decodeQbftExtraData(JSON.parse(genesis).extraData), [...validators].sort());
  });

  it("lists every node in the static peers at its stable address", () => {
    const peers = JSON.parse(configMapData(result, "goquorum-static-nodes")["static-nodes.json"]) as string[];
    assert.deepEqual([...peers].sort(), nodes.map((n) => n.enodeUrl).sort());
  });

  it("keeps the key Secret of every node, with its items, as a secret", () => {
    const secrets = ofType(result, "kubernetes:core/v1:Secret")
      .map((s) => (s.inputs as { metadata: { name: string; namespace: string } }).metadata)
      .filter((m) => m.namespace === "goquorum")
      .map((m) => m.name);
    assert.deepEqual(secrets.sort(), nodes.map((n) => `${n.name}-keys`).sort());
  });

  it("puts every workload object behind the cluster's own provider", () => {
    const k8sObjects = result.resources.filter((r) => r.type.startsWith("kubernetes:"));
    assert.ok(k8sObjects.every((r) => r.provider === "kind-k8s"));
  });

  it("protects generated keys against pulumi destroy", () => {
    const keys = ofType(result, "random:index/randomBytes:RandomBytes");
    assert.equal(keys.length, 9); // 7 node keys + 2 Tessera keys
    for (const key of keys) assert.deepEqual(key.options, { protect: true }, key.name);
  });

  it("calls geth ready, in every role, only once it serves the network (validators: also in the set)", () => {
    const roles = new Set<string>();
    for (const sts of ofType(result, "kubernetes:apps/v1:StatefulSet")) {
      const pod = (sts.inputs as { spec: { template: { spec: { containers: IContainer[] } } } }).spec
        .template;
      const geth = pod.spec.containers.find((c) => c.name === "goquorum");
      const role = /-(validator|rpc|member)-\d+$/.exec(sts.name)?.[1] ?? "";
      roles.add(role);
      const setCheck = role === "validator" ? [IN_VALIDATOR_SET] : [];
      assert.deepEqual(
        geth?.readinessProbe,
        {
          exec: { command: ["sh", "-c", READINESS_SCRIPT, "readiness", ...setCheck] },
          periodSeconds: 5,
          timeoutSeconds: 10,
          failureThreshold: 3,
          successThreshold: 1,
        },
        sts.name,
      );
    }
    assert.deepEqual([...roles].sort(), ["member", "rpc", "validator"]);
  });

  it("leaves the namespace, and so every volume, in place on pulumi destroy", () => {
    const namespace = ofType(result, "kubernetes:core/v1:Namespace").find(
      (n) => (n.inputs as { metadata: { name: string } }).metadata.name === "goquorum",
    );
    assert.ok(namespace);
    assert.deepEqual(namespace.options, { retainOnDelete: true });
    for (const sts of ofType(result, "kubernetes:apps/v1:StatefulSet")) {
      const policy = (sts.inputs as { spec: { persistentVolumeClaimRetentionPolicy: object } }).spec
        .persistentVolumeClaimRetentionPolicy;
      assert.deepEqual(policy, { whenDeleted: "Retain", whenScaled: "Retain" });
    }
  });
});

describe("keys are stable", () => {
  const withValidators = (count: number) => {
    const raw = readStackFile(stackFilePath("local"));
    const clusters = structuredClone(raw["goquorum:clusters"]) as { nodes: { validators: number } }[];
    clusters[0].nodes.validators = count;
    return { ...raw, "goquorum:clusters": clusters };
  };
  const identities = (r: RenderResult) => new Map(nodesOf(r).map((n) => [n.name, n.address]));
  const keyResources = (r: RenderResult) =>
    ofType(r, "random:index/randomBytes:RandomBytes").map((x: RenderedResource) => x.name);

  it("adding a validator leaves every other node's keys alone", async () => {
    const before = await renderProgram("local", withValidators(4), program);
    const after = await renderProgram("local", withValidators(5), program);
    for (const [name, address] of identities(before))
      assert.equal(identities(after).get(name), address, name);
    for (const name of keyResources(before)) assert.ok(keyResources(after).includes(name), name);
    assert.equal(identities(after).size, identities(before).size + 1);
  });
});

describe("validator rollout", () => {
  const statefulSets = (r: RenderResult) => ofType(r, "kubernetes:apps/v1:StatefulSet");
  const validatorSets = (r: RenderResult) => statefulSets(r).filter((s) => s.name.includes("-validator-"));
  const dependsOn = (x: RenderedResource | undefined, type: string) =>
    (x?.options?.dependsOn ?? []).filter((d) => d.startsWith(`${type}::`));
  const STS = "kubernetes:apps/v1:StatefulSet";
  const JOB = "kubernetes:batch/v1:Job";
  /** The StatefulSets a validator's StatefulSet waits for: directly, or through its rollout gate Job. */
  const chainedTo = (r: RenderResult, sts: RenderedResource) => [
    ...dependsOn(sts, STS),
    ...dependsOn(sts, JOB).flatMap((job) =>
      dependsOn(
        ofType(r, JOB).find((j) => `${JOB}::${j.name}` === job),
        STS,
      ),
    ),
  ];
  const chain = (r: RenderResult) => validatorSets(r).map((s) => [s.name, chainedTo(r, s)]);
  const sts = (validator: string) => `kind-statefulset-goquorum-kind-validator-${validator}`;
  const link = (validator: string) => `kubernetes:apps/v1:StatefulSet::${sts(validator)}`;
  const withValidators = (count: number, workloads: object = {}) => {
    const raw = readStackFile(stackFilePath("local"));
    const clusters = structuredClone(raw["goquorum:clusters"]) as { nodes: { validators: number } }[];
    clusters[0].nodes.validators = count;
    const network = raw["goquorum:network"] as { workloads: object };
    return {
      ...raw,
      "goquorum:network": { ...network, workloads: { ...network.workloads, ...workloads } },
      "goquorum:clusters": clusters,
    };
  };

  let first: RenderResult;
  before(async () => {
    first = await renderStack("local", program);
  });

  it("creates every validator in parallel on a stack's first deployment", () => {
    const result = first;
    assert.equal(validatorSets(result).length, 4);
    for (const s of statefulSets(result)) assert.deepEqual(chainedTo(result, s), [], s.name);
    // What the next deployment reads back through the stack's reference to itself.
    assert.deepEqual(
      result.outputs.deployedValidators,
      [0, 1, 2, 3].map((i) => `kind-validator-${i}`),
    );
    const [self] = ofType(result, "pulumi:pulumi:StackReference");
    assert.deepEqual(self?.inputs, { name: "organization/goquorum/local" });
  });

  it("chains the validators of a deployed network one after another", async () => {
    const update = await renderProgram("local", readStackFile(stackFilePath("local")), program, {
      previousOutputs: first.outputs,
    });
    assert.deepEqual(chain(update), [
      [sts("0"), []],
      [sts("1"), [link("0")]],
      [sts("2"), [link("1")]],
      [sts("3"), [link("2")]],
    ]);
    for (const other of statefulSets(update).filter((s) => !s.name.includes("-validator-"))) {
      assert.deepEqual(chainedTo(update, other), [], other.name);
    }
    // `npm run render` shows this update of the deployed network.
    assert.deepEqual(chain(await renderStack("local", program, undefined, "update")), chain(update));
  });

  it("chains only validators deployed before: new ones start in parallel with the rollout", async () => {
    const previousOutputs = {
      deployedValidators: ["kind-validator-0", "kind-validator-1", "kind-validator-3"],
    };
    const result = await renderProgram("local", withValidators(5), program, { previousOutputs });
    assert.deepEqual(chain(result), [
      [sts("0"), []],
      [sts("1"), [link("0")]],
      [sts("2"), []],
      [sts("3"), [link("1")]],
      [sts("4"), []],
    ]);
    assert.equal((result.outputs.deployedValidators as string[]).length, 5);
  });

  it("rolls all validators together when asked", async () => {
    const raw = withValidators(4, { validatorRollout: "all-at-once" });
    const result = await renderProgram("local", raw, program, { previousOutputs: redeploymentOutputs(raw) });
    assert.equal(validatorSets(result).length, 4);
    for (const s of statefulSets(result)) assert.deepEqual(chainedTo(result, s), [], s.name);
    assert.deepEqual(ofType(result, JOB), [], "no rollout gate: all-at-once accepts a halt");
  });

  it("puts each validator's rollout gate Job between it and the validator before it", async () => {
    const update = await renderProgram("local", readStackFile(stackFilePath("local")), program, {
      previousOutputs: first.outputs,
    });
    const job = (validator: string) => `${JOB}::kind-job-goquorum-kind-validator-${validator}-rollout-gate`;
    for (const [i, s] of validatorSets(update).entries()) {
      assert.deepEqual(dependsOn(s, JOB), [job(String(i))], s.name);
      assert.deepEqual(dependsOn(s, STS), [], "the chain runs through the gate, never around it");
      const gate = ofType(update, JOB).find((j) => `${JOB}::${j.name}` === job(String(i)));
      assert.deepEqual(dependsOn(gate, STS), i === 0 ? [] : [link(String(i - 1))]);
      // A fixed name: the old Job goes first when a changed StatefulSet replaces it.
      assert.equal(gate?.options?.deleteBeforeReplace, true);
    }
    // The first deployment runs the gates too (no pod yet: they pass), in parallel.
    for (const gate of ofType(first, JOB)) assert.deepEqual(dependsOn(gate, STS), [], gate.name);
    assert.equal(ofType(first, JOB).length, 4);
  });
});

describe("the genesis validator set", () => {
  it("stays pinned when validators are added after launch", async () => {
    const raw = readStackFile(stackFilePath("local"));
    const clusters = structuredClone(raw["goquorum:clusters"]) as { nodes: { validators: number } }[];
    clusters[0].nodes.validators = 5;
    const pinned = ["kind-validator-0", "kind-validator-1", "kind-validator-2", "kind-validator-3"];
    const network = { ...(raw["goquorum:network"] as object), genesisValidators: pinned };
    const result = await renderProgram(
      "local",
      { ...raw, "goquorum:network": network, "goquorum:clusters": clusters },
      program,
    );
    const extra = JSON.parse(String(result.outputs.genesisJson)).extraData;
    const addresses = nodesOf(result)
      .filter((n) => pinned.includes(n.name))
      .map((n) => n.address.toLowerCase());
    assert.deepEqual(decodeQbftExtraData(extra), addresses.sort());
    assert.equal(nodesOf(result).filter((n) => n.role === "validator").length, 5);
  });
});

describe("the genesis of a deployed network never changes", () => {
  const local = () => readStackFile(stackFilePath("local"));
  const grown = (raw: Record<string, unknown>, validators: number, network: object = {}) => {
    const clusters = structuredClone(raw["goquorum:clusters"]) as { nodes: { validators: number } }[];
    clusters[0].nodes.validators = validators;
    return {
      ...raw,
      "goquorum:network": { ...(raw["goquorum:network"] as object), ...network },
      "goquorum:clusters": clusters,
    };
  };
  const readinessArgs = (r: RenderResult, node: string) => {
    const sts = ofType(r, "kubernetes:apps/v1:StatefulSet").find((s) => s.name.endsWith(`-${node}`));
    assert.ok(sts, node);
    const pod = (sts.inputs as { spec: { template: { spec: { containers: IContainer[] } } } }).spec.template;
    return pod.spec.containers.find((c) => c.name === "goquorum")?.readinessProbe?.exec?.command?.slice(3);
  };
  const DEPLOYED = [0, 1, 2, 3].map((i) => `kind-validator-${i}`);
  let deployed: RenderResult;
  before(async () => {
    deployed = await renderProgram("local", local(), program);
  });

  it("refuses a fifth validator in an unpinned genesis and names the pin to write", async () => {
    const update = renderProgram("local", grown(local(), 5), program, { previousOutputs: deployed.outputs });
    await assert.rejects(update, (e: unknown) => {
      assert.ok(e instanceof pulumi.RunError);
      assert.match(e.message, /network\.genesisValidators: /);
      assert.ok(e.message.includes(`genesisValidators: [${DEPLOYED.join(", ")}]`), e.message);
      return true;
    });
  });

  it("once pinned, adds the validator outside block 0: genesis.json byte-identical, joining by vote", async () => {
    const raw = grown(local(), 5, { genesisValidators: DEPLOYED });
    const update = await renderProgram("local", raw, program, { previousOutputs: deployed.outputs });
    assert.equal(update.outputs.genesisJson, deployed.outputs.genesisJson);
    assert.equal(
      configMapData(update, "goquorum-genesis-file")["genesis.json"],
      configMapData(deployed, "goquorum-genesis-file")["genesis.json"],
    );
    assert.deepEqual(readinessArgs(update, "kind-validator-0"), ["readiness", IN_VALIDATOR_SET]);
    assert.deepEqual(readinessArgs(update, "kind-validator-4"), ["readiness"]);
  });

  it("keeps the deployed file byte for byte, even where this version would write another one", async () => {
    const older = JSON.parse(String(deployed.outputs.genesisJson)) as { config: { qbft: object } };
    older.config.qbft = { ...older.config.qbft, maxRequestTimeoutSeconds: 60 };
    const genesisJson = JSON.stringify(older);
    const update = await renderProgram("local", local(), program, {
      previousOutputs: { ...deployed.outputs, genesisJson },
    });
    assert.equal(update.outputs.genesisJson, genesisJson);
    assert.equal(configMapData(update, "goquorum-genesis-file")["genesis.json"], genesisJson);
  });

  it("adds a transition to a running network's genesis and restarts every node so geth-init applies it", async () => {
    const older = JSON.parse(String(deployed.outputs.genesisJson)) as {
      config: { qbft: Record<string, unknown> };
      extraData: string;
    };
    delete older.config.qbft.maxRequestTimeoutSeconds;
    const previousOutputs = { ...deployed.outputs, genesisJson: `${JSON.stringify(older, null, 2)}\n` };
    const cap = { block: 250000, maxRequestTimeoutSeconds: 80 };
    const pinned = grown(local(), 4, { genesisValidators: DEPLOYED });
    const before = await renderProgram("local", pinned, program, { previousOutputs });
    const after = await renderProgram(
      "local",
      grown(local(), 4, { genesisValidators: DEPLOYED, transitions: [cap] }),
      program,
      {
        previousOutputs,
      },
    );
    const text = configMapData(after, "goquorum-genesis-file")["genesis.json"];
    const genesis = JSON.parse(text) as typeof older & { config: { transitions: unknown } };
    assert.deepEqual(genesis.config.transitions, [cap]);
    assert.equal(genesis.extraData, older.extraData);
    assert.equal(after.outputs.genesisJson, text, "the next deployment keeps the grown file");
    const digests = (r: RenderResult) =>
      ofType(r, "kubernetes:apps/v1:StatefulSet").map(
        (sts) =>
          (sts.inputs as { spec: { template: { metadata: { annotations: Record<string, string> } } } }).spec
            .template.metadata.annotations["goquorum.network/genesis-sha256"],
      );
    const sha = createHash("sha256").update(text).digest("hex");
    assert.deepEqual(
      digests(after),
      digests(after).map(() => sha),
      "every node restarts with the new file",
    );
    assert.ok(digests(before).every((d) => d !== sha && d?.length === 64));
  });

  it("refuses a changed gas limit, which would change block 0", async () => {
    const raw = grown(local(), 4, { gasLimit: "0x1000000" });
    await assert.rejects(
      renderProgram("local", raw, program, { previousOutputs: deployed.outputs }),
      /network\.gasLimit: /,
    );
  });
});

describe("invalid config stops the program before any resource", () => {
  it("reports every problem at once as a RunError", async () => {
    const raw = readStackFile(stackFilePath("local"));
    const broken = { ...raw, "goquorum:network": { name: "local", chainId: 1, blockPeriodSeconds: 0 } };
    await assert.rejects(renderProgram("local", broken, program), (e: unknown) => {
      assert.ok(e instanceof pulumi.RunError);
      assert.match(e.message, /network\.chainId: 1 is too small/);
      assert.match(e.message, /network\.blockPeriodSeconds: 0 is too small/);
      return true;
    });
  });
});
