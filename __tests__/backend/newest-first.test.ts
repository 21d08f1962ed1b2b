/**
 * GET /users against dynalite with the table's real list index: newest first, stable cursors while
 * users are created between pages, no empty page, and a read cost that follows the page size, not
 * the table size.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import { LIST_SHARDS } from "../../backend/src/table-definition.js";
import { UsersTable } from "../../backend/src/users-table.js";
import { startTestTable, TEST_KEY_ATTRIBUTE, type TestTable } from "./support/dynamodb.js";
import { jsonRequest } from "./support/events.js";
import { invoke, type LambdaHandler } from "./support/invoke.js";
import { captureRequestLogs } from "./support/logs.js";

let logs: ReturnType<typeof captureRequestLogs>;
let table: TestTable | undefined;
let handler: LambdaHandler;

beforeAll(() => {
  logs = captureRequestLogs();
});
afterAll(() => logs.restore());
afterEach(async () => {
  await table?.stop();
  table = undefined;
});

/** A fresh table and a cold handler (new module instances read the new table's environment). */
async function freshTable(name: string): Promise<TestTable> {
  table = await startTestTable(name);
  vi.resetModules();
  handler = (await import("../../backend/src/handler.js")).handler;
  return table;
}

/** Ids that sort in creation order, so users created in the same millisecond still order newest first. */
const id = (prefix: string, i: number) => `${prefix}-${String(i).padStart(4, "0")}`;

async function create(userId: string): Promise<void> {
  const answer = await invoke(jsonRequest("POST", "/users", { userId, name: `User ${userId}`, email: `${userId}@example.com` }), handler);
  expect(answer.status).toBe(201);
}

async function page(limit: number, cursor?: string | null): Promise<{ ids: string[]; nextCursor: string | null }> {
  const query = `?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
  const answer = await invoke(jsonRequest("GET", `/users${query}`), handler);
  expect(answer.status).toBe(200);
  return { ids: answer.json.items.map((u: { userId: string }) => u.userId), nextCursor: answer.json.nextCursor };
}

/** Every page from the first, with `between(pageNumber)` run after each page. */
async function walk(limit: number, between: (pageNumber: number) => Promise<void> = async () => {}): Promise<string[][]> {
  const pages: string[][] = [];
  let cursor: string | null = null;
  do {
    const next = await page(limit, cursor);
    pages.push(next.ids);
    cursor = next.nextCursor;
    await between(pages.length);
  } while (cursor !== null && pages.length < 100);
  return pages;
}

describe("GET /users, newest first", () => {
  test("an empty table answers one empty page without a cursor", async () => {
    await freshTable("empty");
    expect(await page(5)).toEqual({ ids: [], nextCursor: null });
  });

  test("pages hold the users newest first, across every shard", async () => {
    await freshTable("order");
    const created = Array.from({ length: 23 }, (_, i) => id("order", i));
    for (const userId of created) await create(userId);
    const pages = await walk(5);
    expect(pages.map((p) => p.length)).toEqual([5, 5, 5, 5, 3]);
    expect(pages.flat()).toEqual([...created].reverse());
  });

  test("no empty last page: a table of exactly `limit` users is one page without a cursor", async () => {
    await freshTable("exact");
    for (let i = 0; i < 6; i++) await create(id("exact", i));
    expect((await page(6)).nextCursor).toBeNull();
    const pages = await walk(3);
    expect(pages.map((p) => p.length)).toEqual([3, 3]);
  });

  test("users created between pages neither repeat nor push anyone off the walk", async () => {
    await freshTable("stable");
    const before = Array.from({ length: 17 }, (_, i) => id("stable", i));
    for (const userId of before) await create(userId);
    let later = 0;
    const pages = await walk(4, async () => {
      // Three new users after every page: they are newer than the walk's position.
      for (let k = 0; k < 3; k++) await create(id("stable-later", later++));
    });
    const seen = pages.flat();
    expect(seen).toEqual([...before].reverse());
    expect(new Set(seen).size).toBe(seen.length);
    expect(pages.every((p) => p.length > 0)).toBe(true);
    // The new users are at the top of a fresh walk.
    expect((await page(3)).ids).toEqual([id("stable-later", later - 1), id("stable-later", later - 2), id("stable-later", later - 3)]);
  });

  test("a page reads about `limit` items, however many users there are", async () => {
    const t = await freshTable("cost");
    const users = new UsersTable(t.admin, t.tableName, TEST_KEY_ATTRIBUTE);
    const limit = 20;
    const readsAt: Record<number, number[]> = {};
    let count = 0;
    for (const size of [100, 600]) {
      const batch: Promise<unknown>[] = [];
      for (; count < size; count++) {
        batch.push(users.create({ userId: id("cost", count), name: "Cost", email: "cost@example.com" }));
        if (batch.length === 25) await Promise.all(batch.splice(0));
      }
      await Promise.all(batch);
      readsAt[size] = [];
      let before: string | undefined;
      for (let p = 0; p < 3; p++) {
        const result = await users.list(limit, before);
        expect(result.items).toHaveLength(limit);
        readsAt[size]!.push(result.itemsRead);
        before = result.lastListKey;
      }
    }
    // One item beyond the page, an even share per shard, and at most one extra share per shard.
    const bound = 2 * (limit + 1) + LIST_SHARDS;
    for (const reads of Object.values(readsAt)) for (const r of reads) expect(r).toBeLessThanOrEqual(bound);
    expect(Math.max(...readsAt[600]!)).toBeLessThanOrEqual(Math.max(...readsAt[100]!) + LIST_SHARDS);
  });
});
