import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { dynamoDbClient } from "../../backend/src/dynamodb-client.js";
import { startTestTable, type TestTable } from "./support/dynamodb.js";
import { jsonRequest } from "./support/events.js";
import { invoke } from "./support/invoke.js";
import { captureRequestLogs } from "./support/logs.js";

let table: TestTable;
let logs: ReturnType<typeof captureRequestLogs>;
const sentCommands: string[] = [];

beforeAll(async () => {
  table = await startTestTable("contract");
  logs = captureRequestLogs();
  dynamoDbClient().middlewareStack.add(
    (next, context) => (args) => {
      sentCommands.push(context.commandName ?? "?");
      return next(args);
    },
    { step: "initialize", name: "recordCommandsForContractTest" },
  );
});
afterAll(async () => {
  logs.restore();
  await table.stop();
});
beforeEach(() => {
  sentCommands.length = 0;
});

const alice = { userId: "alice", name: "Alice Example", email: "alice@example.com" };

describe("the blog's contract", () => {
  test("POST /users creates the user: 201, the blog's body, and the blog's item layout", async () => {
    const answer = await invoke(jsonRequest("POST", "/users", alice));
    expect(answer.status).toBe(201);
    expect(answer.json).toEqual({ message: "User created successfully", userId: "alice" });
    const items = await table.items();
    expect(items).toHaveLength(1);
    const item = items[0] as Record<string, { S: string }>;
    // The blog's four attributes, plus the list index's keys and the create token (table-definition.ts).
    expect(Object.keys(item).sort()).toEqual(["CreateToken", "CreatedAt", "Email", "ListKey", "ListShard", "Name", "UserId"]);
    expect(item.ListKey!.S).toBe(`${item.CreatedAt!.S}#alice`);
    expect(item.ListShard!.S).toMatch(/^[0-3]$/);
    expect(item.UserId!.S).toBe("alice");
    expect(item.Name!.S).toBe("Alice Example");
    expect(item.Email!.S).toBe("alice@example.com");
    expect(item.CreatedAt!.S).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    expect(Math.abs(Date.parse(item.CreatedAt!.S) - Date.now())).toBeLessThan(60_000);
  });
});

