/** npm run diff [-- --stage <name>] [--exit-code]: a terraform plan per stack, in deploy order. */

import { DIFF_FLAGS, DIFF_USAGE, diffExitCode, runDiff } from "./deploy/diff.js";
import { runCli } from "./lib/cli.js";

await runCli({ name: "npm run diff", usage: DIFF_USAGE, options: DIFF_FLAGS }, async ({ values }) => {
  const result = await runDiff({ stage: values.stage });
  return diffExitCode(result, values["exit-code"] === true);
});
