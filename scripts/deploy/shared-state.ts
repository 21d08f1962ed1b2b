/**
 * Shared state (docs/team.md): where a stage's Terraform state and the deploy's own records live,
 * so any checkout or CI job with the same config and credentials finds them. The bucket is
 * `<project>-tfstate-<account>-<region>` unless the config names one (state_bucket); the deploy
 * creates it on first use, diff and destroy only look for it. Its name reaches the synth through
 * APP_STATE_BUCKET, so the synthesized backend (and the app stack's remote-state read of the
 * registry) point at it, while a synth without AWS stays possible.
 *
 * The records a later run needs (.deploy/<stage>.json: the deployed image, commit and outputs;
 * .deploy/<stage>.target.json: the stage's region) are copied into the bucket beside the state and
 * pulled back at the start of every run, so an empty .deploy/ on a new checkout loses nothing.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stateRegion } from "../../stacks/state-backend.js";
import { callerIdentity } from "./aws.js";
import { PROJECT_PATHS } from "./project.js";
import { recordPath } from "./record.js";
import type { Session } from "./session.js";
import { targetPath } from "./stage-region.js";
import { bucketStatus, bucketsNamed, deleteKey, ensureStateBucket, getText, putText } from "./state-store.js";

export type StateLocation =
  /** state_backend "local": .state/ on this machine. */
  | { kind: "local" }
  /** The S3 bucket; `exists` is false when diff/destroy found no bucket (nothing deployed with shared state). */
  | { kind: "s3"; bucket: string; region: string; prefix: string; exists: boolean };

export type SharedState = Extract<StateLocation, { kind: "s3" }>;

/** The environment variable the synth reads the bucket name from (stacks/config.ts). */
export const STATE_BUCKET_ENV = "APP_STATE_BUCKET";

/** S3 bucket names are at most 63 characters; the account and region make this one unique. */
export function stateBucketName(project: string, account: string, region: string): string {
  return `${project}-tfstate-${account}-${region}`.slice(0, 63).replace(/-+$/, "");
}

/** The bucket a config uses in an account: its state_bucket, else the derived name. */
export function configuredBucket(
  config: { project_name: string; state_bucket?: string; state_region?: string; aws_region: string },
  account: string,
): { bucket: string; region: string } {
  const region = stateRegion(config);
  return { bucket: config.state_bucket ?? stateBucketName(config.project_name, account, region), region };
}

/** The deploy's records beside the state: local file name -> object key. */
function recordObjects(session: Session, state: SharedState): { file: string; key: string }[] {
  const deployDir = session.project.path(PROJECT_PATHS.deployDir);
  const stage = session.stage.config.stage;
  return [
    { file: recordPath(deployDir, stage), key: `${state.prefix}deploy-record.json` },
    { file: targetPath(deployDir, stage), key: `${state.prefix}stage-target.json` },
  ];
}

/**
 * Finds (diff, destroy) or creates-or-reuses (deploy) the state bucket, hands its name to every later
 * synth, and pulls the stage's records from it. Local state: says so and does nothing else.
 */
