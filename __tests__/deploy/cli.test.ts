/**
 * The real entry points: `tsx scripts/deploy.ts`, with the real synth of the project's stacks, on a
 * machine without AWS credentials. Synth output goes to a temp CDKTF_OUTDIR so the work tree's
 * cdktf.out is left alone.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_ROOT } from "../../scripts/deploy/project.js";

const scratch = mkdtempSync(join(tmpdir(), "deploy-cli-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The environment of a fresh machine: no AWS variables, an empty HOME (no ~/.aws). */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith("AWS_") && k !== "APP_CONFIG" && k !== "APP_IMAGE_TAG"),
  );
  return { ...env, HOME: scratch, CDKTF_OUTDIR: join(scratch, "cdktf.out"), ...extra };
}

const run = (script: string, args: string[], env = cleanEnv()) =>
  spawnSync(join(DEFAULT_ROOT, "node_modules/.bin/tsx"), [join("scripts", script), ...args], {
    cwd: DEFAULT_ROOT,
    env,
    encoding: "utf8",
    timeout: 60_000,
  });

/** The same, in parallel with others (the four scripts start together). */
function runAsync(script: string, args: string[]): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(join(DEFAULT_ROOT, "node_modules/.bin/tsx"), [join("scripts", script), ...args], {
      cwd: DEFAULT_ROOT,
      env: cleanEnv(),
    });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
    child.on("close", (status) => resolve({ status, stderr }));
  });
}

describe("deploy CLI", () => {
  it("--dry-run with no AWS credentials synthesizes the real stacks, prints the full plan and exits 0", () => {
    const result = run("deploy.ts", ["--dry-run"]);
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.status).toBe(0);
    const out = result.stdout;
    const outDir = join(scratch, "cdktf.out");
    expect(out).toContain(`terraform -chdir=${outDir}/stacks/registry init -input=false -no-color`);
    expect(out).toContain(`terraform -chdir=${outDir}/stacks/app apply -input=false -no-color -lock-timeout=60s tfplan`);
    expect(out).toMatch(/docker buildx build --platform linux\/arm64 .*--provenance=false/);
    expect(out).toMatch(/APP_IMAGE_TAG=[0-9a-f]{12}-arm64 /);
    expect(out).toContain("<account>.dkr.ecr.us-east-1.amazonaws.com/");
  });

  it("without --dry-run stops at the first missing prerequisite with a clear message and exit 1", () => {
    const result = run("deploy.ts", ["--yes"], cleanEnv({ TERRAFORM_BINARY_NAME: "no-such-terraform" }));
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/✘ check no-such-terraform >= 1\.10\.0 failed .*: no-such-terraform is not on PATH/);
    expect(result.stdout).toMatch(/next: install Terraform or OpenTofu/);
    expect(result.stdout).not.toMatch(/synthesize/);
  });

  it("refuses an unknown flag with the usage and exit 2, before anything runs", async () => {
    const scripts = ["deploy.ts", "destroy.ts"]; // all four share parseFlags; these two change the most
    const results = await Promise.all(scripts.map((script) => runAsync(script, ["--frobnicate"])));
    results.forEach((result, i) => {
      expect(result.status, scripts[i]).toBe(2);
      expect(result.stderr).toMatch(/Unknown option '--frobnicate'/);
      expect(result.stderr).toMatch(/Usage: npm run /);
    });
  });
});
