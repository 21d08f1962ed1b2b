/**
 * The web app in Debian's Chromium against `npm run dev` (a child process on free ports, data in
 * a temporary folder), used the way people use it: by labels, roles and the keyboard.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Route } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { API_CORS } from "../../backend/src/contract.js";
import { FIELD_MAX_LENGTH } from "../../backend/src/user-schema.js";
import { type DevProcess, startDev } from "../local/support/dev-process.js";
import { type AppPage, type OpenOptions, openApp, uniqueId } from "./support/app-page.js";
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
    const problems = app.problems.filter((p) => !/status of (409|400|404|429|500|503)/.test(p));
    await app.page.close();
    expect(problems).toEqual([]);
  }
});

/**
 * Makes the "gateway" answer the next creates itself (the browser's own checks pass, the server
 * refuses), with the CORS headers API Gateway adds for the web origin.
 */
async function answerCreates(
  app: AppPage,
  status: number,
  error: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<void> {
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

async function open(options: OpenOptions = {}): Promise<AppPage> {
  const app = await openApp(browser, dev.webUrl, options);
  opened.push(app);
  return app;
}

/** axe-core finds nothing on the page as it is now. */
async function expectAccessible(app: AppPage): Promise<void> {
  expect(await app.audit()).toEqual([]);
}

/** The main sentence of a status region (its <strong>), without the collapsed support details. */
const mainMessage = (app: AppPage, id: string) => app.page.locator(`#${id} > strong`).textContent();

/** GET /users?limit=… (the list's requests), not the create's POST /users. */
const listRequests = (url: URL) => url.origin === new URL(dev.apiUrl).origin && url.pathname === "/users" && url.search !== "";

const user = (prefix: string) => {
  const userId = uniqueId(prefix);
  return { userId, name: `Name of ${userId}`, email: `${userId}@example.com` };
};

describe("the web app against npm run dev", () => {
  it("creates a user, says so in words and shows it first in the list, marked new", async () => {
    const app = await open();
    await expectAccessible(app);
    const ada = { ...user("ada"), name: "Ada Lovelace" };
    await app.fillCreate(ada);
    await app.createForm.getByRole("button", { name: "Create user" }).click();
    await expect.poll(() => app.createStatus.getAttribute("data-kind")).toBe("success");
    // The main message names the person, not the raw id; the id and email are in the details below it.
    expect(await mainMessage(app, "create-status")).toBe(`${ada.name} was created. They are marked “new” at the top of the list.`);
    expect(await mainMessage(app, "create-status")).not.toContain(ada.userId);
    expect(await app.createStatus.locator("dl").textContent()).toContain(ada.email);
    const first = app.list.locator("li").first();
    await expect.poll(() => first.textContent()).toContain(ada.name);
    expect(await first.getAttribute("class")).toContain("is-new");
    expect(await first.locator(".new-badge").textContent()).toBe("new");
    await expectAccessible(app);
    await app.screenshot("created-desktop");
  });

  it("shows a just-created user at once even while the list index lags behind", async () => {
    const app = await open();
    // The list answers without the new user (as an index a moment behind the write would).
    let hold = true;
    await app.page.route(listRequests, async (route) => {
      if (!hold) return route.continue();
      const response = await route.fetch();
      const page = await response.json();
      await route.fulfill({
        response,
        json: { ...page, items: page.items.filter((u: { userId: string }) => !u.userId.startsWith("lag-")) },
      });
    });
    const lag = user("lag");
    await app.fillCreate(lag);
    await app.createForm.getByRole("button", { name: "Create user" }).click();
    const first = app.list.locator("li").first();
    await expect.poll(() => first.textContent()).toContain(lag.name);
    expect(await first.getAttribute("class")).toContain("is-new");
    hold = false;
  });

  it("says an id is taken once, at the field and in one sentence, with the request id only for support", async () => {
    const app = await open();
    const dup = user("dup");
    const created = await fetch(`${dev.apiUrl}/users`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(dup),
    });
    expect(created.status).toBe(201);

    await app.fillCreate({ ...dup, name: "Someone else" });
    await app.createForm.getByRole("button", { name: "Create user" }).click();
    await expect.poll(() => app.createStatus.getAttribute("data-kind")).toBe("error");
    expect(await mainMessage(app, "create-status")).toBe("The user was not created: please choose another user id.");
    expect(await app.page.locator("#create-userId-error").textContent()).toBe("User id is already taken.");
    // No raw field name, id or request id in what people read first; the request id is kept for support.
    expect(await mainMessage(app, "create-status")).not.toMatch(/userId|Request id/);
    const support = app.createStatus.locator("details.support");
    expect(await support.getAttribute("open")).toBeNull();
    expect(await support.textContent()).toMatch(/Details for support.*HTTP 409.*request id \S+/);
    expect(await app.createForm.getByLabel("User id").getAttribute("aria-invalid")).toBe("true");
    await expect.poll(() => app.page.evaluate(() => document.activeElement?.id)).toBe("create-userId");
    await expectAccessible(app);
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
    // One message per failure: the field says what is wrong, the status only points at it.
    expect(await app.createStatus.textContent()).toBe("Please correct the highlighted field.");
    expect(await app.createStatus.getAttribute("aria-live")).toBe("polite");
    expect(posts).toEqual([]);
    await expectAccessible(app);
  });

  it("shows the server's field errors when only the server refuses the input", async () => {
    const app = await open();
    await answerCreates(app, 400, {
      code: "invalid_body",
      message: "The body is not valid.",
      requestId: "req-1",
      fields: { name: "is taken by policy" },
    });
    await app.fillCreate(user("srv"));
    await app.createForm.getByRole("button", { name: "Create user" }).click();
    await expect.poll(() => mainMessage(app, "create-status")).toBe("The user was not created: please correct the highlighted fields.");
    expect(await app.page.locator("#create-name-error").textContent()).toBe("Name is taken by policy.");
    expect(await app.createStatus.textContent()).not.toContain("The body is not valid.");
  });

  it("keeps the data across a page reload", async () => {
    const app = await open();
    const kept = user("kept");
    await app.fillCreate(kept);
    await app.createForm.getByRole("button", { name: "Create user" }).click();
    await app.list.getByText(kept.name).waitFor();
    await app.page.reload();
    await app.list.getByText(kept.name).waitFor();
    // Its details open right under it, with focus moved there.
    const show = app.page.getByRole("button", { name: `Show ${kept.name} (${kept.userId})` });
    await show.click();
    const panel = app.page.getByRole("region", { name: `Details of ${kept.name}` });
    await expect.poll(() => panel.textContent()).toContain(kept.userId);
    expect(await show.getAttribute("aria-expanded")).toBe("true");
    expect(await panel.evaluate((node) => node === document.activeElement)).toBe(true);
    const [button, details] = [await show.boundingBox(), await panel.boundingBox()];
    expect(details!.y).toBeGreaterThan(button!.y);
    expect(details!.y - (button!.y + button!.height)).toBeLessThan(80);
    expect(details!.y + details!.height).toBeLessThanOrEqual(900);
    await expectAccessible(app);
    // The same button closes them again.
    await show.click();
    expect(await panel.isHidden()).toBe(true);
  });

  it("looks a user up by id, with the details right under the form", async () => {
    const found = user("found");
    expect(
      (await fetch(`${dev.apiUrl}/users`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(found) }))
        .status,
    ).toBe(201);
    const app = await open();
    await app.page.locator("#lookup-userId").fill(found.userId);
    await app.page.getByRole("button", { name: "Look up" }).click();
    await expect.poll(() => app.page.locator("#lookup-status").textContent()).toContain(found.name);
    await app.page.locator("#lookup-userId").fill(uniqueId("nobody"));
    await app.page.getByRole("button", { name: "Look up" }).click();
    await expect.poll(() => mainMessage(app, "lookup-status")).toBe("There is no user with this id.");
    await expectAccessible(app);
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

  it.each([
    [503, {}, "The user was not created. The service is busy. Please try again shortly."],
    [503, { "retry-after": "2" }, "The user was not created. The service is busy. Please try again in 2 seconds."],
    [429, { "retry-after": "3" }, "The user was not created. Too many requests at the moment. Please wait and try again in 3 seconds."],
    [500, {}, "The user was not created. Something went wrong on the server. Please try again in a moment."],
  ])("words a %d (%j) for people, with the retry delay the API gives", async (status, headers, sentence) => {
    const app = await open();
    // As the gateway sends them: without the expose header a cross-origin script cannot read Retry-After.
    await answerCreates(
      app,
      status,
      { code: "any", message: "A message meant for developers.", requestId: `r${status}` },
      {
        "access-control-expose-headers": API_CORS.exposeHeaders.join(","),
        ...headers,
      },
    );
    await app.fillCreate(user("busy"));
    await app.createForm.getByRole("button", { name: "Create user" }).click();
    await expect.poll(() => app.createStatus.getAttribute("data-kind")).toBe("error");
    expect(await mainMessage(app, "create-status")).toBe(sentence);
    expect(await app.createStatus.textContent()).not.toContain("meant for developers");
    expect(await app.createStatus.locator("details.support").textContent()).toContain(`request id r${status}`);
    await expectAccessible(app);
  });

  it("retries a create that may have been stored with the same Idempotency-Key, and gets its 201", async () => {
    const app = await open();
    const keys: string[] = [];
    let first = true;
    await app.page.route(`${dev.apiUrl}/users`, async (route) => {
      if (route.request().method() !== "POST") return route.continue();
      keys.push((await route.request().headerValue("idempotency-key")) ?? "");
      if (!first) return route.continue();
      first = false;
      // The write is stored, but the answer is a 503 (as after DynamoDB answered too late).
      const stored = await route.fetch();
      expect(stored.status()).toBe(201);
      await route.fulfill({
        status: 503,
        contentType: "application/json",
        headers: { "access-control-allow-origin": dev.webUrl },
        body: JSON.stringify({ error: { code: "service_unavailable", message: "x", requestId: "r1" } }),
      });
    });
    const retry = user("retry");
    await app.fillCreate(retry);
    await app.createForm.getByRole("button", { name: "Create user" }).click();
    await expect.poll(() => app.createStatus.getAttribute("data-kind")).toBe("error");
    await app.createForm.getByRole("button", { name: "Create user" }).click();
    await expect.poll(() => app.createStatus.getAttribute("data-kind")).toBe("success");
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
  });

  it("shows an error, not a stuck loading message, when the API answers something that is not its JSON", async () => {
    const app = await open();
    // What a wrong apiUrl gives: the site's own index.html with a 200.
    await app.page.route(listRequests, (route) =>
      route.fulfill({
        status: 200,
        contentType: "text/html",
        headers: { "access-control-allow-origin": dev.webUrl },
        body: "<!doctype html><title>Users</title>",
      }),
    );
    await app.page.getByRole("button", { name: "Refresh" }).click();
    await expect.poll(() => app.page.locator("#list-status").getAttribute("data-kind")).toBe("error");
    expect(await app.page.locator("#list-status").textContent()).toContain("cannot read");
    expect(await app.page.locator("section:has(#user-list)").getAttribute("aria-busy")).toBe("false");
  });

  it("a page answer that arrives after a newer reload does not replace it", async () => {
    for (let i = 0; i < 11; i++) {
      const response = await fetch(`${dev.apiUrl}/users`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(user("race")),
      });
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
    expect(await app.page.locator("#list-page").textContent()).toBe("Page 1, users 1 to 10");
    expect(await app.page.getByRole("button", { name: "Previous page" }).getAttribute("aria-disabled")).toBe("true");
    expect(await app.list.textContent()).toBe(reloaded);
  });

  it("a click on another user wins over details still loading", async () => {
    const [first, second] = [user("slowpoke"), user("quick")];
    for (const u of [first, second]) {
      const response = await fetch(`${dev.apiUrl}/users`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(u),
      });
      expect(response.status).toBe(201);
    }
    const app = await open();
    // A list page holding just these two, whatever else earlier tests created.
    const page = {
      items: [first, second].map(({ userId, name }) => ({ userId, name, createdAt: new Date().toISOString() })),
      nextCursor: null,
    };
    await app.page.route(listRequests, (route) =>
      route.fulfill({
        status: 200,
        contentType: "application/json",
        headers: { "access-control-allow-origin": dev.webUrl },
        body: JSON.stringify(page),
      }),
    );
    await app.page.getByRole("button", { name: "Refresh" }).click();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await app.page.route(`${dev.apiUrl}/users/${first.userId}`, async (route) => {
      await held;
      await route.continue();
    });
    await app.page.getByRole("button", { name: `Show ${first.name} (${first.userId})` }).click();
    await app.page.getByRole("button", { name: `Show ${second.name} (${second.userId})` }).click();
    const secondPanel = app.page.getByRole("region", { name: `Details of ${second.name}` });
    await expect.poll(() => secondPanel.textContent()).toContain(second.userId);
    const lateAnswer = app.page.waitForResponse(`${dev.apiUrl}/users/${first.userId}`);
    release();
    await lateAnswer;
    await app.page.evaluate(() => new Promise((r) => setTimeout(r, 100)));
    // Only the newest choice is open; the late answer drew nothing.
    expect(await app.page.locator(".user-details:not([hidden])").count()).toBe(1);
    expect(await secondPanel.textContent()).toContain(second.userId);
    expect(await app.page.locator("#user-list button[aria-expanded=true]").count()).toBe(1);
  });

  it("pages newest first with the API's cursors, announces each page, and has no empty last page", async () => {
    const made: string[] = [];
    for (let i = 0; i < 11; i++) {
      const u = user("page");
      made.push(u.userId);
      const response = await fetch(`${dev.apiUrl}/users`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(u),
      });
      expect(response.status).toBe(201);
    }
    const app = await open();
    await expect.poll(() => app.list.locator("li").count()).toBe(10);
    // Newest first: the last one made leads the list.
    expect(await app.list.locator("li code").first().textContent()).toBe(made.at(-1));
    const firstPage = await app.list.textContent();
    const label = app.page.locator("#list-page");
    expect(await label.getAttribute("role")).toBe("status");
    expect(await label.textContent()).toBe("Page 1, users 1 to 10");
    const next = app.page.getByRole("button", { name: "Next page" });
    expect(await next.getAttribute("aria-disabled")).toBe("false");
    await next.click();
    await expect.poll(() => label.textContent()).toMatch(/^Page 2, users 11 to \d+$/);
    expect(await app.list.textContent()).not.toBe(firstPage);
    await expectAccessible(app);
    // Walk to the end: every page has users, and the last one offers no next page.
    for (let pageNumber = 2; (await next.getAttribute("aria-disabled")) === "false" && pageNumber < 50; pageNumber++) {
      await next.click();
      await expect.poll(() => label.textContent()).toMatch(new RegExp(`^Page ${pageNumber + 1}, users`));
    }
    expect(await app.list.locator("li").count()).toBeGreaterThan(0);
    while ((await app.page.getByRole("button", { name: "Previous page" }).getAttribute("aria-disabled")) === "false") {
      const before = await label.textContent();
      await app.page.getByRole("button", { name: "Previous page" }).click();
      await expect.poll(() => label.textContent()).not.toBe(before);
    }
    expect(await label.textContent()).toBe("Page 1, users 1 to 10");
    expect(await app.list.textContent()).toBe(firstPage);
  });

  it("reflows the pager at 320 px", async () => {
    for (let i = 0; i < 11; i++) {
      await fetch(`${dev.apiUrl}/users`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(user("narrow")),
      });
    }
    const app = await open({ viewport: { width: 320, height: 640 } });
    const overflow = await app.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const boxes = await Promise.all(["#list-prev", "#list-page", "#list-next"].map((id) => app.page.locator(id).boundingBox()));
    for (const box of boxes) expect(box!.x + box!.width).toBeLessThanOrEqual(320);
    // The page label wraps below the two buttons instead of squeezing them.
    expect(boxes[1]!.y).toBeGreaterThan(boxes[0]!.y);
    await expectAccessible(app);
    await app.screenshot("pager-320");
  });

  it("accepts names as people write them and refuses invisible ones, with the API's own rules", async () => {
    const app = await open();
    const persian = { ...user("fa"), name: "\u0641\u0627\u0637\u0645\u0647\u200C\u0632\u0647\u0631\u0627" };
    await app.fillCreate(persian);
    await app.createForm.getByRole("button", { name: "Create user" }).click();
    await expect.poll(() => app.createStatus.getAttribute("data-kind")).toBe("success");
    await expect.poll(() => app.list.locator("li").first().textContent()).toContain(persian.name);
    await app.fillCreate({ ...user("filler"), name: "\u3164" });
    await app.createForm.getByRole("button", { name: "Create user" }).click();
    await expect
      .poll(() => app.page.locator("#create-name-error").textContent())
      .toBe("Name must not contain invisible letters such as Hangul fillers.");
    await expectAccessible(app);
  });

  it("gives each field the schema's own maxlength", async () => {
    const app = await open();
    for (const [name, limit] of Object.entries(FIELD_MAX_LENGTH)) {
      expect(await app.page.locator(`#create-${name}`).getAttribute("maxlength")).toBe(String(limit));
    }
    expect(await app.page.locator("#lookup-userId").getAttribute("maxlength")).toBe(String(FIELD_MAX_LENGTH.userId));
    // 100 emoji (200 UTF-16 units) fit: the schema counts characters, maxlength counts units.
    await app.createForm.getByLabel("Name").fill("\u{1F600}".repeat(100));
    expect([...(await app.createForm.getByLabel("Name").inputValue())]).toHaveLength(100);
  });

  it.each(["light", "dark"] as const)(
    "keeps live regions in the accessibility tree and input borders at 3:1 or more (%s)",
    async (colorScheme) => {
      const app = await open({ colorScheme });
      const hidden = await app.page.evaluate(() =>
        [...document.querySelectorAll("[aria-live], [role=status], [role=alert]")]
          .filter((n) => getComputedStyle(n).display === "none")
          .map((n) => n.id),
      );
      expect(hidden).toEqual([]);
      const ratios = await app.page.evaluate(() => {
        const rgb = (c: string) =>
          c
            .match(/\d+(\.\d+)?/g)!
            .slice(0, 3)
            .map(Number);
        const luminance = (c: string) => {
          const [r, g, b] = rgb(c).map((v) => {
            const s = v / 255;
            return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
          });
          return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
        };
        const contrast = (a: string, b: string) => {
          const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
          return (x! + 0.05) / (y! + 0.05);
        };
        return [...document.querySelectorAll("input")].map((input) => {
          const style = getComputedStyle(input);
          const around = getComputedStyle(input.closest(".card")!).backgroundColor;
          return Math.min(contrast(style.borderTopColor, style.backgroundColor), contrast(style.borderTopColor, around));
        });
      });
      expect(ratios.length).toBeGreaterThan(0);
      for (const ratio of ratios) expect(ratio).toBeGreaterThanOrEqual(3);
      await expectAccessible(app);
    },
  );

  it.each([
    [
      "missing",
      (route: Route) => route.fulfill({ status: 404, contentType: "text/plain", body: "Not Found" }),
      /config\.json is deployed next to index\.html \(it answered HTTP 404\)/,
    ],
    [
      "not JSON",
      (route: Route) => route.fulfill({ status: 200, contentType: "application/json", body: "{apiUrl:" }),
      /config\.json: it is not valid JSON/,
    ],
    [
      "without apiUrl",
      (route: Route) => route.fulfill({ status: 200, contentType: "application/json", body: "{}" }),
      /Check config\.json next to index\.html: it must hold \{"apiUrl"/,
    ],
    [
      "naming no API",
      (route: Route) =>
        route.fulfill({ status: 200, contentType: "application/json", body: JSON.stringify({ apiUrl: "http://127.0.0.1:9" }) }),
      /Check the apiUrl in config\.json \(http:\/\/127\.0\.0\.1:9\)/,
    ],
  ])("says once, at the top, what to check when config.json is %s", async (_what, answer, message) => {
    const app = await open({ waitForList: false, before: (page) => page.route("**/config.json", answer) });
    const top = app.page.locator("#app-status");
    await expect.poll(() => top.getAttribute("data-kind")).toBe("error");
    expect(await top.textContent()).toMatch(/^The app cannot start\. /);
    expect(await top.textContent()).toMatch(message);
    // Nothing else repeats it.
    const others = await app.page.evaluate(() =>
      [...document.querySelectorAll(".status:not(#app-status)")].map((n) => n.textContent).join(""),
    );
    expect(others).toBe("");
    expect(await app.createForm.getByRole("button", { name: "Create user" }).isDisabled()).toBe(true);
    await expectAccessible(app);
    app.problems.splice(0); // the failed config.json or API request is the point of this test
  });

  it("fits a phone-sized screen without sideways scrolling", async () => {
    const app = await open({ viewport: { width: 360, height: 740 } });
    const long = {
      userId: `${"x".repeat(60)}-p`,
      name: "A rather long name that has to wrap on a small phone screen",
      email: "someone.with.a.long.address@example.com",
    };
    await app.fillCreate(long);
    await app.createForm.getByRole("button", { name: "Create user" }).click();
    await app.list.getByText(long.name).waitFor();
    const overflow = await app.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await app.screenshot("created-phone");
  });
});
