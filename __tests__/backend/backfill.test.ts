/** Users stored before the list index: the backfill gives them its keys and GET /users lists them. */
import { PutItemCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, expect, test, vi } from "vitest";
import { backfillListIndex } from "../../scripts/data/backfill-list-index.js";
import { startTestTable, TEST_KEY_ATTRIBUTE, type TestTable } from "./support/dynamodb.js";
import { jsonRequest } from "./support/events.js";
import { invoke, type LambdaHandler } from "./support/invoke.js";
import { captureRequestLogs } from "./support/logs.js";

let table: TestTable;
let handler: LambdaHandler;
let logs: ReturnType<typeof captureRequestLogs>;

beforeAll(async () => {
  table = await startTestTable("backfill");
  logs = captureRequestLogs();
  vi.resetModules();
  handler = (await import("../../backend/src/handler.js")).handler;
});
afterAll(async () => {
  logs.restore();
  await table.stop();
});

const listed = async () =>
  (await invoke(jsonRequest("GET", "/users?limit=50"), handler)).json.items.map((u: { userId: string }) => u.userId);

test("old items are left out of the list until the backfill gives them the index keys; it is safe to re-run", async () => {
  for (const [userId, createdAt] of [
    ["old-a", "2025-01-01T00:00:00.000Z"],
    ["old-b", "2025-02-01T00:00:00.000Z"],
  ]) {
    await table.admin.send(
      new PutItemCommand({
        TableName: table.tableName,
        Item: { UserId: { S: userId! }, Name: { S: "Old" }, Email: { S: "old@example.com" }, CreatedAt: { S: createdAt! } },
      }),
    );
  }
  // The blog's layout without CreatedAt cannot be placed and stays as it is.
  await table.admin.send(new PutItemCommand({ TableName: table.tableName, Item: { UserId: { S: "no-date" }, Name: { S: "?" } } }));
  expect((await invoke(jsonRequest("POST", "/users", { userId: "new-c", name: "New", email: "new@example.com" }), handler)).status).toBe(
    201,
  );
  expect(await listed()).toEqual(["new-c"]);

  const lines: string[] = [];
  const first = await backfillListIndex({
    client: table.admin,
    tableName: table.tableName,
    hashKey: TEST_KEY_ATTRIBUTE,
    log: (l) => lines.push(l),
  });
  expect(first).toMatchObject({ updated: 2, skipped: 1 });
  expect(lines.at(-1)).toMatch(/gave 2 the list keys/);
  expect(await listed()).toEqual(["new-c", "old-b", "old-a"]);

  const again = await backfillListIndex({ client: table.admin, tableName: table.tableName, hashKey: TEST_KEY_ATTRIBUTE });
  expect(again).toMatchObject({ updated: 0, skipped: 1 });
});
