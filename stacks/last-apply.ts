import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DataAwsS3Objects } from "@cdktf/provider-aws/lib/data-aws-s3-objects";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DataTerraformRemoteStateS3, type TerraformStack } from "cdktf";
import { hclString } from "../modules/hcl.js";
import type { LastApplyReader } from "../modules/web-assets.js";
import type { AppConfig } from "./config.js";
import { stateKey, stateRegion } from "./state-backend.js";

export interface LastApplyProps {
  readonly config: AppConfig;
  readonly stackId: string;
  /** Where `state_backend: "local"` keeps state (the project's .state/). */
  readonly localStateDir: string;
  /** A provider in the state bucket's region (S3 requests must go to the bucket's region). */
  readonly stateRegionProvider?: AwsProvider;
}

/**
 * Reads outputs of the stack's own last apply, so a plan can build on what the last apply left
 * (the web release record, modules/web-assets.ts). Terraform's `terraform_remote_state` fails with
 * "Unable to find remote state" when the state is missing or empty (the first deploy; with the
 * local backend a `fileexists()` guard did not help either, measured with Terraform 1.11.4), and
 * its `defaults` only cover a missing output.
 *
 * - Shared state (S3): the state object is listed first (`aws_s3_objects`, prefix = the key), and
 *   `terraform_remote_state` reads it only when it exists (count). Both are data sources, read
 *   once while planning, so the apply sees the value the plan saw.
 * - Local state: read when the stack is synthesized (a file on this machine, no AWS), and written
 *   into the configuration as a literal. `cdktf deploy` and the deploy synthesize right before
 *   they plan; plain `terraform` runs use the value of the last synth.
 */
export function lastApplyReader(stack: TerraformStack, props: LastApplyProps): LastApplyReader {
  const { config, stackId } = props;
  if (config.state_backend === "local") {
    let outputs: Record<string, { value?: unknown }> = {};
    try {
      outputs = JSON.parse(readFileSync(join(props.localStateDir, `${stackId}.tfstate`), "utf8")).outputs ?? {};
    } catch {
      // no state yet, or not readable as state: nothing to build on
    }
    return {
      output: (name) => {
        const value = outputs[name]?.value;
        return hclString(typeof value === "string" ? value : "");
      },
    };
  }
  const key = stateKey(config, stackId);
  const bucket = config.state_bucket as string; // undefined is left out: `terraform init` then stops first (state-backend.ts)
  const listing = new DataAwsS3Objects(stack, "last_apply_state_object", {
    bucket,
    prefix: key,
    provider: props.stateRegionProvider,
  });
  const state = new DataTerraformRemoteStateS3(stack, "last_apply", {
    bucket,
    key,
    region: stateRegion(config),
    encrypt: true,
  });
  state.addOverride("count", `\${contains(data.aws_s3_objects.${listing.friendlyUniqueId}.keys, ${hclString(key)}) ? 1 : 0}`);
  // Outputs the stack writes as sensitive come back marked; a missing one (older state) reads as "".
  return { output: (name) => `try(nonsensitive(data.terraform_remote_state.${state.friendlyUniqueId}[0].outputs.${name}), "")` };
}
