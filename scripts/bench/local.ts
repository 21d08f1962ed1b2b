/**
 * Local section of `npm run bench`: the local API (gateway stand-in + real handler, bundled as
 * `npm run dev` loads it) against in-memory dynalite. 20 concurrent clients send 2,000
 * `POST /users`, then 2,000 `GET /users/{id}` of the users just created.
 */
import { performance } from "node:perf_hooks";
import { startLocalStack } from "../local/local-stack.js";
import type { BenchRow, BenchSection } from "./types.js";

const CLIENTS = 20;
const REQUESTS = 2_000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Runs `count` requests from `CLIENTS` concurrent loops; returns per-request latencies and wall time. */
async function load(count: number, send: (i: number) => Promise<Response>, expected: number) {
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < count) {
        const i = next++;
        const t0 = performance.now();
        const response = await send(i);
        await response.arrayBuffer();
        latencies.push(performance.now() - t0);
        if (response.status !== expected) failures += 1;
      }
    }),
  );
  const wallMs = performance.now() - started;
  latencies.sort((a, b) => a - b);
  return { median: percentile(latencies, 50), p99: percentile(latencies, 99), rps: count / (wallMs / 1000), failures };
}

export default (async () => {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const stack = await startLocalStack({ web: false, apiPort: 0 });
  // The function writes one JSON log line per request; 4,000 of them would bury the table.
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) =>
    String(chunk).startsWith('{"level"') ? true : write(chunk, ...rest)) as typeof process.stdout.write;
  try {
    const run = Date.now().toString(36);
    const id = (i: number) => `bench-${run}-${i}`;
    const post = await load(
      REQUESTS,
      (i) =>
        fetch(`${stack.apiUrl}/users`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ userId: id(i), name: `Bench user ${i}`, email: `bench${i}@example.com` }),
        }),
      201,
    );
    const get = await load(REQUESTS, (i) => fetch(`${stack.apiUrl}/users/${id(i)}`), 200);
    const ms = (v: number) => `${v.toFixed(1)} ms`;
    const rows: BenchRow[] = [];
    for (const [name, r] of [
      ["POST /users", post],
      ["GET /users/{userId}", get],
    ] as const) {
      rows.push(
        { figure: `local API ${name}: median latency (${CLIENTS} clients, ${REQUESTS} requests)`, value: ms(r.median) },
        { figure: `local API ${name}: p99 latency`, value: ms(r.p99) },
        { figure: `local API ${name}: requests per second`, value: r.rps.toFixed(0) },
        { figure: `local API ${name}: unexpected status codes`, value: String(r.failures), budget: "0", ok: r.failures === 0 },
      );
    }
    return { title: "Local stack (npm run dev's API, in-memory dynalite)", rows };
  } finally {
    process.stdout.write = write;
    await stack.close();
  }
}) satisfies BenchSection;
