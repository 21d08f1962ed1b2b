/**
 * Backend figures: the Lambda bundle's size, and how long Node takes to load it beyond a bare
 * start (the part of a cold start the code controls). Builds the bundle when it is missing.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { BACKEND_BUNDLE, buildBackend } from "../build-backend.js";
import type { BenchSection } from "./types.js";

const SIZE_BUDGET_BYTES = 600 * 1024;
const LOAD_BUDGET_MS = 100;
const RUNS = 7;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Wall time of one `node` process running this module code, and what it printed. */
function nodeRun(code: string): { ms: number; stdout: string } {
  const started = performance.now();
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", code], { stdio: ["ignore", "pipe", "pipe"] });
  const ms = performance.now() - started;
  if (run.status !== 0) throw new Error(`node exited ${run.status}: ${run.stderr.toString()}`);
  return { ms, stdout: run.stdout.toString() };
}

export default (async () => {
  if (!existsSync(BACKEND_BUNDLE)) await buildBackend();
  const bundle = readFileSync(BACKEND_BUNDLE);
  const gzipped = gzipSync(bundle).length;

  const importBundle = [
    "const t = performance.now();",
    `const m = await import(${JSON.stringify(pathToFileURL(BACKEND_BUNDLE).href)});`,
    'if (typeof m.handler !== "function") process.exit(1);',
    "console.log(performance.now() - t);",
  ].join("\n");
  nodeRun(importBundle); // warm the file cache before measuring
  const bare: number[] = [];
  const loaded: number[] = [];
  const importOnly: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    // Interleaved so machine noise hits both series alike.
    bare.push(nodeRun("").ms);
    const run = nodeRun(importBundle);
    loaded.push(run.ms);
    importOnly.push(Number(run.stdout));
  }
  const loadMs = median(loaded) - median(bare);

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
        value: `${loadMs.toFixed(1)} ms (bare ${median(bare).toFixed(1)} ms, with bundle ${median(loaded).toFixed(1)} ms)`,
        budget: `< ${LOAD_BUDGET_MS} ms`,
        ok: loadMs < LOAD_BUDGET_MS,
      },
      { figure: `import() of the bundle, timed inside node (median of ${RUNS})`, value: `${median(importOnly).toFixed(1)} ms` },
    ],
  };
}) satisfies BenchSection;
