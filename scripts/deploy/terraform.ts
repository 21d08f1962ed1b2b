/**
 * The terraform (or tofu) commands the deploy runs per stack, on the synthesized JSON in
 * cdktf.out/stacks/<id>: the same commands a user runs by hand, since CDKTF's CLI is archived.
 */
import type { Command } from "./process.js";
import { stackDir } from "./project.js";

/** terraform plan -detailed-exitcode: 0 = no changes, 2 = changes (1 = error). */
export const PLAN_NO_CHANGES = 0;
export const PLAN_HAS_CHANGES = 2;
export const PLAN_FILE = "tfplan";

/** S3-native state locking (`use_lockfile`) needs Terraform or OpenTofu 1.10. */
export const MIN_VERSION_S3_LOCKFILE = "1.10.0";
/** The synthesized JSON uses nothing newer than this without S3 state. */
export const MIN_VERSION = "1.5.0";

/** The binary to run: TERRAFORM_BINARY_NAME (as cdktf's CLI honours it), default terraform. */
export function terraformBinary(env: NodeJS.ProcessEnv): string {
  return env.TERRAFORM_BINARY_NAME?.trim() || "terraform";
}

/** The environment terraform runs with: no update check, messages for automation. */
export const TERRAFORM_ENV = { CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" } as const;

export class Terraform {
  constructor(
    readonly binary: string,
    private readonly outDir?: string,
  ) {}

  /** The stack's directory, as given to -chdir. */
  stackDir(stackId: string): string {
    return stackDir(stackId, this.outDir);
  }

  private at(stackId: string, ...args: string[]): Command {
    return { argv: [this.binary, `-chdir=${this.stackDir(stackId)}`, ...args] };
  }

  version(): Command {
    return { argv: [this.binary, "version", "-json"] };
  }
  init(stackId: string): Command {
    return this.at(stackId, "init", "-input=false", "-no-color");
  }
  /** Plans into a file that apply then runs exactly; exit 0 means nothing to do. */
  plan(stackId: string): Command {
    return this.at(stackId, "plan", "-input=false", "-no-color", "-detailed-exitcode", `-out=${PLAN_FILE}`);
  }
  /** A plan only to show (npm run diff): no plan file left behind. */
  diff(stackId: string): Command {
    return this.at(stackId, "plan", "-input=false", "-no-color", "-detailed-exitcode");
  }
  apply(stackId: string): Command {
    return this.at(stackId, "apply", "-input=false", "-no-color", PLAN_FILE);
  }
  output(stackId: string): Command {
    return this.at(stackId, "output", "-no-color", "-json");
  }
  stateList(stackId: string): Command {
    return this.at(stackId, "state", "list", "-no-color");
  }
  destroy(stackId: string): Command {
    return this.at(stackId, "destroy", "-input=false", "-no-color", "-auto-approve");
  }
}

/** The version `<tf> version -json` reports (both terraform and tofu use `terraform_version`). */
export function parseVersion(stdout: string): string | undefined {
  try {
    const parsed = JSON.parse(stdout) as { terraform_version?: string };
    if (parsed.terraform_version) return parsed.terraform_version;
  } catch {
    // older binaries print text: "Terraform v1.9.8" / "OpenTofu v1.8.0"
  }
  return /v?(\d+\.\d+\.\d+)/.exec(stdout)?.[1];
}

export function versionAtLeast(version: string, min: string): boolean {
  const a = version.split(/[.-]/).map((n) => Number.parseInt(n, 10) || 0);
  const b = min.split(".").map(Number);
  for (let i = 0; i < 3; i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  }
  return true;
}

/** The "Plan: 1 to add, 0 to change, 0 to destroy." line, or undefined. */
export function planSummary(output: string): string | undefined {
  return /^(Plan: .*|No changes\..*)$/m.exec(output)?.[1]?.trim();
}

/** Non-sensitive outputs as name -> value (cdktf's cross-stack outputs are sensitive and skipped). */
export function parseOutputs(stdout: string): Record<string, unknown> {
  const text = stdout.trim();
  if (!text) return {};
  const raw = JSON.parse(text) as Record<string, { value: unknown; sensitive?: boolean }>;
  return Object.fromEntries(Object.entries(raw).filter(([, o]) => !o.sensitive).map(([k, o]) => [k, o.value]));
}
