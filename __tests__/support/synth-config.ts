/** Synthesizes one raw config (beyond the named variants) into a temp dir and parses its stacks. */
import { join } from "node:path";
import { synthesizeStacks } from "../../scripts/lib/synth.js";
import { parseConfig } from "../../stacks/config.js";
import { scratchDir } from "./scratch.js";
import type { Block } from "./tf.js";

/** `webDistDir` defaults to a folder that does not exist: only config.json is uploaded. */
export function synthConfig(raw: Record<string, unknown>, webDistDir?: string): { outdir: string; stacks: Record<string, Block> } {
  const result = parseConfig(structuredClone(raw));
  if (!result.ok) throw new Error(`config does not parse: ${JSON.stringify(result.problems)}`);
  const outdir = scratchDir("synth-config-"); // removed when the run ends
  const stacks = synthesizeStacks(result.config, outdir, { webDistDir: webDistDir ?? join(outdir, "no-web-build") });
  return { outdir, stacks: Object.fromEntries(stacks.map((s) => [s.id, s.json as Block])) };
}
