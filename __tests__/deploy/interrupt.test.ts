/**
 * Ctrl-C or SIGTERM while `npm run deploy` applies a stack: terraform gets the signal once, keeps
 * printing, is waited for, and the deploy then says what state the stack is in, with the exact
 * force-unlock command when terraform left its lock behind. The next run stops at the lock with
 * the same command, and after it, finishes the job. The deploy runs as its own process (the test
 * driver) so it receives real signals; fake terraform's apply traps them and takes a moment.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runDeploy } from "../../scripts/deploy/deploy.js";
import { DeployFailed } from "../../scripts/deploy/steps.js";
import { runCommand } from "../../scripts/lib/process.js";
import { type Fixture, freshFixture, useAwsStub } from "./support/fixture.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const DRIVER = join(ROOT, "__tests__", "deploy", "support", "deploy-driver.ts");
const LOCK = "4e2f8a10-7c3b-9d21-aa05-3b9c0d1e2f34";

const stub = useAwsStub();
let fx: Fixture;
beforeEach(() => {
  fx = freshFixture(stub);
  fx.setOutputs("registry", { repository_url: "123456789012.dkr.ecr.us-east-1.amazonaws.com/backend-api", repository_name: "backend-api" });
  fx.setOutputs("app", { api_url: "https://abc123.execute-api.us-east-1.amazonaws.com", web_url: "https://d111111abcdef8.cloudfront.net" });
  fx.flag("app.apply-slow");
});
afterEach(() => fx.cleanup());

async function until(condition: () => boolean, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Runs the deploy in its own process group, sends `signal` once terraform's apply of app is under way. */
async function interruptedDeploy(signal: "SIGINT" | "SIGTERM", to: "group" | "process"): Promise<{ code: number | null; output: string }> {
  const { out: _out, input: _input, ...options } = fx.options({ yes: true });
  const env = { ...options.env!, DEPLOY_DRIVER: JSON.stringify(options) };
  const child = spawn(process.execPath, ["--import", "tsx", DRIVER], { cwd: ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  await until(() => existsSync(join(fx.state, "app.apply-started")));
  process.kill(to === "group" ? -child.pid! : child.pid!, signal); // a terminal's Ctrl-C goes to the whole group
  return { code: await exited, output };
}

describe("an interrupt while terraform applies a stack", () => {
  it("Ctrl-C: forwarded once, terraform's output shown, waited for; then the stack's state and the force-unlock command; the re-runs finish the job", async () => {
    fx.flag("app.lock-on-interrupt", LOCK);
    const { code, output } = await interruptedDeploy("SIGINT", "group");

    expect(readFileSync(join(fx.state, "signals"), "utf8").trim().split("\n")).toEqual(["SIGINT"]);
    // terraform's own words after the signal reached the user, before the deploy's verdict
    const stopped = output.indexOf("Stopping operation...");
    const verdict = output.indexOf("✘ terraform apply app interrupted (SIGINT)");
    expect(output).toContain("Interrupt received.");
    expect(stopped).toBeGreaterThan(0);
    expect(verdict).toBeGreaterThan(stopped);
    expect(output).toContain(
      "stack app is partly applied: terraform finished the operations under way and saved them in its state; the rest was not started. Run npm run deploy again to finish",
    );
    const unlock = `terraform -chdir=cdktf.out/stacks/app force-unlock ${LOCK}`;
    expect(output).toContain(`terraform could not release its state lock. Once no other terraform runs on app: ${unlock}`);
    expect(code).toBe(130);
    // Nothing ran after terraform stopped: no outputs read, no record written.
    expect(fx.calls().some((c) => c.args.join(" ").startsWith("-chdir=cdktf.out/stacks/app output"))).toBe(false);
    expect(existsSync(join(fx.root, ".deploy", "dev.json"))).toBe(false);

    // The next deploy stops at the lock and prints the same command ...
    await expect(runDeploy(fx.options({ yes: true }))).rejects.toBeInstanceOf(DeployFailed);
    expect(fx.printed()).toContain(`remove it with: ${unlock}  then re-run npm run deploy`);
    // ... which, run as printed, removes it; then the deploy finishes.
    const [binary, ...args] = unlock.split(" ");
    const unlocked = await runCommand({ argv: [binary!, ...args] }, { cwd: fx.root, env: fx.options().env });
    expect(unlocked.code).toBe(0);
    rmSync(join(fx.state, "app.apply-slow"));
    const record = await runDeploy(fx.options({ yes: true }));
    expect(record?.web_url).toBe("https://d111111abcdef8.cloudfront.net");
    expect(existsSync(join(fx.state, "app.applied"))).toBe(true);
  });

  it("SIGTERM to the deploy alone (a process manager): forwarded once, waited for, exit 143, no lock left with local state", async () => {
    const { code, output } = await interruptedDeploy("SIGTERM", "process");
    expect(readFileSync(join(fx.state, "signals"), "utf8").trim().split("\n")).toEqual(["SIGTERM"]);
    expect(output).toContain("✘ terraform apply app interrupted (SIGTERM)");
    expect(output).toContain("stack app is partly applied");
    expect(output).not.toContain("force-unlock");
    expect(code).toBe(143);
  });
});
