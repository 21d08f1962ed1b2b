/**
 * Prerequisite checks: each fails fast with one clear message and what to do, before anything
 * changes. Local tools first (cheap), then AWS (credentials, region, hosted zone).
 */

import { formatCommand, runCommand } from "../lib/process.js";
import { checkTerraformVersion, MIN_VERSION, MIN_VERSION_S3_LOCKFILE, TerraformUnavailable, terraformBinary } from "../lib/terraform.js";
import { callerIdentity, hasPublicHostedZone } from "./aws.js";
import { ContainerTool, chooseContainerTool } from "./container.js";
import type { StageConfig } from "./stage-config.js";
import { describeError, StepProblem, type StepRunner } from "./steps.js";
import { Terraform } from "./terraform.js";

export interface Needs {
  /** Docker or podman (deploy only). */
  container: boolean;
}

export interface Prerequisites {
  terraform: Terraform;
  container?: ContainerTool;
  /** The AWS account id, or "<account>" in dry-run. */
  account: string;
  /** The caller's ARN (who holds the stage lock), or "<caller>" in dry-run. */
  caller: string;
}

export async function checkPrerequisites(
  runner: StepRunner,
  stage: StageConfig,
  env: NodeJS.ProcessEnv,
  needs: Needs & { cwd: string; outDir: string },
): Promise<Prerequisites> {
  const { config } = stage;
  const terraform = new Terraform(terraformBinary(env), needs.outDir);
  const s3State = config.state_backend === "s3";
  const minVersion = s3State ? MIN_VERSION_S3_LOCKFILE : MIN_VERSION;
  const run = (argv: string[]) => runCommand({ argv }, { cwd: needs.cwd, env });

  await runner.act({
    title: `check ${terraform.binary} >= ${minVersion}`,
    action: formatCommand(terraform.version()),
    hint: `install Terraform or OpenTofu ${minVersion} or newer (for OpenTofu: export TERRAFORM_BINARY_NAME=tofu)`,
    dryRunValue: "",
    run: async () => {
      const why = s3State ? "S3 state locking with use_lockfile" : "what the synthesized JSON uses";
      try {
        return await checkTerraformVersion(env, minVersion, why);
      } catch (err) {
        throw err instanceof TerraformUnavailable ? new StepProblem(err.message, err.hint) : err;
      }
    },
    summary: (version) => version,
  });

  let container: ContainerTool | undefined;
  if (needs.container) {
    const choice = chooseContainerTool(env);
    const name = "tool" in choice ? choice.tool : "docker";
    container = new ContainerTool(name);
    const checks = [container.pluginCheck(), container.engineCheck()].filter((c) => c !== undefined);
    await runner.act({
      title: `check ${name}${name === "docker" ? " and buildx" : ""} (engine running)`,
      action: checks.map(formatCommand).join(" && "),
      hint: "install and start Docker (with the buildx plugin) or Podman; DEPLOY_CONTAINER_TOOL=docker|podman picks one",
      dryRunValue: "",
      run: async () => {
        if ("problem" in choice) throw new StepProblem(choice.problem);
        for (const check of checks) {
          const result = await run(check.argv);
          if (result.code === 0) continue;
          const isPlugin = check.argv[1] === "buildx";
          throw new StepProblem(
            isPlugin
              ? "docker buildx is not available (needed for --platform and --provenance=false)"
              : `the ${name} engine does not answer: ${result.output.trim().split("\n").pop()}`,
            isPlugin
              ? "install the docker-buildx plugin (e.g. apt-get install docker-buildx) or use podman (DEPLOY_CONTAINER_TOOL=podman)"
              : `start the ${name} engine (e.g. systemctl start ${name}, or open Docker Desktop) and re-run`,
          );
        }
        return "";
      },
    });
  }

  const identity = await runner.act({
    title: `check AWS credentials and region ${config.aws_region}`,
    action: `AWS STS GetCallerIdentity (region ${config.aws_region}, SDK default credential chain)`,
    hint: "configure credentials: export AWS_PROFILE=<profile> (after aws sso login / aws configure), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; then re-run",
    dryRunValue: { account: "<account>", arn: "<caller>" },
    run: async () => {
      try {
        return await callerIdentity(config.aws_region);
      } catch (err) {
        throw new StepProblem(`no usable AWS credentials for region ${config.aws_region}: ${describeError(err)}`);
      }
    },
    summary: (id) => {
      // The stacks pin their region from the config; an exported AWS_REGION elsewhere is a common surprise.
      const envRegion = env.AWS_REGION || env.AWS_DEFAULT_REGION;
      const note =
        envRegion && envRegion !== config.aws_region ? ` (config aws_region ${config.aws_region} wins over AWS_REGION=${envRegion})` : "";
      return `account ${id.account} as ${id.arn}${note}`;
    },
  });

  if (config.domain) {
    const domain = config.domain;
    await runner.act({
      title: `check the public hosted zone ${domain}`,
      action: `AWS Route53 ListHostedZonesByName (DNSName ${domain})`,
      hint: `create a public hosted zone for ${domain} in account ${identity.account} and point the domain's NS records at it, or remove "domain" from the config`,
      dryRunValue: true,
      run: async () => {
        if (!(await hasPublicHostedZone(domain)))
          throw new StepProblem(`account ${identity.account} has no public Route53 hosted zone named ${domain}`);
        return true;
      },
    });
  }

  return { terraform, container, account: identity.account, caller: identity.arn };
}
