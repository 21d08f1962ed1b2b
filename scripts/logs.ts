/** npm run logs [-- --stage S] [--since 15m|1h|ISO] [--follow] [--filter TEXT] [--api] [--json]: see scripts/ops/logs.ts and docs/operations.md. */
import { fileURLToPath } from "node:url";
import { ConfigError } from "../stacks/config.js";
import { runCli, UsageError } from "./lib/cli.js";
import { parseSince, printLogs } from "./ops/logs.js";
import { loadDeployedStageShared } from "./ops/stage.js";

const PROJECT_DIR = fileURLToPath(new URL("..", import.meta.url));

const usage = `Usage: npm run logs -- [--stage <name>] [--since 15m|1h|2d|<ISO time>] [--follow] [--filter <text>] [--api] [--json]

Prints the deployed function's log, one readable line per request: time, status, route, latency,
source (fn = the function, api = the API's access log) and request id; errors are highlighted.

  --stage <name>   that stage (default: the config's "stage")
  --since <when>   from 15m, 1h, 2d ago or an ISO time                           [10m]
  --follow         keep printing new events (polls every 2 s; Ctrl-C stops)
  --filter <text>  only events matching it (a CloudWatch Logs filter pattern; plain text is one term)
  --api            merge in the API's access log (shows requests the function never saw: 404, 429)
  --json           the raw events, one JSON object per line (for jq)`;

await runCli(
  {
    name: "npm run logs",
    usage,
    options: {
      stage: { type: "string" },
      since: { type: "string" },
      follow: { type: "boolean" },
      filter: { type: "string" },
      api: { type: "boolean" },
      json: { type: "boolean" },
    },
    expected: [ConfigError],
  },
  async ({ values }) => {
    const since = parseSince(values.since ?? "10m", Date.now());
    if (typeof since === "string") throw new UsageError(since);
    if (values.filter !== undefined && !values.filter.trim()) throw new UsageError("--filter: must not be empty");
    const stage = await loadDeployedStageShared(PROJECT_DIR, process.env, values.stage);
    const abort = new AbortController();
    if (values.follow) process.once("SIGINT", () => abort.abort());
    const printed = await printLogs(stage, {
      startTime: since,
      follow: values.follow,
      filter: values.filter,
      api: values.api,
      json: values.json,
      color: !values.json && process.stdout.isTTY === true && !process.env.NO_COLOR,
      pollMs: Number(process.env.LOGS_POLL_MS) || undefined,
      signal: abort.signal,
      write: (line) => process.stdout.write(`${line}\n`),
    });
    if (printed === 0 && !values.json)
      process.stderr.write(
        `No log events for stage "${stage.stage}" since ${new Date(since).toISOString()}${values.filter ? ` matching ${values.filter}` : ""}.\n`,
      );
  },
);
