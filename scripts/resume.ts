/** npm run resume [-- --stage S]: undo the spend stop. See scripts/ops/spend-stop.ts and docs/operations.md. */
import { fileURLToPath } from "node:url";
import { ConfigError } from "../stacks/config.js";
import { runCli } from "./lib/cli.js";
import { resumeStage } from "./ops/spend-stop.js";
import { loadDeployedStage } from "./ops/stage.js";

const PROJECT_DIR = fileURLToPath(new URL("..", import.meta.url));

const usage = `Usage: npm run resume -- [--stage <name>]

Lets a stage's API serve again after the spend stop (or anyone) throttled it to zero: puts back
the throttles the config sets (api_throttling_rate_limit / _burst_limit on every route,
api_write_rate_limit / _burst_limit on POST routes), the same values the app stack applies.
A stage that is serving is left as it is. The budget alerts once per month: after a resume the
stop does not fire again until next month unless budget_monthly_usd is raised and redeployed.

  --stage <name>  that stage (default: the config's "stage")`;

await runCli({ name: "npm run resume", usage, options: { stage: { type: "string" } }, expected: [ConfigError] }, async ({ values }) => {
  const stage = loadDeployedStage(PROJECT_DIR, process.env, values.stage);
  const result = await resumeStage(stage);
  const limits = [
    `${result.default.rateLimit}/s (burst ${result.default.burstLimit}) per route`,
    ...Object.entries(result.routes).map(([key, t]) => `${key} ${t.rateLimit}/s (burst ${t.burstLimit})`),
  ].join(", ");
  process.stdout.write(
    result.resumed
      ? `Stage ${stage.stage} (${stage.region}): API ${result.apiId} serves again: ${limits}.\n`
      : `Stage ${stage.stage} (${stage.region}): API ${result.apiId} is not stopped; nothing changed (configured: ${limits}).\n`,
  );
});
