/**
 * The one model of synthesized Terraform JSON (cdk.tf.json), shared by `npm run cost`, the deploy
 * and the tests: resource and data blocks with their stack and address, the references between
 * them (`${aws_x.y.attr}`), and the shapes CDKTF writes nested blocks in.
 */
import type { TfJson } from "./synth-output.js";

export type { TfJson };

/** One `resource` or `data` block of a synthesized stack. */
export interface TfBlock {
  stack: string;
  mode: "resource" | "data";
  type: string;
  name: string;
  /** Terraform address inside its stack: `aws_lambda_function.api` or `data.aws_route53_zone.zone`. */
  address: string;
  /** The block's arguments as synthesized (keys are Terraform's). */
  body: TfJson;
}

/** A reference found inside a `${...}` expression. */
export interface TfRef {
  mode: "resource" | "data";
  type: string;
  name: string;
  attr?: string;
}

/** Blocks of one stack's Terraform JSON, in file order. */
export function blocksOf(stack: string, json: TfJson): TfBlock[] {
  const blocks: TfBlock[] = [];
  for (const mode of ["resource", "data"] as const) {
    for (const [type, byName] of Object.entries<Record<string, TfJson>>(json[mode] ?? {})) {
      for (const [name, body] of Object.entries(byName)) {
        blocks.push({ stack, mode, type, name, address: `${mode === "data" ? "data." : ""}${type}.${name}`, body });
      }
    }
  }
  return blocks;
}

/** Every stack of one synthesized app (stack id -> its JSON), searchable by type. */
export class TfModel {
  readonly blocks: TfBlock[];

  constructor(readonly stacks: Record<string, TfJson>) {
    this.blocks = Object.entries(stacks).flatMap(([stack, json]) => blocksOf(stack, json));
  }

  resources(type: string): TfBlock[] {
    return this.blocks.filter((b) => b.mode === "resource" && b.type === type);
  }

  data(type: string): TfBlock[] {
    return this.blocks.filter((b) => b.mode === "data" && b.type === type);
  }

  /** The block a reference points at, in the same stack as `from`. */
  resolve(from: Pick<TfBlock, "stack">, ref: TfRef): TfBlock | undefined {
    return this.blocks.find((b) => b.mode === ref.mode && b.type === ref.type && b.stack === from.stack && b.name === ref.name);
  }

  /** Blocks of `type` (same stack) that reference `target`, anywhere or in the argument `via`. */
  referrers(target: TfBlock, type: string, via?: string): TfBlock[] {
    return this.resources(type).filter((b) => b.stack === target.stack && refersTo(via ? b.body[via] : b.body, target));
  }

  /**
   * The instances of a `for_each` block that the synth already knows: those of the literal maps
   * among the locals its set is built from (e.g. the web build's files; a release kept from the
   * last apply is read at plan time and is not among them). A block without for_each is one instance.
   */
  instances(block: TfBlock): Array<{ key?: string; body: TfJson }> {
    if (!block.body.for_each) return [{ body: block.body }];
    const locals = (this.stacks[block.stack]?.locals ?? {}) as Record<string, unknown>;
    const named = (expr: unknown) => [...String(expr).matchAll(/local\.([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
    const literal = named(block.body.for_each)
      .flatMap((n) => [n, ...named(locals[n])])
      .map((n) => locals[n])
      .filter((v): v is Record<string, TfJson> => !!v && typeof v === "object");
    const each = (key: string, value: TfJson) => (v: unknown) =>
      v === "${each.key}" ? key : typeof v === "string" && /^\$\{each\.value\.[a-z_]+\}$/.test(v) ? value[v.slice(13, -1)] : v;
    return literal.flatMap((map) =>
      Object.entries(map).map(([key, value]) => {
        const fill = each(key, value);
        return { key, body: Object.fromEntries(Object.entries(block.body).map(([k, v]) => [k, fill(v)])) };
      }),
    );
  }

  /** Every `provider.<name>` block of every stack. */
  providers(name = "aws"): TfJson[] {
    return Object.values(this.stacks).flatMap((json) => ([] as TfJson[]).concat(json.provider?.[name] ?? []));
  }
}

const REF_RE = /(?<![\w.-])(data\.)?((?:aws|terraform)_[a-z0-9_]+)\.([A-Za-z0-9_-]+)(?:\.([a-z0-9_]+))?/g;

/** Every reference inside `${...}` expressions anywhere in `value`. */
export function refsIn(value: unknown): TfRef[] {
  const text = typeof value === "string" ? value : JSON.stringify(value ?? null);
  const refs: TfRef[] = [];
  for (const expr of text.matchAll(/\$\{([^{}]|\{[^{}]*\})*\}/g)) {
    for (const m of expr[0].matchAll(REF_RE)) {
      refs.push({ mode: m[1] ? "data" : "resource", type: m[2]!, name: m[3]!, ...(m[4] ? { attr: m[4] } : {}) });
    }
  }
  return refs;
}

/** Addresses (`type.name`, `data.type.name`) referenced anywhere inside a value. */
export function referencesIn(value: unknown): Set<string> {
  return new Set(refsIn(value).map((r) => `${r.mode === "data" ? "data." : ""}${r.type}.${r.name}`));
}

/** Whether `value` references `target` (any attribute). */
export function refersTo(value: unknown, target: Pick<TfBlock, "mode" | "type" | "name">): boolean {
  return refsIn(value).some((r) => r.mode === target.mode && r.type === target.type && r.name === target.name);
}

/** True for values Terraform computes at plan time (`${...}`), which no reader of the JSON can know. */
export function isExpression(value: unknown): value is string {
  return typeof value === "string" && value.includes("${");
}

/** A nested block's (or list argument's) entries: CDKTF writes a single block as an object, repeated ones as an array. */
export function many(value: unknown): TfJson[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]) as TfJson[];
}

/** A single nested block as one object (the first when written as an array). */
export function one(value: unknown): TfJson | undefined {
  return (Array.isArray(value) ? value[0] : value) as TfJson | undefined;
}
