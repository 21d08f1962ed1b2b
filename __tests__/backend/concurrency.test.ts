import { afterAll, beforeAll, expect, test } from "vitest";
import { startTestTable, type TestTable } from "./support/dynamodb.js";
import { jsonRequest } from "./support/events.js";
import { invoke } from "./support/invoke.js";
import { captureRequestLogs } from "./support/logs.js";

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

// One process here runs all 100 racers against one local DynamoDB, which answers them one after
// another: late racers can pass the 1 s attempt deadline and get 503 + Retry-After, as a real
// client of a slow table would. Each racer is such a client: it retries a 503 with its own
// Idempotency-Key (as the web app does), so every racer ends with the answer the API means for it.
// It waits the Retry-After the answer names (the web app tells its user to wait that long), spread
// over up to as long again: retrying sooner piles new attempts onto a table still working through
// the abandoned ones, and on a loaded machine that never drained within the test's time.
async function createAsClient(body: object, key: string) {
  for (let attempt = 1; ; attempt++) {
    const spec = jsonRequest("POST", "/users", body);
    spec.headers = { ...spec.headers, "idempotency-key": key };
    const answer = await invoke(spec);
    if (answer.status !== 503 || attempt === 20) return answer;
    const retryAfterMs = 1000 * Number(answer.headers["retry-after"] ?? 1);
    await new Promise((r) => setTimeout(r, retryAfterMs * (1 + Math.random())));
  }
}

test("100 concurrent creates of one userId: one 201, 99 409, and the stored item is the winner's", async () => {
  const answers = await Promise.all(
    Array.from({ length: 100 }, (_, i) =>
      createAsClient({ userId: "contested", name: `Racer ${i}`, email: `racer${i}@example.com` }, `racer-${i}`),
    ),
  );

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
