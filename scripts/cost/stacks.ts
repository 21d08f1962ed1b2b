/**
 * Reads synthesized stacks (cdktf.out/manifest.json + stacks/<id>/cdk.tf.json) into the flat list
 * of resource and data blocks the estimate walks (the shared model of scripts/lib/tf-model.ts).
 */
import { readSynthOutput } from "../lib/synth-output.js";
import { blocksOf, isExpression, type TfBlock, TfModel } from "../lib/tf-model.js";

export interface SynthesizedStacks {
  outdir: string;
  stackIds: string[];
  /** Each stack's directory (relative file paths in its JSON, e.g. asset sources, start here). */
  stackDirs: Record<string, string>;
  /** The AWS provider region per stack, when it is a literal. */
  regions: Record<string, string | undefined>;
  blocks: TfBlock[];
  /** The same stacks as the shared model (for_each instances, references). */
  model: TfModel;
}

/** The stacks cannot be read (missing, not JSON, no stacks): shown to the user as it is. */
export { SynthOutputError as StackReadError } from "../lib/synth-output.js";

/** Reads every stack the manifest lists. */
export function readSynthesizedStacks(outdir: string): SynthesizedStacks {
  const stacks = readSynthOutput(outdir);
  const model = new TfModel(Object.fromEntries(stacks.map((s) => [s.id, s.json])));
  const result: SynthesizedStacks = { outdir, stackIds: [], stackDirs: {}, regions: {}, blocks: [], model };
  for (const stack of stacks) {
    const json = stack.json;
    result.stackIds.push(stack.id);
    result.stackDirs[stack.id] = stack.dir;
    const region = json.provider?.aws?.[0]?.region;
    result.regions[stack.id] = typeof region === "string" && !isExpression(region) ? region : undefined;
    result.blocks.push(...blocksOf(stack.id, json));
  }
  return result;
}

/** A literal number attribute, the provider default when absent, or the expression text. */
export function numberAttr(attrs: Record<string, unknown>, key: string): number | { expression: string } | undefined {
  const value = attrs[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === "number") return value;
  if (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  return { expression: typeof value === "string" ? value : JSON.stringify(value) };
}
