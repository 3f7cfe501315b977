/**
 * `npm run render -- --stack <name> --out <dir>`: run the real program for a stack under the mock
 * runtime and write what it would create, for reviewers without cloud credentials:
 *   resources.json  every resource: type, name, parent, provider, inputs (secrets as "[secret]")
 *   outputs.json    the stack outputs (secrets masked): what the next update reads back from this deployment
 *   genesis.json    the genesis every node receives, byte for byte
 *   network.json    chain id, consensus and every node's public identity and address
 *   join.json       what another party needs to join: genesis, our nodes' enode/Tessera URLs, ranges, ports
 * Keys are throwaway keys made the same way as real ones, never a stack's real keys. The render shows an
 * update of the network once deployed (validators chained for rollout); `--first-deployment` shows the
 * first `pulumi up` of a new stack instead. `--previous <dir of an earlier render>` shows the update of the
 * network that render described (its outputs.json: deployed validators and genesis) and writes
 *   update.json     what `pulumi up` would create, update, replace and delete, with the steps to look at
 * and prints the same as text.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { StackFileError } from "../config/load";
import { type Deployment, renderStack } from "../offline/render";
import { formatPreview, previewUpdate } from "../offline/updatePreview";
import { program } from "../program";
import { cliArgs } from "./args";
import { readPreviousRender } from "./previousRender";

async function main(): Promise<number> {
  const args = cliArgs({ command: "render", out: true, firstDeployment: true, previous: true });
  const out = args.out ?? path.join("out", args.stack);
  if (args.previous && args["first-deployment"]) {
    console.error(
      "--previous renders an update of a deployed network; --first-deployment a new one: pick one",
    );
    return 2;
  }
  try {
    const previous = args.previous ? readPreviousRender(args.previous) : undefined;
    const deployment: Deployment = previous
      ? { previousOutputs: previous.outputs }
      : args["first-deployment"]
        ? "first"
        : "update";
    const result = await renderStack(args.stack, program, args["stacks-dir"], deployment);
    const { genesisJson, chainId, consensus, nodes, join } = result.outputs as Record<string, unknown>;
    mkdirSync(out, { recursive: true });
    const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
    writeFileSync(path.join(out, "resources.json"), json(result.resources));
    writeFileSync(path.join(out, "outputs.json"), json(result.outputs));
    writeFileSync(path.join(out, "genesis.json"), String(genesisJson));
    writeFileSync(path.join(out, "network.json"), json({ chainId, consensus, nodes }));
    writeFileSync(path.join(out, "join.json"), json(join));
    console.log(
      `${result.resources.length} resources -> ${path.join(out, "resources.json")}, outputs.json, genesis.json, network.json, join.json`,
    );
    if (previous) {
      const preview = previewUpdate(previous.resources, result.resources);
      writeFileSync(path.join(out, "update.json"), json(preview));
      console.log(
        `\nUpdate of the deployment rendered in ${args.previous} -> ${path.join(out, "update.json")}`,
      );
      console.log(formatPreview(preview));
    }
    return 0;
  } catch (e) {
    // Config errors are RunErrors: print the message alone, as `pulumi up` would; so is a YAML syntax error.
    console.error(
      e instanceof pulumi.RunError || e instanceof StackFileError || e instanceof Error ? e.message : e,
    );
    return 1;
  }
}

main().then((code) => {
  process.exitCode = code;
});
