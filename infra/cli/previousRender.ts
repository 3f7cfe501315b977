/** An earlier render (`npm run render -- --out <dir>`) read back as the deployment an update starts from. */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import type { RenderedResource } from "../offline/render";

export interface PreviousRender {
  readonly outputs: Record<string, unknown>;
  readonly resources: RenderedResource[];
}

export function readPreviousRender(dir: string): PreviousRender {
  const file = (name: string) => {
    const at = path.join(dir, name);
    if (!existsSync(at)) {
      throw new Error(
        `${at} does not exist: --previous needs a render written by this version (render it again)`,
      );
    }
    return JSON.parse(readFileSync(at, "utf8"));
  };
  return { outputs: file("outputs.json"), resources: file("resources.json") };
}
