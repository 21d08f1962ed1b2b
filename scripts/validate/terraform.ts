/** Runs the terraform binary (or TERRAFORM_BINARY_NAME, e.g. tofu) for the validation, timing each command. */
import { type CommandResult, Interrupted, runCommand } from "../lib/process.js";
import { TerraformUnavailable, terraformBinary } from "../lib/terraform.js";

export type TfResult = Pick<CommandResult, "code" | "signal" | "stdout" | "stderr" | "seconds" | "interrupted">;

/** Runs `terraform <args>` in `cwd`; resolves with the exit code and output, never rejects on a non-zero exit. */
export async function terraform(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<TfResult> {
  const bin = terraformBinary(env);
  const result = await runCommand({ argv: [bin, ...args] }, { cwd, env });
  if (result.startError) throw new TerraformUnavailable(result.startError, "install Terraform >= 1.10 to run the validation");
  if (result.interrupted) throw new Interrupted(result.interrupted); // it was let finish; stop here
  return result;
}
