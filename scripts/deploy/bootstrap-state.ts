/**
 * `npm run bootstrap-state`: creates or reuses this account's state bucket now (the first deploy would
 * do the same) and prints its name as the line that points the synth, `cdktf` and plain terraform at
 * it: `export APP_STATE_BUCKET=<bucket>`. Nothing is written to the config: the name is derived from
 * project, account and region, so every checkout finds it (docs/team.md).
 */
import { ConfigError, parseConfig } from "../../stacks/config.js";
import { callerIdentity } from "./aws.js";
import { type CommonOptions, resolveProject } from "./project.js";
import { configuredBucket, STATE_BUCKET_ENV } from "./shared-state.js";
import { loadStageConfig } from "./stage-config.js";
import { bucketStatus, ensureStateBucket } from "./state-store.js";
import { describeError, StepProblem, StepRunner } from "./steps.js";

export interface BootstrapStateOptions extends CommonOptions {
  /** Region of the state bucket. @default the config's state_region, else aws_region */
  region?: string;
  /** Print only the export line on `out` (progress goes to `progress`), for eval "$(...)". @default false */
  exportOnly?: boolean;
  /** Where progress goes with exportOnly. @default process.stderr */
  progress?: NodeJS.WritableStream;
}

export interface BootstrapStateResult {
  bucket: string;
  region: string;
}

export async function runBootstrapState(options: BootstrapStateOptions): Promise<BootstrapStateResult> {
  const project = resolveProject(options);
  const progress = options.exportOnly ? ((options.progress ?? process.stderr) as typeof project.out) : project.out;
  const runner = new StepRunner({ out: progress, dryRun: false, cwd: project.root, env: project.env });
  let stage;
  try {
    stage = loadStageConfig(project.env);
  } catch (err) {
    if (err instanceof ConfigError) runner.refuse("check the config", err.message, "fix the keys listed above, then re-run");
    throw err;
  }
  stage.cleanup();
  const { config } = stage;
  if (config.state_backend === "local") {
    runner.refuse(
      "check the config",
      'state_backend is "local": this config keeps its state in .state/, with no bucket',
      'remove "state_backend": "local" to use shared state',
    );
  }
  const region = options.region ?? config.state_region ?? config.aws_region;
  if (!parseConfig({ aws_region: region }).ok) {
    runner.refuse(
      "check the region",
      `"${region}" is not an AWS region such as us-east-1`,
      "pass --region <region> or set state_region in the config",
    );
  }

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
  const { bucket } = configuredBucket({ ...config, state_region: region }, identity.account);

  if (config.state_bucket) {
    // A bucket named in the config is someone's own: it is used as it is, never reconfigured.
    const status = await runner.act({
      title: `find the state bucket ${bucket} (state_bucket)`,
      action: `AWS S3 HeadBucket (${bucket}, ${region})`,
      hint: "check state_bucket in the config and your access to it",
      dryRunValue: "ours" as const,
      run: () => bucketStatus(region, bucket),
    });
    if (status !== "ours")
      runner.refuse(
        "find the state bucket",
        `state_bucket ${bucket} ${status === "missing" ? "does not exist" : "is not ours to use (403)"}`,
        "create it, or remove state_bucket from the config to use the derived bucket",
      );
  } else {
    await runner.act({
      title: `create or reuse the state bucket ${bucket}`,
      action: `AWS S3 HeadBucket; if missing: CreateBucket + PutPublicAccessBlock + PutBucketOwnershipControls + PutBucketEncryption + PutBucketVersioning + PutBucketPolicy (${bucket}, ${region})`,
      hint: "check that your credentials may create and configure S3 buckets; a name taken by another account needs state_bucket set to a bucket of yours in the config",
      dryRunValue: "reused" as const,
      run: () => ensureStateBucket(region, bucket, identity.account),
      summary: (outcome) =>
        outcome === "created" ? "created: versioned, SSE-S3, TLS-only, private" : outcome === "repaired" ? "settings applied" : "reused",
    });
  }
  const exportLine = `export ${STATE_BUCKET_ENV}=${bucket}`;
  if (options.exportOnly) {
    project.out.write(`${exportLine}\n`);
  } else {
    runner.say(`State bucket: ${bucket} (${region}). npm run deploy, diff and destroy find it by themselves.`);
    runner.say("For npm run synth, cdktf and plain terraform, point the synth at it first:");
    runner.say(`  ${exportLine}`);
  }
  return { bucket, region };
}
