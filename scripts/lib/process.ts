/**
 * The one way the tooling runs another program (terraform, docker, git, npm, node, tsx): a command
 * shown as a user would type it, its output captured (and optionally streamed) or inherited, and
 * Ctrl-C handled so that terraform is never killed half-way through writing its state.
 *
 * Built on node:child_process rather than a library: tinyexec (already installed through vitest)
 * neither interleaves stdout and stderr for a failure report nor forwards signals, and execa's
 * `cleanup` kills the child when we exit, the opposite of letting terraform finish. What is left is
 * one `spawn` call, kept here.
 *
 * Signals: while a command runs, SIGINT/SIGTERM sent to this process is forwarded ONCE to the child
 * (which runs in its own process group, so a terminal's Ctrl-C reaches it through us only, never
 * twice: a second interrupt makes terraform abandon its work). Its output keeps flowing, we wait for
 * it to exit, and the result says it was interrupted, for the caller to report and stop.
 */
import { spawn } from "node:child_process";
import { accessSync, constants, existsSync } from "node:fs";
import { delimiter, join } from "node:path";
import { StringDecoder } from "node:string_decoder";

/** One external command: argv plus what it needs beyond the caller's environment. */
export interface Command {
  argv: string[];
  /** Extra environment variables, shown in front of the command when it is printed. */
  env?: Record<string, string>;
  /** Text written to the command's standard input (e.g. a registry password). */
  stdin?: string;
  /** How stdin is shown when the command is printed (never the secret itself). @default "<stdin>" */
  stdinLabel?: string;
}

export interface RunOptions {
  /** Working directory. @default process.cwd() */
  cwd?: string;
  /** The whole environment (the command's own `env` is added on top). @default process.env */
  env?: NodeJS.ProcessEnv;
  /** "capture": read stdout/stderr into the result; "inherit": the child writes to our terminal. @default "capture" */
  stdio?: "capture" | "inherit";
  /**
   * Called with each chunk of captured output as it arrives (stdout and stderr alike). Without it,
   * captured output is shown on stderr once the user interrupted (to see the tool stop safely).
   */
  onOutput?: (chunk: string) => void;
  /** Called with the child's pid once it started (it leads its own process group), e.g. to signal it. */
  onStart?: (pid: number) => void;
}

export interface CommandResult {
  /** The exit code; 127 when the program could not be started; 128 + n when a signal ended it. */
  code: number;
  /** The signal that ended the command, when one did (killed, out of memory). */
  signal?: NodeJS.Signals;
  /** Standard output alone (e.g. `terraform output -json`); empty in "inherit" mode. */
  stdout: string;
  /** The same bytes undecoded (e.g. `git diff --binary` to hash). */
  stdoutBytes: Buffer;
  /** Standard error alone. */
  stderr: string;
  /** Standard output and error interleaved as they arrived, for failure reports. */
  output: string;
  /** Wall time. */
  seconds: number;
  /** Why the program could not be started (not on PATH, not executable, no such cwd). */
  startError?: string;
  /** The signal this process received (and forwarded once) while the command ran. */
  interrupted?: NodeJS.Signals;
}

/** A command ended because the user interrupted it; already reported, the CLI exits 128 + n. */
export class Interrupted extends Error {
  constructor(readonly signal: NodeJS.Signals) {
    super(`interrupted by ${signal}`);
    this.name = "Interrupted";
  }
}

const SAFE_ARG = /^[A-Za-z0-9_@%+=:,./<>-]+$/;

