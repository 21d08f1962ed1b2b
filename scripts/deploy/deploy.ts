/**
 * `npm run deploy`: prerequisites, the shared state (bucket created or reused, stage locked, records
 * read back; docs/team.md), synth, which stacks have state (local state moved into the bucket; a
 * stack with no state whose resources exist is refused), registry stack (refused if its plan would replace the
 * repository), image (found by its content tag or built and pushed, then checked to be a manifest
 * Lambda runs), web build, app stack synthesized against that tag with the image protected from the
 * lifecycle policy first, outputs saved. Each stack applies only what its plan changes, so a second
 * run with nothing new changes nothing.
 */
import { checkAccount } from "./account-checks.js";
import { protectImage, releaseEarlierImages } from "./deployed-marker.js";
import { provideImage, type Repository } from "./image.js";
import { ImageInputMissing, imageTag } from "./image-tag.js";
import { checkPrerequisites } from "./prerequisites.js";
import { PROJECT_PATHS } from "./project.js";
import { type DeploymentRecord, writeRecord } from "./record.js";
import { refuseReplacements } from "./replacement-guard.js";
import { buildWebApp, deployStack, outputs, type SessionOptions, synth, synthesizedAttribute, withSession } from "./session.js";
import { openState, pushRecords } from "./shared-state.js";
import type { SmokeOptions } from "./smoke-check.js";
import { runSmokeStep } from "./smoke-step.js";
import { sourceCommit } from "./source-commit.js";
import { lockStage } from "./stage-lock.js";
import { checkStageRegion, recordStageTarget } from "./stage-region.js";
import { stackStates } from "./state-migration.js";
import { appendStepSummary } from "./step-summary.js";
import { refuseUnmanagedResources } from "./unmanaged-resources.js";

export interface DeployOptions extends SessionOptions {
  /** Build and push the image again even when its tag is in the repository (replaces a bad image). @default false */
  rebuild?: boolean;
  /** Skip the post-deploy smoke check. @default false */
  skipSmoke?: boolean;
  /** Deadline and pacing of the smoke check. @default smokeCheck()'s */
  smoke?: SmokeOptions;
}

export async function runDeploy(options: DeployOptions): Promise<DeploymentRecord | undefined> {
  return withSession("Deploy", options, async (session) => {
    const started = performance.now();
    const { project, runner, stage } = session;
    const { config, ids } = stage;
    const region = config.aws_region;
    const deployDir = project.path(PROJECT_PATHS.deployDir);
    checkStageRegion(runner, deployDir, config.stage, region, "deploy"); // this machine's records: before any AWS call
    const pre = await checkPrerequisites(runner, stage, stage.env, { container: true, cwd: project.root, outDir: project.outDir });
    const container = pre.container!;
    await checkAccount(runner, config, pre.account, stage.env);
    let tag: string;
    try {
      tag = imageTag(project.root, config.lambda_architecture);
    } catch (err) {
      if (!(err instanceof ImageInputMissing)) throw err;
      return runner.refuse("derive the image tag", err.message, "restore the file, or update IMAGE_INPUTS if the build moved it");
    }

    // Shared state: the bucket (created on first use), the stage lock, and the records other checkouts left.
    const state = await openState(session, pre.account, "deploy");
    await lockStage(session, state, "deploy", pre.caller);
    checkStageRegion(runner, deployDir, config.stage, region, "deploy"); // again, with the records from the bucket

    const { order } = await synth(session);
    const registry = ids.registry;
    const states = await stackStates(session, pre.terraform, order, state, "deploy");
    await refuseUnmanagedResources(
      session,
      order.filter((id) => !states.get(id)),
      state,
      pre.account,
    );
    if (!runner.dryRun) {
      recordStageTarget(deployDir, { stage: config.stage, region, account: pre.account, since: new Date().toISOString() });
      await pushRecords(session, state, "target");
    }
    await deployStack(session, pre.terraform, registry, {
      initialized: true,
      beforeApply: () => refuseReplacements(session, pre.terraform, registry),
    });

    const repoName = synthesizedAttribute(session, registry, "aws_ecr_repository", "name") ?? "<repository_name>";
    const registryOutputs = await outputs(session, pre.terraform, registry, {
      repository_url: `${pre.account}.dkr.ecr.${region}.amazonaws.com/${repoName}`,
      repository_name: repoName,
    });
    const repositoryUrl = String(registryOutputs.repository_url ?? "");
    const repositoryName = String(registryOutputs.repository_name ?? "");
    if (!repositoryUrl || !repositoryName) {
      runner.refuse(
        `read the outputs of ${registry}`,
        `the ${registry} stack has no repository_url/repository_name outputs`,
        "check the registry stack's outputs (terraform output -json in its stack directory)",
      );
    }
    const repo: Repository = { region, url: repositoryUrl, name: repositoryName };
    const image = await provideImage(session, container, repo, tag, { rebuild: options.rebuild });

    // The app stack uploads web/dist and resolves the image digest at plan time from this tag.
    await buildWebApp(session);
    await synth(session, image.tag);
    const downstream = order.filter((id) => id !== registry);
    // Marked before the function may start running it, released from earlier images only after.
    await protectImage(session, repo, image);
    for (const id of downstream)
      await deployStack(session, pre.terraform, id, {
        initialized: true,
        beforeApply: () => refuseReplacements(session, pre.terraform, id),
      });
    await releaseEarlierImages(session, repo, image);

    const stacks: Record<string, Record<string, unknown>> = { [registry]: registryOutputs };
    for (const id of downstream) {
      stacks[id] = await outputs(session, pre.terraform, id, { web_url: "<web_url>", api_url: "<api_url>" });
    }
    const app = stacks[ids.app] ?? {};
    const record: DeploymentRecord = {
      stage: config.stage,
      region,
      account: pre.account,
      deployedAt: new Date().toISOString(),
      commit: runner.dryRun ? undefined : await sourceCommit(project.root),
      image: { tag: image.tag, digest: image.digest, uri: `${repositoryUrl}@${image.digest}` },
      web_url: app.web_url as string | undefined,
      api_url: app.api_url as string | undefined,
      stacks,
    };
    const smoke = () =>
      options.skipSmoke
        ? runner.skip("smoke check the deployed stage", "--skip-smoke")
        : runSmokeStep(
            runner,
            config.stage,
            { apiUrl: record.api_url, webUrl: record.web_url, signIn: config.auth === "cognito" },
            options.smoke,
          );
    if (runner.dryRun) {
      runner.say(`Then: write the outputs to ${PROJECT_PATHS.deployDir}/${config.stage}.json and print the web and API URLs.`);
      await smoke();
      return undefined;
    }
    writeRecord(deployDir, record);
    await pushRecords(session, state, "all");
    runner.say("");
    runner.say(`Web: ${record.web_url ?? "(no web_url output)"}`);
    runner.say(`API: ${record.api_url ?? "(no api_url output)"}`);
    runner.say(`Image: ${record.image.uri}`);
    runner.say(`Outputs saved to ${PROJECT_PATHS.deployDir}/${config.stage}.json`);
    if (appendStepSummary(stage.env, record)) runner.say("URLs added to the job summary (GITHUB_STEP_SUMMARY)");
    await smoke();
    runner.say(`Deployed stage "${config.stage}" in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
    return record;
  });
}
