/** npm run diff [-- --stage <name>]: a terraform plan per stack, in deploy order. */

import { runDiff } from "./deploy/diff.js";
import { runCli } from "./lib/cli.js";

const usage = `Usage: npm run diff -- [--stage <name>]

  --stage <name>  plan this stage (overrides the config's "stage")
Plans every stack upstream first; a stack whose upstream is not deployed yet is reported, not planned.
APP_IMAGE_TAG=<tag> plans the app stack against that image (default: the last deployed one).`;

const options = { stage: { type: "string" } } as const;

await runCli({ name: "npm run diff", usage, options }, async ({ values }) => {
  await runDiff({ stage: values.stage });
});
