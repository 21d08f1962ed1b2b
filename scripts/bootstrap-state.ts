/** npm run bootstrap-state [-- --region <region>] [--export]: the shared state bucket, created or reused, and its export line. */

import { runBootstrapState } from "./deploy/bootstrap-state.js";
import { runCli } from "./lib/cli.js";

const usage = `Usage: npm run bootstrap-state -- [--region <region>] [--export]

Creates (or reuses) the private, versioned, encrypted, TLS-only S3 bucket that holds this account's
Terraform state, <project>-tfstate-<account>-<region> (or the config's state_bucket), and prints
the line that points npm run synth, cdktf and plain terraform at it:
  export APP_STATE_BUCKET=<bucket>
npm run deploy does the same by itself on its first run; diff and destroy find the bucket.

  --region <region>  the bucket's region (default: the config's state_region, else aws_region)
  --export           print only the export line (progress on stderr):
                       eval "$(npm run -s bootstrap-state -- --export)"`;

const options = { region: { type: "string" }, export: { type: "boolean" } } as const;

await runCli({ name: "npm run bootstrap-state", usage, options }, async ({ values }) => {
  await runBootstrapState({ region: values.region, exportOnly: values.export });
});
