/**
 * Config variants for the synth and policy tests: the same named variants `npm run validate`
 * checks with Terraform. `synthVariant` synthesizes each variant at most once per test process.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { synthesizeStacks } from "../../scripts/lib/synth.js";
import type { TfJson } from "../../scripts/lib/synth-output.js";
import { VARIANT_NAMES, VARIANTS, type VariantName, variantConfig } from "../../scripts/validate/variants.js";
import type { AppConfig } from "../../stacks/config.js";

export { type TfJson, VARIANT_NAMES, VARIANTS, type VariantName, variantConfig };

export interface SynthesizedVariant {
  name: VariantName;
  config: AppConfig;
  /** The cdktf output dir (manifest.json, stacks/<id>/cdk.tf.json). */
  outdir: string;
  /** Parsed cdk.tf.json per stack id. */
  stacks: Record<string, TfJson>;
}

const cache = new Map<VariantName, SynthesizedVariant>();
let root: string | undefined;

/** Synthesizes a named variant (memoized per process) into a temp dir and parses every stack. */
export function synthVariant(name: VariantName): SynthesizedVariant {
  const hit = cache.get(name);
  if (hit) return hit;
  if (!root) {
    root = mkdtempSync(join(tmpdir(), "synth-variants-"));
    process.once("exit", removeSynthesizedVariants); // vitest workers may end without it: call it from afterAll
  }
  const config = variantConfig(name);
  const outdir = join(root, name);
  const stacks = Object.fromEntries(synthesizeStacks(config, outdir, { fresh: true }).map((s) => [s.id, s.json]));
  const result = { name, config, outdir, stacks };
  cache.set(name, result);
  return result;
}

/** Deletes this process's synthesized output (call from `afterAll`); later calls synthesize again. */
export function removeSynthesizedVariants(): void {
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
  cache.clear();
}
