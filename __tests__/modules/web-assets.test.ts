/** WebAssets on its own: config.json plus one object per built file, index.html last, and an override through an exposed resource. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { WebAssets } from "../../modules/web-assets.js";
import { scratchDir } from "../support/scratch.js";
import { synthConstruct } from "./support/synth.js";

function dist(): string {
  const dir = scratchDir("web-assets-");
  mkdirSync(join(dir, "assets"));
  writeFileSync(join(dir, "index.html"), "<!doctype html>");
  writeFileSync(join(dir, "assets", "app-abc123.js"), "console.log(1)");
  return dir;
}
const props = (distDir: string) => ({
  bucketName: "web",
  distDir,
  metadata: (file: string) => ({ contentType: file.endsWith(".html") ? "text/html" : "text/javascript", cacheControl: "no-cache" }),
  runtimeConfig: { apiUrl: "https://api.example.com" },
});

describe("WebAssets", () => {
  test("config.json from the runtime config and one object per file; index.html after the others", () => {
    let exposed: string[] = [];
    const { resources } = synthConstruct((scope) => {
      exposed = Object.keys(new WebAssets(scope, "web", props(dist())).objects);
    });
    expect(exposed).toEqual(["assets/app-abc123.js", "index.html"]);
    const objects = Object.values(resources.aws_s3_object ?? {});
    expect(objects.map((o) => o.key).sort()).toEqual(["assets/app-abc123.js", "config.json", "index.html"]);
    const index = objects.find((o) => o.key === "index.html")!;
    expect(index.depends_on).toHaveLength(2); // the asset and config.json
  });

  test("without a build only config.json is uploaded; an exposed resource takes an override", () => {
    const { only } = synthConstruct((scope) => {
      new WebAssets(scope, "web", props(join(scratchDir("web-assets-"), "missing"))).configObject.cacheControl = "max-age=60";
    });
    expect(only("aws_s3_object")).toMatchObject({ key: "config.json", cache_control: "max-age=60" });
  });
});
