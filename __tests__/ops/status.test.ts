/**
 * `npm run status` against the local AWS stub (CloudWatch DescribeAlarms through the real SDK) and
 * a local HTTP server standing in for the API and the web app.
 */

import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { imageTag } from "../../scripts/deploy/image-tag.js";
import { type DeploymentRecord, writeRecord } from "../../scripts/deploy/record.js";
import { loadDeployedStage } from "../../scripts/ops/stage.js";
import { formatStatus, stageStatus } from "../../scripts/ops/status.js";
import { AwsStub } from "../deploy/support/aws-stub.js";

const PROJECT = fileURLToPath(new URL("../..", import.meta.url));
const stub = new AwsStub();
const saved = { ...process.env };
const dirs: string[] = [];
let site: Server;
let siteUrl: string;
/** What the local "API and web app" answers per path. */
let answers: Record<string, [number, unknown]>;

beforeAll(async () => {
  Object.assign(process.env, AwsStub.env(await stub.start()));
  site = createServer((req, res) => {
    const [status, body] = answers[req.url ?? ""] ?? [404, { message: "Not Found" }];
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => site.listen(0, "127.0.0.1", resolve));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await stub.stop();
  await new Promise((resolve) => site.close(resolve));
  // restored in place: the next test file in this worker may share the process (vitest.config.ts)
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
beforeEach(() => {
  stub.reset("");
  answers = {
    "/api/health": [200, { status: "ok" }],
    "/api/users?limit=1": [200, { items: [], nextCursor: null }],
    "/web/config.json": [200, { apiUrl: `${siteUrl}/api` }],
  };
});

const ALARMS = {
  "us-east-1": ["serverless-starter-lambda-errors", "serverless-starter-api-5xx"],
  "eu-west-1": ["serverless-starter-cdn-5xx-rate"],
};

function deployed(record: Partial<DeploymentRecord> | undefined) {
  const dir = mkdtempSync(join(tmpdir(), "ops-status-"));
  dirs.push(dir);
  if (record) {
    writeRecord(dir, {
      stage: "dev",
      region: "us-east-1",
      account: "123456789012",
      deployedAt: "2026-11-30T09:00:00.000Z",
      image: { tag: imageTag(PROJECT, "arm64"), digest: "sha256:abc", uri: "repo@sha256:abc" },
      web_url: `${siteUrl}/web`,
      api_url: `${siteUrl}/api`,
      stacks: { app: { web_url: `${siteUrl}/web`, api_url: `${siteUrl}/api`, function_name: "backend-api", alarm_names: ALARMS } },
      ...record,
    });
  }
  return loadDeployedStage(PROJECT, { ...process.env, APP_CONFIG: "" }, undefined, dir);
}

const quick = { deadlineMs: 200, intervalMs: 50, requestTimeoutMs: 2000 };

describe("npm run status", () => {
  test("a healthy stage: URLs, the smoke checks, the image the tree builds, every alarm OK in its region", async () => {
    stub.world.alarms = {
      "us-east-1": ALARMS["us-east-1"].map((AlarmName) => ({ AlarmName, StateValue: "OK" as const })),
      "eu-west-1": [{ AlarmName: "serverless-starter-cdn-5xx-rate", StateValue: "OK" }],
    };
    const status = await stageStatus(deployed({ commit: "3f2a1bc" } as Partial<DeploymentRecord>), PROJECT, quick);
    expect(status).toMatchObject({
      stage: "dev",
      healthy: true,
      deployedAt: "2026-11-30T09:00:00.000Z",
      commit: "3f2a1bc",
      image: { current: true },
    });
    expect(status.smoke.map((r) => [r.name, r.ok])).toEqual([
      ["API GET /health", true],
      ["API GET /users?limit=1 (function reads the table)", true],
      ["web GET /config.json through CloudFront", true],
    ]);
    expect(status.alarms.map((a) => `${a.region} ${a.name} ${a.state}`)).toEqual([
      "us-east-1 serverless-starter-lambda-errors OK",
      "us-east-1 serverless-starter-api-5xx OK",
      "eu-west-1 serverless-starter-cdn-5xx-rate OK",
    ]);
    // each region asked for its own alarms, by name
    expect(stub.calls.map((c) => [c.service, c.operation, c.region, JSON.parse(c.body).AlarmNames])).toEqual([
      ["monitoring", "DescribeAlarms", "us-east-1", ALARMS["us-east-1"]],
      ["monitoring", "DescribeAlarms", "eu-west-1", ALARMS["eu-west-1"]],
    ]);
    const text = formatStatus(status).join("\n");
    expect(text).toContain("Stage dev (us-east-1): healthy");
    expect(text).toContain("last deployed 2026-11-30T09:00:00.000Z from commit 3f2a1bc");
    expect(text).toMatch(/image \w+-arm64: what the working tree builds/);
  });

  test("an API that fails, an alarm firing, one that no longer exists, and an older image: NOT healthy, each named", async () => {
    answers["/api/users?limit=1"] = [503, { error: { code: "service_unavailable" } }];
    stub.world.alarms = {
      "us-east-1": [
        { AlarmName: "serverless-starter-lambda-errors", StateValue: "ALARM", StateReason: "Threshold Crossed: 1 datapoint [7.0] >= 5" },
        { AlarmName: "serverless-starter-api-5xx", StateValue: "OK" },
      ],
    };
    const status = await stageStatus(deployed({ image: { tag: "000000000000-arm64", digest: "d", uri: "u" } }), PROJECT, quick);
    expect(status.healthy).toBe(false);
    expect(status.image).toMatchObject({ deployed: "000000000000-arm64", current: false });
    const text = formatStatus(status).join("\n");
    expect(text).toContain("Stage dev (us-east-1): NOT healthy");
    expect(text).toContain("(the record names no commit)");
    expect(text).toMatch(/✘ API GET \/users\?limit=1 .* answered 503/);
    expect(text).toContain("✘ ALARM             serverless-starter-lambda-errors (us-east-1): Threshold Crossed: 1 datapoint [7.0] >= 5");
    expect(text).toContain("✘ MISSING           serverless-starter-cdn-5xx-rate (eu-west-1)");
    expect(text).toMatch(/the working tree would build \w+-arm64 \(npm run deploy rolls it\)/);
  });

  test("a stage never deployed from here says so and calls nothing", async () => {
    await expect(stageStatus(deployed(undefined), PROJECT, quick)).rejects.toThrow(
      /^stage "dev" has no deploy record \(.*dev\.json\): it was never deployed from this working tree\. Deploy it with npm run deploy$/,
    );
    expect(stub.calls).toEqual([]);
  });

  test("credentials AWS refuses: one line saying how to configure them", async () => {
    stub.world.credentialsValid = false;
    await expect(stageStatus(deployed({}), PROJECT, quick)).rejects.toThrow(
      /AWS refused the credentials trying to read the alarms .*export AWS_PROFILE/,
    );
  });
});
