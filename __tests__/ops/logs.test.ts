/**
 * `npm run logs` against the local AWS stub (CloudWatch Logs FilterLogEvents through the real SDK):
 * readable lines, the merged access log, filters, raw JSON, --follow, and the error cases.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { readable } from "../../scripts/ops/log-lines.js";
import { filterPattern, type LogsOptions, parseSince, printLogs } from "../../scripts/ops/logs.js";
import { loadDeployedStage } from "../../scripts/ops/stage.js";
import { AwsStub } from "../deploy/support/aws-stub.js";
import { runCommandInProcess } from "../support/command-in-process.js";

const stub = new AwsStub();
let url: string;
const saved = { ...process.env };
const dirs: string[] = [];

beforeAll(async () => {
  url = await stub.start();
  Object.assign(process.env, AwsStub.env(url));
});
afterAll(async () => {
  await stub.stop();
  // restored in place: the next test file in this worker may share the process (vitest.config.ts)
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
beforeEach(() => stub.reset(""));

const T0 = Date.parse("2026-11-30T10:00:00.000Z");
const fnLine = (o: Record<string, unknown>) => JSON.stringify({ level: Number(o.status) >= 500 ? "ERROR" : "INFO", msg: "request", ...o });
const accessLine = (o: Record<string, unknown>) =>
  JSON.stringify({
    requestId: "-",
    sourceIp: "203.0.113.9",
    requestTime: "30/Nov/2026:10:00:00 +0000",
    httpMethod: "GET",
    routeKey: "-",
    status: "200",
    protocol: "HTTP/1.1",
    responseLength: "2",
    integrationLatency: "-",
    integrationErrorMessage: "-",
    ...o,
  });

/** A project dir with no deploy record: the stage's names come from the config. */
function stage(stageName?: string) {
  const dir = mkdtempSync(join(tmpdir(), "ops-logs-"));
  dirs.push(dir);
  return loadDeployedStage(dir, { ...process.env, APP_CONFIG: "" }, stageName);
}

async function run(options: Partial<LogsOptions> & { stageName?: string } = {}) {
  const lines: string[] = [];
  const printed = await printLogs(stage(options.stageName), {
    startTime: T0 - 60_000,
    now: () => T0 + 60_000,
    write: (l) => lines.push(l),
    ...options,
  });
  return { lines, printed };
}

describe("readable lines", () => {
  test("one line per request: time, status, route, latency, source, request id; a 5xx is marked", async () => {
    stub.world.logGroups["/aws/lambda/backend-api"] = [
      {
        timestamp: T0 + 2000,
        message: fnLine({
          requestId: "req-2",
          route: "GET /users",
          status: 503,
          latencyMs: 4500,
          errorCode: "service_unavailable",
          errorName: "TimeoutError",
        }),
      },
      { timestamp: T0 + 1000, message: fnLine({ requestId: "req-1", route: "POST /users", status: 201, latencyMs: 12 }) },
    ];
    const { lines } = await run();
    expect(lines).toEqual([
      "  2026-11-30T10:00:01.000Z  201   POST /users              12 ms  fn  req-1",
      "! 2026-11-30T10:00:02.000Z  503   GET /users             4500 ms  fn  req-2  service_unavailable TimeoutError",
    ]);
  });

  test("--api merges the access log in time order, including requests the function never saw (429, 404)", async () => {
    stub.world.logGroups["/aws/lambda/backend-api"] = [
      { timestamp: T0 + 1000, message: fnLine({ requestId: "a", route: "GET /users", status: 200, latencyMs: 30 }) },
    ];
    stub.world.logGroups["/aws/apigateway/serverless-starter-api/default"] = [
      { timestamp: T0 + 1001, message: accessLine({ requestId: "a", routeKey: "GET /users", status: "200", integrationLatency: "31" }) },
      { timestamp: T0 + 500, message: accessLine({ requestId: "t", httpMethod: "POST", routeKey: "POST /users", status: "429" }) },
    ];
    const { lines } = await run({ api: true });
    expect(lines.map((l) => l.replace(/\s+/g, " ").trim())).toEqual([
      "2026-11-30T10:00:00.500Z 429 POST /users - api t",
      "2026-11-30T10:00:01.000Z 200 GET /users 30 ms fn a",
      "2026-11-30T10:00:01.001Z 200 GET /users 31 ms api a",
    ]);
    // without --api, only the function's group is read
    stub.reset("");
    stub.world.logGroups["/aws/lambda/backend-api"] = [];
    await run();
    expect(stub.calls.map((c) => JSON.parse(c.body).logGroupName)).toEqual(["/aws/lambda/backend-api"]);
  });

  test("runtime errors and timeouts are highlighted; other text passes through after the time", () => {
    const error = readable({
      source: "fn",
      timestamp: T0,
      message: JSON.stringify({ timestamp: "x", level: "ERROR", errorType: "TypeError", errorMessage: "boom" }),
    });
    expect(error).toEqual({ severity: "error", text: "2026-11-30T10:00:00.000Z  fn  ERROR  TypeError  boom" });
    expect(
      readable({ source: "fn", timestamp: T0, message: "2026-11-30T10:00:00Z abc Task timed out after 5.00 seconds\n" }).severity,
    ).toBe("error");
    expect(readable({ source: "fn", timestamp: T0, message: "INIT_START Runtime Version: nodejs:22" })).toEqual({
      severity: "info",
      text: "2026-11-30T10:00:00.000Z  fn  INIT_START Runtime Version: nodejs:22",
    });
  });

  test("every page of FilterLogEvents is read (nextToken)", async () => {
    stub.world.logsPageSize = 2;
    stub.world.logGroups["/aws/lambda/backend-api"] = [1, 2, 3, 4, 5].map((i) => ({
      timestamp: T0 + i,
      message: fnLine({ requestId: `r${i}`, route: "GET /health", status: 200, latencyMs: 1 }),
    }));
    const { printed } = await run();
    expect(printed).toBe(5);
    expect(stub.operations()).toEqual(["logs:FilterLogEvents", "logs:FilterLogEvents", "logs:FilterLogEvents"]);
  });
});

