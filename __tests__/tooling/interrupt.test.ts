/**
 * Ctrl-C (SIGINT to the whole foreground process group, as a terminal sends it) and SIGTERM (to
 * the command alone, as a process manager sends it) while terraform runs: terraform receives the
 * signal exactly once (a second SIGINT makes it abandon its work), is let finish, its output is
 * shown, and the command reports the interruption and exits 128 + n. Through `npm run validate`,
 * whose first terraform command here is a fake `terraform init` that takes a while to stop.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { runCommand } from "../../scripts/lib/process.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "interrupt-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// A terraform whose init logs each SIGINT/SIGTERM it gets (node sees every signal delivered, where
// a shell's trap merges two that arrive during one \`sleep\`) and needs a moment to finish.
const FAKE_TERRAFORM = `#!${process.execPath}
const { appendFileSync, writeFileSync } = require("node:fs");
const state = process.env.FAKE_STATE;
if (process.argv[2] === "version") { console.log('{"terraform_version":"1.11.4"}'); process.exit(0); }
if (process.argv[2] !== "init") process.exit(1);
const finish = () => { console.log("fake terraform: state written"); process.exit(1); };
let stopping = false;
const onSignal = (signal) => {
  appendFileSync(state + "/signals", signal + "\\n");
  console.log("fake terraform: interrupt received, finishing the state write");
  if (!stopping) setTimeout(finish, 500);
  stopping = true;
};
process.on("SIGINT", onSignal);
process.on("SIGTERM", onSignal);
console.log("fake terraform: init started");
writeFileSync(state + "/started", "");
setTimeout(finish, 20000);
`;

function fixture(name: string) {
  const dir = join(scratch, name);
  const [bin, state, out] = ["bin", "state", "out"].map((d) => join(dir, d)) as [string, string, string];
  for (const d of [bin, state, join(out, "stacks", "app")]) mkdirSync(d, { recursive: true });
  writeFileSync(join(bin, "terraform"), FAKE_TERRAFORM);
  chmodSync(join(bin, "terraform"), 0o755);
  writeFileSync(join(out, "manifest.json"), JSON.stringify({ stacks: { app: { name: "app" } } }));
  const json = { terraform: { required_providers: { aws: { source: "aws", version: "5.100.0" } } } };
  writeFileSync(join(out, "stacks", "app", "cdk.tf.json"), JSON.stringify(json));
  return { bin, state, out };
}

async function until(condition: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("an interrupt while terraform runs", () => {
  it.each([
    ["SIGINT", "to the process group (Ctrl-C in a terminal)", 130],
    ["SIGTERM", "to the command alone (a process manager)", 143],
  ] as const)("%s %s: forwarded once, terraform finishes, exit %i", async (signal, _how, code) => {
    const fx = fixture(signal);
    const env = { ...process.env, PATH: `${fx.bin}:${process.env.PATH}`, FAKE_STATE: fx.state, TF_PROVIDER_MIRROR: "" };
    // node --import tsx: one process, as npm's would be the parent of it
    const argv = [process.execPath, "--import", "tsx", "scripts/validate.ts", "--dir", fx.out, "--outdir", join(fx.out, "..", "validate")];
    const { spawn } = await import("node:child_process");
    const child = spawn(argv[0]!, argv.slice(1), { cwd: ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
    await until(() => existsSync(join(fx.state, "started")));
    process.kill(signal === "SIGINT" ? -child.pid! : child.pid!, signal);
    const exitCode = await exited;
    expect(readFileSync(join(fx.state, "signals"), "utf8").trim().split("\n")).toHaveLength(1);
    expect(output).toContain(`${signal}: passed on to the running command; waiting for it to finish`);
    expect(output).toContain("fake terraform: state written"); // its output after the signal is shown
    expect(output).toMatch(new RegExp(`npm run validate: stopped: interrupted by ${signal}`));
    expect(exitCode).toBe(code);
  });

  it("a second Ctrl-C while terraform finishes is not passed on", async () => {
    const fx = fixture("twice");
    const script = `import { runCommand } from "./scripts/lib/process.ts";
const r = await runCommand({ argv: ["terraform", "init"] }, { env: process.env });
console.log(JSON.stringify({ code: r.code, interrupted: r.interrupted }));`;
    const env = { ...process.env, PATH: `${fx.bin}:${process.env.PATH}`, FAKE_STATE: fx.state };
    const { spawn } = await import("node:child_process");
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: ROOT,
      env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    const exited = new Promise((resolve) => child.on("close", resolve));
    await until(() => existsSync(join(fx.state, "started")));
    process.kill(-child.pid!, "SIGINT");
    await new Promise((r) => setTimeout(r, 100));
    process.kill(-child.pid!, "SIGINT");
    await exited;
    expect(readFileSync(join(fx.state, "signals"), "utf8").trim().split("\n")).toHaveLength(1);
    expect(JSON.parse(stdout.trim())).toEqual({ code: 1, interrupted: "SIGINT" });
  });
});

describe("runCommand", () => {
  it("captures stdout and stderr apart and interleaved, with the command's env and cwd", async () => {
    const r = await runCommand({ argv: ["sh", "-c", 'echo "out $FOO $(pwd)"; echo err >&2'], env: { FOO: "bar" } }, { cwd: scratch });
    expect(r).toMatchObject({ code: 0, stdout: `out bar ${scratch}\n`, stderr: "err\n" });
    expect(r.output).toContain("err\n");
    expect(r.output).toContain("out bar");
  });

  it("reports a program that is not installed as exit 127 with a reason, and a missing cwd as such", async () => {
    expect(await runCommand({ argv: ["no-such-program-xyz"] })).toMatchObject({
      code: 127,
      startError: "no-such-program-xyz: command not found",
    });
    const r = await runCommand({ argv: ["sh", "-c", "true"] }, { cwd: join(scratch, "nope") });
    expect(r.startError).toMatch(/the directory .*nope does not exist/);
  });

  it("writes stdin and leaves the output to the terminal in inherit mode", async () => {
    const r = await runCommand({ argv: ["sh", "-c", "cat >/dev/null; exit 3"], stdin: "secret" }, { stdio: "inherit" });
    expect(r).toMatchObject({ code: 3, stdout: "", output: "" });
  });
});
