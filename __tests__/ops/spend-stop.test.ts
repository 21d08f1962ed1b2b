/**
 * The spend stop's function (modules/spend-stop/handler.mjs) and `npm run resume` / `npm run
 * status` against the local AWS stub: API Gateway's GetStage / UpdateStage / GetApis through the
 * real SDK (@aws-sdk/client-apigatewayv2, the client Lambda's Node.js runtime provides).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from "vitest";
import { handler, isStopped, stoppedSettings } from "../../modules/spend-stop/handler.mjs";
import { imageTag } from "../../scripts/deploy/image-tag.js";
import { type DeploymentRecord, writeRecord } from "../../scripts/deploy/record.js";
import { resumeStage } from "../../scripts/ops/spend-stop.js";
import { loadDeployedStage } from "../../scripts/ops/stage.js";
import { formatStatus, stageStatus } from "../../scripts/ops/status.js";
import { AwsStub, type StubStage } from "../deploy/support/aws-stub.js";

const PROJECT = fileURLToPath(new URL("../..", import.meta.url));
const stub = new AwsStub();
const saved = { ...process.env };
const dirs: string[] = [];
const API = "a1b2c3d4e5";

beforeAll(async () => {
  Object.assign(process.env, AwsStub.env(await stub.start()));
});
afterAll(async () => {
  await stub.stop();
  // restored in place: the next test file in this worker may share the process (vitest.config.ts)
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** The stage as the app stack creates it with the default config. */
const serving = (): StubStage => ({
  defaultRouteSettings: { throttlingRateLimit: 5, throttlingBurstLimit: 10, detailedMetricsEnabled: false },
  routeSettings: { "POST /users": { throttlingRateLimit: 1, throttlingBurstLimit: 5, detailedMetricsEnabled: false } },
});
const stage = () => stub.world.apis[API]!.stages.$default!;

beforeEach(() => {
  vi.spyOn(console, "log").mockImplementation(() => {}); // the function's log lines
  stub.reset("");
  stub.world.apis = { [API]: { name: "serverless-starter-api", stages: { $default: serving() } } };
});

const snsEvent = {
  Records: [
    { Sns: { TopicArn: "arn:aws:sns:us-east-1:123456789012:serverless-starter-spend-stop", Subject: "AWS Budgets", Message: "..." } },
  ],
};

describe("the spend-stop function", () => {
  test("throttles the default route settings and every route with its own settings to 0, keeping the rest", async () => {
    process.env.API_ID = API;
    process.env.STAGE_NAME = "$default";
    await expect(handler(snsEvent)).resolves.toEqual({ changed: true, routes: ["POST /users"] });
    expect(stage()).toEqual({
      defaultRouteSettings: { throttlingRateLimit: 0, throttlingBurstLimit: 0, detailedMetricsEnabled: false },
      routeSettings: { "POST /users": { throttlingRateLimit: 0, throttlingBurstLimit: 0, detailedMetricsEnabled: false } },
    });
    expect(stub.operations()).toEqual(["apigateway:GetStage", "apigateway:UpdateStage"]);
    expect(stub.calls[1]!.path).toBe(`/v2/apis/${API}/stages/%24default`);
    // a second alert (or a retry) changes nothing
    await expect(handler(snsEvent)).resolves.toEqual({ changed: false, routes: ["POST /users"] });
    expect(stub.operations()).toEqual(["apigateway:GetStage", "apigateway:UpdateStage", "apigateway:GetStage"]);
  });

  test("fails (so Lambda retries the event) when its stage is gone or its settings are missing", async () => {
    process.env.API_ID = "gone";
    process.env.STAGE_NAME = "$default";
    await expect(handler(snsEvent)).rejects.toThrow(/Invalid stage identifier/);
    delete process.env.API_ID;
    await expect(handler(snsEvent)).rejects.toThrow("API_ID and STAGE_NAME must be set");
  });

  test("a stage is stopped only when the defaults and every route's own settings are zero", () => {
    const zero = { ThrottlingRateLimit: 0, ThrottlingBurstLimit: 0 };
    expect(isStopped({ DefaultRouteSettings: zero, RouteSettings: { "POST /users": zero } })).toBe(true);
    expect(
      isStopped({ DefaultRouteSettings: zero, RouteSettings: { "POST /users": { ThrottlingRateLimit: 1, ThrottlingBurstLimit: 0 } } }),
    ).toBe(false);
    expect(isStopped({ DefaultRouteSettings: { ThrottlingRateLimit: 0 } })).toBe(false); // burst left: requests still pass
    expect(isStopped({})).toBe(false); // no throttle at all: the account's limits apply
    expect(stoppedSettings({ DefaultRouteSettings: { DetailedMetricsEnabled: true } }).DefaultRouteSettings).toEqual({
      DetailedMetricsEnabled: true,
      ...zero,
    });
  });
});

