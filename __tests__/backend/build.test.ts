import { execFile } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startTestTable, type TestTable } from "./support/dynamodb.js";
import { jsonRequest } from "./support/events.js";
import { invoke, type LambdaHandler } from "./support/invoke.js";
import { captureRequestLogs } from "./support/logs.js";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const bundlePath = `${repoRoot}backend/dist/index.mjs`;

let table: TestTable;
let logs: ReturnType<typeof captureRequestLogs>;
let builtAt = 0;

beforeAll(async () => {
  const started = Date.now();
  await promisify(execFile)("npm", ["run", "--silent", "build:backend"], { cwd: repoRoot });
  builtAt = started;
  table = await startTestTable("bundle");
  logs = captureRequestLogs();
}, 60_000);
afterAll(async () => {
  logs.restore();
  await table?.stop();
});

test("npm run build:backend writes one fresh, self-contained ESM bundle within the size budget", () => {
  const stats = statSync(bundlePath);
  expect(stats.mtimeMs).toBeGreaterThanOrEqual(builtAt - 1_000);
  const code = readFileSync(bundlePath, "utf8");
  // The SDK is inside the bundle: no import of it is left for the runtime to resolve.
  // (Booleans, not toMatch: a failure would print 300 KiB of minified code.)
  expect(/from\s*"@(aws-sdk|smithy)\//.test(code), "imports an SDK package").toBe(false);
  expect(/export\s*\{\s*[\w$]+ as handler\s*\};?\s*$/.test(code), "exports handler").toBe(true);
  // Minified: the budget of the bench (< 600 KB) holds.
  expect(stats.size).toBeLessThan(600 * 1024);
});

test("the bundle's handler, given a real API Gateway event, creates a user in DynamoDB", async () => {
  const bundle = (await import(`${pathToFileURL(bundlePath).href}?t=${Date.now()}`)) as { handler: LambdaHandler };
  const created = await invoke(
    jsonRequest("POST", "/users", { userId: "bundled", name: "Bundled", email: "b@example.com" }),
    bundle.handler,
  );
  expect(created.status).toBe(201);
  expect(created.json).toEqual({ message: "User created successfully", userId: "bundled" });
  expect(await table.items()).toEqual([expect.objectContaining({ UserId: { S: "bundled" } })]);
  const read = await invoke(jsonRequest("GET", "/users/bundled"), bundle.handler);
  expect(read.json).toMatchObject({ userId: "bundled", name: "Bundled" });
});
