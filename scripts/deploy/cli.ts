/** The thin CLI layer: strict flags (util.parseArgs), usage on bad input, exit codes. */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { DeployFailed } from "./steps.js";

export type FlagSpec = NonNullable<ParseArgsConfig["options"]>;

/** Parses argv strictly; on a bad flag prints the problem and the usage, and exits 2 before anything runs. */
export function parseFlags<T extends FlagSpec>(argv: string[], flags: T, usage: string): ReturnType<typeof parseArgs<{ options: T; strict: true }>>["values"] {
  try {
    const { values } = parseArgs({ args: argv, options: { ...flags, help: { type: "boolean", short: "h" } }, strict: true, allowPositionals: false });
    if ((values as { help?: boolean }).help) {
      process.stdout.write(usage + "\n");
      process.exit(0);
    }
    return values;
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${usage}\n`);
    process.exit(2);
  }
}

/** Runs a command; a reported failure (already printed) exits 1, anything else prints its stack and exits 1. */
export async function main(run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
    process.exitCode = 0;
  } catch (err) {
    if (!(err instanceof DeployFailed)) process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  }
}
