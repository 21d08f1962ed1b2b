/** Running the external tools the deploy drives (terraform, docker, npm), capturing what they print. */
import { spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

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

export interface CommandResult {
  code: number;
  /** Standard output alone (e.g. `terraform output -json`). */
  stdout: string;
  /** Standard output and error interleaved as they arrived, for failure reports. */
  output: string;
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

/** Runs a command to completion (never throws for a non-zero exit; a missing binary is exit 127). */
export function runCommand(
  command: Command,
  options: { cwd: string; env: NodeJS.ProcessEnv; onOutput?: (chunk: string) => void },
): Promise<CommandResult> {
  return new Promise((resolve) => {
    const [file, ...args] = command.argv;
    let stdout = "";
    let output = "";
    const child = spawn(file!, args, {
      cwd: options.cwd,
      env: { ...options.env, ...command.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    const collect = (isStdout: boolean) => (data: Buffer) => {
      const text = data.toString("utf8");
      if (isStdout) stdout += text;
      output += text;
      options.onOutput?.(text);
    };
    child.stdout.on("data", collect(true));
    child.stderr.on("data", collect(false));
    child.stdin.on("error", () => {}); // a tool that exits without reading stdin must not crash us
    child.stdin.end(command.stdin ?? "");
    child.on("error", (err: NodeJS.ErrnoException) => {
      const why = err.code === "ENOENT" ? `${file}: command not found` : err.message;
      resolve({ code: 127, stdout, output: output + why });
    });
    child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, output }));
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
  const all = text.replace(/\x1b\[[0-9;]*m/g, "").trimEnd().split(/\r?\n/);
  return all.slice(-lines);
}
