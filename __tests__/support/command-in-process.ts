/**
 * Runs a command file (scripts/<command>.ts, what `npm run <command>` starts) in this process, as
 * `tsx <file> <args>` would, and returns its exit code and output. It is the same top-level code
 * with the same argv, environment and streams; the file is evaluated afresh on every call (its
 * imports are shared, so a run costs milliseconds instead of a Node process with tsx).
 *
 * What it cannot show, and the tests that spawn a real process for it: that the exit code reaches
 * the shell and nothing keeps the process alive (__tests__/tooling/cli.test.ts runs two commands
 * as processes), and npm's own handling of a script (__tests__/local/dev-*.test.ts).
 *
 * Runs are serialized: each swaps process.argv, process.env, process.exitCode, process.exit, the
 * console and the stdout/stderr writers for its duration. A process.exit(n) in the file's top-level
 * code ends the run with code n (it throws, so nothing after it runs, as in a process).
 */
import { Console } from "node:console";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface InProcessResult {
  /** process.exitCode as the command left it (0 when it set none). */
  code: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved as written. */
  output: string;
}

/** Thrown by the stand-in for process.exit. */
class ExitCalled extends Error {
  constructor(readonly code: number) {
    super(`process.exit(${code})`);
  }
}

let runs = 0;
let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs `file` (relative to the project root) with `args`; `env` is laid over process.env for the
 * run (a value of undefined removes the variable).
 */
export function runCommandInProcess(
  file: string,
  args: readonly string[] = [],
  env: Record<string, string | undefined> = {},
): Promise<InProcessResult> {
  const run = queue.then(() => runOnce(file, args, env));
  queue = run.catch(() => undefined);
  return run;
}

async function runOnce(file: string, args: readonly string[], env: Record<string, string | undefined>): Promise<InProcessResult> {
  const path = `${ROOT}${file}`;
  const result = { stdout: "", stderr: "", output: "" };
  const sink = (key: "stdout" | "stderr") => (chunk: string | Uint8Array) => {
    const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    result[key] += text;
    result.output += text;
  };
  const toStdout = sink("stdout");
  const toStderr = sink("stderr");
  const writer = (write: (chunk: string | Uint8Array) => void) =>
    new Writable({
      write(chunk, _encoding, done) {
        write(chunk as Buffer);
        done();
      },
    });

  const saved = {
    argv: process.argv,
    env: { ...process.env },
    exitCode: process.exitCode,
    exit: process.exit,
    console: globalThis.console,
    stdoutWrite: process.stdout.write,
    stderrWrite: process.stderr.write,
  };
  const capture = (write: (chunk: string | Uint8Array) => void) =>
    ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      write(chunk);
      const done = rest.find((r) => typeof r === "function") as (() => void) | undefined;
      done?.();
      return true;
    }) as typeof process.stdout.write;
  try {
    process.argv = [process.execPath, path, ...args];
    for (const [key, value] of Object.entries(env)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    process.exitCode = undefined;
    globalThis.console = new Console({ stdout: writer(toStdout), stderr: writer(toStderr) });
    process.stdout.write = capture(toStdout);
    process.stderr.write = capture(toStderr);
    process.exit = ((code?: number | string | null) => {
      throw new ExitCalled(Number(code ?? process.exitCode ?? 0));
    }) as typeof process.exit;
    try {
      await import(/* @vite-ignore */ `${path}?run=${++runs}`);
    } catch (e) {
      if (e instanceof ExitCalled) return { code: e.code, ...result };
      throw e;
    }
    return { code: Number(process.exitCode ?? 0), ...result };
  } finally {
    process.exit = saved.exit;
    process.stdout.write = saved.stdoutWrite;
    process.stderr.write = saved.stderrWrite;
    globalThis.console = saved.console;
    process.exitCode = saved.exitCode;
    process.argv = saved.argv;
    for (const key of Object.keys(process.env)) if (!(key in saved.env)) delete process.env[key];
    Object.assign(process.env, saved.env);
  }
}
