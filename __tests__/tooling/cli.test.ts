/**
 * Every `npm run <command>` in scripts/ answers the same way: --help prints its usage and exits 0,
 * a bad flag prints the problem and the usage and exits 2 before anything runs, a failure exits 1.
 *
 * Each command file runs in this process (support/command-in-process.ts: its top-level code with
 * the argv and environment given); the last test runs one as a real process, to show that the exit
 * code and the streams reach the shell.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { runCommand } from "../../scripts/lib/process.js";
import { runCommandInProcess } from "../support/command-in-process.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "cli-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** package.json script -> the file it runs. */
const COMMANDS = {
  deploy: "scripts/deploy.ts",
  diff: "scripts/diff.ts",
  destroy: "scripts/destroy.ts",
  "bootstrap-state": "scripts/bootstrap-state.ts",
  cost: "scripts/cost.ts",
  validate: "scripts/validate.ts",
  bench: "scripts/bench.ts",
  dev: "scripts/dev.ts",
  "build:backend": "scripts/build-backend.ts",
  logs: "scripts/logs.ts",
  status: "scripts/status.ts",
  resume: "scripts/resume.ts",
  "backfill-list-index": "scripts/backfill-list-index.ts",
} as const;

const env = { APP_CONFIG: "", CDKTF_OUTDIR: join(scratch, "cdktf.out"), HOME: scratch };
const run = (file: string, args: string[], extra: Record<string, string> = {}) => runCommandInProcess(file, args, { ...env, ...extra });

async function each<T>(items: T[], task: (item: T) => Promise<void>): Promise<void> {
  for (const item of items) await task(item);
}

describe("the commands' front-end", () => {
  it("package.json runs each command file listed here", async () => {
    const pkg = (await import("../../package.json", { with: { type: "json" } })).default as { scripts: Record<string, string> };
    // `exec node --import tsx`: one process that gets the signals itself. Under the tsx command a
    // parent process relays them and SIGKILLs the command when it has not acknowledged one within
    // about 60 ms (a busy event loop): a deploy would die without waiting for terraform.
    for (const [name, file] of Object.entries(COMMANDS)) expect(pkg.scripts[name], name).toBe(`exec node --import tsx ${file}`);
  });

  it("--help prints the usage on stdout and exits 0, running nothing", async () => {
    await each(Object.entries(COMMANDS), async ([name, file]) => {
      const r = await run(file, ["--help"]);
      expect(r.code, `${name}: ${r.output}`).toBe(0);
      expect(r.stdout, name).toMatch(/^Usage: npm run /);
      expect(r.stderr, name).toBe("");
    });
  }, 120_000);

  it("an unknown flag prints the problem and the usage on stderr and exits 2", async () => {
    await each(Object.entries(COMMANDS), async ([name, file]) => {
      const r = await run(file, ["--no-such-flag"]);
      expect(r.code, `${name}: ${r.output}`).toBe(2);
      expect(r.stderr, name).toContain("Unknown option '--no-such-flag'");
      expect(r.stderr, name).toMatch(/Usage: npm run /);
      expect(r.stdout, name).toBe("");
    });
  }, 120_000);

  it("a bad flag value is a usage error too (exit 2)", async () => {
    const cases: [string, string[]][] = [
      [COMMANDS.validate, ["--variant", "nope"]],
      [COMMANDS.validate, ["--jobs", "0"]],
      [COMMANDS.bench, ["no-such-section"]],
      [COMMANDS.dev, ["--api-port", "http"]],
      [COMMANDS.cost, ["--requests", "-5"]],
    ];
    await each(cases, async ([file, args]) => {
      const r = await run(file, args);
      expect(r.code, `${file} ${args.join(" ")}: ${r.output}`).toBe(2);
      expect(r.stderr).toMatch(/Usage: npm run /);
    });
  }, 120_000);

  it("a failure is exit 1 with one line saying why (no stack trace)", async () => {
    const badConfig = join(scratch, "bad.json");
    writeFileSync(badConfig, "{ not json");
    const cases: [string, string[], Record<string, string>, RegExp][] = [
      [COMMANDS.cost, [], { APP_CONFIG: badConfig }, /APP_CONFIG.*is not valid JSON/],
      [COMMANDS["backfill-list-index"], [], { APP_CONFIG: badConfig }, /APP_CONFIG.*is not valid JSON/],
      [COMMANDS.resume, [], { APP_CONFIG: badConfig }, /APP_CONFIG.*is not valid JSON/],
      [
        COMMANDS.validate,
        ["--dir", scratch],
        { TERRAFORM_BINARY_NAME: "no-such-terraform" },
        /cannot run: no-such-terraform is not on PATH/,
      ],
    ];
    await each(cases, async ([file, args, extra, why]) => {
      const r = await run(file, args, extra);
      expect(r.code, `${file}: ${r.output}`).toBe(1);
      expect(r.output).toMatch(why);
      expect(r.output).not.toMatch(/^\s+at /m);
    });
  }, 120_000);

  it("as a process, the exit code and the streams reach the shell (0, 2 and 1)", async () => {
    const spawned = (args: string[], extra: Record<string, string> = {}) =>
      runCommand(
        { argv: [process.execPath, "--import", "tsx", COMMANDS.validate, ...args] },
        { cwd: ROOT, env: { ...process.env, ...env, ...extra } },
      );
    const [help, usage, failure] = await Promise.all([
      spawned(["--help"]),
      spawned(["--jobs", "0"]),
      spawned(["--dir", scratch], { TERRAFORM_BINARY_NAME: "no-such-terraform" }),
    ]);
    expect(help.code, help.output).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npm run validate/);
    expect(usage.code, usage.output).toBe(2);
    expect(usage.stderr).toMatch(/Usage: npm run validate/);
    expect(usage.stdout).toBe("");
    expect(failure.code, failure.output).toBe(1);
    expect(failure.stderr).toMatch(/cannot run: no-such-terraform is not on PATH/);
    expect(failure.output).not.toMatch(/^\s+at /m);
  }, 120_000);
});
