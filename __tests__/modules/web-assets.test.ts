/**
 * WebAssets on its own: config.json, the built files as one `for_each` resource with index.html
 * last, the release record and the moves from the per-file addresses, and an override through an
 * exposed resource. How the kept release behaves in a plan: `npm run validate` (release runs).
 */
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Testing } from "cdktf";
import type { Construct } from "constructs";
import { describe, expect, test } from "vitest";
import { WebAssets, type WebAssetsProps } from "../../modules/web-assets.js";
import { scratchDir } from "../support/scratch.js";
import { synthConstruct } from "./support/synth.js";

function dist(files: Record<string, string> = { "index.html": "<!doctype html>", "assets/app-abc123.js": "console.log(1)" }): string {
  const dir = scratchDir("web-assets-");
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}
const props = (distDir: string, more: Partial<WebAssetsProps> = {}): WebAssetsProps => ({
  bucketName: "web",
  distDir,
  metadata: (file: string) => ({ contentType: file.endsWith(".html") ? "text/html" : "text/javascript", cacheControl: "no-cache" }),
  runtimeConfig: { apiUrl: "https://api.example.com" },
  ...more,
});
/** A last apply that left `record` as the release output (a literal, as local state gives). */
const lastApply = (record = "") => ({ output: (name: string) => (name === "web_release" ? JSON.stringify(record) : '""') });

function synthWhole(build: (scope: Construct) => void): Record<string, any> {
  return JSON.parse(Testing.synthScope(build));
}

describe("WebAssets", () => {
  test("config.json, one for_each instance per built file but index.html, and index.html after them and config.json", () => {
    let assets: WebAssets | undefined;
    const json = synthWhole((scope) => {
      assets = new WebAssets(scope, "web", props(dist()));
    });
    expect(assets!.files).toEqual(["assets/app-abc123.js", "index.html"]);
    const objects = json.resource.aws_s3_object;
    const [filesName, files] = Object.entries(objects).find(([, o]) => (o as { for_each?: string }).for_each) as [
      string,
      Record<string, string>,
    ];
    expect(files).toMatchObject({ key: "${each.key}", source: "${each.value.source}", source_hash: "${each.value.source_hash}" });
    const set = /^\$\{local\.(.+)\}$/.exec(files.for_each!)![1]!;
    // without a last apply the set is this build's files alone
    const current = json.locals[/^\$\{local\.(.+)\}$/.exec(json.locals[set])![1]!];
    expect(Object.keys(current)).toEqual(["assets/app-abc123.js"]);
    // the file's MD5, known at synth: no filemd5() at plan time, whose file a kept release no longer has
    expect(current["assets/app-abc123.js"].source_hash).toBe(createHash("md5").update("console.log(1)").digest("hex"));
    const index = Object.values(objects).find((o) => (o as { key?: string }).key === "index.html") as { depends_on: string[] };
    const config = Object.entries(objects).find(([, o]) => (o as { key?: string }).key === "config.json")![0];
    expect(index.depends_on).toEqual(expect.arrayContaining([`aws_s3_object.${filesName}`, `aws_s3_object.${config}`]));
    expect(json.output).toBeUndefined();
    expect(json.moved).toBeUndefined();
  });

  test("a file's source path follows its content only: an unchanged file plans no change when another one changes", () => {
    const sources = (files: Record<string, string>) => {
      const json = synthWhole((scope) => new WebAssets(scope, "web", props(dist(files))));
      const current = Object.entries(json.locals).find(([k]) => k.includes("release_files"))![1] as Record<string, { source: string }>;
      return Object.fromEntries(Object.entries(current).map(([k, v]) => [k, v.source]));
    };
    const before = sources({ "index.html": "a", "assets/a-1.js": "same", "assets/b-1.js": "one" });
    const after = sources({ "index.html": "b", "assets/a-1.js": "same", "assets/b-1.js": "two" });
    expect(after["assets/a-1.js"]).toBe(before["assets/a-1.js"]);
    expect(after["assets/b-1.js"]).not.toBe(before["assets/b-1.js"]);
  });

  test("with a last apply: the record it left decides what is kept, a sensitive output records this release after index.html", () => {
    const json = synthWhole((scope) => {
      new WebAssets(scope, "web", props(dist(), { lastApply: lastApply('{"id":"x"}') }));
    });
    const locals = json.locals as Record<string, unknown>;
    const record = Object.entries(locals).find(([k]) => k.includes("release_record"))!;
    expect(record[1]).toBe('${try(jsondecode("{\\"id\\":\\"x\\"}"), {})}');
    const kept = Object.entries(locals).find(([k]) => k.includes("release_kept"))!;
    // TF_VAR_web_keep_previous_release=false turns keeping off for one run
    expect(json.variable.web_keep_previous_release).toEqual({ type: "bool", default: true, description: expect.any(String) });
    expect(kept[1]).toMatch(/^\$\{jsondecode\(!var\.web_keep_previous_release \? "\{\}" : /);
    expect(kept[1]).toContain(`local.${record[0]}.previous`);
    expect(kept[1]).toContain(`local.${record[0]}.files`);
    const set = Object.values(locals).find((v) => typeof v === "string" && v.startsWith("${merge("));
    expect(set).toBe(`\${merge(local.${kept[0]}, local.${Object.keys(locals).find((k) => k.includes("release_files"))})}`);
    const output = json.output.web_release;
    expect(output.sensitive).toBe(true);
    const index = Object.keys(json.resource.aws_s3_object).find((k) => k.includes("index_html"));
    // the record moves on only once the new index.html is up (its etag is unknown until then)
    expect(output.value).toContain(`page = aws_s3_object.${index}.etag`);
    expect(output.value).toContain(`previous = local.${kept[0]}`);
  });

  test("with a last apply: moved blocks carry each file's per-file address into its for_each instance", () => {
    const json = synthWhole((scope) => {
      new WebAssets(scope, "web", props(dist(), { lastApply: lastApply() }));
    });
    const files = Object.keys(json.resource.aws_s3_object).find((k) => json.resource.aws_s3_object[k].for_each);
    // web_file_assets_app_abc123_js_<hash>: the address cdktf gave the file as its own resource
    expect(json.moved).toEqual([
      {
        from: expect.stringMatching(/^aws_s3_object\.web_file_assets_app_abc123_js_[0-9A-F]{8}$/),
        to: `aws_s3_object.${files}["assets/app-abc123.js"]`,
      },
    ]);
  });

  test("without a build only config.json is uploaded; an exposed resource takes an override", () => {
    const { only } = synthConstruct((scope) => {
      new WebAssets(scope, "web", props(join(scratchDir("web-assets-"), "missing"), { lastApply: lastApply() })).configObject.cacheControl =
        "max-age=60";
    });
    expect(only("aws_s3_object")).toMatchObject({ key: "config.json", cache_control: "max-age=60" });
  });
});
