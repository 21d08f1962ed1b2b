/** npm run bootstrap-state [-- --region <region>]: the optional S3 state bucket, recorded in the config. */

import { runBootstrapState } from "./deploy/bootstrap-state.js";
import { runCli } from "./lib/cli.js";

const usage = `Usage: npm run bootstrap-state -- [--region <region>]

Creates a private, versioned, encrypted, TLS-only S3 bucket for Terraform state
(<project>-tfstate-<account>-<region>) and adds state_bucket/state_region to the APP_CONFIG file
(app.config.json when APP_CONFIG is not set). Stacks then use the S3 backend with use_lockfile.

  --region <region>  the bucket's region (default: the config's state_region, else aws_region)`;

const options = { region: { type: "string" } } as const;

await runCli({ name: "npm run bootstrap-state", usage, options }, async ({ values }) => {
  await runBootstrapState({ region: values.region });
});
