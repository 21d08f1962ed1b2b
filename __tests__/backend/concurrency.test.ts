import { afterAll, beforeAll, expect, test } from "vitest";
import { captureRequestLogs } from "./support/logs.js";
import { startTestTable, type TestTable } from "./support/dynamodb.js";
import { jsonRequest } from "./support/events.js";
import { invoke } from "./support/invoke.js";

let table: TestTable;
let logs: ReturnType<typeof captureRequestLogs>;

beforeAll(async () => {
  table = await startTestTable("concurrency");
  logs = captureRequestLogs();
});
afterAll(async () => {
  logs.restore();
  await table.stop();
});

test("100 concurrent creates of one userId: one 201, 99 409, and the stored item is the winner's", async () => {
  const attempts = Array.from({ length: 100 }, (_, i) =>
    jsonRequest("POST", "/users", { userId: "contested", name: `Racer ${i}`, email: `racer${i}@example.com` }),
  );
  const answers = await Promise.all(attempts.map((spec) => invoke(spec)));

  const statuses = answers.map((a) => a.status);
  expect(statuses.filter((s) => s === 201)).toHaveLength(1);
  expect(statuses.filter((s) => s === 409)).toHaveLength(99);

  const winner = statuses.indexOf(201);
  const items = await table.items();
  expect(items).toHaveLength(1);
  expect(items[0]).toMatchObject({
    UserId: { S: "contested" },
    Name: { S: `Racer ${winner}` },
    Email: { S: `racer${winner}@example.com` },
  });
});
