/** Reads a synthesized cdktf output directory back: what Terraform will read, per stack. */
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** A synthesized stack as Terraform sees it: the parsed `cdk.tf.json` (keys are Terraform's). */
export type TfJson = Record<string, any>;

export interface SynthesizedStack {
  id: string;
  /** Directory holding `cdk.tf.json`: a Terraform root module. */
  dir: string;
  json: TfJson;
  /** Stack ids this stack reads outputs from (the manifest's dependencies). */
  dependsOn: string[];
}

interface Manifest {
  stacks: Record<string, { workingDirectory: string; synthesizedStackPath: string; dependencies?: string[] }>;
}

/** Reads every stack of a synthesized cdktf output dir (one with a manifest.json). */
export function readSynthOutput(outdir: string): SynthesizedStack[] {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as Manifest;
  } catch (e) {
    throw new Error(`${outdir} is not a synthesized cdktf output (manifest.json: ${(e as Error).message})`);
  }
  return Object.entries(manifest.stacks).map(([id, s]) => ({
    id,
    dir: join(outdir, s.workingDirectory),
    json: JSON.parse(readFileSync(join(outdir, s.synthesizedStackPath), "utf8")) as TfJson,
    // dependencies are construct paths; the stack id is their last segment
    dependsOn: (s.dependencies ?? []).map((d) => d.split("/").pop() ?? d),
  }));
}

