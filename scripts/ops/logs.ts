/**
 * `npm run logs`: the function's log (and with --api the API's access log) of one deployed stage,
 * through CloudWatch Logs FilterLogEvents. `--follow` polls with a start time that moves with the
 * newest event; CloudWatch Logs can deliver an event some seconds after its timestamp, so each
 * poll looks back LATE_EVENTS_MS and skips the event ids it already printed
 * (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_FilterLogEvents.html).
 */
import { CloudWatchLogsClient, type FilteredLogEvent, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { CommandError } from "../lib/cli.js";
import { explainAwsError } from "./aws-errors.js";
import { type LogEvent, type LogSource, readable, render } from "./log-lines.js";
import type { DeployedStage } from "./stage.js";

/** How far back each poll of --follow looks again for events delivered late. */
export const LATE_EVENTS_MS = 30_000;

export interface LogsOptions {
  /** Epoch ms of the first event to show. */
  startTime: number;
  follow?: boolean;
  /** A CloudWatch Logs filter pattern (plain text is matched as a quoted term). */
  filter?: string;
  /** Merge in the API's access log. */
  api?: boolean;
  /** Print the raw events (one JSON object per line) instead of readable lines. */
  json?: boolean;
  /** Color errors (a terminal). @default false */
  color?: boolean;
  /** Pause between polls of --follow. @default 2000 ms */
  pollMs?: number;
  /** Stops --follow. */
  signal?: AbortSignal;
  write: (line: string) => void;
  /** @default Date.now */
  now?: () => number;
}

/** A filter pattern for `text`: patterns pass through; plain text becomes one quoted term. */
export function filterPattern(text: string): string {
  const t = text.trim();
  if (/^[{["?-]/.test(t) || /^%.*%$/.test(t)) return t;
  return `"${t.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

interface Group {
  name: string;
  source: LogSource;
}

/** Every event of the groups in [start, end], merged in time order (each group paginated to the end). */
async function fetchEvents(
  client: CloudWatchLogsClient,
  stage: DeployedStage,
  groups: Group[],
  start: number,
  end: number,
  filter?: string,
): Promise<(LogEvent & { group: string })[]> {
  const all: (LogEvent & { group: string })[] = [];
  for (const group of groups) {
    let nextToken: string | undefined;
    do {
      let page;
      try {
        page = await client.send(
          new FilterLogEventsCommand({
            logGroupName: group.name,
            startTime: start,
            endTime: end,
            filterPattern: filter,
            nextToken,
            limit: 10_000,
          }),
        );
      } catch (err) {
        if (err instanceof Error && err.name === "ResourceNotFoundException") {
          throw new CommandError(
            `stage "${stage.stage}" has no log group ${group.name} in ${stage.region}: it was never deployed there` +
              (stage.record
                ? ` (or was destroyed after the deploy recorded in ${stage.recordFile})`
                : ` (no deploy record at ${stage.recordFile})`) +
              ". Deploy it with npm run deploy" +
              (stage.config.isDefaultStage ? "" : ` -- --stage ${stage.stage}`),
          );
        }
        throw explainAwsError(err, `read ${group.name} (logs:FilterLogEvents, region ${stage.region})`);
      }
      for (const e of page.events ?? []) all.push(toEvent(e, group));
      nextToken = page.nextToken;
    } while (nextToken);
  }
  return all.sort((a, b) => a.timestamp - b.timestamp || a.source.localeCompare(b.source));
}

const toEvent = (e: FilteredLogEvent, group: Group): LogEvent & { group: string } => ({
  source: group.source,
  group: group.name,
  timestamp: e.timestamp ?? 0,
  message: e.message ?? "",
  eventId: e.eventId,
  logStreamName: e.logStreamName,
});

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

/** Prints the stage's log events from `startTime`; with `follow`, keeps polling until the signal aborts. Returns how many were printed. */
export async function printLogs(stage: DeployedStage, options: LogsOptions): Promise<number> {
  const now = options.now ?? Date.now;
  const groups: Group[] = [{ name: stage.functionLogGroup, source: "fn" }];
  if (options.api) groups.push({ name: stage.apiLogGroup, source: "api" });
  const filter = options.filter ? filterPattern(options.filter) : undefined;
  const client = new CloudWatchLogsClient({ region: stage.region });
  const seen = new Map<string, number>();
  let printed = 0;
  let start = options.startTime;
  try {
    for (;;) {
      const end = now();
      for (const e of await fetchEvents(client, stage, groups, start, end, filter)) {
        const id = e.eventId ?? `${e.group}|${e.logStreamName}|${e.timestamp}|${e.message}`;
        if (seen.has(id)) continue;
        seen.set(id, e.timestamp);
        printed++;
        options.write(
          options.json
            ? JSON.stringify({
                logGroupName: e.group,
                logStreamName: e.logStreamName,
                timestamp: e.timestamp,
                eventId: e.eventId,
                message: e.message,
              })
            : render(readable(e), options.color ?? false),
        );
      }
      if (!options.follow || options.signal?.aborted) return printed;
      // Next window: from a little before now, so late deliveries are caught; forget ids older than it.
      start = Math.max(options.startTime, end - LATE_EVENTS_MS);
      for (const [id, ts] of seen) if (ts < start) seen.delete(id);
      await sleep(options.pollMs ?? 2000, options.signal);
      if (options.signal?.aborted) return printed;
    }
  } finally {
    client.destroy();
  }
}

/** `15m`, `1h`, `2d`, `30s` before now, or an ISO date/time; a bad or future value throws CommandError-free UsageError text. */
export function parseSince(value: string, now: number): number | string {
  const relative = /^(\d+)(s|m|h|d)$/.exec(value.trim());
  if (relative)
    return now - Number(relative[1]) * { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[relative[2] as "s" | "m" | "h" | "d"];
  if (/^\d{4}-\d{2}-\d{2}/.test(value.trim())) {
    const at = Date.parse(value);
    if (Number.isNaN(at)) return `--since: ${JSON.stringify(value)} is not a valid ISO date/time`;
    if (at > now) return `--since: ${value} is in the future`;
    return at;
  }
  return `--since: ${JSON.stringify(value)} must be a duration such as 15m, 1h, 2d or an ISO time such as 2026-11-30T09:00:00Z`;
}
