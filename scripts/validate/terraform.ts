/** Runs the terraform binary (or TERRAFORM_BINARY_NAME, e.g. tofu) and times each command. */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";

export interface TfResult {
  code: number;
  /** The signal that ended terraform, when one did (killed, out of memory). */
  signal?: NodeJS.Signals;
  stdout: string;
  stderr: string;
  seconds: number;
}

/** Thrown when the binary cannot be started at all (not installed, not executable). */
export class TerraformMissingError extends Error {}

export function terraformBinary(env: NodeJS.ProcessEnv = process.env): string {
  return env.TERRAFORM_BINARY_NAME || "terraform";
}

/** Runs `terraform <args>` in `cwd`; resolves with the exit code and output, never rejects on a non-zero exit. */
export function terraform(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<TfResult> {
  const started = performance.now();
  const bin = terraformBinary(env);
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", (e: NodeJS.ErrnoException) => {
      // spawn reports a missing cwd as ENOENT too
      const missing = (e.code === "ENOENT" || e.code === "EACCES") && existsSync(cwd);
      reject(
        missing
          ? new TerraformMissingError(`${bin} is not installed (not found on PATH); install Terraform >= 1.10 to run the validation`)
          : new Error(`cannot run ${bin} ${args[0]} in ${cwd}: ${e.message}`),
      );
    });
    child.on("close", (code, signal) =>
      resolve({
        code: code ?? 1,
        signal: signal ?? undefined,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
        seconds: (performance.now() - started) / 1000,
      }),
    );
  });
}

/** The installed version, e.g. "1.11.4". */
export async function terraformVersion(env: NodeJS.ProcessEnv): Promise<string> {
  const r = await terraform(["version", "-json"], process.cwd(), env);
  try {
    return (JSON.parse(r.stdout) as { terraform_version: string }).terraform_version;
  } catch {
    return r.stdout.split("\n")[0]?.replace(/^\D+/, "") || "unknown";
  }
}
