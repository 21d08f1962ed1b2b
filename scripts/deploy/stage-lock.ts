/**
 * Two deploys (or a deploy and a destroy) of one stage never run at once. Terraform's own lock
 * (use_lockfile: a `<key>.tflock` object per stack) covers one terraform command; a deploy is
 * several (registry, image push and tagging, app), and two interleaved runs could still roll the
 * function back and forth or release each other's image markers. So a run takes one lock for the
 * whole stage first: an object `<project>/<stage>/deploy.lock` in the state bucket, written only if
 * absent (S3 conditional write, If-None-Match: *, which answers 412 when it exists:
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html). The second run
 * stops at once, before changing anything, saying who holds it and since when; the lock is removed
 * when the run ends, however it ends. A run killed outright (kill -9, a lost CI runner) leaves it
 * behind: the message says how to remove it.
 */
import { hostname } from "node:os";
import type { Session } from "./session.js";
import type { StateLocation } from "./shared-state.js";
import { deleteKey, getText, putTextIfAbsent } from "./state-store.js";
import { describeError } from "./steps.js";

export interface StageLockInfo {
  command: string;
  by: string;
  host: string;
  pid: number;
  since: string;
  /** The CI run, when GitHub Actions runs it. */
  ci?: string;
}

export const stageLockKey = (prefix: string) => `${prefix}deploy.lock`;

/** Takes the stage lock (shared state only) and releases it when the session closes; refuses if it is held. */
export async function lockStage(session: Session, state: StateLocation, command: string, caller: string): Promise<void> {
  if (state.kind !== "s3" || !state.exists) return;
  const { runner, project } = session;
  const key = stageLockKey(state.prefix);
  const env = project.env;
  const info: StageLockInfo = {
    command,
    by: caller,
    host: hostname(),
    pid: process.pid,
    since: new Date().toISOString(),
    ci: env.GITHUB_RUN_ID
      ? `${env.GITHUB_SERVER_URL ?? "https://github.com"}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
      : undefined,
  };
  const taken = await runner.act({
    title: `lock stage "${session.stage.config.stage}" for this ${command}`,
    action: `AWS S3 PutObject If-None-Match: * (s3://${state.bucket}/${key})`,
    hint: "check that your credentials may call s3:PutObject on the state bucket",
    dryRunValue: true,
    run: () => putTextIfAbsent(state.region, state.bucket, key, `${JSON.stringify(info, null, 2)}\n`),
    summary: (ok) => (ok ? "locked" : "held by another run"),
  });
  if (!taken) {
    let holder: Partial<StageLockInfo> = {};
    try {
      holder = JSON.parse((await getText(state.region, state.bucket, key)) ?? "{}") as Partial<StageLockInfo>;
    } catch {
      // an unreadable lock still is a lock
    }
    const who = [
      holder.command && `npm run ${holder.command}`,
      holder.by && `by ${holder.by}`,
      holder.host && `on ${holder.host}${holder.pid ? ` (pid ${holder.pid})` : ""}`,
      holder.since && `since ${holder.since}`,
      holder.ci && `in ${holder.ci}`,
    ]
      .filter(Boolean)
      .join(" ");
    runner.refuse(
      "lock the stage",
      `stage "${session.stage.config.stage}" is locked by another run: ${who || "(no details)"}.\n` +
        `Lock: s3://${state.bucket}/${key}. Two deploys of one stage never run at once. Nothing was changed.`,
      `wait for that run to finish, then re-run. If no run is going on (it was killed), remove the lock: ` +
        `aws s3api delete-object --bucket ${state.bucket} --key ${key}`,
    );
  }
  if (runner.dryRun) return;
  session.onClose(async () => {
    try {
      await deleteKey(state.region, state.bucket, key);
    } catch (err) {
      runner.say(
        `! could not remove the stage lock s3://${state.bucket}/${key} (${describeError(err)}); ` +
          `remove it before the next run: aws s3api delete-object --bucket ${state.bucket} --key ${key}`,
      );
    }
  });
}
