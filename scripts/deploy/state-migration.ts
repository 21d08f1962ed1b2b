/**
 * Reads which stacks of the stage have state, moving a stack's local state into the shared bucket
 * on the way (deploy only). A stage deployed before shared state, or with state_backend "local",
 * has `.state/<id>.tfstate`; with the S3 backend its stack directory now points at the bucket, so
 * the local file is pushed there (`terraform state push` into the still-empty remote state) and
 * then kept as `.state/<id>.tfstate.moved-<time>`, never deleted. If the bucket already holds state
 * for that stack, nothing is pushed: two states for one stack need a person to choose.
 *
 * The same for state under the key layout before stages were part of it (`<project>/<id>.tfstate`,
 * what `bootstrap-state` with `state_bucket` used to set up): pushed to `<project>/<stage>/<id>.tfstate`,
 * the old object left where it is.
 */
import { existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { hasState, init, type Session } from "./session.js";
import { localStateFile, type SharedState, type StateLocation } from "./shared-state.js";
import { getText } from "./state-store.js";
import type { Terraform } from "./terraform.js";

/** Per stack (in the order given): whether its state holds resources. */
export async function stackStates(
  session: Session,
  tf: Terraform,
  ids: string[],
  state: StateLocation,
  purpose: "deploy" | "diff" | "destroy",
): Promise<Map<string, boolean>> {
  const { runner, project } = session;
  const states = new Map<string, boolean>();
  for (const id of ids) {
    await init(session, tf, id);
    let has = await hasState(session, tf, id);
    const local = localStateFile(session, id);
    if (state.kind === "s3" && existsSync(local)) {
      const shown = relative(project.root, local);
      const where = `s3://${state.bucket}/${state.prefix}${id}.tfstate`;
      if (has) {
        runner.refuse(
          `move the local state of ${id}`,
          `${id} has state both in ${shown} (from before shared state, or from state_backend "local") and in ${where}. ` +
            "Nothing was changed: only a person can tell which one is current.",
          `if the bucket's is current (a teammate or CI deployed since), rename ${shown} (e.g. to ${shown}.old) and re-run. ` +
            `If the local one is current: ${tf.binary} -chdir=${tf.stackDir(id)} state push -force ${local}, then move ${shown} aside`,
        );
      }
      if (purpose !== "deploy") {
        runner.refuse(
          `read the state of ${id}`,
          `${id} has local state in ${shown} but none in ${where}: this stage was deployed with local state. Nothing was changed.`,
          `run npm run deploy once: it moves the local state into the bucket (keeping a copy). Or set "state_backend": "local" in the config to keep using the local file`,
        );
      }
      const moved = `${local}.moved-${new Date().toISOString().replace(/[:.]/g, "-")}`;
      runner.say(`Moving the local state of ${id} (${shown}) into ${where}.`);
      await runner.exec({
        title: `push the local state of ${id} into the state bucket`,
        command: tf.statePush(id, local),
        hint: `nothing was deleted: ${shown} is still there. Check access to the bucket, then re-run npm run deploy (or run the command above by hand)`,
      });
      if (!runner.dryRun) {
        renameSync(local, moved);
        runner.say(`  kept the local file as ${relative(project.root, moved)} (delete it once you no longer need it)`);
        has = await hasState(session, tf, id);
      }
    }
    // Only a named state_bucket can hold the old layout: the derived bucket came after it.
    if (!has && state.kind === "s3" && state.exists && purpose === "deploy" && session.stage.config.state_bucket)
      has = await moveLegacyKey(session, tf, id, state);
    states.set(id, has);
  }
  return states;
}

/** The key a stack's state had before the stage was part of it. */
export const legacyStateKey = (project: string, stackId: string) => `${project}/${stackId}.tfstate`;

/** Moves state found under the old key layout into the stage's key (state push); returns whether it did. */
async function moveLegacyKey(session: Session, tf: Terraform, id: string, state: SharedState): Promise<boolean> {
  const { runner, stage } = session;
  const oldKey = legacyStateKey(stage.config.project_name, id);
  const text = await runner.act({
    title: `look for ${id}'s state under the earlier key ${oldKey}`,
    action: `AWS S3 GetObject (s3://${state.bucket}/${oldKey})`,
    hint: "check that your credentials may call s3:GetObject on the state bucket",
    dryRunValue: undefined as string | undefined,
    run: () => getText(state.region, state.bucket, oldKey),
    summary: (t) => (t === undefined ? "none" : "found"),
  });
  if (text === undefined) return false;
  const dir = mkdtempSync(join(tmpdir(), "legacy-state-"));
  const file = join(dir, `${id}.tfstate`);
  writeFileSync(file, text);
  runner.say(`Moving the state of ${id} from s3://${state.bucket}/${oldKey} to ${state.prefix}${id}.tfstate (the old object stays).`);
  try {
    await runner.exec({
      title: `push ${id}'s state into its key with the stage`,
      command: tf.statePush(id, file),
      hint: `nothing was deleted: s3://${state.bucket}/${oldKey} is still there. Check access to the bucket, then re-run npm run deploy`,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return hasState(session, tf, id);
}
