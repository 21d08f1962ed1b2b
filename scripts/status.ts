/** npm run status [-- --stage S] [--json]: see scripts/ops/status.ts and docs/operations.md. */
import { fileURLToPath } from "node:url";
import { ConfigError } from "../stacks/config.js";
import { runCli } from "./lib/cli.js";
import { loadDeployedStageShared } from "./ops/stage.js";
import { formatStatus, stageStatus } from "./ops/status.js";

const PROJECT_DIR = fileURLToPath(new URL("..", import.meta.url));

const usage = `Usage: npm run status -- [--stage <name>] [--json]

One deployed stage: its URLs and outputs, whether the API and the web app answer (the post-deploy
smoke check), the image it runs against the one the working tree would build, every alarm's
state, and when it was last deployed. Exit 0 when healthy, 1 when a check fails or an alarm fires.

  --stage <name>  that stage (default: the config's "stage")
  --json          the same as JSON`;

await runCli(
  { name: "npm run status", usage, options: { stage: { type: "string" }, json: { type: "boolean" } }, expected: [ConfigError] },
  async ({ values }) => {
    const stage = await loadDeployedStageShared(PROJECT_DIR, process.env, values.stage);
    const deadlineMs = Number(process.env.STATUS_SMOKE_DEADLINE_MS) || 10_000;
    const status = await stageStatus(stage, PROJECT_DIR, { deadlineMs, intervalMs: Math.min(2000, deadlineMs) });
    process.stdout.write(values.json ? `${JSON.stringify(status, null, 2)}\n` : `${formatStatus(status).join("\n")}\n`);
    return status.healthy ? 0 : 1;
  },
);