function deployed(outputs: Record<string, unknown>, config: Record<string, unknown> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "ops-spend-stop-"));
  dirs.push(dir);
  writeRecord(dir, {
    stage: "dev",
    region: "us-east-1",
    account: "123456789012",
    deployedAt: "2026-11-30T09:00:00.000Z",
    image: { tag: imageTag(PROJECT, "arm64"), digest: "sha256:abc", uri: "repo@sha256:abc" },
    stacks: { app: { function_name: "backend-api", ...outputs } },
  } as DeploymentRecord);
  const configFile = join(dir, "app.config.json");
  writeFileSync(configFile, JSON.stringify(config));
  return loadDeployedStage(PROJECT, { ...process.env, APP_CONFIG: configFile }, undefined, dir);
}

describe("npm run resume", () => {
  test("puts the configured limits back on a stopped stage (the same values the app stack sets)", async () => {
    stub.world.apis[API]!.stages.$default = {
      defaultRouteSettings: { throttlingRateLimit: 0, throttlingBurstLimit: 0, detailedMetricsEnabled: false },
      routeSettings: { "POST /users": { throttlingRateLimit: 0, throttlingBurstLimit: 0, detailedMetricsEnabled: false } },
    };
    const result = await resumeStage(deployed({ api_id: API }, { api_throttling_rate_limit: 7, api_write_burst_limit: 3 }));
    expect(result).toEqual({
      apiId: API,
      resumed: true,
      default: { rateLimit: 7, burstLimit: 10 },
      routes: { "POST /users": { rateLimit: 1, burstLimit: 3 } },
    });
    expect(stage()).toEqual({
      defaultRouteSettings: { throttlingRateLimit: 7, throttlingBurstLimit: 10, detailedMetricsEnabled: false },
      routeSettings: { "POST /users": { throttlingRateLimit: 1, throttlingBurstLimit: 3, detailedMetricsEnabled: false } },
    });
  });

  test("a stage that serves is left alone; without api_id in the record the API is found by name", async () => {
    const result = await resumeStage(deployed({}));
    expect(result.resumed).toBe(false);
    expect(stub.operations()).toEqual(["apigateway:GetApis", "apigateway:GetStage"]);
    expect(stage()).toEqual(serving());
  });

  test("clear one-line errors: no such API, a deleted stage, refused credentials", async () => {
    stub.world.apis = {};
    await expect(resumeStage(deployed({}))).rejects.toThrow(
      'stage "dev" has no API named serverless-starter-api in us-east-1: it was never deployed there (or was destroyed)',
    );
    await expect(resumeStage(deployed({ api_id: API }))).rejects.toThrow(`API ${API} has no $default stage (was the stage destroyed?)`);
    stub.world.credentialsValid = false;
    await expect(resumeStage(deployed({ api_id: API }))).rejects.toThrow(/AWS refused the credentials trying to resume the API stage/);
  });
});

describe("npm run status and the spend stop", () => {
  const quick = { deadlineMs: 100, intervalMs: 50, requestTimeoutMs: 500 };

  test("a stopped stage is NOT healthy and says how to resume; after resume it serves with the stop armed", async () => {
    const outputs = { api_id: API, spend_stop_function: "serverless-starter-spend-stop" };
    process.env.API_ID = API;
    process.env.STAGE_NAME = "$default";
    await handler(snsEvent);
    const stopped = await stageStatus(deployed(outputs), PROJECT, quick);
    expect(stopped.healthy).toBe(false);
    expect(stopped.serving).toMatchObject({ apiId: API, stopped: true, spendStop: true });
    expect(formatStatus(stopped).join("\n")).toContain(
      "✘ API STOPPED: its stage is throttled to 0 requests/s (the spend stop: the month's actual cost passed the budget); every request gets 429. npm run resume restores the configured limits",
    );
    await resumeStage(deployed(outputs));
    const resumed = await stageStatus(deployed(outputs), PROJECT, quick);
    expect(resumed.serving).toMatchObject({ stopped: false, current: { rateLimit: 5, burstLimit: 10 } });
    expect(formatStatus(resumed).join("\n")).toContain("API serving: 5 requests/s per route (burst 10); spend stop armed");
  });
});
