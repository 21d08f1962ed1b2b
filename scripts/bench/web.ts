/**
 * Web section of `npm run bench`: gzipped sizes of web/dist (built first when missing). The
 * budget is the JavaScript a first visit downloads: the scripts index.html loads or preloads.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import type { BenchRow, BenchSection } from "./types.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const DIST = join(ROOT, "web", "dist");
const FIRST_LOAD_JS_BUDGET_KB = 30;

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const gz = (file: string) => gzipSync(readFileSync(join(DIST, file)), { level: 9 }).length;

export default (async () => {
  if (!existsSync(join(DIST, "index.html"))) {
    execFileSync(process.execPath, [join(ROOT, "node_modules/vite/bin/vite.js"), "build", "--config", "web/vite.config.ts", "--logLevel", "error"], { cwd: ROOT });
  }
  const files = (readdirSync(DIST, { recursive: true }) as string[]).map((f) => relative(DIST, join(DIST, f)).replaceAll("\\", "/"));
  const html = readFileSync(join(DIST, "index.html"), "utf8");
  const firstLoad = [...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*rel="modulepreload"[^>]*\bhref)="\/([^"]+\.js)"/g)].map((m) => m[1]!);
  const sum = (list: string[]) => list.reduce((total, f) => total + gz(f), 0);
  const firstLoadJs = sum(firstLoad);
  const rows: BenchRow[] = [
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
  return { title: "Web app (web/dist)", rows };
}) satisfies BenchSection;
