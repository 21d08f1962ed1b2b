/**
 * Config variants for the synth and policy tests: the same named variants `npm run validate`
 * checks with Terraform. `synthVariant` synthesizes each variant at most once per module instance:
 * once per test file, or once per worker for the files that share modules (isolate: false in
 * vitest.config.ts). The output is in the run's scratch folder, removed when the run ends. The
 * parsed JSON is frozen, as other files read the same object: a test that edits it must clone it.
 *
 * Workers also share it through that folder: the first to ask for a variant claims it (a file
 * created exclusively), synthesizes it and publishes the path of its output (a file renamed into
 * place); the others wait for that and read the JSON there (what synthesizeStacks returns after
 * its synth) instead of synthesizing the same config again. A claim left without a publication (the
 * claimer's synth threw) makes the waiter synthesize it itself.
 */
import { closeSync, existsSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { synthesizeStacks } from "../../scripts/lib/synth.js";
import { readSynthOutput, type TfJson } from "../../scripts/lib/synth-output.js";
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
  const published = join(dirname(root), `variant-${name}.outdir`);
  let outdir = claim(published) ? undefined : waitForPublished(published);
  let synthesized;
  if (outdir) {
    synthesized = readSynthOutput(outdir);
  } else {
    outdir = join(root, name);
    webDist ??= writeWebFixture(join(root, "web-build"));
    try {
      synthesized = synthesizeStacks(config, outdir, { fresh: true, webDistDir: webDist });
      writeFileSync(`${published}.${process.pid}`, outdir);
      renameSync(`${published}.${process.pid}`, published);
    } finally {
      rmSync(`${published}.claim`, { force: true });
    }
  }
  const stacks = Object.fromEntries(synthesized.map((s) => [s.id, deepFreeze(s.json)]));
  const result = { name, config: deepFreeze(config), outdir, stacks };
  cache.set(name, result);
  return result;
}

/** True when this worker is the first to ask for the variant (and so synthesizes it). */
function claim(published: string): boolean {
  if (existsSync(published)) return false;
  try {
    closeSync(openSync(`${published}.claim`, "wx"));
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw e;
  }
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/** The output folder the claiming worker published; undefined when its claim went without one. */
function waitForPublished(published: string): string | undefined {
  for (;;) {
    if (existsSync(published)) return readFileSync(published, "utf8");
    if (!existsSync(`${published}.claim`)) return existsSync(published) ? readFileSync(published, "utf8") : undefined;
    Atomics.wait(pause, 0, 0, 25); // synthVariant is synchronous: a short sleep between looks
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