/** Shell-quotes an argument only when it needs it, so printed commands can be pasted into a shell. */
export function quoteArg(arg: string): string {
  if (arg === "") return "''";
  if (SAFE_ARG.test(arg) && !/[<>]/.test(arg.replace(/<[a-z_]+>/g, ""))) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The command as a user would type it (environment prefix, quoted arguments, stdin pipe). */
export function formatCommand(command: Command): string {
  const env = Object.entries(command.env ?? {}).map(([k, v]) => `${k}=${quoteArg(v)}`);
  const line = [...env, ...command.argv.map(quoteArg)].join(" ");
  return command.stdin === undefined ? line : `${command.stdinLabel ?? "<stdin>"} | ${line}`;
}

// ---- signal forwarding: one handler for all running commands, installed only while any runs ----

const FORWARDED: NodeJS.Signals[] = ["SIGINT", "SIGTERM"];
const running = new Set<{ forward(signal: NodeJS.Signals): void }>();
let received: NodeJS.Signals | undefined;

function onSignal(signal: NodeJS.Signals): void {
  if (received) {
    process.stderr.write(
      `\n${signal} again: still waiting for the running command to finish (forwarding it twice can leave state half-written)\n`,
    );
    return;
  }
  received = signal;
  process.stderr.write(`\n${signal}: passed on to the running command; waiting for it to finish…\n`);
  for (const child of running) child.forward(signal);
}

function track(child: { forward(signal: NodeJS.Signals): void }): () => void {
  if (running.size === 0) for (const s of FORWARDED) process.on(s, onSignal);
  running.add(child);
  if (received) child.forward(received); // started after the signal: it must stop too
  return () => {
    running.delete(child);
    if (running.size === 0) for (const s of FORWARDED) process.off(s, onSignal);
  };
}

/** The signal this process received while a command ran (forwarded to it), if any. */
export function interruptedBy(): NodeJS.Signals | undefined {
  return received;
}

// A closed stdout (e.g. `npm run deploy | head`) must not end us while a child is still running.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code !== "EPIPE") throw err;
  });
}

const SIGNAL_NUMBERS: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

/** Runs a command to completion; never throws (a missing binary is exit 127, see `startError`). */
export function runCommand(command: Command, options: RunOptions = {}): Promise<CommandResult> {
  const started = performance.now();
  const [file, ...args] = command.argv;
  const cwd = options.cwd ?? process.cwd();
  const inherit = options.stdio === "inherit";
  return new Promise((resolve) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let output = "";
    const child = spawn(file!, args, {
      cwd,
      env: { ...(options.env ?? process.env), ...command.env },
      stdio: [command.stdin === undefined ? "ignore" : "pipe", inherit ? "inherit" : "pipe", inherit ? "inherit" : "pipe"],
      // Its own process group: a terminal's Ctrl-C reaches it once, through us (see the file comment).
      detached: true,
    });
    if (child.pid !== undefined) options.onStart?.(child.pid);
    let forwarded: NodeJS.Signals | undefined;
    const untrack = track({
      forward(signal) {
        if (forwarded) return;
        forwarded = signal;
        child.kill(signal);
      },
    });
    const collect = (into: Buffer[]) => {
      const decoder = new StringDecoder("utf8"); // a character split across two chunks stays whole
      return (data: Buffer) => {
        into.push(data);
        const text = decoder.write(data);
        output += text;
        if (!text) return;
        if (options.onOutput) options.onOutput(text);
        else if (forwarded) process.stderr.write(text.replace(/^(?=.)/gm, "  | "));
      };
    };
    child.stdout?.on("data", collect(out));
    child.stderr?.on("data", collect(err));
    if (child.stdin) {
      child.stdin.on("error", () => {}); // a tool that exits without reading stdin must not crash us
      child.stdin.end(command.stdin);
    }
    const finish = (result: Pick<CommandResult, "code" | "signal" | "startError">) => {
      untrack();
      const stdoutBytes = Buffer.concat(out);
      const stderr = Buffer.concat(err).toString("utf8");
      const seconds = (performance.now() - started) / 1000;
      resolve({ ...result, stdout: stdoutBytes.toString("utf8"), stdoutBytes, stderr, output, seconds, interrupted: forwarded });
    };
    child.on("error", (err: NodeJS.ErrnoException) => {
      // spawn reports a missing cwd as ENOENT too
      const why = !existsSync(cwd)
        ? `cannot run ${file}: the directory ${cwd} does not exist`
        : err.code === "ENOENT"
          ? `${file}: command not found`
          : `cannot run ${file}: ${err.message}`;
      output += why;
      finish({ code: 127, startError: why });
    });
    child.on("close", (code, signal) =>
      finish({ code: code ?? 128 + (SIGNAL_NUMBERS[signal as NodeJS.Signals] ?? 0), signal: signal ?? undefined }),
    );
  });
}

/** The full path of an executable found on PATH, or undefined. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  if (name.includes("/")) return isExecutable(name) ? name : undefined;
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The last lines of a tool's output, for a failure report. */
export function tail(text: string, lines = 20): string[] {
  const all = text
    // biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colour escapes
    .replace(/\x1b\[[0-9;]*m/g, "")
    .trimEnd()
    .split(/\r?\n/);
  return all.slice(-lines);
}
