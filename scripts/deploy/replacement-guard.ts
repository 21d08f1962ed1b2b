/**
 * Refuses a plan that would replace a resource holding data, before it is applied:
 * - the ECR repository: ECR deletes only an empty repository unless forced
 *   (https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_DeleteRepository.html), and ours
 *   holds the image the function runs, so a replacement (a new name through `lambda_name`, or an
 *   encryption change: both force a new repository) stops half-way with RepositoryNotEmptyException,
 *   and every later deploy stops there too;
 * - the DynamoDB table: a new name or key schema forces a new table (the provider marks `name`,
 *   `hash_key` and `range_key` ForceNew), and deleting the old one deletes every item in it; with
 *   deletion protection on (the default) DeleteTable is refused and the apply stops half-way
 *   (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteTable.html,
 *   https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/dynamodb_table).
 * - a Cognito user pool with deletion protection ACTIVE (`auth` switched from "cognito" to "none",
 *   or a pool replaced): Cognito refuses DeleteUserPool while it is on
 *   (https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-deletion-protection.html),
 *   so the apply would stop half-way, after the routes lost their authorizer, and every later
 *   deploy would stop there too.
 * The saved plan says what apply would do: `terraform show -json tfplan` lists each resource change
 * with its actions, and a replacement is ["delete","create"] or ["create","delete"]
 * (https://developer.hashicorp.com/terraform/internals/json-format).
 */

import type { Session } from "./session.js";
import { PLAN_FILE, type Terraform } from "./terraform.js";

/** Resource types a deploy must never replace: what they are, why it fails, what to do instead. */
export const NEVER_REPLACE: Record<string, { what: string; why: string; instead: string }> = {
  aws_ecr_repository: {
    what: "the ECR repository",
    why:
      "ECR refuses to delete a repository that holds images (RepositoryNotEmptyException), and this one holds the image the function runs: " +
      "the apply would stop half-way and every later deploy with it.",
    instead:
      "keep the repository's settings as deployed (lambda_name names it). To really move to a new repository: " +
      "npm run destroy with the config the stage was deployed with, then npm run deploy with the new one; or deploy the new settings as another stage (--stage <name>)",
  },
  aws_dynamodb_table: {
    what: "the DynamoDB table",
    why:
      "Replacing a table deletes it with every item in it; with table_deletion_protection on (the default) DynamoDB refuses the delete " +
      "and the apply stops half-way, with the new settings neither applied nor undone.",
    instead:
      "keep table_name and table_hash_key as deployed. To really move to a new table: deploy the new settings as another stage " +
      "(--stage <name>) and copy the items over (e.g. export to S3 and import), then destroy the old stage",
  },
};

/**
 * Resource types whose deletion (alone or in a replacement) their own deletion protection refuses
 * half-way through an apply, with how to tell from the plan's `before` that it is on.
 */
export const PROTECTED_FROM_DELETION: Record<
  string,
  { what: string; isProtected: (before: Record<string, unknown>) => boolean; why: string; instead: string }
> = {
  aws_cognito_user_pool: {
    what: "the Cognito user pool",
    isProtected: (before) => before.deletion_protection === "ACTIVE",
    why:
      "Deleting the pool deletes every user in it, and its deletion protection is on: Cognito refuses the delete, so the apply would stop " +
      "half-way (the routes already without their authorizer, the pool still there) and every later deploy with it.",
    instead:
      'keep auth: "cognito" as deployed. To really remove sign-in and its users: deploy once with table_deletion_protection: false ' +
      "(it turns the pool's protection off too), then deploy the change, then turn table_deletion_protection back on",
  },
};

/** " old -> new" for a renamed resource, " name" otherwise, "" when the plan names none. */
const renaming = (r: Replacement) =>
  r.before && r.after && r.before !== r.after ? ` ${r.before} -> ${r.after}` : r.before ? ` ${r.before}` : "";
/** " (forced by a change of x, y)" from the plan's replace_paths, or "". */
const forcedBy = (r: Replacement) => (r.because.length ? ` (forced by a change of ${r.because.join(", ")})` : "");

/** A replacement of any resource, as `npm run diff` warns about it. */
export function describeReplacement(r: Replacement): string {
  return `${r.address}${renaming(r)}${forcedBy(r)}`;
}

export interface Replacement {
  address: string;
  type: string;
  /** The attributes that force the replacement (the plan's replace_paths), e.g. ["name"]. */
  because: string[];
  before?: string;
  after?: string;
}

