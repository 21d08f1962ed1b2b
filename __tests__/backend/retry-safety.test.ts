/**
 * Creates that are safe to retry, and DynamoDB calls held to a total deadline: a proxy in front of
 * dynalite that lets the write commit but delays its answer past the attempt timeout, the
 * Idempotency-Key cases, and an endpoint that trickles its answer a byte at a time.
 */
import { createServer as createHttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { connect, createServer as createTcpServer, type Server, type Socket } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import { DYNAMODB_TIMEOUTS } from "../../backend/src/dynamodb-client.js";
import { createToken } from "../../backend/src/users-table.js";
import { listen, setDummyAwsEnv, startTestTable, stop, type TestTable } from "./support/dynamodb.js";
import { jsonRequest, type RequestSpec } from "./support/events.js";
import { type ApiAnswer, invoke, type LambdaHandler } from "./support/invoke.js";
import { captureRequestLogs } from "./support/logs.js";

let logs: ReturnType<typeof captureRequestLogs>;
const cleanups: (() => Promise<void>)[] = [];
beforeAll(() => {
  logs = captureRequestLogs();
});
afterAll(() => logs.restore());
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function coldHandler(): Promise<LambdaHandler> {
  vi.resetModules();
  return (await import("../../backend/src/handler.js")).handler;
}

async function table(name: string): Promise<TestTable> {
  const t = await startTestTable(name);
  cleanups.push(() => t.stop());
  return t;
}

const body = (userId: string, name = "Retry Safe") => ({ userId, name, email: `${userId}@example.com` });
const createRequest = (user: object, key?: string): RequestSpec => {
  const spec = jsonRequest("POST", "/users", user);
  if (key !== undefined) spec.headers = { ...spec.headers, "idempotency-key": key };
  return spec;
};

/**
 * A TCP proxy to `upstream`: requests pass at once (so DynamoDB commits); the answers on the first
 * `heldConnections` connections are held for `holdMs`, until `passThrough()`. Counts connections.
 */
async function lateAnswerProxy(upstream: string, holdMs: number, heldConnections = Infinity) {
  const { port: upstreamPort } = new URL(upstream);
  let passing = false;
  let connections = 0;
  const sockets = new Set<Socket>();
  const server: Server = createTcpServer((client) => {
    connections += 1;
    const hold = !passing && connections <= heldConnections;
    const target = connect(Number(upstreamPort), "127.0.0.1");
    sockets.add(client).add(target);
    client.on("data", (chunk) => target.write(chunk));
    target.on("data", (chunk) => {
      if (!hold) client.write(chunk);
      else setTimeout(() => client.destroyed || client.write(chunk), holdMs);
    });
    const close = () => {
      client.destroy();
      target.destroy();
    };
    client.on("error", close).on("close", close);
    target.on("error", close).on("close", close);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  cleanups.push(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  return {
    endpoint,
    connections: () => connections,
    passThrough: () => {
      passing = true;
    },
  };
}

describe("a create whose answer is lost after DynamoDB committed it", () => {
  test("the SDK's retry after the attempt timeout finds its own write and answers 201, not 409", async () => {
    const t = await table("late-sdk");
    // The first attempt's answer is held past its timeout; the SDK's retry (a new connection) is not.
    const proxy = await lateAnswerProxy(t.endpoint, 10 * DYNAMODB_TIMEOUTS.requestTimeoutMs, 1);
    setDummyAwsEnv(proxy.endpoint, t.tableName);
    const handler = await coldHandler();
    const answer = await invoke(createRequest(body("late-1")), handler);
    expect(answer.status).toBe(201);
    expect(answer.json).toEqual({ message: "User created successfully", userId: "late-1" });
    expect(proxy.connections()).toBeGreaterThanOrEqual(2); // the retry went out on a new connection
    expect(await t.items()).toHaveLength(1);
  });

  test("a client retrying a 503 with the same Idempotency-Key gets the 201 of the create that was stored", async () => {
    const t = await table("late-client");
    const proxy = await lateAnswerProxy(t.endpoint, 10 * DYNAMODB_TIMEOUTS.requestTimeoutMs);
    setDummyAwsEnv(proxy.endpoint, t.tableName);
    const handler = await coldHandler();
    const first = await invoke(createRequest(body("late-2"), "key-late-2"), handler);
    expect(first.status).toBe(503);
    expect(await t.items()).toHaveLength(1); // committed all the same
    proxy.passThrough();
    const retried = await invoke(createRequest(body("late-2"), "key-late-2"), handler);
    expect(retried.status).toBe(201);
    expect(retried.headers.location).toBe("/users/late-2");
    // Without the key the retry is a different create: the id is taken.
    expect((await invoke(createRequest(body("late-2")), handler)).status).toBe(409);
  });
});

describe("Idempotency-Key", () => {
  let handler: LambdaHandler;
  let t: TestTable;
  const send = (user: object, key?: string) => invoke(createRequest(user, key), handler);
  const stripIds = (a: ApiAnswer) => ({ status: a.status, json: a.json, location: a.headers.location });

  beforeAll(async () => {
    t = await startTestTable("idempotency");
    handler = await coldHandler();
  });
  afterAll(() => t.stop());

  test("the same key with the same body gets the same answer, and nothing is written twice", async () => {
    const first = await send(body("idem-1"), "key-1");
    const again = await send(body("idem-1"), "key-1");
    expect(first.status).toBe(201);
    expect(stripIds(again)).toEqual(stripIds(first));
    const items = (await t.items()).filter((i) => (i as { UserId: { S: string } }).UserId.S === "idem-1");
    expect(items).toHaveLength(1);
  });

  test("the same key with another body for the same userId is 409", async () => {
    await send(body("idem-2"), "key-2");
    const other = await send(body("idem-2", "Someone Else"), "key-2");
    expect(other.status).toBe(409);
    expect(other.json.error.code).toBe("user_exists");
  });

  test("another key (or none) with the same body is another create: 409", async () => {
    await send(body("idem-3"), "key-3");
    expect((await send(body("idem-3"), "key-3-other")).status).toBe(409);
    expect((await send(body("idem-3"))).status).toBe(409);
  });

  test("without a key, a second identical create is 409 as before", async () => {
    expect((await send(body("idem-4"))).status).toBe(201);
    expect((await send(body("idem-4"))).status).toBe(409);
  });

  test.each([
    ["empty", ""],
    ["too long", "k".repeat(256)],
    ["not ASCII", "clé"],
    ["two values joined by the gateway", "a, b"],
  ])("a key that is %s is a 400 naming the header, and nothing is written", async (_, key) => {
    const answer = await send(body("idem-bad"), key);
    expect(answer.status).toBe(400);
    expect(answer.json.error).toMatchObject({ code: "invalid_header", fields: { "Idempotency-Key": expect.any(String) } });
    expect((await t.items()).some((i) => (i as { UserId: { S: string } }).UserId.S === "idem-bad")).toBe(false);
  });
});

describe("the refusal's own copy of the item (ReturnValuesOnConditionCheckFailure)", () => {
  test("a matching token in the refusal answers 201 without reading the item again", async () => {
    const user = body("returned");
    const stored = {
      UserId: { S: user.userId },
      Name: { S: user.name },
      CreatedAt: { S: "2026-01-02T03:04:05.678Z" },
      CreateToken: { S: createToken("key-r", user) },
    };
    const requests: string[] = [];
    const server = createHttpServer((req, res) => {
      requests.push(String(req.headers["x-amz-target"]));
      req.resume();
      req.on("end", () => {
        res.writeHead(400, { "content-type": "application/x-amz-json-1.0" });
        // What DynamoDB answers a PutItem asking for ALL_OLD on a failed condition.
        res.end(
          JSON.stringify({
            __type: "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",
            message: "The conditional request failed",
            Item: stored,
          }),
        );
      });
    });
    const endpoint = await listen(server);
    cleanups.push(() => stop(server));
    setDummyAwsEnv(endpoint, "returned");
    const handler = await coldHandler();
    const answer = await invoke(createRequest(user, "key-r"), handler);
    expect(answer.status).toBe(201);
    expect(requests).toEqual(["DynamoDB_20120810.PutItem"]);
    const other = await invoke(createRequest(user, "key-other"), handler);
    expect(other.status).toBe(409);
  });
});

describe("an endpoint that trickles its answer", () => {
  test("a DynamoDB call is cut off at the attempt deadline, not held until the function's own", async () => {
    let writers = 0;
    const timers = new Set<NodeJS.Timeout>();
    const server = createHttpServer((req, res) => {
      writers += 1;
      req.resume();
      req.on("end", () => {
        // Headers at once, then a valid answer one byte every 50 ms: ~15 s for the whole body.
        res.writeHead(200, { "content-type": "application/x-amz-json-1.0" });
        const answer = `{"Item":{"UserId":{"S":"slow"},"Name":{"S":"Slow"},"CreatedAt":{"S":"2026-01-02T03:04:05.678Z"}}${" ".repeat(200)}}`;
        let i = 0;
        const timer = setInterval(() => {
          if (res.destroyed || i >= answer.length) {
            clearInterval(timer);
            if (!res.destroyed) res.end();
            return;
          }
          res.write(answer[i++]);
        }, 50);
        timers.add(timer);
      });
    });
    const endpoint = await listen(server);
    cleanups.push(async () => {
      for (const t of timers) clearInterval(t);
      await stop(server);
    });
    setDummyAwsEnv(endpoint, "trickle");
    const handler = await coldHandler();
    const functionTimeoutMs = 12_000;
    const started = performance.now();
    const answer = await invoke(jsonRequest("GET", "/users/slow"), handler, functionTimeoutMs);
    const ms = performance.now() - started;
    expect(answer.status).toBe(503);
    // Each attempt gets requestTimeoutMs from request to last byte; retries are bounded.
    expect(ms).toBeLessThan(DYNAMODB_TIMEOUTS.maxAttempts * DYNAMODB_TIMEOUTS.requestTimeoutMs + 1_500);
    expect(writers).toBe(DYNAMODB_TIMEOUTS.maxAttempts);
  });
});
