/**
 * The production build under the Content-Security-Policy CloudFront sends: served from
 * web/dist-like output with the upload's content types, against the local API. Any inline
 * script or style, eval, or request to an origin the policy does not name would be reported.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join, normalize } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { isClientRoute } from "../../modules/spa-routing.js";
import { type LocalStack, startLocalStack } from "../../scripts/local/local-stack.js";
import { webAssetMetadata } from "../../web/assets.js";
import { PROJECT_ROOT } from "../local/support/dev-process.js";
import { openApp, uniqueId } from "./support/app-page.js";
import { launchChromium } from "./support/browser.js";

/** The app stack's Content-Security-Policy (docs/security.md, "CloudFront"), with the API origin filled in. */
const csp = (apiOrigin: string) =>
  `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' ${apiOrigin}; frame-ancestors 'none'; base-uri 'self'; form-action 'self'`;

let dist: string;
let site: Server;
let siteUrl: string;
let stack: LocalStack;
let browser: Browser;

beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), "csp-dist-"));
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

  let apiUrl = "";
  // A stand-in for CloudFront + S3: the uploaded files, their metadata, the CSP, and the routing
  // function (a client-side route gets index.html, a missing file is a 404).
  site = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? "/").split("?")[0]!).replace(/^\/+/, "");
    const headers = { "content-security-policy": csp(new URL(apiUrl).origin), "x-content-type-options": "nosniff" };
    if (path === "config.json") {
      res.writeHead(200, { ...headers, "content-type": "application/json", "cache-control": "no-cache" }).end(JSON.stringify({ apiUrl }));
      return;
    }
    const file = normalize(join(dist, path));
    const found = path !== "" && file.startsWith(dist) && statSync(file, { throwIfNoEntry: false })?.isFile();
    if (!found && !isClientRoute(`/${path}`)) {
      res.writeHead(404, { ...headers, "content-type": "application/xml" }).end("<Error><Code>NoSuchKey</Code></Error>");
      return;
    }
    const served = found ? file : join(dist, "index.html");
    const meta = webAssetMetadata(found ? path : "index.html");
    res.writeHead(200, { ...headers, "content-type": meta.contentType, "cache-control": meta.cacheControl }).end(readFileSync(served));
  });
  await new Promise<void>((r) => site.listen(0, "127.0.0.1", r));
  siteUrl = `http://127.0.0.1:${(site.address() as { port: number }).port}`;
  [stack, browser] = await Promise.all([startLocalStack({ web: false, apiPort: 0, extraOrigins: [siteUrl] }), launchChromium()]);
  apiUrl = stack.apiUrl;
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
  site?.close();
  rmSync(dist, { recursive: true, force: true });
});

it("creates, lists and looks up a user with no CSP violation or console error", async () => {
  const app = await openApp(browser, siteUrl);
  const id = uniqueId("csp");
  await app.fillCreate({ userId: id, name: "Under policy", email: "csp@example.com" });
  await app.createForm.getByRole("button", { name: "Create user" }).click();
  await app.list.getByText("Under policy").waitFor();
  await app.page.getByRole("button", { name: `Show Under policy (${id})` }).click();
  await expect.poll(() => app.page.getByRole("region", { name: "Details of Under policy" }).textContent()).toContain(id);
  await app.page.locator("#lookup-userId").fill(id);
  await app.page.getByRole("button", { name: "Look up" }).click();
  await expect.poll(() => app.page.locator("#lookup-status").textContent()).toContain("Under policy");
  // axe-core runs under the policy too (evaluated through DevTools, so the CSP stays strict).
  expect(await app.audit()).toEqual([]);
  // The stylesheet applied (a blocked one would leave the default transparent background).
  const background = await app.page.evaluate(() => getComputedStyle(document.querySelector(".card")!).backgroundColor);
  expect(background).not.toBe("rgba(0, 0, 0, 0)");
  await app.screenshot("built-under-csp");
  expect(app.problems).toEqual([]);
  await app.page.close();
});
