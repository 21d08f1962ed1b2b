/** npm run deploy [-- --stage <name>] [--dry-run] [--yes] [--rebuild] [--skip-smoke]: see scripts/deploy/deploy.ts and docs/deploy.md. */

import { runDeploy } from "./deploy/deploy.js";
import { runCli } from "./lib/cli.js";

const usage = `Usage: npm run deploy -- [--stage <name>] [--dry-run] [--yes] [--rebuild] [--skip-smoke]

  --stage <name>  deploy this stage (overrides the config's "stage"; stack ids carry it)
  --dry-run       print every step with its exact command, in order; run nothing but the synth
  --yes           apply plans without asking
  --rebuild       build and push the image again although its tag is in the repository (replaces a bad
                  image; the repository's tags are immutable, so the new build is tagged <tag>-rebuild-<n>)
  --verbose       stream terraform's and docker's output as they run
  --skip-smoke    do not run the post-deploy smoke check (GET /health, /users?limit=1, /config.json)`;

const options = {
  stage: { type: "string" },
  "dry-run": { type: "boolean" },
  yes: { type: "boolean", short: "y" },
  verbose: { type: "boolean" },
  rebuild: { type: "boolean" },
  "skip-smoke": { type: "boolean" },
} as const;

await runCli({ name: "npm run deploy", usage, options }, async ({ values }) => {
  await runDeploy({
    stage: values.stage,
    dryRun: values["dry-run"],
    yes: values.yes,
    verbose: values.verbose,
    rebuild: values.rebuild,
    skipSmoke: values["skip-smoke"],
  });
});
