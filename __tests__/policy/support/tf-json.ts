/**
 * IAM and resource policy documents in synthesized Terraform JSON, whether they are JSON strings
 * or `aws_iam_policy_document` data sources, over the shared model (scripts/lib/tf-model.ts).
 */
import { type TfBlock as Block, many, type TfJson, type TfModel } from "../../../scripts/lib/tf-model.js";

export {
  isExpression,
  many,
  one,
  refersTo,
  refsIn,
  type TfBlock as Block,
  TfModel,
  type TfRef as Ref,
} from "../../../scripts/lib/tf-model.js";

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
    const doc = model.resolve(from, { mode: "data", type: "aws_iam_policy_document", name: docRef[1]! });
    if (!doc) throw new Error(`${from.address}: policy document ${docRef[1]} not found`);
    return many(doc.body.statement).map(fromDocumentStatement);
  }
  let parsed: TfJson;
  try {
    parsed = JSON.parse(value) as TfJson;
  } catch {
    throw new Error(
      `${from.address}: policy is neither a JSON document nor an aws_iam_policy_document (cannot audit): ${value.slice(0, 80)}`,
    );
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
  const re = new RegExp(
    `^${pattern
      .split("*")
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*")}$`,
    "i",
  );
  return re.test(action);
}
