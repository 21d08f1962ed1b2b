/**
 * `npm run deploy`: prerequisites, synth, registry stack, image (build, push under an immutable tag
 * unless ECR already has it), web build, app stack synthesized against that tag, outputs saved.
 * Each stack applies only what its plan changes, so a second run with nothing new changes nothing.
 */
import { checkAccount } from "./account-checks.js";
import { ecrLogin, imageDigest } from "./aws.js";
import { checkPrerequisites } from "./prerequisites.js";
import { PROJECT_PATHS } from "./project.js";
import { imageTag } from "./image-tag.js";
import { writeRecord, type DeploymentRecord } from "./record.js";
import { deployStack, outputs, synth, synthesizedAttribute, withSession, type SessionOptions } from "./session.js";
import type { SmokeOptions } from "./smoke-check.js";
import { runSmokeStep } from "./smoke-step.js";
import { StepProblem } from "./steps.js";

export interface DeployOptions extends SessionOptions {
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
    const pre = await checkPrerequisites(runner, stage, stage.env, { container: true, cwd: project.root, outDir: project.outDir });
    const container = pre.container!;
    await checkAccount(runner, config, pre.account, stage.env);
    const tag = await imageTag(project.root, config.lambda_architecture);

    const { order } = await synth(session);
    const registry = ids.registry;
    await deployStack(session, pre.terraform, registry);

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
    const imageRef = `${repositoryUrl}:${tag}`;

    let digest = await runner.act({
      title: `look up image tag ${tag}`,
      action: `AWS ECR DescribeImages (repository ${repositoryName}, tag ${tag})`,
      hint: "check that your credentials may call ecr:DescribeImages on the repository",
      dryRunValue: undefined as string | undefined,
      run: () => imageDigest(region, repositoryName, tag),
      summary: (d) => (d ? `already pushed (${d})` : "not in the repository yet"),
    });

    const skipNote = "skipped when the tag is already in the repository";
    if (digest) {
      runner.skip("build and push the image", `${tag} is already in ${repositoryName}; tags are immutable`);
    } else {
      await runner.exec({
        title: "build the backend bundle",
        command: { argv: project.commands.buildBackend },
        condition: skipNote,
        hint: "fix the build error above; `npm run build:backend` reproduces it",
      });
      await runner.exec({
        title: `build the image for linux/${config.lambda_architecture === "arm64" ? "arm64" : "amd64"}`,
        command: container.build({
          imageRef,
          architecture: config.lambda_architecture,
          dockerfile: PROJECT_PATHS.dockerfile,
          context: PROJECT_PATHS.backendDir,
        }),
        condition: skipNote,
        hint: `fix the build error above; building for another architecture than this machine's needs QEMU/binfmt (docker run --privileged --rm tonistiigi/binfmt --install all)`,
      });
      const login = await runner.act({
        title: "get an ECR login token",
        action: `AWS ECR GetAuthorizationToken (region ${region})`,
        condition: skipNote,
        hint: "check that your credentials may call ecr:GetAuthorizationToken",
        dryRunValue: { registry: repositoryUrl.split("/")[0]!, password: "<token>" },
        run: () => ecrLogin(region),
      });
      await runner.exec({
        title: `log ${container.name} in to ${login.registry}`,
        command: container.login(login.registry, login.password),
        condition: skipNote,
        hint: `check that ${container.name} can reach ${login.registry}`,
      });
      await runner.exec({
        title: `push ${imageRef}`,
        command: container.push(imageRef),
        condition: skipNote,
        hint: "nothing after the registry stack was changed; check the error above (network, permissions, repository), then re-run npm run deploy",
      });
      digest = await runner.act({
        title: `confirm ${tag} is in the repository`,
        action: `AWS ECR DescribeImages (repository ${repositoryName}, tag ${tag})`,
        condition: skipNote,
        hint: "the push reported success but ECR does not list the tag; re-run npm run deploy",
        dryRunValue: "<digest>",
        run: async () => {
          const found = await imageDigest(region, repositoryName, tag);
          if (!found) throw new StepProblem(`ECR does not list ${repositoryName}:${tag} after the push`);
          return found;
        },
        summary: (d) => d,
      });
    }

    // The app stack uploads web/dist and resolves the image digest at plan time from this tag.
    await runner.exec({
      title: "build the web app",
      command: { argv: project.commands.buildWeb },
      hint: "fix the build error above; `npm run build:web` reproduces it",
    });
    await synth(session, tag);
    const downstream = order.filter((id) => id !== registry);
    for (const id of downstream) await deployStack(session, pre.terraform, id);

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
      image: { tag, digest: digest ?? "<digest>", uri: `${repositoryUrl}@${digest ?? "<digest>"}` },
      web_url: app.web_url as string | undefined,
      api_url: app.api_url as string | undefined,
      stacks,
    };
    const deployDir = project.path(PROJECT_PATHS.deployDir);
    const smoke = () =>
      options.skipSmoke
        ? runner.skip("smoke check the deployed stage", "--skip-smoke")
        : runSmokeStep(runner, config.stage, { apiUrl: record.api_url, webUrl: record.web_url }, options.smoke);
    if (runner.dryRun) {
      runner.say(`Then: write the outputs to ${PROJECT_PATHS.deployDir}/${config.stage}.json and print the web and API URLs.`);
      await smoke();
      return undefined;
    }
    writeRecord(deployDir, record);
    runner.say("");
    runner.say(`Web: ${record.web_url ?? "(no web_url output)"}`);
    runner.say(`API: ${record.api_url ?? "(no api_url output)"}`);
    runner.say(`Image: ${record.image.uri}`);
    runner.say(`Outputs saved to ${PROJECT_PATHS.deployDir}/${config.stage}.json`);
    await smoke();
    runner.say(`Deployed stage "${config.stage}" in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
    return record;
  });
}
