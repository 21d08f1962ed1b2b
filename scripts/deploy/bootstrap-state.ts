/**
 * `npm run bootstrap-state`: the optional remote state. Creates a private, versioned, SSE-S3,
 * TLS-only bucket `<project>-tfstate-<account>-<region>` and records it in the config, after which
 * every stack synthesizes the S3 backend with S3-native locking (use_lockfile).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { ConfigError, parseConfig } from "../../stacks/config.js";
import { callerIdentity, ensureStateBucket } from "./aws.js";
import { type CommonOptions, PROJECT_PATHS, resolveProject } from "./project.js";
import { loadStageConfig } from "./stage-config.js";
import { describeError, StepProblem, StepRunner } from "./steps.js";

export interface BootstrapStateOptions extends CommonOptions {
  /** Region of the state bucket. @default the config's state_region, else aws_region */
  region?: string;
}

export interface BootstrapStateResult {
  bucket: string;
  region: string;
  configFile: string;
}

/** S3 bucket names are at most 63 characters; the account and region make this one unique. */
export function stateBucketName(project: string, account: string, region: string): string {
  return `${project}-tfstate-${account}-${region}`.slice(0, 63).replace(/-+$/, "");
}

export async function runBootstrapState(options: BootstrapStateOptions): Promise<BootstrapStateResult> {
  const project = resolveProject(options);
  const runner = new StepRunner({ out: project.out, dryRun: false, cwd: project.root, env: project.env });
  let stage;
  try {
    stage = loadStageConfig(project.env);
  } catch (err) {
    if (err instanceof ConfigError) runner.refuse("check the config", err.message, "fix the keys listed above, then re-run");
    throw err;
  }
  stage.cleanup();
  const { config } = stage;
  const region = options.region ?? config.state_region ?? config.aws_region;
  if (!parseConfig({ aws_region: region }).ok) {
    runner.refuse(
      "check the region",
      `"${region}" is not an AWS region such as us-east-1`,
      "pass --region <region> or set state_region in the config",
    );
  }
  const configFile = project.env.APP_CONFIG ? resolve(project.env.APP_CONFIG) : project.path("app.config.json");
  const raw = readConfigObject(runner, configFile);

  const identity = await runner.act({
    title: `check AWS credentials (region ${region})`,
    action: "AWS STS GetCallerIdentity",
    hint: "configure credentials: export AWS_PROFILE=<profile> (after aws sso login / aws configure), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
    dryRunValue: { account: "<account>", arn: "" },
    run: async () => {
      try {
        return await callerIdentity(region);
      } catch (err) {
        throw new StepProblem(`no usable AWS credentials: ${describeError(err)}`);
      }
    },
    summary: (id) => `account ${id.account}`,
  });
  const bucket = config.state_bucket ?? stateBucketName(config.project_name, identity.account, region);

  // Validate the updated config before touching AWS, so a bad file stops us with nothing created.
  const updated = { ...raw, state_bucket: bucket, state_region: region };
  const parsed = parseConfig(updated);
  if (!parsed.ok) {
    runner.refuse(
      "check the updated config",
      parsed.problems.map((p) => `${p.key}: ${JSON.stringify(p.value)} ${p.rule}`).join("\n"),
      `fix ${configFile}, then re-run`,
    );
  }

  await runner.act({
    title: `create the state bucket ${bucket}`,
    action: `AWS S3 CreateBucket + PutPublicAccessBlock + PutBucketOwnershipControls + PutBucketEncryption + PutBucketVersioning + PutBucketPolicy (${bucket}, ${region})`,
    hint: "check that your credentials may create and configure S3 buckets; a name taken by another account needs state_bucket set to another name in the config",
    dryRunValue: "created" as const,
    run: () => ensureStateBucket(region, bucket, identity.account),
    summary: (outcome) => (outcome === "existed" ? "already there; settings re-applied" : "created: versioned, SSE-S3, TLS-only, private"),
  });
  writeFileSync(configFile, `${JSON.stringify(updated, null, 2)}\n`);
  runner.say(`Recorded state_bucket=${bucket} and state_region=${region} in ${configFile}.`);
  if (!project.env.APP_CONFIG) {
    runner.say(`Every command reads the config named by APP_CONFIG:  export APP_CONFIG=${configFile}`);
  }

  const localState = listLocalState(project.path(PROJECT_PATHS.stateDir));
  if (localState.length) {
    const tf = project.env.TERRAFORM_BINARY_NAME || "terraform";
    runner.say("");
    runner.say(`Local state exists for ${localState.join(", ")}. Move it into the bucket, per stack, after re-synthesizing:`);
    runner.say(`  APP_CONFIG=${configFile} ./node_modules/.bin/tsx main.ts`);
    for (const id of localState) runner.say(`  ${tf} -chdir=${project.stackDir(id)} init -migrate-state -force-copy`);
    runner.say("(Each stack directory remembers its local backend from the last init, so terraform copies that state into S3.)");
  }
  return { bucket, region, configFile };
}

function readConfigObject(runner: StepRunner, file: string): Record<string, unknown> {
  if (!existsSync(file)) return {};
  try {
    const raw: unknown = JSON.parse(readFileSync(file, "utf8"));
    if (raw && typeof raw === "object" && !Array.isArray(raw)) return raw as Record<string, unknown>;
    throw new Error("it is not a JSON object");
  } catch (err) {
    return runner.refuse("read the config", `${file}: ${(err as Error).message}`, "fix the file, then re-run");
  }
}

function listLocalState(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith(".tfstate"))
      .map((f) => f.slice(0, -".tfstate".length))
      .sort();
  } catch {
    return [];
  }
}
