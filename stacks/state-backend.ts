import { resolve } from "node:path";
import { LocalBackend, S3Backend, type TerraformStack } from "cdktf";
import type { AppConfig } from "./config.js";

/** Where local state lives, relative to the project root (git-ignored). */
export const LOCAL_STATE_DIR = ".state";

/** From a stack's folder (<outdir>/stacks/<id>) up to the folder that holds the synth output. */
const STACK_DIR_TO_PROJECT = "../../..";

/** The folder local state is in for a synth into `outdir`: the one the backend's relative path names. */
export const localStateDir = (outdir: string) => resolve(outdir, "stacks", "_", STACK_DIR_TO_PROJECT, LOCAL_STATE_DIR);

/** The state object of one stack in the bucket: project, then stage, then stack, so stages never share state. */
export function stateKey(config: Pick<AppConfig, "project_name" | "stage">, stackId: string): string {
  return `${config.project_name}/${config.stage}/${stackId}.tfstate`;
}

/** The state bucket's region: state_region, else the stage's own region. */
export const stateRegion = (config: Pick<AppConfig, "state_region" | "aws_region">) => config.state_region ?? config.aws_region;

/**
 * Shared state in S3 by default (docs/team.md), with S3-native locking (`use_lockfile`, Terraform >=
 * 1.10; cdktf 0.21's S3Backend lacks the field). The bucket's name depends on the AWS account, which a
 * synth does not know: the deploy finds it and passes it in (APP_STATE_BUCKET, read into
 * `state_bucket` by loadConfig). A synth without it (`npm run synth` with no AWS) writes the backend
 * without a bucket, so `terraform init` there stops with "The attribute "bucket" is required" instead
 * of quietly starting from empty local state.
 *
 * With `state_backend: "local"`, state stays in .state/ at a path relative to the stack's directory
 * (cdktf.out/stacks/<id>), so the JSON works from any checkout; CDKTF's default would bake this
 * machine's absolute path into every stack. Either way cdktf derives the app stack's
 * `terraform_remote_state` of the registry from this same backend, so both read one place.
 */
export function configureStateBackend(stack: TerraformStack, stackId: string, config: AppConfig): void {
  if (config.state_backend === "local") {
    new LocalBackend(stack, { path: `${STACK_DIR_TO_PROJECT}/${LOCAL_STATE_DIR}/${stackId}.tfstate` });
    return;
  }
  new S3Backend(stack, {
    // undefined is left out of the JSON: a partial backend configuration (see above).
    bucket: config.state_bucket as string,
    key: stateKey(config, stackId),
    region: stateRegion(config),
    encrypt: true,
  });
  stack.addOverride("terraform.backend.s3.use_lockfile", true);
}