describe("filters, raw events, follow", () => {
  test("--filter sends plain text as one quoted term; patterns pass through", async () => {
    expect(filterPattern("service_unavailable")).toBe('"service_unavailable"');
    expect(filterPattern('say "hi"')).toBe('"say \\"hi\\""');
    expect(filterPattern("{ $.status >= 500 }")).toBe("{ $.status >= 500 }");
    stub.world.logGroups["/aws/lambda/backend-api"] = [
      { timestamp: T0 + 1, message: fnLine({ requestId: "ok", route: "GET /users", status: 200, latencyMs: 1 }) },
      {
        timestamp: T0 + 2,
        message: fnLine({ requestId: "bad", route: "GET /users", status: 503, latencyMs: 1, errorCode: "service_unavailable" }),
      },
    ];
    const { lines } = await run({ filter: "service_unavailable" });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("bad");
    expect(JSON.parse(stub.calls[0]!.body)).toMatchObject({
      filterPattern: '"service_unavailable"',
      startTime: T0 - 60_000,
      endTime: T0 + 60_000,
    });
  });

  test("--json prints each raw event as one JSON object", async () => {
    const message = fnLine({ requestId: "r", route: "GET /users", status: 200, latencyMs: 5 });
    stub.world.logGroups["/aws/lambda/backend-api"] = [{ timestamp: T0, message, logStreamName: "s1", eventId: "e1" }];
    const { lines } = await run({ json: true });
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      { logGroupName: "/aws/lambda/backend-api", logStreamName: "s1", timestamp: T0, eventId: "e1", message },
    ]);
  });

  test("--follow polls with a moving start time, prints late and new events once, and stops on abort", async () => {
    const events = [{ timestamp: T0, message: fnLine({ requestId: "first", route: "GET /users", status: 200, latencyMs: 1 }) }];
    stub.world.logGroups["/aws/lambda/backend-api"] = events;
    let clock = T0 + 1000;
    const abort = new AbortController();
    const lines: string[] = [];
    const polls: number[] = [];
    const done = printLogs(stage(), {
      startTime: T0 - 60_000,
      follow: true,
      pollMs: 5,
      signal: abort.signal,
      now: () => {
        polls.push(clock);
        if (polls.length === 2)
          events.push({ timestamp: clock - 5000, message: fnLine({ requestId: "late", route: "POST /users", status: 201, latencyMs: 2 }) });
        if (polls.length === 3)
          events.push({ timestamp: clock, message: fnLine({ requestId: "new", route: "GET /health", status: 200, latencyMs: 1 }) });
        if (polls.length === 5) abort.abort();
        clock += 1000;
        return clock;
      },
      write: (l) => lines.push(l),
    });
    await done;
    expect(lines.map((l) => /(first|late|new)/.exec(l)?.[1])).toEqual(["first", "late", "new"]);
    const starts = stub.calls.map((c) => JSON.parse(c.body).startTime);
    expect(starts[0]).toBe(T0 - 60_000);
    expect(starts[1]).toBeGreaterThan(T0 - 60_000); // moved on, looking back 30 s for late deliveries
  });
});

