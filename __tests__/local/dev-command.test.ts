/**
 * `npm run dev` as a developer runs it: flags, clear failures, clean stop. The flag refusals run
 * scripts/dev.ts in this process (support/command-in-process.ts), as nothing has started by then;
 * the rest start `npm run dev` as a process, since they are about what it leaves running.
 */

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCommandInProcess } from "../support/command-in-process.js";
import { runDevToExit, startDev } from "./support/dev-process.js";

/** The lines the command printed itself (npm adds nothing with --silent). */
const lines = (output: string) => output.trim().split("\n").filter(Boolean);

describe("npm run dev", () => {
  it("starts on free ports, serves config.json pointing at the API, and stops cleanly on SIGTERM", async () => {
    const dev = await startDev(["--api-port", "0", "--web-port", "0", "--in-memory"]);
    let stopped = false;
    try {
      const config = await (await fetch(`${dev.webUrl}/config.json`)).json();
      expect(config).toEqual({ apiUrl: dev.apiUrl });
      expect((await fetch(`${dev.apiUrl}/health`)).status).toBe(200);
      const page = await (await fetch(`${dev.webUrl}/`)).text();
      expect(page).toContain('<form id="create-form"');
      await dev.stop("SIGTERM");
      stopped = true;
      expect(dev.output()).toMatch(/^stopped$/m);
      await expect(fetch(`${dev.apiUrl}/health`)).rejects.toThrow();
    } finally {
      if (!stopped) await dev.stop("SIGKILL");
    }
  });

  it("refuses an unknown flag with the usage and a non-zero exit", async () => {
    const { code, output } = await runCommandInProcess("scripts/dev.ts", ["--no-such-flag"]);
    expect(code).not.toBe(0);
    expect(lines(output)[0]).toMatch(/^npm run dev: Unknown option '--no-such-flag'/);
    expect(output).toContain("Usage: npm run dev");
    expect(output).not.toMatch(/\n\s+at /); // no stack trace
  });

  it("refuses a port that is not a number as a usage error (exit 2, with the usage)", async () => {
    const { code, output } = await runCommandInProcess("scripts/dev.ts", ["--api-port", "http"]);
    expect(code).toBe(2);
    expect(lines(output)[0]).toBe('npm run dev: --api-port must be a port number from 0 to 65535, got "http"');
    expect(output).toContain("Usage: npm run dev");
    expect(output).not.toMatch(/\n\s+at /); // no stack trace
  });

  it("names a busy API port in one line and exits non-zero", async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const { code, output } = await runDevToExit(["--api-port", String(port), "--web-port", "0", "--in-memory"]);
      expect(code).not.toBe(0);
      expect(lines(output)).toEqual([
        `npm run dev: API port ${port} on 127.0.0.1 is already in use; pick another with --api-port (0 = any free port)`,
      ]);
    } finally {
      blocker.close();
    }
  });

  it("names a broken data folder in one line and exits non-zero", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dev-command-"));
    const file = join(dir, "data");
    writeFileSync(file, "not a folder");
    try {
      const { code, output } = await runDevToExit(["--api-port", "0", "--web-port", "0", "--data-dir", file]);
      expect(code).not.toBe(0);
      expect(lines(output)).toEqual([`npm run dev: data folder ${file} is not a folder; remove it or use --in-memory`]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