interface PlanJson {
  resource_changes?: {
    address: string;
    type: string;
    change?: {
      actions?: string[];
      before?: Record<string, unknown> | null;
      after?: Record<string, unknown> | null;
      replace_paths?: unknown[][];
    };
  }[];
}

/**
 * The replacements in a `terraform show -json <planfile>` document: of NEVER_REPLACE types, or of
 * every type with `types: "all"`.
 */
export function findReplacements(planJson: string, types: string[] | "all" = Object.keys(NEVER_REPLACE)): Replacement[] {
  const plan = JSON.parse(planJson) as PlanJson;
  return (plan.resource_changes ?? [])
    .filter((rc) => types === "all" || types.includes(rc.type))
    .filter((rc) => {
      const actions = rc.change?.actions ?? [];
      return actions.includes("delete") && actions.includes("create");
    })
    .map((rc) => ({
      address: rc.address,
      type: rc.type,
      because: (rc.change?.replace_paths ?? []).map((path) => path.map(String).join(".")),
      before: typeof rc.change?.before?.name === "string" ? rc.change.before.name : undefined,
      after: typeof rc.change?.after?.name === "string" ? rc.change.after.name : undefined,
    }));
}

/** Deletions (alone or in a replacement) of PROTECTED_FROM_DELETION resources whose protection is on, in a `terraform show -json` document. */
export function findProtectedDeletions(planJson: string): { address: string; type: string; name?: string }[] {
  const plan = JSON.parse(planJson) as PlanJson;
  return (plan.resource_changes ?? [])
    .filter((rc) => {
      const guard = PROTECTED_FROM_DELETION[rc.type];
      const before = rc.change?.before;
      return guard && before && (rc.change?.actions ?? []).includes("delete") && guard.isProtected(before);
    })
    .map((rc) => ({
      address: rc.address,
      type: rc.type,
      name: typeof rc.change?.before?.name === "string" ? rc.change.before.name : undefined,
    }));
}

/**
 * Reads the saved plan of `stackId` and refuses, before apply, when it replaces a NEVER_REPLACE
 * resource or deletes a PROTECTED_FROM_DELETION one whose protection is on.
 */
export async function refuseReplacements(session: Session, tf: Terraform, stackId: string): Promise<void> {
  const { runner } = session;
  const title = `check that the plan of ${stackId} replaces no ECR repository or DynamoDB table and deletes nothing protected`;
  const shown = await runner.exec({
    title,
    command: { argv: [tf.binary, `-chdir=${tf.stackDir(stackId)}`, "show", "-json", "-no-color", PLAN_FILE] },
    hint: `${tf.binary} -chdir=${tf.stackDir(stackId)} show -json ${PLAN_FILE} reproduces it`,
  });
  if (runner.dryRun) return;
  let found: Replacement[];
  let deletions: ReturnType<typeof findProtectedDeletions>;
  try {
    found = findReplacements(shown.stdout);
    deletions = findProtectedDeletions(shown.stdout);
  } catch (err) {
    return runner.refuse(
      `read the plan of ${stackId}`,
      `terraform show -json did not print a plan: ${(err as Error).message}`,
      "re-run; nothing was applied",
    );
  }
  if (deletions.length) {
    const types = [...new Set(deletions.map((d) => d.type))];
    return runner.refuse(
      title,
      `${deletions.map((d) => `the plan deletes ${PROTECTED_FROM_DELETION[d.type]!.what}${d.name ? ` ${d.name}` : ""}: ${d.address}.`).join("\n")}\n` +
        `${types.map((t) => PROTECTED_FROM_DELETION[t]!.why).join("\n")}\nNothing was applied.`,
      types.map((t) => PROTECTED_FROM_DELETION[t]!.instead).join("; and "),
    );
  }
  if (!found.length) return;
  const lines = found.map((r) => `the plan replaces ${NEVER_REPLACE[r.type]!.what}${renaming(r)}: ${r.address}${forcedBy(r)}.`);
  const types = [...new Set(found.map((r) => r.type))];
  runner.refuse(
    title,
    `${lines.join("\n")}\n${types.map((t) => NEVER_REPLACE[t]!.why).join("\n")}\nNothing was applied.`,
    types.map((t) => NEVER_REPLACE[t]!.instead).join("; and "),
  );
}
