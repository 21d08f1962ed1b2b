/**
 * Synthesizes one config variant into a directory and reads it back. Shared by `npm run validate`
 * and the test suites, so both look at exactly the same JSON.
 */
import { mkdirSync, rmSync } from "node:fs";
import type { AppConfig } from "../../stacks/config.js";
import { buildApp } from "../../stacks/app.js";
import { readSynthOutput, type SynthesizedStack } from "../lib/synth-output.js";

export type { SynthesizedStack, TfJson } from "../lib/synth-output.js";

/** Synthesizes the app for `config` into a fresh `outdir` (emptied first) and reads it back. */
export function synthesizeTo(config: AppConfig, outdir: string): SynthesizedStack[] {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  buildApp(config, { outdir }).synth();
  return readSynthOutput(outdir);
}
