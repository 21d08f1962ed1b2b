/**
 * A stand-in for CloudFront + S3 serving the production build: the uploaded files with the
 * upload's content types and cache headers, the response-headers policy's CSP (the same function
 * the app stack uses), the generated /config.json, and the routing function (a client-side route
 * gets index.html, a missing file is S3's 404).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join, normalize } from "node:path";
import { contentSecurityPolicy } from "../../../modules/cloudfront.js";
import { isClientRoute } from "../../../modules/spa-routing.js";
import { webAssetMetadata } from "../../../web/assets.js";
import { PROJECT_ROOT } from "../../local/support/dev-process.js";

export interface CdnStandIn {
  url: string;
  close(): void;
}

export interface CdnStandInOptions {
  /** The body of /config.json; read per request (the API starts after the site). */
  config: () => object;
  /** The origins CSP connect-src names besides 'self', as the app stack passes them; read per request. */
  connectSrc: () => readonly string[];
}

/** Builds the web app (vite, production mode) into a temporary folder and serves it on 127.0.0.1. */
export async function startCdnStandIn(options: CdnStandInOptions): Promise<CdnStandIn> {
  const dist = mkdtempSync(join(tmpdir(), "cdn-dist-"));
  execFileSync(
    process.execPath,
    [
      join(PROJECT_ROOT, "node_modules/vite/bin/vite.js"),
      "build",
      "--config",
      "web/vite.config.ts",
      "--outDir",
      dist,
      "--emptyOutDir",
      "--logLevel",
      "error",
    ],
    { cwd: PROJECT_ROOT },
  );
  const site = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? "/").split("?")[0]!).replace(/^\/+/, "");
    const headers = { "content-security-policy": contentSecurityPolicy(options.connectSrc()), "x-content-type-options": "nosniff" };
    if (path === "config.json") {
      res
        .writeHead(200, { ...headers, "content-type": "application/json", "cache-control": "no-cache" })
        .end(JSON.stringify(options.config()));
      return;
    }
    const file = normalize(join(dist, path));
    const found = path !== "" && file.startsWith(dist) && statSync(file, { throwIfNoEntry: false })?.isFile();
    if (!found && !isClientRoute(`/${path}`)) {
      res.writeHead(404, { ...headers, "content-type": "application/xml" }).end("<Error><Code>NoSuchKey</Code></Error>");
      return;
    }
    const meta = webAssetMetadata(found ? path : "index.html");
    res
      .writeHead(200, { ...headers, "content-type": meta.contentType, "cache-control": meta.cacheControl })
      .end(readFileSync(found ? file : join(dist, "index.html")));
  });
  await new Promise<void>((r) => site.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(site.address() as { port: number }).port}`,
    close: () => {
      site.close();
      rmSync(dist, { recursive: true, force: true });
    },
  };
}
