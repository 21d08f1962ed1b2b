/**
 * The real entry points: `node --import tsx scripts/deploy.ts` (what npm run deploy runs), with the real synth of the project's stacks, on a
 * machine without AWS credentials. Synth output goes to a temp CDKTF_OUTDIR so the work tree's
 * cdktf.out is left alone. The dry run starts the command as a process; the refusals run the same
 * files in this process (support/command-in-process.ts), which is enough to see what they print
 * and the exit code they set.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_ROOT } from "../../scripts/deploy/project.js";
import { runCommand } from "../../scripts/lib/process.js";
import { runCommandInProcess } from "../support/command-in-process.js";

const scratch = mkdtempSync(join(tmpdir(), "deploy-cli-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The environment of a fresh machine: no AWS variables, an empty HOME (no ~/.aws). */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith("AWS_") && k !== "APP_CONFIG" && k !== "APP_IMAGE_TAG"),
  );
  return { ...env, HOME: scratch, CDKTF_OUTDIR: join(scratch, "cdktf.out"), ...extra };
}

/** cleanEnv() as the overrides of this process's environment: the variables it drops are unset. */
function cleanOverrides(extra: Record<string, string> = {}): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...cleanEnv(extra) };
  for (const key of Object.keys(process.env)) if (!(key in env)) env[key] = undefined;
  return env;
}

describe("deploy CLI", () => {
  it("--dry-run with no AWS credentials synthesizes the real stacks, prints the full plan and exits 0", async () => {
    const result = await runCommand(
      { argv: [process.execPath, "--import", "tsx", join("scripts", "deploy.ts"), "--dry-run"] },
      { cwd: DEFAULT_ROOT, env: cleanEnv() },
    );
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.code, result.output).toBe(0);
    const out = result.stdout;
    const outDir = join(scratch, "cdktf.out");
    expect(out).toContain(`terraform -chdir=${outDir}/stacks/registry init -input=false -no-color`);
    expect(out).toContain(`terraform -chdir=${outDir}/stacks/app apply -input=false -no-color -lock-timeout=60s tfplan`);
    expect(out).toMatch(/docker buildx build --platform linux\/arm64 .*--provenance=false/);
    expect(out).toMatch(/APP_IMAGE_TAG=[0-9a-f]{12}-arm64 /);
    expect(out).toContain("<account>.dkr.ecr.us-east-1.amazonaws.com/");
  });

  it("without --dry-run stops at the first missing prerequisite with a clear message and exit 1", async () => {
    const result = await runCommandInProcess(
      "scripts/deploy.ts",
      ["--yes"],
      cleanOverrides({ TERRAFORM_BINARY_NAME: "no-such-terraform" }),
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/✘ check no-such-terraform >= 1\.10\.0 failed .*: no-such-terraform is not on PATH/);
    expect(result.stdout).toMatch(/next: install Terraform or OpenTofu/);
    expect(result.stdout).not.toMatch(/synthesize/);
  });

  it("refuses an unknown flag with the usage and exit 2, before anything runs", async () => {
    const scripts = ["deploy.ts", "destroy.ts"]; // all four share parseFlags; these two change the most
    for (const script of scripts) {
      const result = await runCommandInProcess(join("scripts", script), ["--frobnicate"], cleanOverrides());
      expect(result.code, script).toBe(2);
      expect(result.stderr).toMatch(/Unknown option '--frobnicate'/);
      expect(result.stderr).toMatch(/Usage: npm run /);
    }
  });
});
