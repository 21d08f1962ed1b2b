/**
 * Refuses a plan that would replace the ECR repository, before it is applied. ECR deletes only an
 * empty repository unless forced (https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_DeleteRepository.html),
 * and ours holds the image the function runs, so a replacement (a new name through `lambda_name`,
 * or an encryption change: both force a new repository) stops half-way with RepositoryNotEmptyException,
 * and every later deploy stops there too. The saved plan says what apply would do:
 * `terraform show -json tfplan` lists each resource change with its actions, and a replacement is
 * ["delete","create"] or ["create","delete"] (https://developer.hashicorp.com/terraform/internals/json-format).
 */

import type { Session } from "./session.js";
import { PLAN_FILE, type Terraform } from "./terraform.js";

/** Resource types a deploy must never replace, with what to do instead. */
export const NEVER_REPLACE: Record<string, { what: string; instead: string }> = {
  aws_ecr_repository: {
    what: "the ECR repository",
    instead:
      "keep the repository's settings as deployed (lambda_name names it). To really move to a new repository: " +
      "npm run destroy with the config the stage was deployed with, then npm run deploy with the new one; or deploy the new settings as another stage (--stage <name>)",
  },
};

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

/** The replacements of NEVER_REPLACE types in a `terraform show -json <planfile>` document. */
export function findReplacements(planJson: string, types: string[] = Object.keys(NEVER_REPLACE)): Replacement[] {
  const plan = JSON.parse(planJson) as PlanJson;
  return (plan.resource_changes ?? [])
    .filter((rc) => types.includes(rc.type))
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

/** Reads the saved plan of `stackId` and refuses, before apply, when it replaces a NEVER_REPLACE resource. */
export async function refuseReplacements(session: Session, tf: Terraform, stackId: string): Promise<void> {
  const { runner } = session;
  const shown = await runner.exec({
    title: `check that the plan of ${stackId} replaces no ECR repository`,
    command: { argv: [tf.binary, `-chdir=${tf.stackDir(stackId)}`, "show", "-json", "-no-color", PLAN_FILE] },
    hint: `${tf.binary} -chdir=${tf.stackDir(stackId)} show -json ${PLAN_FILE} reproduces it`,
  });
  if (runner.dryRun) return;
  let found: Replacement[];
  try {
    found = findReplacements(shown.stdout);
  } catch (err) {
    return runner.refuse(
      `read the plan of ${stackId}`,
      `terraform show -json did not print a plan: ${(err as Error).message}`,
      "re-run; nothing was applied",
    );
  }
  if (!found.length) return;
  const lines = found.map((r) => {
    const rename = r.before && r.after && r.before !== r.after ? ` ${r.before} -> ${r.after}` : r.before ? ` ${r.before}` : "";
    const why = r.because.length ? ` (forced by a change of ${r.because.join(", ")})` : "";
    return `the plan replaces ${NEVER_REPLACE[r.type]!.what}${rename}: ${r.address}${why}.`;
  });
  runner.refuse(
    `check that the plan of ${stackId} replaces no ECR repository`,
    `${lines.join("\n")}\nECR refuses to delete a repository that holds images (RepositoryNotEmptyException), and this one holds the image the function runs: ` +
      "the apply would stop half-way and every later deploy with it. Nothing was applied.",
    NEVER_REPLACE[found[0]!.type]!.instead,
  );
}
