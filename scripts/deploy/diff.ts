/**
 * `npm run diff`: a plan per stack, upstream first. A stack whose upstream has no state yet is not
 * planned (its plan could only fail on the missing repository or image); it says so instead.
 */

import { rmSync } from "node:fs";
import { resolve } from "node:path";
import { upstreamOf } from "./manifest.js";
import { checkPrerequisites } from "./prerequisites.js";
import { PROJECT_PATHS } from "./project.js";
import { recordedImage } from "./recorded-image.js";
import {
  describeReplacement,
  findProtectedDeletions,
  findReplacements,
  NEVER_REPLACE,
  PROTECTED_FROM_DELETION,
} from "./replacement-guard.js";
import { buildWebApp, type Session, type SessionOptions, synth, withSession } from "./session.js";
import { openState } from "./shared-state.js";
import { checkStageRegion } from "./stage-region.js";
import { stackStates } from "./state-migration.js";
import { DIFF_PLAN_FILE, PLAN_HAS_CHANGES, planSummary, type Terraform } from "./terraform.js";

export type DiffOptions = Omit<SessionOptions, "dryRun" | "yes">;

/**
 * `npm run diff -- --exit-code`'s code when a stack differs from the code: its plan has changes, or
 * the image it runs is gone so it cannot be planned (the drift check, docs/github.md). Not 1 (a
 * failed diff) nor 2 (a usage error), so a scheduled job can tell drift from breakage.
 */
export const EXIT_DIFFERS = 3;

/** The stacks whose diff means the deployed stage differs from its code. */
export function differingStacks(result: DiffResult): string[] {
  return Object.entries(result)
    .filter(([, r]) => r === "changes" || r.startsWith("not planned: the deployed image"))
    .map(([id]) => id);
}

/** The exit code of `npm run diff`: 0, or EXIT_DIFFERS with --exit-code when a stack differs. */
export function diffExitCode(result: DiffResult, exitCode: boolean): number {
  return exitCode && differingStacks(result).length > 0 ? EXIT_DIFFERS : 0;
}

export const DIFF_USAGE = `Usage: npm run diff -- [--stage <name>] [--exit-code]

  --stage <name>  plan this stage (overrides the config's "stage")
  --exit-code     exit ${EXIT_DIFFERS} when a stack differs from the code (its plan has changes, or the image
                  it runs is gone), 0 when none does; 1 is a failed diff (the drift check, docs/github.md)
Plans every stack upstream first; a stack whose upstream is not deployed yet is reported, not planned.
APP_IMAGE_TAG=<tag> plans the app stack against that image (default: the last deployed one).`;

export const DIFF_FLAGS = { stage: { type: "string" }, "exit-code": { type: "boolean" } } as const;

/** Per stack: "changes", "no changes" or why it was not planned. */
export type DiffResult = Record<string, string>;

/**
 * Warns about every resource the saved diff plan would replace (delete + create: its data and its
 * id go, and anything pointing at it changes too), and says which ones `npm run deploy` refuses.
 */
async function warnReplacements(session: Session, tf: Terraform, id: string): Promise<void> {
  const { runner } = session;
  const shown = await runner.exec({
    title: `list what the plan of ${id} replaces`,
    command: tf.showPlan(id, DIFF_PLAN_FILE),
    hint: `${tf.binary} -chdir=${tf.stackDir(id)} show -json ${DIFF_PLAN_FILE} reproduces it`,
  });
  if (runner.dryRun) return;
  const replaced = findReplacements(shown.stdout, "all");
  for (const r of replaced) {
    const refused = NEVER_REPLACE[r.type];
    runner.say(
      `⚠ ${id}: the plan REPLACES ${describeReplacement(r)}: delete + create, not an update` +
        (refused ? `. npm run deploy refuses this (${refused.what}): ${refused.instead}` : ""),
    );
  }
  for (const d of findProtectedDeletions(shown.stdout)) {
    const guard = PROTECTED_FROM_DELETION[d.type]!;
    runner.say(
      `⚠ ${id}: the plan DELETES ${guard.what}${d.name ? ` ${d.name}` : ""} (${d.address}), whose deletion protection is on. npm run deploy refuses this: ${guard.instead}`,
    );
  }
}

