import { LocalBackend, S3Backend, type TerraformStack } from "cdktf";
import type { AppConfig } from "./config.js";

/** Where local state lives, relative to the project root (git-ignored). */
export const LOCAL_STATE_DIR = ".state";

/**
 * Local state by default, at a path relative to the stack's directory (cdktf.out/stacks/<id>), so
 * the synthesized JSON works from any checkout and with plain terraform/tofu; CDKTF's default
 * would bake this machine's absolute path into every stack. With `state_bucket`, the S3 backend
 * with S3-native locking (`use_lockfile`, Terraform >= 1.10; cdktf 0.21's S3Backend lacks the field).
 */
export function configureStateBackend(stack: TerraformStack, stackId: string, config: AppConfig): void {
  if (config.state_bucket) {
    new S3Backend(stack, {
      bucket: config.state_bucket,
      key: `${config.project_name}/${stackId}.tfstate`,
      region: config.state_region ?? config.aws_region,
      encrypt: true,
    });
    stack.addOverride("terraform.backend.s3.use_lockfile", true);
  } else {
    new LocalBackend(stack, { path: `../../../${LOCAL_STATE_DIR}/${stackId}.tfstate` });
  }
}
