/**
 * Small readers over synthesized Terraform JSON (cdk.tf.json): blocks of a type, the references
 * between them (`${aws_x.y.attr}`), and IAM/resource policy documents whether they are JSON
 * strings or `aws_iam_policy_document` data sources.
 */
import type { TfJson } from "../../support/variants.js";

/** One resource or data block, with the stack it lives in. */
export interface Block {
  stack: string;
  kind: "resource" | "data";
  type: string;
  name: string;
  /** `aws_s3_bucket.web_bucket_FBD4D589` (`data.` prefixed for data sources). */
  address: string;
  body: TfJson;
}

/** A reference found inside a `${...}` expression. */
export interface Ref {
  kind: "resource" | "data";
  type: string;
  name: string;
  attr?: string;
}

/** Every stack of one synthesized variant, searchable by type. */
export class TfModel {
  constructor(readonly stacks: Record<string, TfJson>) {}

  private blocks(kind: "resource" | "data", type: string): Block[] {
    return Object.entries(this.stacks).flatMap(([stack, json]) =>
      Object.entries<TfJson>(json[kind]?.[type] ?? {}).map(([name, body]) => ({
        stack,
        kind,
        type,
        name,
        address: `${kind === "data" ? "data." : ""}${type}.${name}`,
        body,
      })),
    );
  }

  resources(type: string): Block[] {
    return this.blocks("resource", type);
  }

  data(type: string): Block[] {
    return this.blocks("data", type);
  }

  /** The block a reference points at, in the same stack as `from`. */
  resolve(from: Pick<Block, "stack">, ref: Ref): Block | undefined {
    return this.blocks(ref.kind, ref.type).find((b) => b.stack === from.stack && b.name === ref.name);
  }

  /** Blocks of `type` (same stack) that reference `target`, anywhere or in the argument `via`. */
  referrers(target: Block, type: string, via?: string): Block[] {
    return this.blocks("resource", type).filter((b) => b.stack === target.stack && refersTo(via ? b.body[via] : b.body, target));
  }

  providers(name = "aws"): TfJson[] {
    return Object.values(this.stacks).flatMap((json) => ([] as TfJson[]).concat(json.provider?.[name] ?? []));
  }
}

const REF_RE = /(?<![\w.-])(data\.)?((?:aws|terraform)_[a-z0-9_]+)\.([A-Za-z0-9_-]+)(?:\.([a-z0-9_]+))?/g;

/** Every reference inside `${...}` expressions anywhere in `value`. */
export function refsIn(value: unknown): Ref[] {
  const text = typeof value === "string" ? value : JSON.stringify(value ?? null);
  const refs: Ref[] = [];
  for (const expr of text.matchAll(/\$\{([^{}]|\{[^{}]*\})*\}/g)) {
    for (const m of expr[0].matchAll(REF_RE)) {
      refs.push({ kind: m[1] ? "data" : "resource", type: m[2]!, name: m[3]!, ...(m[4] ? { attr: m[4] } : {}) });
    }
  }
  return refs;
}

/** Whether `value` references `target` (any attribute). */
export function refersTo(value: unknown, target: Pick<Block, "kind" | "type" | "name">): boolean {
  return refsIn(value).some((r) => r.kind === target.kind && r.type === target.type && r.name === target.name);
}

/** Whether a value is an expression rather than a literal. */
export function isExpression(value: unknown): boolean {
  return typeof value === "string" && value.includes("${");
}

/** A nested block as one object: cdktf writes single blocks as objects, repeated ones as lists. */
export function one(value: unknown): TfJson | undefined {
  return (Array.isArray(value) ? value[0] : value) as TfJson | undefined;
}

export function many(value: unknown): TfJson[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]) as TfJson[];
}

// ---- policy documents ---------------------------------------------------------------------

/** A policy statement in one shape, whichever way it was written. */
export interface Statement {
  sid?: string;
  effect: "Allow" | "Deny";
  actions: string[];
  notActions: string[];
  resources: string[];
  notResources: string[];
  /** Principal type -> identifiers; `{"*": ["*"]}` for Principal "*"; undefined when absent. */
  principals?: Record<string, string[]>;
  /** `{ Bool: { "aws:SecureTransport": ["false"] } }` */
  conditions: Record<string, Record<string, string[]>>;
}

const list = (v: unknown): string[] => (v === undefined || v === null ? [] : (Array.isArray(v) ? v : [v]).map(String));

