/**
 * The step runner behind deploy, diff and destroy: one line per step with its elapsed time; on
 * failure the step, the tail of what it printed and what to do next; in dry-run the numbered plan
 * of steps with their exact commands, running nothing.
 */
import type { Writable } from "node:stream";
import { ReportedFailure } from "../lib/cli.js";
import { type Command, type CommandResult, formatCommand, Interrupted, interruptedBy, runCommand, tail } from "../lib/process.js";

/** A failure already reported to the user; the CLI only has to exit non-zero. */
export class DeployFailed extends ReportedFailure {
  constructor(message: string) {
    super(message);
    this.name = "DeployFailed";
  }
}

/** Thrown inside an action step: a problem with its own "what to do next" (overrides the step's hint). */
export class StepProblem extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = "StepProblem";
  }
}

interface StepBase {
  title: string;
  /** What to do when the step fails, printed under the failure. */
  hint: string;
  /** Shown in dry-run after the command: when this step is skipped, e.g. "only when the plan has changes". */
  condition?: string;
}

export interface CommandStep extends StepBase {
  command: Command;
  /** Exit codes that are not failures (terraform plan -detailed-exitcode answers 2 for "changes"). @default [0] */
  okCodes?: number[];
  /** Accepts a result the exit code alone would fail (e.g. "No state file was found!"). */
  accept?: (result: CommandResult) => boolean;
  /** Runs even in dry-run (local and harmless, e.g. synth). @default false */
  runInDryRun?: boolean;
  /** Appended to the success line, e.g. the plan summary. */
  summary?: (result: CommandResult) => string | undefined;
  /** A remedy for a failure it recognises in the output (replaces the hint), e.g. a known AWS refusal. */
  diagnose?: (result: CommandResult) => string | undefined;
  /** After the user interrupted it (and it was let finish): what it left behind and what to do. @default a generic re-run note */
  onInterrupt?: (result: CommandResult) => string[];
}

export interface ActionStep<T> extends StepBase {
  /** What the step does, shown in dry-run and on failure (e.g. an AWS API call). */
  action: string;
  run: () => Promise<T>;
  /** The value used in dry-run instead of running the step (placeholders such as <account>). */
  dryRunValue: T;
  summary?: (value: T) => string | undefined;
}

