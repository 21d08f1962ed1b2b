/**
 * Reading what a synth wrote: `<outdir>/manifest.json` and each stack's `cdk.tf.json`. Shared by
 * `npm run validate`, `npm run cost`, the deploy orchestration and the tests, so they all read the
 * cdktf output the same way and fail with the same clear messages.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** A synthesized stack as Terraform sees it: the parsed `cdk.tf.json` (keys are Terraform's). */
// biome-ignore lint/suspicious/noExplicitAny: Terraform JSON has no fixed shape; readers narrow it
export type TfJson = Record<string, any>;

/** The output directory is missing, unreadable, or not what cdktf writes. */
export class SynthOutputError extends Error {
  override name = "SynthOutputError";
}

/** One stack the manifest lists. */
export interface ManifestStack {
  id: string;
  /** Directory holding `cdk.tf.json`: a Terraform root module (relative paths in the JSON start here). */
  dir: string;
  /** Path of its `cdk.tf.json`. */
  jsonPath: string;
  /** Ids of the stacks it reads outputs from (cross-stack references, addDependency). */
  dependencies: string[];
}

/** A stack with its Terraform JSON read. */
export interface SynthesizedStack extends ManifestStack {
  json: TfJson;
}

interface RawManifest {
  stacks?: Record<string, { name?: string; workingDirectory?: string; synthesizedStackPath?: string; dependencies?: string[] }>;
}

export function readJsonFile<T>(file: string, what: string): T {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new SynthOutputError(`cannot read ${what} ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new SynthOutputError(`${what} ${file} is not valid JSON: ${(e as Error).message}`);
  }
}

/** The stacks `<outdir>/manifest.json` lists. */
export function readManifest(outdir: string): ManifestStack[] {
  const file = join(outdir, "manifest.json");
  const manifest = readJsonFile<RawManifest>(file, "manifest");
  const entries = Object.entries(manifest.stacks ?? {});
  if (entries.length === 0) throw new SynthOutputError(`manifest ${file} lists no stacks`);
  return entries.map(([key, s]) => {
    const id = s.name ?? key;
    return {
      id,
      dir: join(outdir, s.workingDirectory ?? `stacks/${id}`),
      jsonPath: join(outdir, s.synthesizedStackPath ?? `stacks/${id}/cdk.tf.json`),
      // dependencies are construct paths; the stack id is their last segment
      dependencies: (s.dependencies ?? []).map((d) => d.split("/").pop() ?? d),
    };
  });
}

/** Every stack of a synthesized output directory, with its Terraform JSON. */
export function readSynthOutput(outdir: string): SynthesizedStack[] {
  return readManifest(outdir).map((stack) => ({
    ...stack,
    json: readJsonFile<TfJson>(stack.jsonPath, `stack ${stack.id}`),
  }));
}
