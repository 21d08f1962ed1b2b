/**
 * The web app in Debian's Chromium against `npm run dev` (a child process on free ports, data in
 * a temporary folder), used the way people use it: by labels, roles and the keyboard.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { API_CORS } from "../../backend/src/contract.js";
import { startDev, type DevProcess } from "../local/support/dev-process.js";
import { openApp, uniqueId, type AppPage } from "./support/app-page.js";
import { launchChromium } from "./support/browser.js";

let dev: DevProcess;
let browser: Browser;
let dataDir: string;
const opened: AppPage[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "e2e-data-"));
  [dev, browser] = await Promise.all([startDev(["--api-port", "0", "--web-port", "0", "--data-dir", dataDir]), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await dev?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

afterEach(async () => {
  // No test may leave a console error or a CSP violation behind it.
  for (const app of opened.splice(0)) {
    const problems = app.problems.filter((p) => !/status of (409|400|404|503)/.test(p));
    await app.page.close();
    expect(problems).toEqual([]);
  }
});

/**
 * Makes the "gateway" answer the next creates itself (the browser's own checks pass, the server
 * refuses), with the CORS headers API Gateway adds for the web origin.
 */
async function answerCreates(app: AppPage, status: number, error: Record<string, unknown>, headers: Record<string, string> = {}): Promise<void> {
  await app.page.route(`${dev.apiUrl}/users`, (route) =>
    route.request().method() === "POST"
      ? route.fulfill({
          status,
          contentType: "application/json",
          headers: { "access-control-allow-origin": dev.webUrl, ...headers },
          body: JSON.stringify({ error }),
        })
      : route.continue(),
  );
}

async function open(viewport?: { width: number; height: number }): Promise<AppPage> {
  const app = await openApp(browser, dev.webUrl, viewport);
  opened.push(app);
  return app;
}

/** GET /users?limit=… (the list's requests), not the create's POST /users. */
const listRequests = (url: URL) => url.origin === new URL(dev.apiUrl).origin && url.pathname === "/users" && url.search !== "";

const user = (prefix: string) => {
  const userId = uniqueId(prefix);
  return { userId, name: `Name of ${userId}`, email: `${userId}@example.com` };
};

