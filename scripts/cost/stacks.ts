/**
 * Reads synthesized stacks (cdktf.out/manifest.json + stacks/<id>/cdk.tf.json) into a flat list
 * of resources and data sources, with helpers that tell literal values from `${...}` expressions.
 */
import { readSynthOutput } from "../lib/synth-output.js";

/** One `resource` or `data` block of a synthesized stack. */
export interface TfBlock {
  stack: string;
  mode: "resource" | "data";
  type: string;
  name: string;
  /** Terraform address inside its stack: `aws_lambda_function.api` or `data.aws_route53_zone.zone`. */
  address: string;
  attrs: Record<string, unknown>;
}

export interface SynthesizedStacks {
  outdir: string;
  stackIds: string[];
  /** Each stack's directory (relative file paths in its JSON, e.g. asset sources, start here). */
  stackDirs: Record<string, string>;
  /** The AWS provider region per stack, when it is a literal. */
  regions: Record<string, string | undefined>;
  blocks: TfBlock[];
}

type StackJson = {
  provider?: { aws?: { region?: unknown }[] };
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
};

/** The stacks cannot be read (missing, not JSON, no stacks): shown to the user as it is. */
export { SynthOutputError as StackReadError } from "../lib/synth-output.js";

/** Blocks of one stack's Terraform JSON, in file order. */
export function blocksOf(stack: string, json: StackJson): TfBlock[] {
  const blocks: TfBlock[] = [];
  for (const mode of ["resource", "data"] as const) {
    for (const [type, byName] of Object.entries(json[mode] ?? {})) {
      for (const [name, attrs] of Object.entries(byName)) {
        const address = `${mode === "data" ? "data." : ""}${type}.${name}`;
        blocks.push({ stack, mode, type, name, address, attrs });
      }
    }
  }
  return blocks;
}

/** Reads every stack the manifest lists. */
export function readSynthesizedStacks(outdir: string): SynthesizedStacks {
  const result: SynthesizedStacks = { outdir, stackIds: [], stackDirs: {}, regions: {}, blocks: [] };
  for (const stack of readSynthOutput(outdir)) {
    const json = stack.json as StackJson;
    result.stackIds.push(stack.id);
    result.stackDirs[stack.id] = stack.dir;
    const region = json.provider?.aws?.[0]?.region;
    result.regions[stack.id] = typeof region === "string" && !isExpression(region) ? region : undefined;
    result.blocks.push(...blocksOf(stack.id, json));
  }
  return result;
}

/** True for values Terraform computes at plan time (`${...}`), which no estimate can read. */
export function isExpression(value: unknown): value is string {
  return typeof value === "string" && value.includes("${");
}

/** A literal number attribute, the provider default when absent, or the expression text. */
export function numberAttr(attrs: Record<string, unknown>, key: string): number | { expression: string } | undefined {
  const value = attrs[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === "number") return value;
  if (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  return { expression: typeof value === "string" ? value : JSON.stringify(value) };
}

/** A nested block: CDKTF writes single blocks as an object and repeated ones as an array. */
export function blockList(value: unknown): Record<string, unknown>[] {
  if (Array.isArray(value)) return value.filter((v): v is Record<string, unknown> => !!v && typeof v === "object");
  return value && typeof value === "object" ? [value as Record<string, unknown>] : [];
}

/** Addresses (`type.name`, `data.type.name`) referenced anywhere inside a value. */
export function referencesIn(value: unknown, into: Set<string> = new Set()): Set<string> {
  if (typeof value === "string") {
    if (!value.includes("${")) return into;
    for (const m of value.matchAll(/\b(data\.)?([a-z][a-z0-9_]*)\.([A-Za-z0-9_-]+)(?=[.\[}\s,)])/g)) {
      if (m[2]!.startsWith("aws_") || m[2] === "terraform_remote_state") into.add(`${m[1] ?? ""}${m[2]}.${m[3]}`);
    }
  } else if (Array.isArray(value)) {
    for (const v of value) referencesIn(v, into);
  } else if (value && typeof value === "object") {
    for (const v of Object.values(value)) referencesIn(v, into);
  }
  return into;
}
