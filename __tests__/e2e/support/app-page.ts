/** The web app's page, driven the way a user does it (labels, roles, keyboard). */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { PROJECT_ROOT } from "../../local/support/dev-process.js";

export const SCREENSHOTS = join(PROJECT_ROOT, ".e2e");

export interface AppPage {
  page: Page;
  /** Console errors and CSP violations seen so far. */
  problems: string[];
  createForm: ReturnType<Page["locator"]>;
  createStatus: ReturnType<Page["locator"]>;
  list: ReturnType<Page["locator"]>;
  fillCreate(user: { userId: string; name: string; email: string }): Promise<void>;
  screenshot(name: string): Promise<void>;
}

export async function openApp(browser: Browser, url: string, viewport = { width: 1280, height: 900 }): Promise<AppPage> {
  const page = await browser.newPage({ viewport });
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(url);
  // Ready once the first list request has settled.
  await page.locator("section:has(#user-list)[aria-busy=false]").waitFor();
  const createForm = page.locator("#create-form");
  return {
    page,
    problems,
    createForm,
    createStatus: page.locator("#create-status"),
    list: page.locator("#user-list"),
    async fillCreate(user) {
      await createForm.getByLabel("User id").fill(user.userId);
      await createForm.getByLabel("Name").fill(user.name);
      await createForm.getByLabel("Email").fill(user.email);
    },
    async screenshot(name) {
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
    },
  };
}

let counter = 0;
/** A user id no other test uses. */
export function uniqueId(prefix: string): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}`;
}
