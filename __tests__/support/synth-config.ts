/** Synthesizes one raw config (beyond the named variants) into a temp dir and parses its stacks. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { synthesizeStacks } from "../../scripts/lib/synth.js";
import { parseConfig } from "../../stacks/config.js";
import type { Block } from "./tf.js";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** `webDistDir` defaults to a folder that does not exist: only config.json is uploaded. */
export function synthConfig(raw: Record<string, unknown>, webDistDir?: string): { outdir: string; stacks: Record<string, Block> } {
  const result = parseConfig(structuredClone(raw));
  if (!result.ok) throw new Error(`config does not parse: ${JSON.stringify(result.problems)}`);
  const outdir = mkdtempSync(join(tmpdir(), "synth-config-"));
  dirs.push(outdir);
  const stacks = synthesizeStacks(result.config, outdir, { webDistDir: webDistDir ?? join(outdir, "no-web-build") });
  return { outdir, stacks: Object.fromEntries(stacks.map((s) => [s.id, s.json as Block])) };
}