function fromJsonStatement(s: TfJson): Statement {
  let principals: Record<string, string[]> | undefined;
  if (s.Principal === "*") principals = { "*": ["*"] };
  else if (s.Principal) principals = Object.fromEntries(Object.entries<unknown>(s.Principal).map(([k, v]) => [k, list(v)]));
  const conditions = Object.fromEntries(
    Object.entries<TfJson>(s.Condition ?? {}).map(([op, kv]) => [op, Object.fromEntries(Object.entries(kv).map(([k, v]) => [k, list(v)]))]),
  );
  return {
    ...(s.Sid ? { sid: s.Sid } : {}),
    effect: s.Effect,
    actions: list(s.Action),
    notActions: list(s.NotAction),
    resources: list(s.Resource),
    notResources: list(s.NotResource),
    ...(principals ? { principals } : {}),
    conditions,
  };
}

function fromDocumentStatement(s: TfJson): Statement {
  const principalBlocks = many(s.principals);
  const principals = principalBlocks.length
    ? Object.fromEntries(principalBlocks.map((p) => [p.type === "*" ? "*" : p.type, list(p.identifiers)]))
    : undefined;
  const conditions: Statement["conditions"] = {};
  for (const c of many(s.condition)) {
    conditions[c.test] ??= {};
    conditions[c.test][c.variable] = list(c.values);
  }
  return {
    ...(s.sid ? { sid: s.sid } : {}),
    effect: s.effect ?? "Allow",
    actions: list(s.actions),
    notActions: list(s.not_actions),
    resources: list(s.resources),
    notResources: list(s.not_resources),
    ...(principals ? { principals } : {}),
    conditions,
  };
}

/**
 * The statements of a policy argument: a JSON document (interpolations inside its strings are
 * fine), or a reference to an `aws_iam_policy_document` data source. Anything else (e.g. a
 * `jsonencode(...)` expression) cannot be audited and throws.
 */
export function policyStatements(model: TfModel, from: Block, value: unknown): Statement[] {
  if (typeof value !== "string") throw new Error(`${from.address}: policy is not a string`);
  const docRef = /^\$\{data\.aws_iam_policy_document\.([A-Za-z0-9_-]+)\.(json|minified_json)\}$/.exec(value);
  if (docRef) {
    const doc = model.resolve(from, { kind: "data", type: "aws_iam_policy_document", name: docRef[1]! });
    if (!doc) throw new Error(`${from.address}: policy document ${docRef[1]} not found`);
    return many(doc.body.statement).map(fromDocumentStatement);
  }
  let parsed: TfJson;
  try {
    parsed = JSON.parse(value) as TfJson;
  } catch {
    throw new Error(`${from.address}: policy is neither a JSON document nor an aws_iam_policy_document (cannot audit): ${value.slice(0, 80)}`);
  }
  return many(parsed.Statement).map(fromJsonStatement);
}

/** A policy that grants an identity (role) permissions, with where it came from. */
export interface IdentityPolicy {
  block: Block;
  statements: Statement[];
}

/** Inline and customer-managed identity policies: aws_iam_role_policy, aws_iam_policy, aws_iam_role.inline_policy. */
export function identityPolicies(model: TfModel): IdentityPolicy[] {
  const out: IdentityPolicy[] = [];
  for (const type of ["aws_iam_role_policy", "aws_iam_policy", "aws_iam_user_policy", "aws_iam_group_policy"]) {
    for (const b of model.resources(type)) out.push({ block: b, statements: policyStatements(model, b, b.body.policy) });
  }
  for (const role of model.resources("aws_iam_role")) {
    for (const p of many(role.body.inline_policy)) {
      if (p.policy) out.push({ block: role, statements: policyStatements(model, role, p.policy) });
    }
  }
  return out;
}

/** Managed policy ARNs attached to roles, with the attaching block. */
export function managedPolicyArns(model: TfModel): { block: Block; arn: string }[] {
  const out: { block: Block; arn: string }[] = [];
  for (const b of model.resources("aws_iam_role_policy_attachment")) out.push({ block: b, arn: String(b.body.policy_arn) });
  for (const b of model.resources("aws_iam_policy_attachment")) out.push({ block: b, arn: String(b.body.policy_arn) });
  for (const role of model.resources("aws_iam_role")) for (const arn of list(role.body.managed_policy_arns)) out.push({ block: role, arn });
  return out;
}

/** Whether an IAM action pattern (`s3:*`, `dynamodb:Get*`) covers `action`. */
export function actionMatches(pattern: string, action: string): boolean {
  const re = new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`, "i");
  return re.test(action);
}
