/**
 * `npm run destroy`: downstream stacks first, the registry last. Refuses while the table is
 * protected or holds data (unless --force), empties the versioned buckets and the repository first
 * so terraform does not stop half-way on "bucket not empty" / "repository contains images".
 */
import { rmSync } from "node:fs";
import { disableDeletionProtection, emptyBucket, emptyRepository, tableHasItems } from "./aws.js";
import { checkPrerequisites } from "./prerequisites.js";
import { PROJECT_PATHS } from "./project.js";
import { recordPath } from "./record.js";
import { recordedImage } from "./recorded-image.js";
import { afterInterrupt, diagnosis, outputs, type SessionOptions, synth, withSession } from "./session.js";
import { dropRecords, openState } from "./shared-state.js";
import { lockStage } from "./stage-lock.js";
import { checkStageRegion, forgetStageTarget } from "./stage-region.js";
import { stackStates } from "./state-migration.js";

export interface DestroyOptions extends Omit<SessionOptions, "dryRun"> {
  /** Destroy even a protected or non-empty table (its data is lost). @default false */
  force?: boolean;
}

const BUCKET_OUTPUTS = ["frontend_bucket_name", "access_log_bucket_name"] as const;

/** Returns the stacks destroyed, downstream first. */
export async function runDestroy(options: DestroyOptions): Promise<string[]> {
  return withSession("Destroy", options, async (session) => {
    const { project, runner, stage, prompter } = session;
    const { config, ids } = stage;
    const region = config.aws_region;
    const deployDir = project.path(PROJECT_PATHS.deployDir);
    checkStageRegion(runner, deployDir, config.stage, region, "destroy");
    const pre = await checkPrerequisites(runner, stage, stage.env, { container: false, cwd: project.root, outDir: project.outDir });
    const state = await openState(session, pre.account, "destroy");
    if (state.kind === "s3" && !state.exists) {
      forgetStageTarget(deployDir, config.stage);
      runner.say(`Nothing to destroy: stage "${config.stage}" has no shared state in this account (no bucket ${state.bucket}).`);
      return [];
    }
    await lockStage(session, state, "destroy", pre.caller);
    checkStageRegion(runner, deployDir, config.stage, region, "destroy");
    // Synthesize against the deployed image so the app stack's image lookup still resolves.
    const image = await recordedImage(session);
    const { order } = await synth(session, image.tag);
    const reverse = [...order].reverse();

    const states = await stackStates(session, pre.terraform, reverse, state, "destroy");
    const live = reverse.filter((id) => states.get(id));
    if (!live.length) {
      forgetStageTarget(deployDir, config.stage); // nothing left anywhere: the stage may go to any region next
      await dropRecords(session, state);
      runner.say(`Nothing to destroy: no stack of stage "${config.stage}" has resources in its state.`);
      return [];
    }
    const stackOutputs = new Map<string, Record<string, unknown>>();
    for (const id of live) stackOutputs.set(id, await outputs(session, pre.terraform, id, {}));

    const table = stackOutputs.get(ids.app)?.table_name as string | undefined;
    if (options.force && config.auth === "cognito" && config.table_deletion_protection) {
      // --force can turn the table's protection off with one call, but not the pool's: Cognito's
      // UpdateUserPool resets every setting the call leaves out
      // (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UpdateUserPool.html),
      // and the destroy would stop half-way at the protected pool.
      runner.refuse(
        "check the user pool's deletion protection",
        'table_deletion_protection is true in the config: the user pool (auth: "cognito") follows it, and --force cannot turn its protection off.',
        "set table_deletion_protection to false and run npm run deploy, then destroy",
      );
    }
    if (table) {
      if (config.table_deletion_protection && !options.force) {
        runner.refuse(
          "check the table's deletion protection",
          `table_deletion_protection is true in the config: the table ${table} and its data are protected.`,
          "set table_deletion_protection to false and run npm run deploy, then destroy; or pass --force to delete the table with its data",
        );
      }
      const hasItems = await runner.act({
        title: `check that table ${table} is empty`,
        action: `AWS DynamoDB Scan (table ${table}, Limit 1)`,
        hint: "check that your credentials may call dynamodb:Scan on the table",
        dryRunValue: false as boolean | undefined,
        run: () => tableHasItems(region, table),
        summary: (has) => (has === undefined ? "no such table" : has ? "holds data" : "empty"),
      });
      if (hasItems && !options.force) {
        runner.refuse(
          "check that the table is empty",
          `the table ${table} holds data.`,
          "back it up first (e.g. aws dynamodb create-backup), or pass --force to delete it with its data",
        );
      }
    }

    const buckets = BUCKET_OUTPUTS.map((k) => stackOutputs.get(ids.app)?.[k]).filter((b): b is string => typeof b === "string");
    const repository = stackOutputs.get(ids.registry)?.repository_name as string | undefined;
    runner.say("");
    runner.say(`This destroys the stacks ${live.join(", ")} of stage "${config.stage}" in account ${pre.account}, ${region}, including:`);
    if (table) runner.say(`  - the table ${table} and every item in it`);
    for (const b of buckets) runner.say(`  - the bucket ${b} with every object version in it`);
    if (repository) runner.say(`  - the repository ${repository} with every image in it`);
    if (!options.yes && !(await prompter.confirm("Destroy all of this?"))) {
      runner.refuse("confirm the destroy", "not confirmed: nothing was destroyed", "re-run and answer y, or pass --yes");
    }

    if (table && options.force && config.table_deletion_protection) {
      await runner.act({
        title: `turn off deletion protection of ${table} (--force)`,
        action: `AWS DynamoDB UpdateTable (table ${table}, DeletionProtectionEnabled false)`,
        hint: "check that your credentials may call dynamodb:UpdateTable",
        dryRunValue: undefined,
        run: () => disableDeletionProtection(region, table),
      });
    }
    for (const id of live) {
      if (id === ids.app) {
        for (const bucket of buckets) {
          await runner.act({
            title: `empty bucket ${bucket} (all versions and delete markers)`,
            action: `AWS S3 ListObjectVersions + DeleteObjects (bucket ${bucket})`,
            hint: "check that your credentials may list and delete object versions in the bucket",
            dryRunValue: 0,
            run: () => emptyBucket(region, bucket),
            summary: (n) => `${n} deleted`,
          });
        }
      }
      if (id === ids.registry && repository) {
        await runner.act({
          title: `delete the images in ${repository}`,
          action: `AWS ECR ListImages + BatchDeleteImage (repository ${repository})`,
          hint: "check that your credentials may call ecr:BatchDeleteImage",
          dryRunValue: 0,
          run: () => emptyRepository(region, repository),
          summary: (n) => `${n} deleted`,
        });
      }
      // With the image gone the app stack's image lookup cannot resolve: destroy from the state alone.
      const noRefresh = id === ids.app && image.status === "gone";
      if (noRefresh)
        runner.say(
          `The deployed image ${image.tag} is gone from ${image.repository}: ${id} is destroyed from its state, without a refresh (-refresh=false).`,
        );
      const destroy = pre.terraform.destroy(id);
      await runner.exec({
        title: `terraform destroy ${id}`,
        command: noRefresh ? { ...destroy, argv: [...destroy.argv, "-refresh=false"] } : destroy,
        diagnose: diagnosis(pre.terraform, id),
        onInterrupt: afterInterrupt(session, pre.terraform, id, destroy),
        hint: `the state keeps what is left; fix the error above and re-run npm run destroy (or ${pre.terraform.binary} -chdir=${pre.terraform.stackDir(id)} destroy)`,
      });
    }
    rmSync(recordPath(deployDir, config.stage), { force: true });
    forgetStageTarget(deployDir, config.stage);
    await dropRecords(session, state);
    runner.say(`Destroyed ${live.join(", ")}.`);
    return live;
  });
}