export async function openState(session: Session, account: string, purpose: "deploy" | "diff" | "destroy"): Promise<StateLocation> {
  const { runner, stage } = session;
  const { config } = stage;
  if (config.state_backend === "local") {
    runner.say(`State: local, in ${PROJECT_PATHS.stateDir}/ on this machine only (state_backend "local").`);
    return { kind: "local" };
  }
  const { bucket, region } = configuredBucket(config, account);
  const prefix = `${config.project_name}/${config.stage}/`;
  const explicit = config.state_bucket !== undefined;
  let exists = true;
  if (purpose === "deploy" && !explicit) {
    // Before creating anything: is the stage known here, or deployed from another region's bucket?
    const status = await runner.act({
      title: `find the state bucket ${bucket}`,
      action: `AWS S3 HeadBucket (${bucket}, ${region})`,
      hint: "check that your credentials may use S3 (s3:ListBucket)",
      dryRunValue: "ours" as const,
      run: () => bucketStatus(region, bucket, account),
      summary: (s) => (s === "ours" ? "found" : s === "missing" ? "not there yet" : "not ours to use"),
    });
    const known = status === "ours" && (await pullRecords(session, { kind: "s3", bucket, region, prefix, exists: true }));
    if (!known) await refuseStageElsewhere(session, account, bucket, purpose);
    await runner.act({
      title: `${runner.dryRun ? "create or reuse" : status === "missing" ? "create" : "check"} the state bucket ${bucket}`,
      action:
        status !== "ours" || runner.dryRun
          ? `AWS S3 CreateBucket + PutPublicAccessBlock + PutBucketOwnershipControls + PutBucketEncryption + PutBucketVersioning + PutBucketPolicy (${bucket}, ${region})`
          : `AWS S3 GetBucketVersioning (${bucket}); if off: the settings above again`,
      hint: `check that your credentials may create and configure S3 buckets; if the name is taken by another account, set state_bucket in the config to a bucket of yours (docs/team.md)`,
      dryRunValue: "reused" as const,
      run: () => ensureStateBucket(region, bucket, account, status),
      summary: (outcome) =>
        outcome === "created"
          ? "created: versioned, SSE-S3, TLS-only, all public access blocked"
          : outcome === "repaired"
            ? "found without versioning; versioning, encryption, public-access blocks and TLS-only policy applied"
            : "reused",
    });
  } else {
    const status = await runner.act({
      title: `find the state bucket ${bucket}`,
      action: `AWS S3 HeadBucket (${bucket}, ${region})`,
      hint: "check that your credentials may use the bucket (s3:ListBucket)",
      dryRunValue: "ours" as const,
      run: () => bucketStatus(region, bucket, explicit ? undefined : account),
      summary: (s) => (s === "ours" ? "found" : s === "missing" ? "not there" : "not ours to use"),
    });
    if (status === "forbidden") {
      runner.refuse(
        "use the state bucket",
        `the bucket ${bucket} exists, but account ${account} may not use it (HeadBucket answered 403).`,
        explicit
          ? "check state_bucket in the config and your credentials' s3:ListBucket, s3:GetObject and s3:PutObject on it"
          : "another account owns this name: set state_bucket in the config to a bucket of yours (docs/team.md)",
      );
    }
    const known = status === "ours" && (await pullRecords(session, { kind: "s3", bucket, region, prefix, exists: true }));
    if (!known && !explicit) await refuseStageElsewhere(session, account, bucket, purpose);
    if (status === "missing") {
      const local = Object.values(stage.ids).filter((id) => existsSync(localStateFile(session, id)));
      if (purpose !== "deploy" && local.length) {
        runner.refuse(
          "find the stage's state",
          `there is no state bucket ${bucket}, but ${local.map((id) => `${PROJECT_PATHS.stateDir}/${id}.tfstate`).join(" and ")} exist: ` +
            "this stage was deployed with local state. Nothing was changed.",
          'run npm run deploy once: it creates the bucket and moves the local state into it (keeping a copy). Or set "state_backend": "local" in the config to keep using the local files',
        );
      }
      if (purpose === "deploy") {
        runner.refuse(
          "find the state bucket",
          `state_bucket ${bucket} (from the config or APP_STATE_BUCKET) does not exist in ${region}.`,
          "create it (npm run bootstrap-state creates the derived one), or remove state_bucket to let the deploy create the derived bucket",
        );
      }
      exists = false;
    }
  }
  runner.say(`State: s3://${bucket}/${prefix} (${region}), shared by every checkout and CI job of this account.`);
  // The synth gets the name (in dry-run the account is a placeholder, and the synth writes the backend without a bucket).
  if (!runner.dryRun) runner.setEnv(STATE_BUCKET_ENV, bucket);
  return { kind: "s3", bucket, region, prefix, exists };
}

/**
 * Copies the stage's records from the bucket into .deploy/ (the bucket wins; a record only this
 * machine has stays). Returns whether the bucket knows the stage's region.
 */
async function pullRecords(session: Session, state: SharedState): Promise<boolean> {
  const { runner, project } = session;
  const objects = recordObjects(session, state);
  const found = await runner.act({
    title: "read the stage's records from the state bucket",
    action: `AWS S3 GetObject (${objects.map((o) => `s3://${state.bucket}/${o.key}`).join(", ")})`,
    hint: "check that your credentials may call s3:GetObject on the state bucket",
    dryRunValue: [undefined, "{}"] as (string | undefined)[],
    run: () => Promise.all(objects.map((o) => getText(state.region, state.bucket, o.key))),
    summary: (texts) => (texts.some((t) => t !== undefined) ? "found" : "none yet"),
  });
  if (runner.dryRun) return true;
  objects.forEach((o, i) => {
    const text = found[i];
    if (text === undefined) return; // a local record (e.g. from before shared state) stays
    mkdirSync(project.path(PROJECT_PATHS.deployDir), { recursive: true });
    writeFileSync(o.file, text);
  });
  return found[1] !== undefined;
}

/**
 * The derived bucket's name carries the region, so a changed aws_region means another bucket, where
 * this stage is unknown. Before a stage's first run against a bucket, this account's other state
 * buckets of the project are asked for the stage's region record: a stage deployed in another region
 * from another checkout is refused just like one recorded in .deploy/ (stage-region.ts).
 */
