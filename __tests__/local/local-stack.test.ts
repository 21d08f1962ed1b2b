/**
 * The local stack as `npm run dev` runs it (without the web server): the real handler, bundled
 * and loaded like the dev script does, behind the gateway stand-in, against dynalite.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureTable, startDynamoDb } from "../../scripts/local/dynamodb.js";
import { type LocalStack, startLocalStack } from "../../scripts/local/local-stack.js";
import { parseConfig } from "../../stacks/config.js";

const WEB_ORIGIN = "http://127.0.0.1:5999";
const config = (() => {
  const parsed = parseConfig({});
  if (!parsed.ok) throw new Error("default config must parse");
  return parsed.config;
})();

const start = (dataDir?: string) => startLocalStack({ web: false, apiPort: 0, dataDir, config, extraOrigins: [WEB_ORIGIN] });

const post = (stack: LocalStack, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${stack.apiUrl}/users`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

describe("the local API in front of the real handler and dynalite", () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await start();
  });
  afterAll(() => stack.close());

  it("creates a user (201 + Location), reads it back without the email and lists it", async () => {
    const created = await post(stack, { userId: "ada", name: "Ada Lovelace", email: "ada@example.com" });
    expect(created.status).toBe(201);
    expect(created.headers.get("location")).toBe("/users/ada");
    expect(await created.json()).toMatchObject({ userId: "ada" });

    const read = await fetch(`${stack.apiUrl}/users/ada`);
    expect(read.status).toBe(200);
    const user = await read.json();
    expect(user).toMatchObject({ userId: "ada", name: "Ada Lovelace" });
    expect(user).not.toHaveProperty("email");

    const list = await (await fetch(`${stack.apiUrl}/users?limit=10`)).json();
    expect(list.items.map((u: { userId: string }) => u.userId)).toContain("ada");
  });

  it("answers 409 to a duplicate id and keeps the first user", async () => {
    await post(stack, { userId: "dup", name: "First", email: "first@example.com" });
    const second = await post(stack, { userId: "dup", name: "Second", email: "second@example.com" });
    expect(second.status).toBe(409);
    expect((await second.json()).error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    expect((await (await fetch(`${stack.apiUrl}/users/dup`)).json()).name).toBe("First");
  });

  it("answers 400 with field errors and the gateway's request id", async () => {
    const response = await post(stack, { userId: "bad", name: "Bad", email: "not-an-email" });
    expect(response.status).toBe(400);
    const { error } = await response.json();
    expect(Object.keys(error.fields)).toEqual(["email"]);
    expect(error.requestId).toBe(response.headers.get("apigw-requestid"));
  });

  it("serves GET /health and 404s an unknown route", async () => {
    expect((await fetch(`${stack.apiUrl}/health`)).status).toBe(200);
    const unknown = await fetch(`${stack.apiUrl}/admin`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ message: "Not Found" });
  });

  it("sends CORS headers to the web origin only", async () => {
    const allowed = await post(stack, { userId: "cors1", name: "C", email: "c@example.com" }, { origin: WEB_ORIGIN });
    expect(allowed.headers.get("access-control-allow-origin")).toBe(WEB_ORIGIN);
    const other = await post(stack, { userId: "cors2", name: "C", email: "c@example.com" }, { origin: "https://evil.example" });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("lets the web origin's scripts read Location and Retry-After, as the app stack's CORS does", async () => {
    const created = await post(stack, { userId: "exposed", name: "E", email: "e@example.com" }, { origin: WEB_ORIGIN });
    expect(created.status).toBe(201);
    const exposed = created.headers
      .get("access-control-expose-headers")
      ?.split(",")
      .map((h) => h.trim());
    expect(exposed).toEqual(expect.arrayContaining(["location", "retry-after"]));
  });

  it("answers 400 to a JSON body that is not UTF-8, as the handler does behind API Gateway", async () => {
    const body = Buffer.from([...Buffer.from('{"userId":"bytes","name":"Jo'), 0xc3, 0x28, ...Buffer.from('","email":"b@example.com"}')]);
    const response = await fetch(`${stack.apiUrl}/users`, { method: "POST", headers: { "content-type": "application/json" }, body });
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe("invalid_encoding");
    expect((await fetch(`${stack.apiUrl}/users/bytes`)).status).toBe(404);
  });

  it("hands a form-encoded body over base64-encoded, which the handler refuses as not JSON", async () => {
    const response = await fetch(`${stack.apiUrl}/users`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "userId=x&name=y&email=z%40example.com",
    });
    expect(response.status).toBe(415);
  });
});

describe("persistence", () => {
  it("keeps the data across a restart on the same data folder", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "local-stack-"));
    try {
      const first = await start(dataDir);
      expect((await post(first, { userId: "kept", name: "Kept", email: "kept@example.com" })).status).toBe(201);
      await first.close();

      const second = await start(dataDir);
      try {
        const read = await fetch(`${second.apiUrl}/users/kept`);
        expect(read.status).toBe(200);
        expect((await read.json()).name).toBe("Kept");
        // The table survived too: a new create on it still conflicts with the old item.
        expect((await post(second, { userId: "kept", name: "Again", email: "kept@example.com" })).status).toBe(409);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("rebuilds a data folder's table of the older shape (no list index), keeping and listing its users", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "local-stack-"));
    try {
      // The table as `npm run dev` created it before the list index, with one user in the old layout.
      const dynamo = await startDynamoDb({ dataDir });
      const tableName = "users";
      await ensureTable(dynamo.endpoint, {
        TableName: tableName,
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [{ AttributeName: "UserId", AttributeType: "S" }],
        KeySchema: [{ AttributeName: "UserId", KeyType: "HASH" }],
      });
      const client = new DynamoDBClient({
        endpoint: dynamo.endpoint,
        region: "us-east-1",
        credentials: { accessKeyId: "x", secretAccessKey: "x" },
      });
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: {
            UserId: { S: "old-timer" },
            Name: { S: "Old Timer" },
            Email: { S: "old@example.com" },
            CreatedAt: { S: "2025-01-01T00:00:00.000Z" },
          },
        }),
      );
      client.destroy();
      await dynamo.close();

      const logged: string[] = [];
      const stack = await startLocalStack({ web: false, apiPort: 0, dataDir, config, log: (line) => logged.push(line) });
      try {
        expect(logged.join("\n")).toMatch(/rebuilt in the current shape .*1 item/);
        expect((await post(stack, { userId: "newcomer", name: "Newcomer", email: "new@example.com" })).status).toBe(201);
        const list = await (await fetch(`${stack.apiUrl}/users?limit=10`)).json();
        expect(list.items.map((u: { userId: string }) => u.userId)).toEqual(["newcomer", "old-timer"]);
      } finally {
        await stack.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("refuses a data folder that is a file with a one-line message", async () => {
    const dir = mkdtempSync(join(tmpdir(), "local-stack-"));
    const file = join(dir, "not-a-folder");
    try {
      const { writeFileSync } = await import("node:fs");
      writeFileSync(file, "x");
      await expect(start(file)).rejects.toThrow(/^data folder .* is not a folder; remove it or use --in-memory$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a data folder another running stack holds", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "local-stack-"));
    const holder = await start(dataDir);
    try {
      // dynalite opens its store lazily: the first request takes the lock.
      await fetch(`${holder.apiUrl}/users/anyone`);
      await expect(start(dataDir)).rejects.toThrow(/cannot be opened .*another `npm run dev`/);
    } finally {
      await holder.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
