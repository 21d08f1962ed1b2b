/**
 * Keeps cdktf.out in step with the code and the config before pricing it: synthesizes when the
 * manifest is missing, older than main.ts / stacks / modules / web/assets.ts, or was made from
 * another resolved config than the one APP_CONFIG names now (see CONFIG_STAMP in lib/synth.ts).
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import type { AppConfig } from "../../stacks/config.js";
import { configHash, recordedConfigHash } from "../lib/synth.js";

export { synthesize } from "../lib/synth.js";

/** Code whose change makes the synthesized JSON stale. */
const SOURCES = ["main.ts", "stacks", "modules", "web/assets.ts", "scripts/lib/synth.ts"];

function newestFile(path: string): { file: string; mtimeMs: number } | undefined {
  if (!existsSync(path)) return undefined;
  const stat = statSync(path);
  if (!stat.isDirectory()) return { file: path, mtimeMs: stat.mtimeMs };
  let newest: { file: string; mtimeMs: number } | undefined;
  for (const entry of readdirSync(path)) {
    const found = newestFile(join(path, entry));
    if (found && (!newest || found.mtimeMs > newest.mtimeMs)) newest = found;
  }
  return newest;
}

/** Why the stacks in `outdir` must be synthesized again for `config`, or undefined when they are current. */
export function staleReason(projectDir: string, outdir: string, config: AppConfig): string | undefined {
  const manifestFile = join(outdir, "manifest.json");
  if (!existsSync(manifestFile)) return `${relative(projectDir, manifestFile) || manifestFile} is missing`;
  const synthesizedAt = statSync(manifestFile).mtimeMs;
  for (const source of SOURCES) {
    const newest = newestFile(join(projectDir, source));
    if (newest && newest.mtimeMs > synthesizedAt) return `${relative(projectDir, newest.file)} changed since the last synth`;
  }
  const recorded = recordedConfigHash(outdir);
  const where = relative(projectDir, outdir) || outdir;
  if (!recorded) return `${where} does not record the config it was synthesized from`;
  if (recorded !== configHash(config)) return `the config differs from the one ${where} was synthesized from`;
  return undefined;
}
