/**
 * The one synth (cdktf.json's app command, main.ts -> scripts/lib/synth.ts): it clears what an
 * earlier synth left in a stack's folder, so a cdk.tf from `cdktf synth --hcl` does not sit beside
 * the new cdk.tf.json (terraform would read both and refuse every resource as declared twice),
 * keeps what `terraform init` put there, and records the config it was made from.
 *
 * main.ts runs in this process (support/command-in-process.ts); __tests__/infra/synth-command.test.ts
 * and config.test.ts run it as a process, through `npm run synth` and `cdktf synth`.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { appCommand, DEFAULT_ROOT } from "../../scripts/deploy/project.js";
import { CONFIG_STAMP, configHash } from "../../scripts/lib/synth.js";
import { loadConfig } from "../../stacks/config.js";
import { runCommandInProcess } from "../support/command-in-process.js";

const scratch = mkdtempSync(join(tmpdir(), "synth-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("synth", () => {
  it("clears stale files from each stack folder, keeps terraform's, and records the config", async () => {
    const outdir = join(scratch, "cdktf.out");
    const app = join(outdir, "stacks", "app");
    mkdirSync(join(app, ".terraform", "providers"), { recursive: true });
    mkdirSync(join(app, "assets", "old"), { recursive: true });
    writeFileSync(join(app, "cdk.tf"), 'resource "aws_s3_bucket" "stale" {}\n'); // left by cdktf synth --hcl
    writeFileSync(join(app, "extra.tf.json"), "{}");
    writeFileSync(join(app, ".terraform.lock.hcl"), "# lock\n");
    writeFileSync(join(outdir, CONFIG_STAMP), "not this config\n");

    // cdktf.json's app command is `node --import tsx main.ts` (checked below)
    const r = await runCommandInProcess("main.ts", [], { APP_CONFIG: "", CDKTF_OUTDIR: outdir });
    expect(r.code, r.output).toBe(0);
    expect(existsSync(join(app, "cdk.tf"))).toBe(false);
    expect(existsSync(join(app, "extra.tf.json"))).toBe(false);
    expect(existsSync(join(app, "assets", "old"))).toBe(false);
    expect(existsSync(join(app, "cdk.tf.json"))).toBe(true);
    expect(existsSync(join(app, ".terraform", "providers"))).toBe(true);
    expect(readFileSync(join(app, ".terraform.lock.hcl"), "utf8")).toBe("# lock\n");
    expect(readFileSync(join(outdir, CONFIG_STAMP), "utf8").trim()).toBe(configHash(loadConfig({})));
  }, 120_000);

  it("the deploy runs cdktf.json's app command, not a copy of it, and that command is node --import tsx main.ts", () => {
    const app = (JSON.parse(readFileSync(join(DEFAULT_ROOT, "cdktf.json"), "utf8")) as { app: string }).app;
    expect(appCommand(DEFAULT_ROOT).join(" ")).toBe(app.trim());
    // one node process with the project's own tsx as its loader: no npx, no tsx parent process
    expect(app.trim()).toBe("node --import tsx main.ts");
  });
});
