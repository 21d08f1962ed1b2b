/**
 * Sign-in end to end (config `auth: "cognito"`), in Chromium: the production build under the
 * CloudFront Content-Security-Policy with only the issuer's origin added to connect-src, the
 * local stack with the dev issuer and the local JWT check. Sign up through the issuer's page,
 * create your profile, see it, sign out, and be refused after.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type LocalStack, startLocalStack } from "../../scripts/local/local-stack.js";
import { parseConfig } from "../../stacks/config.js";
import { auditPage, openApp } from "./support/app-page.js";
import { launchChromium } from "./support/browser.js";
import { type CdnStandIn, startCdnStandIn } from "./support/cdn-stand-in.js";

let site: CdnStandIn;
let siteUrl: string;
let stack: LocalStack;
let browser: Browser;

beforeAll(async () => {
  // With sign-in the CSP adds the issuer's origin to connect-src, as the app stack adds the login domain's.
  site = await startCdnStandIn({
    config: () => ({ apiUrl: stack.apiUrl, auth: stack.auth }),
    connectSrc: () => [new URL(stack.apiUrl).origin, new URL(stack.auth!.issuer).origin],
  });
  siteUrl = site.url;
  const parsed = parseConfig({ auth: "cognito" });
  if (!parsed.ok) throw new Error("config must parse");
  [stack, browser] = await Promise.all([
    startLocalStack({ web: false, apiPort: 0, issuerPort: 0, config: parsed.config, extraOrigins: [siteUrl] }),
    launchChromium(),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
  site?.close();
});

it("signs up through the issuer, creates and sees the profile, signs out, and is refused after", async () => {
  const app = await openApp(browser, siteUrl, { waitForList: false });
  const { page } = app;
  await expect.poll(() => page.locator("#app-status").textContent()).toContain("Sign in to create your profile");
  expect(await page.locator("#create-card").isHidden()).toBe(true);
  expect(await app.audit()).toEqual([]);

  // Sign up = the first sign-in with an address, on the issuer's own page.
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByLabel("E-mail address").waitFor();
  expect(await auditPage(page)).toEqual([]); // the issuer's sign-in page too
  await page.getByLabel("E-mail address").fill("grace@example.com");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${siteUrl}/`);
  await expect.poll(() => page.locator("#auth-user").textContent()).toBe("Signed in as grace@example.com");
  await expect.poll(() => page.locator("#me-status").textContent()).toContain("You have no profile yet");
  // Tokens live in memory only: nothing in localStorage, and the PKCE verifier and state are gone
  // from sessionStorage once the callback used them.
  expect(await page.evaluate(() => [localStorage.length, sessionStorage.length])).toEqual([0, 0]);

  // The form has no user id (the token's sub is the id) and starts with the sign-in address.
  expect(await app.createForm.getByLabel("User id").count()).toBe(0);
  expect(await app.createForm.getByLabel("Email").inputValue()).toBe("grace@example.com");
  await app.createForm.getByLabel("Name").fill("Grace Hopper");
  await app.createForm.getByRole("button", { name: "Create profile" }).click();
  await expect.poll(() => app.createStatus.textContent()).toContain("Your profile was created.");
  await expect.poll(() => page.locator("#me-status").textContent()).toContain("grace@example.com");
  expect(await page.locator("#me-status").textContent()).toContain("Grace Hopper");
  await expect.poll(() => page.locator("#auth-user").textContent()).toBe("Signed in as Grace Hopper (grace@example.com)");
  await app.list.getByText("Grace Hopper").waitFor();
  expect(await page.locator("#create-card").isHidden()).toBe(true);
  expect(await app.audit()).toEqual([]);
  await app.screenshot("signed-in-profile");

  // Sign out: the issuer ends its session and sends the browser back to the app, signed out.
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(`${siteUrl}/`);
  await expect.poll(() => page.locator("#app-status").textContent()).toContain("Sign in to create your profile");
  expect(await page.locator("#me-card").isHidden()).toBe(true);
  // Refused after: the page holds no token, and the API answers it the gateway's 401.
  const refused = await page.evaluate(async (url) => {
    const r = await fetch(`${url}/users/me`);
    return { status: r.status, body: await r.text() };
  }, stack.apiUrl);
  expect(refused).toEqual({ status: 401, body: '{"message":"Unauthorized"}' });
  // And the issuer's session is gone: signing in again asks for the address again.
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByLabel("E-mail address").waitFor();
  expect(app.problems.filter((p) => !/status of 40[14]/.test(p))).toEqual([]);
  await page.close();
});

it("says so when the session has expired and cannot be refreshed", async () => {
  const app = await openApp(browser, siteUrl, { waitForList: false });
  const { page } = app;
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByLabel("E-mail address").fill("expiring@example.com");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${siteUrl}/`);
  await expect.poll(() => page.locator("#auth-user").textContent()).toBe("Signed in as expiring@example.com");
  // From now on the gateway refuses the token and the issuer refuses the refresh.
  await page.route(`${stack.apiUrl}/**`, (route) =>
    route.fulfill({
      status: 401,
      headers: { "access-control-allow-origin": siteUrl, "content-type": "application/json" },
      body: '{"message":"Unauthorized"}',
    }),
  );
  await page.route(stack.auth!.tokenEndpoint, (route) =>
    route.fulfill({
      status: 400,
      headers: { "access-control-allow-origin": siteUrl, "content-type": "application/json" },
      body: '{"error":"invalid_grant"}',
    }),
  );
  await page.getByRole("button", { name: "Refresh" }).click();
  await expect.poll(() => page.locator("#app-status").textContent()).toContain("Your session has expired.");
  expect(await page.locator("#auth-user").textContent()).toBe("Your session has expired.");
  expect(await page.getByRole("button", { name: "Sign in" }).isVisible()).toBe(true);
  expect(await page.locator("#list-card").isHidden()).toBe(true);
  expect(await app.audit()).toEqual([]);
  await page.close();
});

it("refreshes the access token once the API refuses it, and goes on without asking anyone", async () => {
  const app = await openApp(browser, siteUrl, { waitForList: false });
  const { page } = app;
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByLabel("E-mail address").fill("refresh@example.com");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${siteUrl}/`);
  await page.locator("section:has(#user-list)[aria-busy=false]").waitFor();
  // The gateway refuses the next list request once (as for a revoked or expired token).
  const grants: string[] = [];
  page.on("request", (r) => {
    if (r.url() === stack.auth!.tokenEndpoint) grants.push(new URLSearchParams(r.postData() ?? "").get("grant_type") ?? "");
  });
  let refusals = 0;
  await page.route(`${stack.apiUrl}/users?*`, (route) => {
    if (refusals++ > 0) return route.continue();
    return route.fulfill({
      status: 401,
      headers: { "access-control-allow-origin": siteUrl, "content-type": "application/json" },
      body: '{"message":"Unauthorized"}',
    });
  });
  await page.getByRole("button", { name: "Refresh" }).click();
  await expect.poll(() => grants).toEqual(["refresh_token"]);
  await expect.poll(() => page.locator("#list-status").textContent()).not.toContain("expired");
  await expect.poll(() => refusals).toBe(2);
  expect(await page.locator("#auth-user").textContent()).toBe("Signed in as refresh@example.com");
  expect(await page.locator("#app-status").textContent()).toBe("");
  await page.close();
});
