/**
 * Backend figures: the Lambda bundle's size, and how long Node takes to load it beyond a bare
 * start (the part of a cold start the code controls). Always builds the bundle first: one left
 * from older code would report stale figures.
 */
import { readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { BACKEND_BUNDLE, buildBackend } from "../build-backend.js";
import { runCommand } from "../lib/process.js";
import type { BenchSection } from "./types.js";

const SIZE_BUDGET_BYTES = 600 * 1024;
const LOAD_BUDGET_MS = 100;
const RUNS = 7;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Wall time of one `node` process running this module code, and what it printed. */
async function nodeRun(code: string): Promise<{ ms: number; stdout: string }> {
  const run = await runCommand({ argv: [process.execPath, "--input-type=module", "-e", code] });
  if (run.code !== 0) throw new Error(`node exited ${run.code}: ${run.stderr}`);
  return { ms: run.seconds * 1000, stdout: run.stdout };
}

export default (async () => {
  await buildBackend();
  const bundle = readFileSync(BACKEND_BUNDLE);
  const gzipped = gzipSync(bundle).length;

  // Each child prints its import time and its own CPU time: on a shared machine wall time
  // swells with other processes' load, CPU time much less.
  const report = "const c = process.cpuUsage(); console.log(JSON.stringify({ importMs, cpuMs: (c.user + c.system) / 1000 }));";
  const bareCode = `const importMs = 0; ${report}`;
  const bundleCode = [
    "const t = performance.now();",
    `const m = await import(${JSON.stringify(pathToFileURL(BACKEND_BUNDLE).href)});`,
    'if (typeof m.handler !== "function") process.exit(1);',
    `const importMs = performance.now() - t; ${report}`,
  ].join("\n");
  await nodeRun(bundleCode); // warm the file cache before measuring
  const wall = { bare: [] as number[], bundle: [] as number[] };
  const cpu = { bare: [] as number[], bundle: [] as number[] };
  const importOnly: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    // Interleaved so machine noise hits both series alike.
    for (const kind of ["bare", "bundle"] as const) {
      const run = await nodeRun(kind === "bare" ? bareCode : bundleCode);
      const printed = JSON.parse(run.stdout) as { importMs: number; cpuMs: number };
      wall[kind].push(run.ms);
      cpu[kind].push(printed.cpuMs);
      if (kind === "bundle") importOnly.push(printed.importMs);
    }
  }
  const loadMs = median(wall.bundle) - median(wall.bare);
  const loadCpuMs = median(cpu.bundle) - median(cpu.bare);

  return {
    title: "Backend (Lambda bundle)",
    rows: [
      {
        figure: "bundle size, minified (backend/dist/index.mjs)",
        value: `${(bundle.length / 1024).toFixed(1)} KiB (${bundle.length} bytes)`,
        budget: "< 600 KB",
        ok: bundle.length < SIZE_BUDGET_BYTES,
      },
      { figure: "bundle size, gzipped", value: `${(gzipped / 1024).toFixed(1)} KiB (${gzipped} bytes)` },
      {
        figure: `module load over a bare node start (median of ${RUNS})`,
        value: `${loadMs.toFixed(1)} ms (bare ${median(wall.bare).toFixed(1)} ms, with bundle ${median(wall.bundle).toFixed(1)} ms)`,
        budget: `< ${LOAD_BUDGET_MS} ms`,
        ok: loadMs < LOAD_BUDGET_MS,
      },
      { figure: `import() of the bundle, timed inside node (median of ${RUNS})`, value: `${median(importOnly).toFixed(1)} ms` },
      { figure: `CPU time of the load over a bare node start (median of ${RUNS})`, value: `${loadCpuMs.toFixed(1)} ms` },
      {
        figure: "machine load while measuring (1-min load average / cores)",
        value: `${loadavg()[0]!.toFixed(2)} / ${cpus().length}`,
      },
    ],
  };
}) satisfies BenchSection;