async function refuseStageElsewhere(session: Session, account: string, bucket: string, command: "deploy" | "diff" | "destroy") {
  const { runner, stage } = session;
  const { config } = stage;
  const prefix = `${config.project_name}-tfstate-${account}-`;
  const key = `${config.project_name}/${config.stage}/stage-target.json`;
  const elsewhere = await runner.act({
    title: `check that stage "${config.stage}" is not deployed from another region's state bucket`,
    action: `AWS S3 ListBuckets (Prefix ${prefix}) + GetObject (<bucket>/${key})`,
    hint: "check that your credentials may call s3:ListAllMyBuckets and s3:GetObject on the project's state buckets",
    dryRunValue: undefined as { bucket: string; region: string } | undefined,
    run: async () => {
      for (const other of await bucketsNamed(prefix)) {
        if (other.name === bucket) continue;
        const region = other.region ?? other.name.slice(prefix.length);
        const text = await getText(region, other.name, key).catch(() => undefined);
        if (text !== undefined) return { bucket: other.name, region: (JSON.parse(text) as { region?: string }).region ?? region };
      }
      return undefined;
    },
    summary: (found) => (found ? `deployed in ${found.region}` : "not elsewhere"),
  });
  if (!elsewhere) return;
  runner.refuse(
    "check the stage's region",
    `stage "${config.stage}" is deployed in ${elsewhere.region} (recorded in s3://${elsewhere.bucket}/${key}), but the config says aws_region ${config.aws_region}.\n` +
      (command === "deploy"
        ? `Deploying would build a second copy of the stage in ${config.aws_region} and leave the stacks in ${elsewhere.region} running, and billing, with no state that refers to them. Nothing was changed.`
        : `${command === "destroy" ? "Destroy" : "Diff"} would look for the stacks in ${config.aws_region} and find nothing there. Nothing was changed.`),
    `set aws_region back to ${elsewhere.region}; to move the stage, destroy it there first, then deploy in ${config.aws_region}. To run a copy in ${config.aws_region} as well: deploy it as another stage (--stage <name>)`,
  );
}

/**
 * Copies the stage's local records into the bucket: "target" (the stage's region, before the first
 * change) or "all" (after the deploy wrote its record).
 */
export async function pushRecords(session: Session, state: StateLocation, which: "target" | "all"): Promise<void> {
  if (state.kind !== "s3" || session.runner.dryRun) return;
  const objects = recordObjects(session, state)
    .slice(which === "target" ? 1 : 0)
    .filter((o) => existsSync(o.file));
  await session.runner.act({
    title: "save the stage's records in the state bucket",
    action: `AWS S3 PutObject (${objects.map((o) => `s3://${state.bucket}/${o.key}`).join(", ")})`,
    hint: `check that your credentials may call s3:PutObject on the state bucket; the stage itself is deployed, and the next npm run deploy saves the records again`,
    dryRunValue: undefined,
    run: async () => {
      for (const o of objects) await putText(state.region, state.bucket, o.key, readFileSync(o.file, "utf8"));
    },
  });
}

/** After a destroy: the records go from the bucket too. */
export async function dropRecords(session: Session, state: StateLocation): Promise<void> {
  if (state.kind !== "s3" || !state.exists) return;
  const objects = recordObjects(session, state);
  await session.runner.act({
    title: "remove the stage's records from the state bucket",
    action: `AWS S3 DeleteObject (${objects.map((o) => `s3://${state.bucket}/${o.key}`).join(", ")})`,
    hint: "check that your credentials may call s3:DeleteObject on the state bucket; the stacks themselves are destroyed",
    dryRunValue: undefined,
    run: async () => {
      for (const o of objects) await deleteKey(state.region, state.bucket, o.key);
    },
  });
}

/** The local state file a stack had before shared state (or with state_backend "local"). */
export const localStateFile = (session: Session, stackId: string) => session.project.path(PROJECT_PATHS.stateDir, `${stackId}.tfstate`);

/**
 * For the day-two commands (status, logs), which read .deploy/<stage>.json: when this checkout has
 * no record of the stage, fetch it from the shared state bucket into .deploy/ (nothing otherwise).
 * Returns where it came from, or undefined when there is none anywhere.
 */
export async function fetchStageRecord(
  projectDir: string,
  config: { project_name: string; stage: string; state_backend: string; state_bucket?: string; state_region?: string; aws_region: string },
): Promise<"local" | "bucket" | undefined> {
  const deployDir = join(projectDir, PROJECT_PATHS.deployDir);
  if (existsSync(recordPath(deployDir, config.stage))) return "local";
  if (config.state_backend !== "s3") return undefined;
  const { account } = await callerIdentity(config.aws_region);
  const { bucket, region } = configuredBucket(config, account);
  const prefix = `${config.project_name}/${config.stage}/`;
  const texts = await Promise.all(
    ["deploy-record.json", "stage-target.json"].map((k) => getText(region, bucket, `${prefix}${k}`).catch(() => undefined)),
  );
  if (texts[0] === undefined) return undefined;
  mkdirSync(deployDir, { recursive: true });
  writeFileSync(recordPath(deployDir, config.stage), texts[0]);
  if (texts[1] !== undefined) writeFileSync(targetPath(deployDir, config.stage), texts[1]);
  return "bucket";
}
