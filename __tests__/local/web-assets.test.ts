/** The web build as the app stack uploads it: metadata per file, and output that holds under the CSP. */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IMMUTABLE_CACHE_CONTROL, NO_CACHE_CONTROL, webAssetMetadata } from "../../web/assets.js";
import { parseWebConfig } from "../../web/src/config.js";
import { PROJECT_ROOT } from "./support/dev-process.js";

describe("webAssetMetadata", () => {
  it.each([
    ["assets/index-B1x2c3d4.js", "text/javascript; charset=utf-8", IMMUTABLE_CACHE_CONTROL],
    ["assets/index-shluc-8Q.css", "text/css; charset=utf-8", IMMUTABLE_CACHE_CONTROL],
    ["/assets/logo-AbCdEfGh.svg", "image/svg+xml", IMMUTABLE_CACHE_CONTROL],
    ["assets/font-Zz_9-aBc.woff2", "font/woff2", IMMUTABLE_CACHE_CONTROL],
    ["index.html", "text/html; charset=utf-8", NO_CACHE_CONTROL],
    ["./config.json", "application/json; charset=utf-8", NO_CACHE_CONTROL],
    ["robots.txt", "text/plain; charset=utf-8", NO_CACHE_CONTROL],
    // Under assets/ but without a content hash: it may change under the same name.
    ["assets/readme.txt", "text/plain; charset=utf-8", NO_CACHE_CONTROL],
    ["favicon.ico", "image/x-icon", NO_CACHE_CONTROL],
    ["assets/blob-AbCdEfGh.unknownext", "application/octet-stream", IMMUTABLE_CACHE_CONTROL],
    ["LICENSE", "application/octet-stream", NO_CACHE_CONTROL],
  ])("%s -> %s, %s", (path, contentType, cacheControl) => {
    expect(webAssetMetadata(path)).toEqual({ contentType, cacheControl });
  });

  it("caches index.html for no time even when it sits in a folder named assets elsewhere", () => {
    expect(webAssetMetadata("docs/assets-AbCdEfGh.html").cacheControl).toBe(NO_CACHE_CONTROL);
  });
});

describe("parseWebConfig", () => {
  it("strips a trailing slash from the API URL", () => {
    expect(parseWebConfig({ apiUrl: "https://api.example.com/" })).toEqual({ apiUrl: "https://api.example.com" });
  });
  it.each([[{}], [{ apiUrl: "ftp://x" }], [{ apiUrl: "javascript:alert(1)" }], [null], ["https://api.example.com"]])(
    "refuses %j",
    (raw) => {
      expect(() => parseWebConfig(raw)).toThrow(/Check config.json next to index.html: it must hold \{"apiUrl"/);
    },
  );
});

describe("the production build (npm run build:web)", () => {
  // A private output folder: other tests may read web/dist while this one builds.
  const dist = mkdtempSync(join(tmpdir(), "web-dist-"));
  let files: string[];
  afterAll(() => rmSync(dist, { recursive: true, force: true }));
  beforeAll(() => {
    const vite = join(PROJECT_ROOT, "node_modules/vite/bin/vite.js");
    execFileSync(
      process.execPath,
      [vite, "build", "--config", "web/vite.config.ts", "--outDir", dist, "--emptyOutDir", "--logLevel", "error"],
      {
        cwd: PROJECT_ROOT,
      },
    );
    files = (readdirSync(dist, { recursive: true, withFileTypes: true }) as { isFile(): boolean; parentPath: string; name: string }[])
      .filter((d) => d.isFile())
      .map((d) => relative(dist, join(d.parentPath, d.name)).replaceAll("\\", "/"));
  }, 60_000);

  it("names every script and stylesheet by content hash under assets/, so each is cached a year", () => {
    const code = files.filter((f) => /\.(js|css)$/.test(f));
    expect(code.length).toBeGreaterThanOrEqual(2);
    for (const file of code) expect(webAssetMetadata(file).cacheControl).toBe(IMMUTABLE_CACHE_CONTROL);
    expect(webAssetMetadata("index.html").cacheControl).toBe(NO_CACHE_CONTROL);
  });

  it("has no inline script, inline style or style attribute in index.html (the CSP forbids them)", () => {
    const html = readFileSync(join(dist, "index.html"), "utf8");
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\bsrc="\/assets\//);
      expect(body!.trim()).toBe("");
    }
    expect(html).not.toMatch(/<style\b/);
    expect(html).not.toMatch(/\sstyle=/);
    expect(html).not.toMatch(/\son[a-z]+=/); // no inline event handlers
  });

  it("ships no eval or string-compiled code and no config.json of its own", () => {
    for (const file of files.filter((f) => f.endsWith(".js"))) {
      const js = readFileSync(join(dist, file), "utf8");
      expect(js).not.toMatch(/\beval\(|new Function\(/);
    }
    expect(files).not.toContain("config.json");
  });
});
