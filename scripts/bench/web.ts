/**
 * Web section of `npm run bench`: gzipped sizes of a fresh production build of the web app, made
 * in a temporary folder (a web/dist left from older code would report stale figures). The budget
 * is the JavaScript a first visit downloads: the scripts index.html loads or preloads.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { runCommand } from "../lib/process.js";
import type { BenchRow, BenchSection } from "./types.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const FIRST_LOAD_JS_BUDGET_KB = 30;

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

export default (async () => {
  const dist = mkdtempSync(join(tmpdir(), "bench-web-"));
  try {
    const vite = join(ROOT, "node_modules/vite/bin/vite.js");
    const build = await runCommand(
      {
        argv: [process.execPath, vite, "build", "--config", "web/vite.config.ts", "--outDir", dist, "--emptyOutDir", "--logLevel", "error"],
      },
      { cwd: ROOT },
    );
    if (build.code !== 0) throw new Error(`vite build exited ${build.code}: ${build.output}`);
    return { title: "Web app (production build)", rows: measure(dist) };
  } finally {
    rmSync(dist, { recursive: true, force: true });
  }
}) satisfies BenchSection;

function measure(dist: string): BenchRow[] {
  const gz = (file: string) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
  const files = (readdirSync(dist, { recursive: true }) as string[]).map((f) => relative(dist, join(dist, f)).replaceAll("\\", "/"));
  const html = readFileSync(join(dist, "index.html"), "utf8");
  const firstLoad = [...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*rel="modulepreload"[^>]*\bhref)="\/([^"]+\.js)"/g)].map((m) => m[1]!);
  const sum = (list: string[]) => list.reduce((total, f) => total + gz(f), 0);
  const firstLoadJs = sum(firstLoad);
  return [
    {
      figure: `web: first-load JavaScript, gzip -9 (${firstLoad.length} file${firstLoad.length === 1 ? "" : "s"})`,
      value: kb(firstLoadJs),
      budget: `<= ${FIRST_LOAD_JS_BUDGET_KB} KB`,
      ok: firstLoadJs <= FIRST_LOAD_JS_BUDGET_KB * 1024,
    },
    { figure: "web: all JavaScript, gzip -9", value: kb(sum(files.filter((f) => f.endsWith(".js")))) },
    { figure: "web: CSS, gzip -9", value: kb(sum(files.filter((f) => f.endsWith(".css")))) },
    { figure: "web: index.html, gzip -9", value: kb(gz("index.html")) },
  ];
}