describe("extensions", () => {
  test("a create answers 201 with a Location that GET follows to the user", async () => {
    const created = await invoke(jsonRequest("POST", "/users", { ...alice, userId: "loc-1" }));
    expect(created.headers.location).toBe("/users/loc-1");
    const read = await invoke(jsonRequest("GET", created.headers.location!));
    expect(read.status).toBe(200);
    expect(read.json).toEqual({ userId: "loc-1", name: "Alice Example", createdAt: expect.any(String) });
  });

  test("a duplicate create answers 409 and keeps the first item", async () => {
    await invoke(jsonRequest("POST", "/users", { ...alice, userId: "dup" }));
    const before = (await table.items()).find((i) => (i as any).UserId.S === "dup");
    const second = await invoke(jsonRequest("POST", "/users", { userId: "dup", name: "Mallory", email: "m@evil.example" }));
    expect(second.status).toBe(409);
    expect(second.json.error).toMatchObject({ code: "user_exists", requestId: second.event.requestContext.requestId });
    const after = (await table.items()).find((i) => (i as any).UserId.S === "dup");
    expect(after).toEqual(before);
  });

  test("GET /users/{userId} returns userId, name and createdAt, never the email", async () => {
    await invoke(jsonRequest("POST", "/users", { ...alice, userId: "private" }));
    const read = await invoke(jsonRequest("GET", "/users/private"));
    expect(Object.keys(read.json).sort()).toEqual(["createdAt", "name", "userId"]);
    expect(read.rawBody).not.toContain("alice@example.com");
  });

  test("GET of an unknown user is a 404 JSON error carrying the request id", async () => {
    const read = await invoke(jsonRequest("GET", "/users/nobody"));
    expect(read.status).toBe(404);
    expect(read.json).toEqual({
      error: { code: "not_found", message: expect.any(String), requestId: read.event.requestContext.requestId },
    });
  });

  test("the name is stored trimmed and NFC-normalized", async () => {
    await invoke(jsonRequest("POST", "/users", { ...alice, userId: "nfc", name: "  Zoe\u0301  " }));
    const read = await invoke(jsonRequest("GET", "/users/nfc"));
    expect(read.json.name).toBe("Zo\u00e9");
  });

  test("GET /users pages through every user with an opaque cursor and no emails", async () => {
    const ids = ["p1", "p2", "p3", "p4", "p5"];
    for (const id of ids) await invoke(jsonRequest("POST", "/users", { ...alice, userId: id }));
    const all = new Set((await table.items()).map((i) => (i as any).UserId.S as string));
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `?limit=2&cursor=${encodeURIComponent(cursor)}` : "?limit=2";
      const page = await invoke(jsonRequest("GET", `/users${query}`));
      expect(page.status).toBe(200);
      expect(page.json.items.length).toBeLessThanOrEqual(2);
      expect(page.rawBody).not.toContain("@");
      for (const item of page.json.items) {
        expect(Object.keys(item).sort()).toEqual(["createdAt", "name", "userId"]);
        seen.push(item.userId);
      }
      cursor = page.json.nextCursor;
      pages += 1;
    } while (cursor !== null && pages < 50);
    expect(cursor).toBeNull();
    expect(new Set(seen)).toEqual(all);
    expect(seen).toHaveLength(all.size);
    expect(pages).toBeGreaterThanOrEqual(Math.ceil(all.size / 2));
  });

  test("GET /users without a limit answers the default page", async () => {
    const page = await invoke(jsonRequest("GET", "/users"));
    expect(page.status).toBe(200);
    expect(Array.isArray(page.json.items)).toBe(true);
    expect(page.json.items.length).toBeGreaterThan(0);
    expect(page.json.items.length).toBeLessThanOrEqual(20);
  });

  test("GET /health answers 200 without any DynamoDB call", async () => {
    const health = await invoke(jsonRequest("GET", "/health"));
    expect(health.status).toBe(200);
    expect(health.json).toEqual({ status: "ok" });
    expect(sentCommands).toEqual([]);
    await invoke(jsonRequest("GET", "/users/alice"));
    expect(sentCommands).toEqual(["GetItemCommand"]); // the recorder does see real calls
  });

  test("a valid base64-encoded body with charset=utf-8 is accepted", async () => {
    const answer = await invoke({
      method: "POST",
      path: "/users",
      headers: { "content-type": "application/json; charset=UTF-8" },
      rawBody: { body: Buffer.from(JSON.stringify({ ...alice, userId: "b64" })).toString("base64"), isBase64Encoded: true },
    });
    expect(answer.status).toBe(201);
  });

  test("answers are JSON, not cacheable, and carry no CORS headers (API Gateway owns CORS)", async () => {
    for (const spec of [jsonRequest("GET", "/health"), jsonRequest("GET", "/users/nobody")]) {
      const answer = await invoke({ ...spec, headers: { ...spec.headers, origin: "https://app.example.com" } });
      expect(answer.headers["content-type"]).toMatch(/^application\/json/);
      expect(answer.headers["cache-control"]).toBe("no-store");
      expect(Object.keys(answer.headers).filter((h) => h.startsWith("access-control-"))).toEqual([]);
    }
  });

  test("a method the path does not support is a 405 with Allow (defensive: API Gateway would not invoke)", async () => {
    const answer = await invoke(jsonRequest("DELETE", "/users/alice"));
    expect(answer.event.routeKey).toBe("$default");
    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toBe("GET");
    const onCollection = await invoke(jsonRequest("PUT", "/users"));
    expect(onCollection.headers.allow).toBe("GET, POST");
  });

  test("an unknown path is a 404 JSON error", async () => {
    const answer = await invoke(jsonRequest("GET", "/admin"));
    expect(answer.status).toBe(404);
    expect(answer.json.error.code).toBe("not_found");
  });

  test("a $default route event for a known method and path is still served", async () => {
    const answer = await invoke({ ...jsonRequest("GET", "/users/alice"), routeKey: "$default" });
    expect(answer.status).toBe(200);
    expect(answer.json.userId).toBe("alice");
  });

  test("each request logs one JSON line with request id, route, status and latency, never the body", async () => {
    const before = logs.lines.length;
    const body = { userId: "logged", name: "Secret Name", email: "secret@example.com" };
    const answer = await invoke(jsonRequest("POST", "/users", body));
    const lines = logs.lines.slice(before);
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!);
    expect(entry).toMatchObject({
      requestId: answer.event.requestContext.requestId,
      awsRequestId: expect.stringMatching(/^[0-9a-f]{32}$/),
      route: "POST /users",
      status: 201,
      latencyMs: expect.any(Number),
    });
    expect(lines[0]).not.toContain("secret@example.com");
    expect(lines[0]).not.toContain("Secret Name");
  });
});