export interface StepRunnerOptions {
  out: Writable;
  dryRun: boolean;
  /** Stream every tool's output (indented) as it runs, e.g. for long CloudFront applies in CI. @default false */
  verbose?: boolean;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export class StepRunner {
  private count = 0;
  private readonly isTty: boolean;

  constructor(private readonly options: StepRunnerOptions) {
    // Streaming output would tear a one-line "… step" progress display apart.
    this.isTty = Boolean((options.out as { isTTY?: boolean }).isTTY) && !options.verbose;
  }

  get dryRun(): boolean {
    return this.options.dryRun;
  }

  /** Adds a variable to the environment of every later command (e.g. the state bucket for the synth). */
  setEnv(name: string, value: string): void {
    this.options.env = { ...this.options.env, [name]: value };
  }

  /** Prints a plain line (headings, notes, results). */
  say(line = ""): void {
    this.options.out.write(`${line}\n`);
  }

  /** Runs an external command as one step; a non-accepted exit code fails the whole run. */
  async exec(step: CommandStep): Promise<CommandResult> {
    const shown = formatCommand(step.command);
    if (this.dryRun && !step.runInDryRun) {
      this.planned(step.title, shown, step.condition);
      return { code: 0, stdout: "", stdoutBytes: Buffer.alloc(0), stderr: "", output: "", seconds: 0 };
    }
    if (this.dryRun) this.planned(step.title, shown, step.condition);
    const started = this.dryRun ? performance.now() : this.begin(step.title);
    if (this.options.verbose) this.say(`  $ ${shown}`);
    // After Ctrl-C the tool's output is shown as it comes (e.g. terraform saying it is stopping safely).
    const onOutput = (chunk: string) => {
      if (this.options.verbose || interruptedBy()) this.options.out.write(chunk.replace(/^(?=.)/gm, "  | "));
    };
    const result = await runCommand(step.command, { cwd: this.options.cwd, env: this.options.env, onOutput });
    if (result.interrupted) this.interrupted(step, started, shown, result, step.onInterrupt?.(result));
    if (!(step.okCodes ?? [0]).includes(result.code) && !step.accept?.(result)) {
      this.fail({ ...step, hint: step.diagnose?.(result) ?? step.hint }, started, `exit code ${result.code}`, shown, result.output);
    }
    if (this.dryRun) this.say(`    ✔ ran it (${seconds(performance.now() - started)})`);
    else this.done(step.title, started, step.summary?.(result));
    return result;
  }

  /** Runs a step that is not a command (an AWS SDK call, a file write). */
  async act<T>(step: ActionStep<T>): Promise<T> {
    if (this.dryRun) {
      this.planned(step.title, step.action, step.condition);
      return step.dryRunValue;
    }
    const started = this.begin(step.title);
    let value: T;
    try {
      value = await step.run();
    } catch (err) {
      if (err instanceof DeployFailed) throw err;
      const hint = err instanceof StepProblem && err.hint ? err.hint : step.hint;
      const message = err instanceof StepProblem ? err.message : describeError(err);
      this.fail({ ...step, hint }, started, message, step.action, "");
    }
    this.done(step.title, started, step.summary?.(value));
    return value;
  }

  /** Reports a step that did not need to run, with why. */
  skip(title: string, why: string): void {
    if (this.dryRun) return;
    this.count++;
    this.say(`- ${title}: skipped (${why})`);
  }

  /** Fails the run at a check that needs no step of its own (a refusal, a missing prerequisite). */
  refuse(title: string, problem: string, hint: string): never {
    this.say(`✘ ${title}`);
    this.say(`  ${problem.split("\n").join("\n  ")}`);
    this.say(`  next: ${hint}`);
    throw new DeployFailed(`${title}: ${problem}`);
  }

  private planned(title: string, what: string, condition?: string): void {
    this.count++;
    this.say(`${String(this.count).padStart(2)}. ${title}${condition ? ` (${condition})` : ""}`);
    this.say(`    $ ${what}`);
  }

  private begin(title: string): number {
    this.count++;
    if (this.isTty) this.options.out.write(`… ${title}`);
    return performance.now();
  }

  private done(title: string, started: number, summary?: string): void {
    const line = `✔ ${title} (${seconds(performance.now() - started)})${summary ? ` ${summary}` : ""}`;
    this.options.out.write(`${(this.isTty ? "\r\x1b[2K" : "") + line}\n`);
  }

  /** The user interrupted a running tool, which was let finish: say how it ended, then stop the run. */
  private interrupted(step: StepBase, started: number, shown: string, result: CommandResult, report?: string[]): never {
    const ended = result.signal ? `ended by ${result.signal}` : `exit code ${result.code}`;
    this.options.out.write(
      `${this.isTty ? "\r\x1b[2K" : ""}✘ ${step.title} interrupted (${result.interrupted}) after ${seconds(performance.now() - started)}; it stopped with ${ended}\n`,
    );
    this.say(`  ran: ${shown}`);
    if (report?.length) for (const line of report) this.say(`  ${line}`);
    else this.say(`  next: re-run the same command; what was applied stays in the state`);
    throw new Interrupted(result.interrupted!);
  }

  private fail(step: StepBase, started: number, why: string, shown: string, output: string): never {
    this.options.out.write(
      `${this.isTty ? "\r\x1b[2K" : ""}✘ ${step.title} failed after ${seconds(performance.now() - started)}: ${why}\n`,
    );
    this.say(`  ran: ${shown}`);
    const lines = tail(output);
    if (lines.length && lines.join("").trim()) {
      this.say(`  last output:`);
      for (const line of lines) this.say(`  | ${line}`);
    }
    this.say(`  next: ${step.hint}`);
    throw new DeployFailed(`${step.title} failed: ${why}`);
  }
}

/** One readable line for an AWS SDK or Node error (its name tells e.g. AccessDenied from a network error). */
export function describeError(err: unknown): string {
  if (err instanceof Error) {
    const name = err.name && err.name !== "Error" ? `${err.name}: ` : "";
    return `${name}${err.message}`.trim();
  }
  return String(err);
}
