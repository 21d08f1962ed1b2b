/**
 * Config variants for the synth and policy tests: the same named variants `npm run validate`
 * checks with Terraform. `synthVariant` synthesizes each variant at most once per module instance:
 * once per test file, or once per worker for the files that share modules (isolate: false in
 * vitest.config.ts). The output is in the run's scratch folder, removed when the run ends. The
 * parsed JSON is frozen, as other files read the same object: a test that edits it must clone it.
 */
import { join } from "node:path";
import { synthesizeStacks } from "../../scripts/lib/synth.js";
import type { TfJson } from "../../scripts/lib/synth-output.js";
import { VARIANT_NAMES, VARIANTS, type VariantName, variantConfig } from "../../scripts/validate/variants.js";
import { writeWebFixture } from "../../scripts/validate/web-fixture.js";
import type { AppConfig } from "../../stacks/config.js";
import { scratchDir } from "./scratch.js";

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
/** The same small web build for every variant (web/dist may or may not be built). */
let webDist: string | undefined;

/** Synthesizes a named variant (memoized, see above) into a temp dir and parses every stack. */
export function synthVariant(name: VariantName): SynthesizedVariant {
  const hit = cache.get(name);
  if (hit) return hit;
  root ??= scratchDir("synth-variants-");
  const config = variantConfig(name);
  const outdir = join(root, name);
  webDist ??= writeWebFixture(join(root, "web-build"));
  const stacks = Object.fromEntries(
    synthesizeStacks(config, outdir, { fresh: true, webDistDir: webDist }).map((s) => [s.id, deepFreeze(s.json)]),
  );
  const result = { name, config: deepFreeze(config), outdir, stacks };
  cache.set(name, result);
  return result;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