describe("the web app against npm run dev", () => {
  it("creates a user, shows it and lists it", async () => {
    const app = await open();
    const ada = user("ada");
    await app.fillCreate(ada);
    await app.createForm.getByRole("button", { name: "Create user" }).click();
    await expect.poll(() => app.createStatus.textContent()).toContain(ada.userId);
    expect(await app.createStatus.getAttribute("data-kind")).toBe("success");
    expect(await app.createStatus.textContent()).toContain(ada.email);
    await app.list.getByText(ada.name).waitFor();
    await app.screenshot("created-desktop");
  });

  it("shows the API's conflict message for a duplicate id and marks the id field", async () => {
    const app = await open();
    const dup = user("dup");
    const created = await fetch(`${dev.apiUrl}/users`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(dup) });
    expect(created.status).toBe(201);

    await app.fillCreate({ ...dup, name: "Someone else" });
    await app.createForm.getByRole("button", { name: "Create user" }).click();
    await expect.poll(() => app.createStatus.getAttribute("data-kind")).toBe("error");
    expect(await app.createStatus.textContent()).toMatch(/already exists/i);
    expect(await app.createStatus.textContent()).toMatch(/Request id: \S+/);
    const idField = app.createForm.getByLabel("User id");
    expect(await idField.getAttribute("aria-invalid")).toBe("true");
    await expect.poll(() => app.page.evaluate(() => document.activeElement?.id)).toBe("create-userId");
    await app.screenshot("conflict");
  });

  it("shows the field error for an invalid email without calling the API", async () => {
    const app = await open();
    const posts: string[] = [];
    app.page.on("request", (r) => {
      if (r.method() === "POST") posts.push(r.url());
    });
    await app.fillCreate({ ...user("mail"), email: "not-an-email" });
    await app.createForm.getByRole("button", { name: "Create user" }).click();
    const email = app.createForm.getByLabel("Email");
    await expect.poll(() => email.getAttribute("aria-invalid")).toBe("true");
    // The message is tied to the field, so a screen reader reads it with the field.
    const describedBy = (await email.getAttribute("aria-describedby"))!.split(" ");
    const errorText = await app.page.locator(`#${describedBy.find((id) => id.endsWith("-error"))}`).textContent();
    expect(errorText).toMatch(/^Email must contain exactly one @\.$/);
    expect(await app.createStatus.textContent()).toContain("Email must contain exactly one @");
    expect(await app.createStatus.getAttribute("aria-live")).toBe("polite");
    expect(posts).toEqual([]);
  });

  it("shows the server's field errors when only the server refuses the input", async () => {
    const app = await open();
    await answerCreates(app, 400, { code: "invalid_body", message: "The body is not valid.", requestId: "req-1", fields: { name: "is taken by policy" } });
    await app.fillCreate(user("srv"));
    await app.createForm.getByRole("button", { name: "Create user" }).click();
    await expect.poll(() => app.createStatus.textContent()).toContain("The body is not valid.");
    expect(await app.page.locator("#create-name-error").textContent()).toBe("Name is taken by policy.");
  });

  it("keeps the data across a page reload", async () => {
    const app = await open();
    const kept = user("kept");
    await app.fillCreate(kept);
    await app.createForm.getByRole("button", { name: "Create user" }).click();
    await app.list.getByText(kept.name).waitFor();
    await app.page.reload();
    await app.list.getByText(kept.name).waitFor();
    // And it can be looked up by id after the reload.
    await app.page.getByRole("button", { name: `Show ${kept.name} (${kept.userId})` }).click();
    await expect.poll(() => app.page.locator("#lookup-status").textContent()).toContain(kept.name);
  });

  it("creates a user with the keyboard only", async () => {
    const app = await open();
    const keys = user("keys");
    const focusedId = () => app.page.evaluate(() => document.activeElement?.id ?? "");
    for (let i = 0; i < 5 && (await focusedId()) !== "create-userId"; i++) await app.page.keyboard.press("Tab");
    expect(await focusedId()).toBe("create-userId");
    await app.page.keyboard.type(keys.userId);
    await app.page.keyboard.press("Tab");
    await app.page.keyboard.type(keys.name);
    await app.page.keyboard.press("Tab");
    await app.page.keyboard.type(keys.email);
    await app.page.keyboard.press("Enter");
    await app.list.getByText(keys.name).waitFor();
    expect(await app.createStatus.getAttribute("data-kind")).toBe("success");
    await app.screenshot("keyboard");
  });

  it("shows a loading state while a request is in flight", async () => {
    const app = await open();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await app.page.route(`${dev.apiUrl}/users`, async (route) => {
      if (route.request().method() === "POST") await held;
      await route.continue();
    });
    await app.fillCreate(user("slow"));
    const button = app.createForm.getByRole("button", { name: /Create user|Creating/ });
    await button.click();
    await expect.poll(() => button.textContent()).toBe("Creating…");
    expect(await button.getAttribute("aria-disabled")).toBe("true");
    expect(await app.createForm.getAttribute("aria-busy")).toBe("true");
    release();
    await expect.poll(() => button.textContent()).toBe("Create user");
    expect(await app.createForm.getAttribute("aria-busy")).toBe("false");
  });

  it("tells the user to retry when the API is busy (503)", async () => {
    const app = await open();
    await answerCreates(app, 503, { code: "service_unavailable", message: "The service is temporarily unavailable; retry later.", requestId: "r503" });
    await app.fillCreate(user("busy"));
    await app.createForm.getByRole("button", { name: "Create user" }).click();
    await expect.poll(() => app.createStatus.textContent()).toContain("temporarily unavailable");
    expect(await app.createStatus.textContent()).toContain("Please try again shortly.");
  });

  it("says how long to wait when a 503 carries Retry-After (exposed through CORS)", async () => {
    const app = await open();
    // As the gateway sends it: without the expose header a cross-origin script cannot read it.
    await answerCreates(app, 503, { code: "service_unavailable", message: "The service is temporarily unavailable; retry later.", requestId: "r503" }, {
      "access-control-expose-headers": API_CORS.exposeHeaders.join(","),
      "retry-after": "2",
    });
    await app.fillCreate(user("wait"));
    await app.createForm.getByRole("button", { name: "Create user" }).click();
    await expect.poll(() => app.createStatus.textContent()).toContain("Please try again in 2 seconds.");
  });

  it("shows an error, not a stuck loading message, when the API answers something that is not its JSON", async () => {
    const app = await open();
    // What a wrong apiUrl gives: the site's own index.html with a 200.
    await app.page.route(listRequests, (route) =>
      route.fulfill({ status: 200, contentType: "text/html", headers: { "access-control-allow-origin": dev.webUrl }, body: "<!doctype html><title>Users</title>" }),
    );
    await app.page.getByRole("button", { name: "Refresh" }).click();
    await expect.poll(() => app.page.locator("#list-status").getAttribute("data-kind")).toBe("error");
    expect(await app.page.locator("#list-status").textContent()).toContain("cannot read");
    expect(await app.page.locator("section:has(#user-list)").getAttribute("aria-busy")).toBe("false");
  });

  it("a page answer that arrives after a newer reload does not replace it", async () => {
    for (let i = 0; i < 11; i++) {
      const response = await fetch(`${dev.apiUrl}/users`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(user("race")) });
      expect(response.status).toBe(201);
    }
    const app = await open();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await app.page.route(listRequests, async (route) => {
      if (route.request().url().includes("cursor=")) await held;
      await route.continue();
    });
    await app.page.getByRole("button", { name: "Next page" }).click();
    // While page 2 is held, a create reloads the list at page 1.
    await app.fillCreate(user("overtake"));
    await app.createForm.getByRole("button", { name: "Create user" }).click();
    await expect.poll(() => app.createStatus.getAttribute("data-kind")).toBe("success");
    await expect.poll(() => app.page.locator("section:has(#user-list)").getAttribute("aria-busy")).toBe("false");
    const reloaded = await app.list.textContent();
    const lateAnswer = app.page.waitForResponse((r) => r.url().includes("cursor="));
    release();
    await lateAnswer;
    await app.page.evaluate(() => new Promise((r) => setTimeout(r, 100)));
    expect(await app.page.locator("#list-page").textContent()).toBe("Page 1");
    expect(await app.page.getByRole("button", { name: "Previous page" }).getAttribute("aria-disabled")).toBe("true");
    expect(await app.list.textContent()).toBe(reloaded);
  });

  it("a click on another user wins over a lookup still in flight", async () => {
    const [first, second] = [user("slowpoke"), user("quick")];
    for (const u of [first, second]) {
      const response = await fetch(`${dev.apiUrl}/users`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(u) });
      expect(response.status).toBe(201);
    }
    const app = await open();
    // A list page holding just these two, whatever else earlier tests created.
    const page = { items: [first, second].map(({ userId, name }) => ({ userId, name, createdAt: new Date().toISOString() })), nextCursor: null };
    await app.page.route(listRequests, (route) =>
      route.fulfill({ status: 200, contentType: "application/json", headers: { "access-control-allow-origin": dev.webUrl }, body: JSON.stringify(page) }),
    );
    await app.page.getByRole("button", { name: "Refresh" }).click();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await app.page.route(`${dev.apiUrl}/users/${first.userId}`, async (route) => {
      await held;
      await route.continue();
    });
    const lookupStatus = app.page.locator("#lookup-status");
    await app.page.getByRole("button", { name: `Show ${first.name} (${first.userId})` }).click();
    await app.page.getByRole("button", { name: `Show ${second.name} (${second.userId})` }).click();
    await expect.poll(() => lookupStatus.textContent()).toContain(second.name);
    const lateAnswer = app.page.waitForResponse(`${dev.apiUrl}/users/${first.userId}`);
    release();
    await lateAnswer;
    await app.page.evaluate(() => new Promise((r) => setTimeout(r, 100)));
    expect(await lookupStatus.textContent()).toContain(second.name);
    expect(await app.page.locator("#lookup-userId").inputValue()).toBe(second.userId);
    expect(await app.page.locator("#lookup-form").getAttribute("aria-busy")).toBe("false");
  });

  it("pages through the list with the API's cursors", async () => {
    for (let i = 0; i < 11; i++) {
      const response = await fetch(`${dev.apiUrl}/users`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(user("page")) });
      expect(response.status).toBe(201);
    }
    const app = await open();
    await expect.poll(() => app.list.locator("li").count()).toBe(10);
    const firstPage = await app.list.textContent();
    const next = app.page.getByRole("button", { name: "Next page" });
    expect(await next.getAttribute("aria-disabled")).toBe("false");
    await next.click();
    await expect.poll(() => app.page.locator("#list-page").textContent()).toBe("Page 2");
    expect(await app.list.textContent()).not.toBe(firstPage);
    await app.page.getByRole("button", { name: "Previous page" }).click();
    await expect.poll(() => app.page.locator("#list-page").textContent()).toBe("Page 1");
    expect(await app.list.textContent()).toBe(firstPage);
  });

  it("fits a phone-sized screen without sideways scrolling", async () => {
    const app = await open({ width: 360, height: 740 });
    const long = { userId: `${"x".repeat(60)}-p`, name: "A rather long name that has to wrap on a small phone screen", email: "someone.with.a.long.address@example.com" };
    await app.fillCreate(long);
    await app.createForm.getByRole("button", { name: "Create user" }).click();
    await app.list.getByText(long.name).waitFor();
    const overflow = await app.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await app.screenshot("created-phone");
  });
});
