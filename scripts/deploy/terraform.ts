/**
 * The terraform (or tofu) commands the deploy runs per stack, on the synthesized JSON in
 * cdktf.out/stacks/<id>: the same commands a user runs by hand, since CDKTF's CLI is archived.
 */
import type { Command } from "../lib/process.js";
import { versionCommand } from "../lib/terraform.js";
import { stackDir } from "./project.js";

/** terraform plan -detailed-exitcode: 0 = no changes, 2 = changes (1 = error). */
export const PLAN_NO_CHANGES = 0;
export const PLAN_HAS_CHANGES = 2;
export const PLAN_FILE = "tfplan";
/** `npm run diff`'s plan, read back with `show -json` for replacements, then deleted. */
export const DIFF_PLAN_FILE = "tfplan-diff";
/**
 * How long plan, apply and destroy wait for a state lock another terraform holds (e.g. a teammate's
 * hand-run plan) before they give up with "Error acquiring the state lock"
 * (https://developer.hashicorp.com/terraform/cli/commands/plan#lock-timeout). Another deploy of the
 * stage is stopped earlier, by the stage lock (stage-lock.ts).
 */
export const LOCK_TIMEOUT = "60s";

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
    return versionCommand(this.binary);
  }
  init(stackId: string): Command {
    return this.at(stackId, "init", "-input=false", "-no-color");
  }
  /** Plans into a file that apply then runs exactly; exit 0 means nothing to do, 2 changes. */
  plan(stackId: string, planFile: string = PLAN_FILE): Command {
    return this.at(stackId, "plan", "-input=false", "-no-color", `-lock-timeout=${LOCK_TIMEOUT}`, "-detailed-exitcode", `-out=${planFile}`);
  }
  /** A plan only to show (npm run diff), saved to DIFF_PLAN_FILE so `show` can list its replacements; the diff deletes it. */
  diff(stackId: string): Command {
    return this.plan(stackId, DIFF_PLAN_FILE);
  }
  /** The saved plan `file` as JSON (its resource changes and their actions). */
  showPlan(stackId: string, file: string): Command {
    return this.at(stackId, "show", "-json", "-no-color", file);
  }
  apply(stackId: string): Command {
    return this.at(stackId, "apply", "-input=false", "-no-color", `-lock-timeout=${LOCK_TIMEOUT}`, PLAN_FILE);
  }
  output(stackId: string): Command {
    return this.at(stackId, "output", "-no-color", "-json");
  }
  stateList(stackId: string): Command {
    return this.at(stackId, "state", "list", "-no-color");
  }
  /** Uploads a state file into the stack's (empty) backend: https://developer.hashicorp.com/terraform/cli/commands/state/push */
  statePush(stackId: string, file: string): Command {
    return this.at(stackId, "state", "push", `-lock-timeout=${LOCK_TIMEOUT}`, file);
  }
  destroy(stackId: string): Command {
    return this.at(stackId, "destroy", "-input=false", "-no-color", `-lock-timeout=${LOCK_TIMEOUT}`, "-auto-approve");
  }
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
  return Object.fromEntries(
    Object.entries(raw)
      .filter(([, o]) => !o.sensitive)
      .map(([k, o]) => [k, o.value]),
  );
}
