/**
 * `npm run synth` runs the app command itself (tsx main.ts), not the cdktf CLI: the CLI calls
 * HashiCorp's checkpoint server on every run unless CHECKPOINT_DISABLE is set. The command runs
 * here with that variable unset and every Node process it starts preloaded with a recorder that
 * logs (and fails) any attempt to reach another host.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { runCommand } from "../../scripts/lib/process.js";

const PROJECT_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const RECORDER = fileURLToPath(new URL("../support/record-network.mjs", import.meta.url));

describe("npm run synth", () => {
  const dir = mkdtempSync(join(tmpdir(), "synth-command-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("synthesizes both stacks without reaching any other host", async () => {
    const outdir = join(dir, "out");
    const networkLog = join(dir, "network.jsonl");
    const { CHECKPOINT_DISABLE: _, ...env } = process.env;
    const run = await runCommand(
      { argv: ["npm", "run", "--silent", "synth"] },
      {
        cwd: PROJECT_ROOT,
        env: {
          ...env,
          CDKTF_OUTDIR: outdir,
          RECORD_NETWORK_LOG: networkLog,
          NODE_OPTIONS: `${env.NODE_OPTIONS ?? ""} --import ${RECORDER}`.trim(),
          npm_config_update_notifier: "false", // npm's own version check is not the synth's doing
        },
      },
    );
    const attempts = existsSync(networkLog) ? readFileSync(networkLog, "utf8").trim().split("\n") : [];
    expect(attempts).toEqual([]);
    expect(run.code, run.output).toBe(0);
    const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as { stacks: Record<string, unknown> };
    expect(Object.keys(manifest.stacks).length).toBe(2);
  }, 150_000);

  it("the recorder sees a lookup of another host (so the check above can fail)", async () => {
    const networkLog = join(dir, "probe.jsonl");
    const run = await runCommand(
      {
        argv: [
          process.execPath,
          "--import",
          RECORDER,
          "-e",
          "fetch('https://checkpoint-api.hashicorp.com/v1/check/cdktf').catch(() => process.exit(3))",
        ],
      },
      { env: { ...process.env, RECORD_NETWORK_LOG: networkLog } },
    );
    expect(run.code).toBe(3);
    expect(readFileSync(networkLog, "utf8")).toContain('"host":"checkpoint-api.hashicorp.com"');
  });
});
