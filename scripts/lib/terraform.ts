/**
 * The one terraform binary and version check, shared by deploy/diff/destroy and `npm run validate`:
 * TERRAFORM_BINARY_NAME (as cdktf's CLI honours it, e.g. `tofu`), default `terraform`, and its
 * version compared with `semver`.
 */
import semver from "semver";
import { type Command, runCommand } from "./process.js";

/** The synthesized JSON uses nothing newer than this without S3 state. */
export const MIN_VERSION = "1.5.0";
/**
 * S3-native state locking (`use_lockfile`) needs Terraform 1.10 / OpenTofu 1.10; so does
 * `npm run validate` (mock providers in `terraform test`, and the S3 backend's use_lockfile).
 * https://developer.hashicorp.com/terraform/language/backend/s3#state-locking
 */
export const MIN_VERSION_S3_LOCKFILE = "1.10.0";

/** The environment terraform runs with: no update check, messages for automation. */
export const TERRAFORM_ENV = { CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" } as const;

/** The binary to run: TERRAFORM_BINARY_NAME, default terraform. */
export function terraformBinary(env: NodeJS.ProcessEnv = process.env): string {
  return env.TERRAFORM_BINARY_NAME?.trim() || "terraform";
}

/** `<terraform> version -json`: the command both the check and the dry-run print. */
export function versionCommand(binary: string): Command {
  return { argv: [binary, "version", "-json"] };
}

/** The version `<tf> version -json` reports (terraform and tofu both use `terraform_version`). */
export function parseVersion(stdout: string): string | undefined {
  try {
    const parsed = JSON.parse(stdout) as { terraform_version?: string };
    if (parsed.terraform_version) return semver.valid(semver.coerce(parsed.terraform_version)) ?? undefined;
  } catch {
    // older binaries print text: "Terraform v1.9.8" / "OpenTofu v1.8.0"
  }
  return semver.coerce(/v?(\d+\.\d+\.\d+)/.exec(stdout)?.[1] ?? "")?.version;
}

/** Whether `version` is at least `min` (a pre-release such as 1.10.0-beta1 counts as its release). */
export function versionAtLeast(version: string, min: string): boolean {
  const v = semver.coerce(version);
  return v !== null && semver.gte(v, min);
}

/** The binary cannot run here, or is too old: one line saying why and what to install. */
export class TerraformUnavailable extends Error {
  override name = "TerraformUnavailable";
  constructor(
    message: string,
    /** What to install. */
    readonly hint: string,
  ) {
    super(message);
  }
}

/**
 * Runs `<binary> version -json` and checks it against `min`; the version, or TerraformUnavailable
 * saying why not (not on PATH, failed, older than `min` and what needs the newer one).
 */
export async function checkTerraformVersion(env: NodeJS.ProcessEnv, min: string, why: string): Promise<string> {
  const binary = terraformBinary(env);
  const install = `install Terraform or OpenTofu ${min} or newer (for OpenTofu: export TERRAFORM_BINARY_NAME=tofu)`;
  const result = await runCommand(versionCommand(binary), { env: { ...env, ...TERRAFORM_ENV } });
  if (result.code === 127) throw new TerraformUnavailable(`${binary} is not on PATH`, install);
  const version = parseVersion(result.stdout || result.output);
  if (result.code !== 0 || !version)
    throw new TerraformUnavailable(`\`${binary} version\` failed: ${result.output.trim().slice(0, 300)}`, install);
  if (!versionAtLeast(version, min)) throw new TerraformUnavailable(`${binary} ${version} is older than ${min} (${why})`, install);
  return version;
}