describe("errors", () => {
  test("a stage that was never deployed says so (no log group), naming the deploy command", async () => {
    await expect(run({ stageName: "qa" })).rejects.toThrow(
      /^stage "qa" has no log group \/aws\/lambda\/backend-api-qa in us-east-1: it was never deployed there \(no deploy record at .*\.deploy\/qa\.json\)\. Deploy it with npm run deploy -- --stage qa$/,
    );
  });

  test("credentials AWS refuses get one line saying how to configure them", async () => {
    stub.world.credentialsValid = false;
    stub.world.logGroups["/aws/lambda/backend-api"] = [];
    await expect(run()).rejects.toThrow(
      /^AWS refused the credentials trying to read \/aws\/lambda\/backend-api .*UnrecognizedClientException.*export AWS_PROFILE/,
    );
  });

  test("--since takes 15m, 1h, 2d or an ISO time; anything else, or the future, is refused", () => {
    expect(parseSince("15m", T0)).toBe(T0 - 15 * 60_000);
    expect(parseSince("2d", T0)).toBe(T0 - 2 * 86_400_000);
    expect(parseSince("2026-11-30T09:00:00Z", T0)).toBe(Date.parse("2026-11-30T09:00:00Z"));
    expect(parseSince("yesterday", T0)).toMatch(/must be a duration such as 15m/);
    expect(parseSince("2026-12-30T09:00:00Z", T0)).toMatch(/is in the future/);
  });
});

describe("npm run logs (the command)", { timeout: 120_000 }, () => {
  const logs = async (env: Record<string, string | undefined>, ...args: string[]) => {
    const home = mkdtempSync(join(tmpdir(), "ops-home-"));
    dirs.push(home);
    const config = join(home, "app.config.json");
    writeFileSync(config, "{}");
    // In process (support/command-in-process.ts): the same top-level code, argv and environment as
    // `tsx scripts/logs.ts`, without a Node process per run; exit codes reaching the shell are
    // tooling/cli.test.ts's. The stub's AWS_* variables of this file are removed for the run.
    const noAws = Object.fromEntries(
      Object.keys(process.env)
        .filter((k) => k.startsWith("AWS_"))
        .map((k) => [k, undefined]),
    );
    const run = await runCommandInProcess("scripts/logs.ts", args, {
      ...noAws,
      HOME: home,
      APP_CONFIG: config,
      AWS_CONFIG_FILE: join(home, "none"),
      AWS_SHARED_CREDENTIALS_FILE: join(home, "none"),
      AWS_EC2_METADATA_DISABLED: "true",
      ...env,
    });
    return { status: run.code, stdout: run.stdout, stderr: run.stderr };
  };

  test("without credentials: exit 1 and how to configure them", async () => {
    const run = await logs({ AWS_REGION: "us-east-1", AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: url }, "--stage", "nocreds");
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^npm run logs: no AWS credentials to read \/aws\/lambda\/backend-api-nocreds .*export AWS_PROFILE/m);
  });

  test("a stage that was never deployed: exit 1; a bad stage name or --since: refused before any AWS call", async () => {
    const never = await logs(AwsStub.env(url), "--stage", "never");
    expect(never.status).toBe(1);
    expect(never.stderr).toContain('stage "never" has no log group /aws/lambda/backend-api-never');
    const badName = await logs(AwsStub.env(url), "--stage", "Bad_Name");
    expect(badName.status).toBe(1);
    expect(badName.stderr).toMatch(/stage: "Bad_Name" must start with a letter/);
    const badSince = await logs(AwsStub.env(url), "--since", "soon");
    expect(badSince.status).toBe(2);
    expect(badSince.stderr).toContain('--since: "soon" must be a duration');
    expect(stub.calls.filter((c) => c.service === "logs").map((c) => JSON.parse(c.body).logGroupName)).toEqual([
      "/aws/lambda/backend-api-never",
    ]);
  });
});
