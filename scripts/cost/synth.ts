/**
 * Keeps cdktf.out in step with the code before pricing it: synthesizes when the manifest is
 * missing, older than main.ts / stacks / modules / the APP_CONFIG file, or holds other stacks
 * than the config names. Runs the same command cdktf.json does (`cdktf synth` would too, slower).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { loadConfig, stackIds } from "../../stacks/config.js";

/** Inputs whose change makes the synthesized JSON stale. */
const SOURCES = ["main.ts", "stacks", "modules"];

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

/** Why the stacks in `outdir` must be synthesized again, or undefined when they are current. */
export function staleReason(projectDir: string, outdir: string, env: NodeJS.ProcessEnv): string | undefined {
  const manifestFile = join(outdir, "manifest.json");
  if (!existsSync(manifestFile)) return `${relative(projectDir, manifestFile) || manifestFile} is missing`;
  const synthesizedAt = statSync(manifestFile).mtimeMs;
  const inputs = SOURCES.map((s) => join(projectDir, s));
  if (env.APP_CONFIG) inputs.push(resolve(projectDir, env.APP_CONFIG));
  for (const input of inputs) {
    const newest = newestFile(input);
    if (newest && newest.mtimeMs > synthesizedAt) return `${relative(projectDir, newest.file)} changed since the last synth`;
  }
  // Another APP_CONFIG (e.g. another stage) needs other stacks even when no file changed.
  const expected = Object.values(stackIds(loadConfig(env)));
  const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as { stacks?: Record<string, unknown> };
  const missing = expected.filter((id) => !manifest.stacks?.[id]);
  if (missing.length) return `the config needs stack(s) ${missing.join(", ")}, which ${relative(projectDir, outdir)} does not hold`;
  return undefined;
}

export class SynthError extends Error {}

/** Runs cdktf.json's `app` command with CDKTF_OUTDIR set; its output goes to stderr. */
export function synthesize(projectDir: string, outdir: string, env: NodeJS.ProcessEnv): void {
  const app = (JSON.parse(readFileSync(join(projectDir, "cdktf.json"), "utf8")) as { app?: string }).app;
  if (!app) throw new SynthError("cdktf.json has no \"app\" command");
  const run = spawnSync(app, { cwd: projectDir, env: { ...env, CDKTF_OUTDIR: outdir }, shell: true, stdio: ["ignore", 2, 2] });
  if (run.error) throw new SynthError(`synth failed to start: ${run.error.message}`);
  if (run.status !== 0) throw new SynthError(`synth failed (exit ${run.status ?? run.signal}); see the messages above`);
}
