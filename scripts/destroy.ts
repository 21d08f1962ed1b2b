/** npm run destroy [-- --stage <name>] [--yes] [--force]: see scripts/deploy/destroy.ts and docs/deploy.md. */

import { runDestroy } from "./deploy/destroy.js";
import { runCli } from "./lib/cli.js";

const usage = `Usage: npm run destroy -- [--stage <name>] [--yes] [--force]

  --stage <name>  destroy this stage (overrides the config's "stage")
  --yes           do not ask for confirmation
  --force         also when the table is deletion-protected or holds data (the data is lost)
  --verbose       stream terraform's output as it runs`;

const options = {
  stage: { type: "string" },
  yes: { type: "boolean", short: "y" },
  force: { type: "boolean" },
  verbose: { type: "boolean" },
} as const;

await runCli({ name: "npm run destroy", usage, options }, async ({ values }) => {
  await runDestroy({ stage: values.stage, yes: values.yes, force: values.force, verbose: values.verbose });
});
