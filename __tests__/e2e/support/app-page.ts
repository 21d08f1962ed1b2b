/** The web app's page, driven the way a user does it (labels, roles, keyboard). */
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
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
  /** axe-core's violations on the page as it is now, one line each (empty when there are none). */
  audit(): Promise<string[]>;
}

/** axe-core's browser build, evaluated in the page through the DevTools protocol (the page's CSP does not apply). */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export async function auditPage(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(context: Document, options: object): Promise<{ violations: { id: string; help: string; nodes: { target: unknown[] }[] }[] }>;
        };
      }
    ).axe;
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  });
  return violations;
}

export interface OpenOptions {
  viewport?: { width: number; height: number };
  /** Wait for the first list load to settle. @default true */
  waitForList?: boolean;
  colorScheme?: "light" | "dark";
  /** Runs before the page loads (e.g. routes). */
  before?: (page: Page) => Promise<unknown>;
}

export async function openApp(browser: Browser, url: string, options: OpenOptions = {}): Promise<AppPage> {
  const page = await browser.newPage({
    viewport: options.viewport ?? { width: 1280, height: 900 },
    colorScheme: options.colorScheme ?? "light",
  });
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  await options.before?.(page);
  await page.goto(url);
  // Ready once the first list request has settled.
  if (options.waitForList !== false) await page.locator("section:has(#user-list)[aria-busy=false]").waitFor();
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
    audit: () => auditPage(page),
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
