/** The shape of a policy rule: a check over every stack of one synthesized config variant. */
import type { AppConfig } from "../../../stacks/config.js";
import type { VariantName } from "../../support/variants.js";
import type { Block, TfModel } from "./tf-json.js";

export interface PolicyContext {
  variant: VariantName;
  config: AppConfig;
  model: TfModel;
}

/** One resource that breaks a rule: `<stack>/<address>` and what is wrong. */
export interface Finding {
  resource: string;
  problem: string;
}

export function finding(block: Pick<Block, "stack" | "address">, problem: string): Finding {
  return { resource: `${block.stack}/${block.address}`, problem };
}

interface RuleBase {
  /** checkov / Trivy id (`CKV_AWS_51`, `AWS-0005`), or `GAP-<n>` for a project check (docs/security.md). */
  id: string;
  /** What must hold, e.g. "ECR tags are immutable". */
  title: string;
  /** Resources of a variant the rule looks at (findings are a subset). */
  check(ctx: PolicyContext): Finding[];
}

/** Holds in every variant (a baseline rule of docs/security.md), unless excepted. */
export interface BaselineRule extends RuleBase {
  kind: "baseline";
}

/** A cost trade-off: off unless the config switches it on (a cost toggle of docs/security.md). */
export interface ToggleRule extends RuleBase {
  kind: "toggle";
  /** The config keys that switch it on, for test names. */
  toggle: string;
  enabled(config: AppConfig): boolean;
  /** Resources the feature applies to; when off, every one of them must lack it. */
  subjects(ctx: PolicyContext): Block[];
}

export type Rule = BaselineRule | ToggleRule;

/** Findings for the blocks failing `ok`; `problem` names what is wrong. */
export function each(blocks: Block[], ok: (b: Block) => boolean | string): Finding[] {
  const out: Finding[] = [];
  for (const b of blocks) {
    const r = ok(b);
    if (r !== true) out.push(finding(b, typeof r === "string" ? r : "fails the rule"));
  }
  return out;
}