export async function runDiff(options: DiffOptions): Promise<DiffResult> {
  return withSession("Diff", options, async (session) => {
    const { project, runner, stage } = session;
    checkStageRegion(runner, project.path(PROJECT_PATHS.deployDir), stage.config.stage, stage.config.aws_region, "diff");
    const pre = await checkPrerequisites(runner, stage, stage.env, { container: false, cwd: project.root, outDir: project.outDir });
    const state = await openState(session, pre.account, "diff");
    if (state.kind === "s3" && !state.exists) {
      runner.say(
        `Nothing to compare: stage "${stage.config.stage}" has never been deployed with shared state in this account (no bucket ${state.bucket}).`,
      );
      return Object.fromEntries(Object.values(stage.ids).map((id) => [id, "not deployed"]));
    }
    checkStageRegion(runner, project.path(PROJECT_PATHS.deployDir), stage.config.stage, stage.config.aws_region, "diff");
    // The image the app stack is planned against: an explicit APP_IMAGE_TAG, else the last deployed one.
    const image = await recordedImage(session);
    const tag = image.tag;
    if (image.status === "gone") {
      runner.say(
        `Image: ${image.tag} (the last deploy's) is gone from ${image.repository}, digest ${image.digest} with it. ` +
          "The app stack is not planned: a plan against another image would show an image change the config did not make.",
      );
    } else {
      runner.say(
        tag
          ? `Image: ${tag} (${image.source})`
          : "Image: the repository's most recent (no deploy recorded in .deploy/ and no APP_IMAGE_TAG)",
      );
    }
    // What a deploy would upload: without a build, the plan would delete every web file (and the
    // nightly drift check would fail on that every night).
    await buildWebApp(session);
    const { stacks, order } = await synth(session, tag);

    const deployed = await stackStates(session, pre.terraform, order, state, "diff");
    const result: DiffResult = {};
    for (const id of order) {
      if (id === stage.ids.app && image.status === "gone") {
        result[id] = `not planned: the deployed image ${image.tag} is gone from the repository`;
        runner.say(
          `- ${id}: not planned: the image it runs (${image.tag}) is no longer in ${image.repository}. ` +
            "`npm run deploy` builds and pushes the current sources and rolls the function onto them; APP_IMAGE_TAG=<tag> npm run diff plans against an image that is there.",
        );
        continue;
      }
      const missing = upstreamOf(stacks, id, stage.ids.registry).filter((up) => !deployed.get(up));
      if (missing.length) {
        result[id] = `not planned: upstream ${missing.join(", ")} not deployed yet`;
        runner.say(
          `- ${id}: not planned: it needs ${missing.join(", ")} (and its image), which has no state yet. ` +
            "`npm run deploy` deploys the stacks in order.",
        );
        continue;
      }
      const plan = await runner.exec({
        title: `terraform plan ${id}`,
        command: pre.terraform.diff(id),
        okCodes: [0, 2],
        hint:
          (id === stage.ids.registry ? "" : "if the image cannot be found, npm run deploy pushes it first; otherwise ") +
          `fix what the plan reports; reproduce with ${pre.terraform.binary} -chdir=${pre.terraform.stackDir(id)} plan`,
        summary: (r) => planSummary(r.output),
      });
      result[id] = plan.code === PLAN_HAS_CHANGES ? "changes" : "no changes";
      try {
        if (plan.code === PLAN_HAS_CHANGES) {
          runner.say(plan.output.trimEnd().replace(/^/gm, "    "));
          await warnReplacements(session, pre.terraform, id);
        }
      } finally {
        // a diff's plan is for reading: never leave one a hand-run `terraform apply` could carry out
        rmSync(resolve(session.project.root, pre.terraform.stackDir(id), DIFF_PLAN_FILE), { force: true });
      }
    }
    runner.say("");
    for (const id of order) runner.say(`${id}: ${result[id]}`);
    return result;
  });
}
