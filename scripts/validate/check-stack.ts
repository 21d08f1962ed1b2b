/**
 * Checks one synthesized stack with Terraform: `init -backend=false`, `validate -json` (errors and
 * warnings, including deprecations, both fail) and `terraform test` with mock providers (a plan
 * run and an apply run). Never touches a real backend or AWS.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { SynthesizedStack } from "../lib/synth-output.js";
import { generateMockTest } from "./mocks.js";
import { firstError, type InstalledProviders, type ProviderSource } from "./providers.js";
import { type TfResult, terraform } from "./terraform.js";

export const TEST_FILE = join("tests", "mock-plan-apply.tftest.hcl");

export interface StackCheck {
  variant: string;
  stack: string;
  ok: boolean;
  /** Seconds per step that ran: init, validate, test. */
  timings: Partial<Record<"init" | "validate" | "test", number>>;
  /** Problems, one per line (diagnostics, failed runs). */
  problems: string[];
  /** Facts worth printing (backend not initialised, runs passed). */
  notes: string[];
}

interface Diagnostic {
  severity: "error" | "warning";
  summary: string;
  detail?: string;
  address?: string;
  range?: { filename: string; start: { line: number } };
}

function describe(d: Diagnostic): string {
  const where = d.address ?? (d.range ? `${d.range.filename}:${d.range.start.line}` : "");
  const detail = d.detail ? `: ${d.detail.replace(/\s+/g, " ").trim()}` : "";
  return `${d.severity} ${where ? `[${where}] ` : ""}${d.summary}${detail}`;
}

/** What failed in a `terraform test` run: each distinct error with its location, else the failed runs. */
/** What a failed `terraform test` said: failed runs and errors, else how it ended and its last lines. */
function testFailures(output: string, run: Pick<TfResult, "code" | "signal">): string[] {
  const lines = output.split("\n").map((l) => l.replace(/^[\s│╷╵]+/, "").trimEnd());
  const errors = new Set<string>();
  const failedRuns: string[] = [];
  lines.forEach((line, i) => {
    if (line.startsWith("Error: ")) errors.add([line, lines[i + 2], lines[i + 3]].filter(Boolean).join(" | "));
    else if (/^run "[^"]+"\.\.\. fail$/.test(line)) failedRuns.push(line);
  });
  const picked = [...failedRuns, ...errors];
  if (picked.length) return picked.slice(0, 12);
  // Nothing recognisable (e.g. terraform was killed): say how it ended and what it printed last.
  const ended = run.signal ? `terraform test was ended by ${run.signal}` : `terraform test exited ${run.code} without a summary`;
  const tail = lines.filter(Boolean).slice(-5);
  return [ended, ...tail.map((l) => `  ${l}`)];
}

/** Serializes `terraform init`: concurrent inits race on the shared plugin cache ("file exists"). */
let initQueue: Promise<unknown> = Promise.resolve();
function serialized<T>(step: () => Promise<T>): Promise<T> {
  const run = initQueue.then(step, step);
  initQueue = run.catch(() => undefined);
  return run;
}

export async function checkStack(
  variant: string,
  stack: SynthesizedStack,
  allStacks: SynthesizedStack[],
  providers: InstalledProviders,
  source: ProviderSource,
): Promise<StackCheck> {
  try {
    return await runChecks(variant, stack, allStacks, providers, source);
  } catch (e) {
    return { variant, stack: stack.id, ok: false, timings: {}, problems: [(e as Error).message], notes: [] };
  }
}

async function runChecks(
  variant: string,
  stack: SynthesizedStack,
  allStacks: SynthesizedStack[],
  providers: InstalledProviders,
  source: ProviderSource,
): Promise<StackCheck> {
  const env = source.env;
  const result: StackCheck = { variant, stack: stack.id, ok: false, timings: {}, problems: [], notes: [] };
  const backend = Object.keys(stack.json.terraform?.backend ?? {})[0] ?? "local";
  if (backend !== "local") result.notes.push(`backend "${backend}" not initialised (-backend=false: no AWS here)`);

  if (source.seedLockFile) writeFileSync(join(stack.dir, ".terraform.lock.hcl"), providers.lockFile);
  const init = await serialized(() => terraform(["init", "-backend=false", "-input=false", "-no-color"], stack.dir, env));
  result.timings.init = init.seconds;
  if (init.code !== 0) {
    result.problems.push(`init: ${firstError(init.stderr + init.stdout)}`);
    return result;
  }

  const validate = await terraform(["validate", "-json", "-no-color"], stack.dir, env);
  result.timings.validate = validate.seconds;
  let diagnostics: Diagnostic[];
  try {
    diagnostics = (JSON.parse(validate.stdout) as { diagnostics: Diagnostic[] }).diagnostics;
  } catch {
    result.problems.push(`validate: ${firstError(validate.stderr + validate.stdout)}`);
    return result;
  }
  result.problems.push(...diagnostics.map((d) => `validate: ${describe(d)}`));
  if (validate.code !== 0 && diagnostics.length === 0) result.problems.push(`validate exited ${validate.code}`);
  if (result.problems.length) return result; // a mocked plan of an invalid configuration says nothing more

  const test = generateMockTest(stack, allStacks, providers.schemas);
  mkdirSync(join(stack.dir, "tests"), { recursive: true });
  writeFileSync(join(stack.dir, TEST_FILE), test.text);
  const run = await terraform(["test", "-no-color"], stack.dir, env);
  result.timings.test = run.seconds;
  const out = run.stdout + run.stderr;
  const summary = /Success! (\d+) passed, (\d+) failed/.exec(out);
  if (run.code !== 0 || !summary) {
    result.problems.push(...testFailures(out, run).map((l) => `test: ${l}`));
    return result;
  }
  result.notes.push(`mocked ${test.providers.join(" + ")}: ${summary[1]} plan and apply runs passed`);
  if (test.overrides.length) result.notes.push(`overrode ${test.overrides.join(", ")}`);
  result.ok = true;
  return result;
}
