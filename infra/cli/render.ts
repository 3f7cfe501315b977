/**
 * `npm run render -- --stack <name> --out <dir>`: run the real program for a stack under the mock
 * runtime and write what it would create, for reviewers without cloud credentials:
 *   resources.json  every resource: type, name, parent, provider, inputs (secrets as "[secret]")
 *   genesis.json    the genesis every node receives, byte for byte
 *   network.json    chain id, consensus and every node's public identity and address
 *   join.json       what another party needs to join: genesis, our nodes' enode/Tessera URLs, ranges, ports
 * Keys are throwaway keys made the same way as real ones, never a stack's real keys. The render shows an
 * update of the network once deployed (validators chained for rollout); `--first-deployment` shows the
 * first `pulumi up` of a new stack instead.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { StackFileError } from "../config/load";
import { renderStack } from "../offline/render";
import { program } from "../program";
import { cliArgs } from "./args";

async function main(): Promise<number> {
  const args = cliArgs({ command: "render", out: true, firstDeployment: true });
  const out = args.out ?? path.join("out", args.stack);
  try {
    const deployment = args["first-deployment"] ? "first" : "update";
    const result = await renderStack(args.stack, program, args["stacks-dir"], deployment);
    const { genesisJson, chainId, consensus, nodes, join } = result.outputs as Record<string, unknown>;
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, "resources.json"), `${JSON.stringify(result.resources, null, 2)}\n`);
    writeFileSync(path.join(out, "genesis.json"), String(genesisJson));
    writeFileSync(
      path.join(out, "network.json"),
      `${JSON.stringify({ chainId, consensus, nodes }, null, 2)}\n`,
    );
    writeFileSync(path.join(out, "join.json"), `${JSON.stringify(join, null, 2)}\n`);
    console.log(
      `${result.resources.length} resources -> ${path.join(out, "resources.json")}, genesis.json, network.json, join.json`,
    );
    return 0;
  } catch (e) {
    // Config errors are RunErrors: print the message alone, as `pulumi up` would; so is a YAML syntax error.
    console.error(e instanceof pulumi.RunError || e instanceof StackFileError ? e.message : e);
    return 1;
  }
}

main().then((code) => {
  process.exitCode = code;
});
