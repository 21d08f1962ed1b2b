/**
 * The one front-end of every `npm run <command>` in scripts/: strict flags (node:util parseArgs),
 * `-h/--help` everywhere, and the same exit codes for all of them:
 *
 *   0    done
 *   1    failed (the reason is printed; an unexpected error prints its stack)
 *   2    usage: a bad flag or flag value, refused before anything runs (the usage is printed)
 *   130  interrupted by SIGINT, 143 by SIGTERM (128 + the signal's number, as shells report it),
 *        after the running tool was let finish
 */
import { type ParseArgsConfig, parseArgs } from "node:util";
import { Interrupted } from "./process.js";

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export type FlagSpec = NonNullable<ParseArgsConfig["options"]>;

/** A bad command line: exit 2 with the message and the usage. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** A failure whose message is the whole report: printed as `<command>: <message>`, exit 1. */
export class CommandError extends Error {
  override name = "CommandError";
}

/** A failure already reported to the user (e.g. by the deploy's step runner): exit 1, nothing more printed. */
export class ReportedFailure extends Error {
  override name = "ReportedFailure";
}

export interface CliSpec<T extends FlagSpec> {
  /** How the user runs it, e.g. "npm run deploy"; prefixes error messages. */
  name: string;
  /** The full usage text (printed by --help, and after a usage error). */
  usage: string;
  /** The flags; -h/--help is added. */
  options: T;
  /** Whether bare arguments are allowed (e.g. bench section names). @default false */
  positionals?: boolean;
  /** Error classes whose message alone is the report (config errors and the like), exit 1. @default none */
  expected?: Array<abstract new (...args: never[]) => Error>;
}

export type Flags<T extends FlagSpec> = ReturnType<typeof parseArgs<{ options: T; strict: true; allowPositionals: true }>>["values"];

export interface CommandLine<T extends FlagSpec> {
  values: Flags<T>;
  positionals: string[];
}

/** Parses `argv` strictly against `options`; any problem is a UsageError saying what is wrong. */
export function parseCommandLine<T extends FlagSpec>(
  argv: readonly string[],
  options: T,
  positionals = false,
): CommandLine<T> & { help: boolean } {
  try {
    const parsed = parseArgs({
      args: [...argv],
      options: { ...options, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: positionals,
    });
    const { help, ...values } = parsed.values as Record<string, unknown>;
    return { values: values as Flags<T>, positionals: parsed.positionals, help: help === true };
  } catch (e) {
    // `--requests -5` reads as a missing value followed by an option; say what is wrong with it
    // (no flag takes a negative number).
    const ambiguous = /^Option '--([\w-]+)' argument is ambiguous/.exec((e as Error).message);
    const value = ambiguous ? argv[argv.indexOf(`--${ambiguous[1]}`) + 1] : undefined;
    if (ambiguous && value !== undefined && /^-[\d.]/.test(value)) {
      throw new UsageError(`--${ambiguous[1]}: ${JSON.stringify(value)} is not a non-negative number`);
    }
    throw new UsageError((e as Error).message);
  }
}

/** The exit code for an error thrown by a command, after printing what the user needs. */
export function reportError(spec: Pick<CliSpec<FlagSpec>, "name" | "usage" | "expected">, err: unknown): number {
  if (err instanceof UsageError) {
    process.stderr.write(`${spec.name}: ${err.message}\n\n${spec.usage.trimEnd()}\n`);
    return EXIT.usage;
  }
  if (err instanceof Interrupted) {
    process.stderr.write(`${spec.name}: stopped: ${err.message}\n`);
    return 128 + (err.signal === "SIGINT" ? 2 : err.signal === "SIGTERM" ? 15 : 1);
  }
  if (err instanceof ReportedFailure) return EXIT.failed;
  if (err instanceof CommandError || spec.expected?.some((type) => err instanceof type)) {
    process.stderr.write(`${spec.name}: ${(err as Error).message}\n`);
    return EXIT.failed;
  }
  process.stderr.write(`${spec.name}: unexpected error (a bug; please report it):\n${(err as Error)?.stack ?? String(err)}\n`);
  return EXIT.failed;
}

/**
 * Runs a command: parses the flags (exit 2 on a bad one, before `body` runs), prints the usage for
 * --help, then runs `body`. Its return value is the exit code (default 0); a thrown error becomes
 * 1, 2 (UsageError) or 128 + n (Interrupted), see the file comment. Sets process.exitCode rather
 * than exiting, so output is flushed and a command that keeps serving (npm run dev) keeps running.
 */
export async function runCli<T extends FlagSpec>(
  spec: CliSpec<T>,
  // biome-ignore lint/suspicious/noConfusingVoidType: a command body may return nothing (exit 0) or an exit code
  body: (line: CommandLine<T>) => Promise<number | void> | number | void,
  argv: readonly string[] = process.argv.slice(2),
): Promise<number> {
  let code: number;
  try {
    const line = parseCommandLine(argv, spec.options, spec.positionals);
    if (line.help) {
      process.stdout.write(`${spec.usage.trimEnd()}\n`);
      code = EXIT.ok;
    } else {
      code = (await body(line)) ?? EXIT.ok;
    }
  } catch (err) {
    code = reportError(spec, err);
  }
  process.exitCode = code;
  return code;
}
