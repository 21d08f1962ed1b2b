/**
 * The one synth: `buildApp()` for a config, into an output directory, in this process. main.ts
 * (cdktf.json's app command, which `npm run synth`, `cdktf synth` and the deploy run) calls it; so
 * do `npm run validate`, `npm run cost` and the tests. What every synth must do lives here:
 *
 * - Stale files are cleared from each stack's folder first. Terraform reads every *.tf and *.tf.json
 *   in a folder, so a cdk.tf left by `cdktf synth --hcl` beside a new cdk.tf.json declares every
 *   resource twice and breaks the next init. What `terraform init` keeps there (.terraform/, the
 *   lock file) stays.
 * - The resolved config is recorded beside the manifest (CONFIG_STAMP), so a reader can tell
 *   whether the output was made from the config it is about to use (`npm run cost`).
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type BuildAppOptions, buildApp } from "../../stacks/app.js";
import type { AppConfig } from "../../stacks/config.js";
import { readSynthOutput, type SynthesizedStack } from "./synth-output.js";

/** Beside manifest.json: the hash of the resolved config the output was synthesized from. */
export const CONFIG_STAMP = "app-config.sha256";

/** What a synth writes into a stack's folder: Terraform configuration files and copied assets. */
const SYNTH_OUTPUT = /^(.*\.tf|.*\.tf\.json|assets)$/;

export interface SynthOptions extends Omit<BuildAppOptions, "outdir"> {
  /** Empty the whole output directory first (validate and tests: a fresh folder per variant). @default false */
  fresh?: boolean;
}

/** A stable hash of the resolved config (key order does not matter). */
export function configHash(config: AppConfig): string {
  const sorted = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(sorted)
      : value && typeof value === "object"
        ? Object.fromEntries(
            Object.keys(value)
              .sort()
              .map((k) => [k, sorted((value as Record<string, unknown>)[k])]),
          )
        : value;
  return createHash("sha256")
    .update(JSON.stringify(sorted(config)))
    .digest("hex");
}

/** The config hash recorded by the synth that wrote `outdir`, or undefined (none, or an older synth). */
export function recordedConfigHash(outdir: string): string | undefined {
  try {
    return readFileSync(join(outdir, CONFIG_STAMP), "utf8").trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Removes what an earlier synth (of any kind) left in each stack folder under `outdir`. */
export function clearStaleOutput(outdir: string): void {
  const stacksDir = join(outdir, "stacks");
  if (!existsSync(stacksDir)) return;
  for (const stack of readdirSync(stacksDir, { withFileTypes: true })) {
    if (!stack.isDirectory()) continue;
    for (const entry of readdirSync(join(stacksDir, stack.name))) {
      if (SYNTH_OUTPUT.test(entry)) rmSync(join(stacksDir, stack.name, entry), { recursive: true, force: true });
    }
  }
}

/** Synthesizes the app for `config` into `outdir`. */
export function synthesize(config: AppConfig, outdir: string, options: SynthOptions = {}): void {
  const { fresh, ...appOptions } = options;
  if (fresh) rmSync(outdir, { recursive: true, force: true });
  else clearStaleOutput(outdir);
  rmSync(join(outdir, CONFIG_STAMP), { force: true }); // a synth that fails leaves no claim behind
  mkdirSync(outdir, { recursive: true });
  buildApp(config, { ...appOptions, outdir }).synth();
  writeFileSync(join(outdir, CONFIG_STAMP), `${configHash(config)}\n`);
}

/** Synthesizes (see `synthesize`) and reads back every stack's Terraform JSON. */
export function synthesizeStacks(config: AppConfig, outdir: string, options: SynthOptions = {}): SynthesizedStack[] {
  synthesize(config, outdir, options);
  return readSynthOutput(outdir);
}
