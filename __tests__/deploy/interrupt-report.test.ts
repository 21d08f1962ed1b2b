/** What the deploy says about a stack after an interrupted terraform command, from terraform's output. */
import { describe, expect, it } from "vitest";
import { interruptedStackState } from "../../scripts/deploy/interrupt-report.js";

const DIR = "cdktf.out/stacks/app";
const argv = (sub: string) => ["terraform", `-chdir=${DIR}`, sub, "-input=false", "-no-color"];
const state = (sub: string, output: string, extra: { signal?: NodeJS.Signals } = {}) =>
  interruptedStackState(argv(sub), { output, code: 1, ...extra }, "app", DIR, "npm run deploy");

const LOCK_NOT_RELEASED = `Stopping operation...
Error: Error releasing the state lock

Error message: operation error S3: DeleteObject, context canceled
Lock Info:
  ID:        8b1c9a1e-3f1a-7d4e-2c55-61e0a1f2b3c4
  Path:      state-bucket/app.tfstate
`;

describe("the state of a stack after an interrupt", () => {
  it("an apply stopped half-way: partly applied, re-run to finish", () => {
    expect(state("apply", "Interrupt received.\nStopping operation...")).toEqual([
      "stack app is partly applied: terraform finished the operations under way and saved them in its state; the rest was not started. Run npm run deploy again to finish: the next plan holds only what is left.",
    ]);
  });

  it("an apply that completed before it stopped: fully applied", () => {
    expect(state("apply", "Apply complete! Resources: 2 added")[0]).toContain("the stack is fully applied");
  });

  it("a plan, init or output: nothing was changed", () => {
    for (const sub of ["plan", "init", "output"]) expect(state(sub, "Interrupt received.")[0]).toContain("nothing was changed in AWS");
  });

  it("a lock terraform could not release: the exact force-unlock command", () => {
    expect(state("apply", LOCK_NOT_RELEASED)).toContain(
      "terraform could not release its state lock. Once no other terraform runs on app: terraform -chdir=cdktf.out/stacks/app force-unlock 8b1c9a1e-3f1a-7d4e-2c55-61e0a1f2b3c4",
    );
  });

  it("killed outright (SIGKILL): the state may lack what was being created", () => {
    expect(state("apply", "", { signal: "SIGKILL" })[0]).toContain(
      "may lack what it was creating. Run terraform -chdir=cdktf.out/stacks/app plan",
    );
  });

  it("a destroy stopped half-way: partly destroyed", () => {
    expect(interruptedStackState(["tofu", `-chdir=${DIR}`, "destroy"], { output: "", code: 1 }, "app", DIR, "npm run destroy")[0]).toBe(
      "stack app is partly destroyed: tofu finished the operations under way and saved them in its state; the rest was not started. Run npm run destroy again to finish: the next plan holds only what is left.",
    );
  });
});
