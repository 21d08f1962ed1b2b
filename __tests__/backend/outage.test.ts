import { createServer as createHttpServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createServer as createTcpServer, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { ENV } from "../../backend/src/contract.js";
import { DYNAMODB_TIMEOUTS } from "../../backend/src/dynamodb-client.js";
import { ANSWER_RESERVE_MS } from "../../backend/src/handler.js";
import { listen, setDummyAwsEnv, startTestTable, stop } from "./support/dynamodb.js";
import { jsonRequest } from "./support/events.js";
import { type ApiAnswer, invoke, type LambdaHandler } from "./support/invoke.js";
import { captureRequestLogs } from "./support/logs.js";

/** The app stack's function timeout; a 503 must come back well before it. */
const FUNCTION_TIMEOUT_MS = 5_000;
const ANSWER_WITHIN_MS = 4_000;

let logs: ReturnType<typeof captureRequestLogs>;
beforeAll(() => {
  logs = captureRequestLogs();
});
afterAll(() => logs.restore());

/** A cold container: new module instances, so the next client reads the current environment. */
async function coldHandler(): Promise<LambdaHandler> {
  vi.resetModules();
  return (await import("../../backend/src/handler.js")).handler;
}

const newUser = (userId: string) => jsonRequest("POST", "/users", { userId, name: "Outage", email: "outage@example.com" });

async function timed(call: Promise<ApiAnswer>): Promise<ApiAnswer & { ms: number }> {
  const started = performance.now();
  const answer = await call;
  return { ...answer, ms: performance.now() - started };
}

/** 503, Retry-After, the standard error body and nothing internal in it. */
function expectUnavailable(answer: ApiAnswer & { ms: number }) {
  expect(answer.status).toBe(503);
  expect(Number(answer.headers["retry-after"])).toBeGreaterThan(0);
  expect(answer.json).toEqual({
    error: {
      code: "service_unavailable",
      message: "The service is temporarily unavailable; retry later.",
      requestId: answer.event.requestContext.requestId,
    },
  });
  expect(answer.rawBody).not.toMatch(/127\.0\.0\.1|ECONN|Timeout|Exception|Error|at .*\.js|DynamoDB/);
  expect(answer.ms).toBeLessThan(ANSWER_WITHIN_MS);
  expect(ANSWER_WITHIN_MS).toBeLessThan(FUNCTION_TIMEOUT_MS);
}

/** A fake DynamoDB endpoint answering every request with this error, counting requests. */
async function erroringDynamoDb(status: number, type: string, message: string) {
  let requests = 0;
  const server: Server = createHttpServer((req, res) => {
    requests += 1;
    req.resume();
    req.on("end", () => {
      res.writeHead(status, { "content-type": "application/x-amz-json-1.0", "x-amzn-requestid": "FAKE" });
      res.end(JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message }));
    });
  });
  const endpoint = await listen(server);
  return { endpoint, server, requests: () => requests };
}

describe("DynamoDB stopped mid-run", () => {
  test("requests answer 503 quickly once dynalite is gone, and /health still answers", async () => {
    const table = await startTestTable("stopped");
    try {
      const handler = await coldHandler();
      expect((await invoke(newUser("before"), handler)).status).toBe(201);
      await stop(table.server);
      expectUnavailable(await timed(invoke(newUser("after"), handler)));
      expectUnavailable(await timed(invoke(jsonRequest("GET", "/users/before"), handler)));
      expectUnavailable(await timed(invoke(jsonRequest("GET", "/users"), handler)));
      expect((await invoke(jsonRequest("GET", "/health"), handler)).status).toBe(200);
    } finally {
      await table.stop();
    }
  });
});

describe("DynamoDB accepts connections and never answers", () => {
  test("the request times out per attempt and answers 503 within the budget", async () => {
    const sockets = new Set<Socket>();
    const server = createTcpServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      setDummyAwsEnv(endpoint, "hanging");
      const handler = await coldHandler();
      const answer = await timed(invoke(newUser("hang"), handler));
      expectUnavailable(answer);
      // Each attempt waited for its request timeout: bounded retries, not an instant failure.
      expect(answer.ms).toBeGreaterThanOrEqual(DYNAMODB_TIMEOUTS.requestTimeoutMs * DYNAMODB_TIMEOUTS.maxAttempts - 50);
      expect(sockets.size).toBe(DYNAMODB_TIMEOUTS.maxAttempts);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe("a function timeout shorter than the SDK's own bounds", () => {
  test("DynamoDB calls are cut off before the function's deadline and answered 503", async () => {
    const sockets = new Set<Socket>();
    const server = createTcpServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      setDummyAwsEnv(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, "hanging");
      const handler = await coldHandler();
      // 1.2 s is less than the SDK's 2 attempts x 1 s request timeout: only the deadline can answer in time.
      const functionTimeoutMs = 1_200;
      const answer = await timed(invoke(newUser("deadline"), handler, functionTimeoutMs));
      expectUnavailable(answer);
      expect(answer.ms).toBeLessThan(functionTimeoutMs);
      expect(answer.ms).toBeGreaterThanOrEqual(functionTimeoutMs - ANSWER_RESERVE_MS - 100);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe("DynamoDB errors", () => {
  test("throttling (ProvisionedThroughputExceededException) is retried a bounded number of times, then 503", async () => {
    const fake = await erroringDynamoDb(
      400,
      "ProvisionedThroughputExceededException",
      "The level of configured provisioned throughput for the table was exceeded.",
    );
    try {
      setDummyAwsEnv(fake.endpoint, "throttled");
      const handler = await coldHandler();
      expectUnavailable(await timed(invoke(newUser("throttled"), handler)));
      expect(fake.requests()).toBe(DYNAMODB_TIMEOUTS.maxAttempts);
      expectUnavailable(await timed(invoke(jsonRequest("GET", "/users?limit=5"), handler)));
    } finally {
      await stop(fake.server);
    }
  });

  test("a DynamoDB 500 answers 503", async () => {
    const fake = await erroringDynamoDb(500, "InternalServerError", "Internal server error");
    try {
      setDummyAwsEnv(fake.endpoint, "failing");
      const handler = await coldHandler();
      expectUnavailable(await timed(invoke(jsonRequest("GET", "/users/someone"), handler)));
    } finally {
      await stop(fake.server);
    }
  });

  test("a non-transient error (missing table) answers 500 without its text", async () => {
    const fake = await erroringDynamoDb(400, "ResourceNotFoundException", "Requested resource not found: Table: secret-table not found");
    try {
      setDummyAwsEnv(fake.endpoint, "secret-table");
      const handler = await coldHandler();
      const answer = await invoke(newUser("lost"), handler);
      expect(answer.status).toBe(500);
      expect(answer.json).toEqual({
        error: { code: "internal_error", message: "Internal server error.", requestId: answer.event.requestContext.requestId },
      });
      expect(answer.rawBody).not.toMatch(/secret-table|Resource|not found/i);
      expect(fake.requests()).toBe(1); // not retried
    } finally {
      await stop(fake.server);
    }
  });

  test("a function without its table settings answers 500 naming no variable, and logs the cause", async () => {
    setDummyAwsEnv("http://127.0.0.1:9", "unused");
    delete process.env[ENV.tableName];
    const handler = await coldHandler();
    const before = logs.lines.length;
    const answer = await invoke(jsonRequest("GET", "/users/someone"), handler);
    expect(answer.status).toBe(500);
    expect(answer.rawBody).not.toContain(ENV.tableName);
    expect(JSON.parse(logs.lines[before]!)).toMatchObject({ status: 500, errorName: "TableConfigError" });
  });
});
