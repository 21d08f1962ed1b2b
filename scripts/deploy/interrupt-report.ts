/**
 * What state a stack is in after the user interrupted a terraform command (Ctrl-C, SIGTERM). The
 * signal was passed on to terraform once and terraform was let finish: on an interrupt it stops
 * starting new operations, waits for those under way and writes its state ("Interrupt received.
 * Please wait for Terraform to exit or data loss may occur."); only a second one makes it abandon
 * them ("Two interrupts received. Exiting immediately. Note that data loss may have occurred.");
 * terraform's messages as quoted in https://github.com/hashicorp/terraform/issues/23908 and
 * https://github.com/tfxor/terrahub/issues/340. Whether the apply completed, and a lock it
 * could not release, are read from its output.
 */
import type { CommandResult } from "../lib/process.js";
import { forceUnlockCommand, lockId } from "./terraform-errors.js";

/** terraform's subcommand in an argv such as ["terraform", "-chdir=…", "apply", …]. */
function subcommand(argv: string[]): string | undefined {
  return argv.slice(1).find((a) => !a.startsWith("-"));
}

/** Lines saying what the interrupted command left behind and what to do next. */
export function interruptedStackState(
  argv: string[],
  result: Pick<CommandResult, "output" | "code"> & { signal?: NodeJS.Signals },
  stackId: string,
  stackDir: string,
  /** The command that carries on, e.g. "npm run deploy". */
  rerun: string,
): string[] {
  const binary = argv[0] ?? "terraform";
  const command = subcommand(argv);
  const lines: string[] = [];
  if (result.signal === "SIGKILL") {
    lines.push(
      `${binary} was killed (${result.signal}) before it could finish: its state of ${stackId} may lack what it was creating. ` +
        `Run ${binary} -chdir=${stackDir} plan to see what the state knows, then run ${rerun} again.`,
    );
  } else if (command === "apply" || command === "destroy") {
    const verb = command === "apply" ? "applied" : "destroyed";
    if (command === "apply" && /Apply complete!/.test(result.output)) {
      lines.push(
        `stack ${stackId}: ${binary} finished the apply before stopping; the stack is fully applied. Run ${rerun} again to go on with the rest.`,
      );
    } else if (command === "destroy" && /Destroy complete!/.test(result.output)) {
      lines.push(`stack ${stackId}: ${binary} finished the destroy before stopping. Run ${rerun} again to go on with the rest.`);
    } else {
      lines.push(
        `stack ${stackId} is partly ${verb}: ${binary} finished the operations under way and saved them in its state; ` +
          `the rest was not started. Run ${rerun} again to finish: the next plan holds only what is left.`,
      );
    }
  } else {
    lines.push(
      `stack ${stackId}: nothing was changed in AWS (\`${binary} ${command ?? ""}\` does not change resources). Run ${rerun} again to go on.`,
    );
  }
  const id = lockId(result.output);
  if (id && /Error releasing the state lock/i.test(result.output)) {
    lines.push(
      `${binary} could not release its state lock. Once no other ${binary} runs on ${stackId}: ${forceUnlockCommand(binary, stackDir, id)}`,
    );
  }
  return lines;
}
