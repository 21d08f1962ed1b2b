/**
 * List section of `npm run bench`: GET /users latency on the local stack (gateway stand-in + real
 * handler against in-memory dynalite with the real list index) at 1,000 and then 10,000 users.
 * Users are seeded straight into the table (BatchWriteItem, items as the create path writes them);
 * after a warm-up, 4 concurrent clients read the first page 300 times, and one client walks 40
 * pages deep into the list.
 */
import { performance } from "node:perf_hooks";
import { BatchWriteItemCommand, DynamoDBClient, type WriteRequest } from "@aws-sdk/client-dynamodb";
import { ITEM_ATTRIBUTES, listKeyOf, listShardOf } from "../../backend/src/table-definition.js";
import { loadConfig } from "../../stacks/config.js";
import { LOCAL_AWS_ENV } from "../local/dynamodb.js";
import { startLocalStack } from "../local/local-stack.js";
import type { BenchRow, BenchSection } from "./types.js";

const SIZES = [1_000, 10_000];
const CLIENTS = 4;
/** Sequential reads first, not measured: the handler's first calls load and compile code. */
const WARM_UP_READS = 30;
const FIRST_PAGE_READS = 300;
const LIMIT = 20;
/** How far the deep walk goes (pages of LIMIT). */
const DEEP_PAGES = 40;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function seed(client: DynamoDBClient, tableName: string, hashKey: string, from: number, to: number): Promise<void> {
  const base = Date.parse("2026-01-01T00:00:00.000Z");
  const requests: WriteRequest[] = [];
  for (let i = from; i < to; i++) {
    const userId = `bench-list-${String(i).padStart(6, "0")}`;
    const createdAt = new Date(base + i * 1000).toISOString();
    requests.push({
      PutRequest: {
        Item: {
          [hashKey]: { S: userId },
          [ITEM_ATTRIBUTES.name]: { S: `Bench user ${i}` },
          [ITEM_ATTRIBUTES.email]: { S: `bench${i}@example.com` },
          [ITEM_ATTRIBUTES.createdAt]: { S: createdAt },
          [ITEM_ATTRIBUTES.listShard]: { S: listShardOf(userId) },
          [ITEM_ATTRIBUTES.listKey]: { S: listKeyOf(createdAt, userId) },
        },
      },
    });
  }
  const batches: WriteRequest[][] = [];
  for (let i = 0; i < requests.length; i += 25) batches.push(requests.slice(i, i + 25));
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let batch = batches.shift(); batch; batch = batches.shift()) {
        let pending: Record<string, WriteRequest[]> | undefined = { [tableName]: batch };
        while (pending && Object.keys(pending).length) {
          ({ UnprocessedItems: pending } = await client.send(new BatchWriteItemCommand({ RequestItems: pending })));
        }
      }
    }),
  );
}

async function firstPages(apiUrl: string): Promise<{ median: number; p99: number; failures: number }> {
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < FIRST_PAGE_READS) {
        next += 1;
        const t0 = performance.now();
        const response = await fetch(`${apiUrl}/users?limit=${LIMIT}`);
        const body = (await response.json()) as { items: unknown[] };
        latencies.push(performance.now() - t0);
        if (response.status !== 200 || body.items.length !== LIMIT) failures += 1;
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return { median: percentile(latencies, 50), p99: percentile(latencies, 99), failures };
}

/** One client walking DEEP_PAGES pages; the latency of the last ten (deep in the list). */
async function deepWalk(apiUrl: string): Promise<{ median: number; failures: number }> {
  const latencies: number[] = [];
  let failures = 0;
  let cursor: string | null = null;
  for (let page = 0; page < DEEP_PAGES; page++) {
    const t0 = performance.now();
    const response = await fetch(`${apiUrl}/users?limit=${LIMIT}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    const body = (await response.json()) as { items: unknown[]; nextCursor: string | null };
    if (page >= DEEP_PAGES - 10) latencies.push(performance.now() - t0);
    if (response.status !== 200 || body.items.length !== LIMIT) failures += 1;
    cursor = body.nextCursor;
  }
  latencies.sort((a, b) => a - b);
  return { median: percentile(latencies, 50), failures };
}

export default (async () => {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const config = loadConfig(process.env);
  const stack = await startLocalStack({ web: false, apiPort: 0, config });
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) =>
    String(chunk).startsWith('{"level"') ? true : write(chunk, ...rest)) as typeof process.stdout.write;
  const client = new DynamoDBClient({
    endpoint: stack.dynamoDbEndpoint,
    region: LOCAL_AWS_ENV.AWS_REGION,
    credentials: { accessKeyId: LOCAL_AWS_ENV.AWS_ACCESS_KEY_ID, secretAccessKey: LOCAL_AWS_ENV.AWS_SECRET_ACCESS_KEY },
  });
  const rows: BenchRow[] = [];
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  try {
    let seeded = 0;
    for (const size of SIZES) {
      process.stdout.write(`  seeding ${size - seeded} users (to ${size})...\n`);
      await seed(client, stack.tableName, config.table_hash_key, seeded, size);
      seeded = size;
      for (let i = 0; i < WARM_UP_READS; i++) await (await fetch(`${stack.apiUrl}/users?limit=${LIMIT}`)).arrayBuffer();
      const first = await firstPages(stack.apiUrl);
      const deep = await deepWalk(stack.apiUrl);
      const users = size.toLocaleString("en-US");
      rows.push(
        {
          figure: `GET /users?limit=${LIMIT} at ${users} users: first page, median (${CLIENTS} clients, ${FIRST_PAGE_READS} reads)`,
          value: ms(first.median),
        },
        { figure: `GET /users?limit=${LIMIT} at ${users} users: first page, p99`, value: ms(first.p99) },
        {
          figure: `GET /users?limit=${LIMIT} at ${users} users: pages ${DEEP_PAGES - 9}-${DEEP_PAGES} of a walk, median`,
          value: ms(deep.median),
        },
        {
          figure: `GET /users at ${users} users: failed or short pages`,
          value: String(first.failures + deep.failures),
          budget: "0",
          ok: first.failures + deep.failures === 0,
        },
      );
    }
    return { title: "User list (npm run dev's API, in-memory dynalite, list index)", rows };
  } finally {
    process.stdout.write = write;
    client.destroy();
    await stack.close();
  }
}) satisfies BenchSection;
