/**
 * The production build under the Content-Security-Policy CloudFront sends: served from
 * web/dist-like output with the upload's content types, against the local API. Any inline
 * script or style, eval, or request to an origin the policy does not name would be reported.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type LocalStack, startLocalStack } from "../../scripts/local/local-stack.js";
import { openApp, uniqueId } from "./support/app-page.js";
import { launchChromium } from "./support/browser.js";
import { type CdnStandIn, startCdnStandIn } from "./support/cdn-stand-in.js";

let site: CdnStandIn;
let stack: LocalStack;
let browser: Browser;

beforeAll(async () => {
  // The CSP names the API's origin only, as the app stack's does with a domain.
  site = await startCdnStandIn({ config: () => ({ apiUrl: stack.apiUrl }), connectSrc: () => [new URL(stack.apiUrl).origin] });
  [stack, browser] = await Promise.all([startLocalStack({ web: false, apiPort: 0, extraOrigins: [site.url] }), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
  site?.close();
});

it("creates, lists and looks up a user with no CSP violation or console error", async () => {
  const app = await openApp(browser, site.url);
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
